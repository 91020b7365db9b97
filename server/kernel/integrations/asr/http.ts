/**
 * HTTP for ASR providers: per-call timeout, retries with exponential backoff on network errors,
 * 429 and 5xx, and errors mapped to {@link AsrError} with a clear kind.
 */
import { AsrError } from './types';

/** Retry policy. */
export interface RetryPolicy {
  retries: number;
  /** First backoff; doubles each retry (with jitter), capped at 10 s. */
  baseDelayMs: number;
  /** Timeout of one HTTP call. */
  callTimeoutMs: number;
}

/** Host and path of a URL for error messages (never the query: it may carry a signature). */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'invalid URL';
  }
}

/** Sleeps, unless the signal aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A response whose body was read as JSON (or null). */
export interface JsonResponse {
  status: number;
  body: Record<string, unknown> | null;
}

/**
 * Fetches with retries. `init` is rebuilt per attempt (`makeInit`) because an upload body
 * cannot be replayed. 4xx other than 429 are returned to the caller (not retried).
 */
export async function fetchJson(
  url: string,
  makeInit: () => Promise<RequestInit> | RequestInit,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<JsonResponse> {
  let last: AsrError | null = null;
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (attempt > 0) {
      const delay = Math.min(10_000, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
      await sleep(delay, signal);
    }
    const timeout = AbortSignal.timeout(policy.callTimeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(url, { ...(await makeInit()), signal: combined });
    } catch (err) {
      if (signal?.aborted) throw new AsrError('timeout', 'transcription timed out', true);
      last = new AsrError(
        timeout.aborted ? 'timeout' : 'unavailable',
        `${where(url)}: ${timeout.aborted ? 'call timed out' : (err as Error).message}`,
        true,
      );
      continue;
    }
    const text = await res.text();
    let body: Record<string, unknown> | null = null;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      body = null;
    }
    if (res.status === 429 || res.status >= 500) {
      last = new AsrError(
        'unavailable',
        `${where(url)}: HTTP ${res.status} ${String(body?.code ?? '')} ${String(body?.message ?? '')}`.trim(),
        true,
        body?.code ? String(body.code) : undefined,
      );
      continue;
    }
    if (res.status >= 200 && res.status < 300 && body === null && text)
      throw new AsrError('bad_response', `${where(url)}: response is not JSON`, false);
    return { status: res.status, body };
  }
  throw last ?? new AsrError('unavailable', 'no attempt made', true);
}

/** Maps a 4xx JSON error to an {@link AsrError}. */
export function clientError(where: string, r: JsonResponse): AsrError {
  const code = String(r.body?.code ?? r.body?.error ?? `HTTP_${r.status}`);
  const msg = String(r.body?.message ?? (r.body?.error as { message?: string } | undefined)?.message ?? '');
  const kind = r.status === 401 || r.status === 403 ? 'auth' : 'rejected';
  return new AsrError(kind, `${where}: ${code} ${msg}`.trim(), false, code);
}
