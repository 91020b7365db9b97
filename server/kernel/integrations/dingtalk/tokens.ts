import type { Logger } from '../../logger';
import { DingTalkError } from './errors';

/** What the token cache needs from DingTalk: one call that returns a fresh app token. */
export type FetchAppToken = () => Promise<{ accessToken: string; expireIn: number }>;

/**
 * Caches the app access token (7200 s) and refreshes it early. Concurrent callers share one
 * in-flight request (single-flight) because DingTalk throttles frequent gettoken calls.
 * Per-process state is fine here: DingTalk hands every instance the same token while valid.
 */
export class AppTokenCache {
  #token: { value: string; expiresAt: number } | null = null;
  #inflight: Promise<string> | null = null;

  constructor(
    private readonly fetchToken: FetchAppToken,
    private readonly log: Logger,
    /** Refresh this many ms before expiry (default 10 minutes). */
    private readonly earlyMs = 10 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token valid for at least `earlyMs` more, fetching one if needed. */
  async get(): Promise<string> {
    if (this.#token && this.#token.expiresAt - this.earlyMs > this.now()) return this.#token.value;
    return this.refresh();
  }

  /**
   * Forces a new token unless a refresh is already running. `rejected` is the token the
   * caller saw fail: if the cache already moved on, the newer token is returned instead.
   */
  async refresh(rejected?: string): Promise<string> {
    if (rejected && this.#token && this.#token.value !== rejected && this.#token.expiresAt > this.now()) {
      return this.#token.value;
    }
    if (!this.#inflight) {
      this.#inflight = (async () => {
        try {
          const { accessToken, expireIn } = await this.fetchToken();
          if (!accessToken) throw new DingTalkError('other', 'no_token', 'DingTalk returned no access token');
          this.#token = { value: accessToken, expiresAt: this.now() + expireIn * 1000 };
          this.log.debug({ expireIn }, 'app access token refreshed');
          return accessToken;
        } finally {
          this.#inflight = null;
        }
      })();
    }
    return this.#inflight;
  }

  /** Drops the cached token (tests, credential rotation). */
  clear(): void {
    this.#token = null;
  }
}
