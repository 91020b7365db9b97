import type * as OAuthModule from '@alicloud/dingtalk/dist/oauth2_1_0/client';
import type OAuthClient from '@alicloud/dingtalk/dist/oauth2_1_0/client';
import type * as OpenApiModule from '@alicloud/openapi-client';
import type * as UtilModule from '@alicloud/tea-util';
import type { Config } from '../../config';
import { type Logger, maskUrl } from '../../logger';
import { classifyOapi, classifySdkError, DingTalkError } from './errors';
import { lazySdk } from './sdk';
import { AppTokenCache } from './tokens';

const $oauth = lazySdk<typeof OAuthModule>('@alicloud/dingtalk/dist/oauth2_1_0/client');
const $OpenApi = lazySdk<typeof OpenApiModule>('@alicloud/openapi-client');
const $Util = lazySdk<typeof UtilModule>('@alicloud/tea-util');

/** Settings the DingTalk modules need (a slice of {@link Config}). */
export type DingTalkSettings = Config['dingtalk'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Shared plumbing for every DingTalk module: SDK client configuration pointed at the
 * configured host (the sandbox in demo/tests, api.dingtalk.com in production), the cached
 * app token, and the retry rules of dingtalk-reference.md §9: refresh the token and retry
 * once on a token error, wait and retry on throttling, never retry bad credentials.
 */
export class DingTalkCore {
  readonly tokens: AppTokenCache;
  #oauthClient: OAuthClient | null = null;

  /** Made on first use, like every SDK client (see {@link lazySdk}). */
  get oauthClient(): OAuthClient {
    if (!this.#oauthClient) this.#oauthClient = new $oauth.default(this.sdkConfig());
    return this.#oauthClient;
  }

  constructor(
    readonly settings: DingTalkSettings,
    readonly log: Logger,
    /** Sleep used between throttle retries (tests shorten it). */
    private readonly throttleDelayMs = 1000,
  ) {
    this.tokens = new AppTokenCache(async () => {
      try {
        const res = await this.oauthClient.getAccessToken(
          new $oauth.GetAccessTokenRequest({ appKey: settings.appKey, appSecret: settings.appSecret }),
        );
        return { accessToken: res.body?.accessToken ?? '', expireIn: res.body?.expireIn ?? 7200 };
      } catch (err) {
        throw classifySdkError(err);
      }
    }, log);
  }

  /** An `@alicloud/openapi-client` Config for the configured new-API host. */
  sdkConfig(): OpenApiModule.Config {
    const url = new URL(this.settings.apiUrl);
    return new $OpenApi.Config({
      protocol: url.protocol.replace(':', ''),
      endpoint: url.host,
      regionId: 'central',
      readTimeout: 10_000,
      connectTimeout: 5_000,
    });
  }

  /** Runtime options for SDK calls (timeouts; the SDK's own retry stays off, we retry by kind). */
  runtime(): UtilModule.RuntimeOptions {
    return new $Util.RuntimeOptions({ readTimeout: 10_000, connectTimeout: 5_000, autoretry: false });
  }

  /**
   * Runs a new-API call with the app token, applying the retry rules. `fn` receives the
   * token and performs one SDK call.
   */
  async withAppToken<T>(what: string, fn: (token: string) => Promise<T>): Promise<T> {
    let token = await this.tokens.get();
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(token);
      } catch (raw) {
        const err = classifySdkError(raw);
        if (err.kind === 'token' && !refreshed) {
          this.log.warn({ what, code: err.code }, 'DingTalk rejected the app token; refreshing once');
          token = await this.tokens.refresh(token);
          refreshed = true;
          continue;
        }
        if (err.kind === 'throttle' && attempt < 2) {
          this.log.warn({ what, code: err.code }, 'DingTalk throttled the call; retrying');
          await sleep(this.throttleDelayMs);
          continue;
        }
        throw err;
      }
    }
  }

  /**
   * Calls an old API (`oapi.dingtalk.com/topapi/...`) with `?access_token=`; these have no
   * SDK client. Old APIs answer HTTP 200 with `errcode`, so success is `errcode === 0`.
   */
  async oapi<T>(path: string, body: unknown): Promise<T> {
    return this.withAppToken(path, async (token) => {
      const url = `${this.settings.oapiUrl}${path}${path.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}`;
      const json = await postErrcodeJson(url, body, 'DingTalk oapi');
      if (json.errcode !== 0) throw classifyOapi(json);
      return json as T;
    });
  }
}

/**
 * POSTs JSON to an old-style DingTalk endpoint (oapi, custom webhook robot) that answers
 * `{ errcode, errmsg }` with HTTP 200. Network failures and 5xx become `unavailable`, a
 * non-JSON body `bad_json`; the caller interprets `errcode`.
 */
export async function postErrcodeJson(
  url: string,
  body: unknown,
  what: string,
): Promise<{ errcode?: number; errmsg?: string } & Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new DingTalkError('unavailable', 'network', `${what} unreachable: ${(err as Error).message}`);
  }
  if (res.status >= 500)
    throw new DingTalkError('unavailable', String(res.status), `${what} HTTP ${res.status}`, res.status);
  const json = (await res.json().catch(() => null)) as
    | ({ errcode?: number; errmsg?: string } & Record<string, unknown>)
    | null;
  if (!json)
    throw new DingTalkError('other', 'bad_json', `${what} returned non-JSON for ${maskUrl(url)}`, res.status);
  return json;
}
