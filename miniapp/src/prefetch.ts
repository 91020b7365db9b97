/**
 * GET requests sent at start-up, before the code that reads them has arrived, and handed to that
 * code's first {@link apiRequest} for the same path and session (`api.ts`).
 *
 * Why: on a slow phone the app's code takes about a second to download; the sign-in config, the
 * signed-in user and a returning candidate's home data (`homes/preload.ts`) would otherwise be
 * asked for only after it ran and rendered, one more round trip before the home can show
 * (issue 18: LCP under 1.5 s). The start-up entry is a few KB and runs as soon as the HTML is in.
 *
 * Each response is used once, only by a request with the same token (a sign-in in between makes
 * it someone else's), and only within {@link PREFETCH_TTL_MS}: later, the data may be stale and
 * the screen asks again.
 */

/** How long a prefetched response may wait for its reader. */
export const PREFETCH_TTL_MS = 15_000;

interface Prefetched {
  token: string | null;
  at: number;
  response: Promise<Response>;
  peek: Promise<PeekedResponse> | null;
}

/** A prefetched response's status and, when it succeeded, its JSON body ({@link peekPrefetched}). */
export interface PeekedResponse {
  status: number;
  body: unknown;
}

/**
 * Name of the store on `globalThis`. The same reads are first sent by the copy of this module in
 * the script inlined in `index.html` (`inlineReads.ts`), then by the app's: one store, so the
 * app's `prefetchGet` finds them waiting and its readers take their answers.
 */
export const PREFETCH_STORE = '__aivPrefetched';

const shared = globalThis as { [PREFETCH_STORE]?: Map<string, Prefetched> };
shared[PREFETCH_STORE] ??= new Map();
const pending = shared[PREFETCH_STORE];

/**
 * Sends `GET path` now (with the session's bearer token when `token` is given), exactly as
 * `apiRequest` would, and keeps the response for {@link takePrefetched}. A path already waiting
 * is not sent twice.
 */
export function prefetchGet(path: string, token: string | null, now: number = Date.now()): void {
  if (pending.has(path)) return;
  keep(path, token, now, send(path, token));
}

/** `GET path` as `apiRequest` sends it. */
function send(path: string, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(path, { headers, credentials: 'same-origin' });
}

function keep(path: string, token: string | null, now: number, response: Promise<Response>): void {
  response.catch(() => {}); // the reader sees the failure; never an unhandled rejection before
  pending.set(path, { token, at: now, response, peek: null });
}

/** A JSON response of `status` with `text` as its body, as the server would have sent it. */
function jsonResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}

/**
 * Sends one `GET path` that answers several reads at once, `{ parts: { [name]: { status, body } } }`
 * (`GET /api/home/first`), and keeps each part under the path its reader asks for (`parts`:
 * name and path), so that reader's {@link takePrefetched} and {@link peekPrefetched} get the
 * response the separate read would have had: the part's status and its JSON body.
 *
 * Why: five reads sent at once queued with the app's scripts on HTTP/1.1's six connections, and
 * each paid the server's per-request work (issue 18: the candidate home's LCP under 1.5 s).
 *
 * A 401 answers every part with itself (a refused session is refused for each read alike). Any
 * other failed answer (an older server without the route, a 5xx) and any part it lacks send the
 * separate reads after all, so readers never see the combined read's own errors; a network
 * failure fails every part, as it would have failed the separate reads. Paths already waiting are
 * left alone, and nothing is sent when all are.
 */
export function prefetchParts(
  path: string,
  token: string | null,
  parts: ReadonlyArray<readonly [name: string, path: string]>,
  now: number = Date.now(),
): void {
  const wanted = parts.filter(([, partPath]) => !pending.has(partPath));
  if (!wanted.length) return;
  const answer = send(path, token).then(async (response) => {
    if (response.status === 401) return { refused: await response.text() };
    if (response.status !== 200) return null;
    return (await response.json()) as { parts?: Record<string, PeekedResponse | undefined> };
  });
  for (const [name, partPath] of wanted)
    keep(
      partPath,
      token,
      now,
      answer.then((combined) => {
        if (combined && 'refused' in combined) return jsonResponse(401, combined.refused);
        const part = combined?.parts?.[name];
        return part ? jsonResponse(part.status, JSON.stringify(part.body)) : send(partPath, token);
      }),
    );
}

/**
 * The prefetched response of `GET path` for `token`, removed from the store; `null` when there is
 * none, it was sent for another session, or it is older than {@link PREFETCH_TTL_MS}.
 */
export function takePrefetched(
  path: string,
  token: string | null,
  now: number = Date.now(),
): Promise<Response> | null {
  const entry = pending.get(path);
  if (!entry) return null;
  pending.delete(path);
  if (entry.token !== token || now - entry.at > PREFETCH_TTL_MS) return null;
  return entry.response;
}

/**
 * The status and JSON body of the prefetched `GET path`, read from a copy of the response, so
 * its reader ({@link takePrefetched}) still gets the whole response; `null` when none is waiting.
 * For the start-up entry, which paints a returning candidate's next step from these answers
 * before the app's code has run (`homes/earlyHome.ts`). Call it right after {@link prefetchGet}:
 * the copy is made when the response arrives, before any reader can have consumed its body.
 */
export function peekPrefetched(path: string): Promise<PeekedResponse> | null {
  const entry = pending.get(path);
  if (!entry) return null;
  entry.peek ??= entry.response
    .then((response) => response.clone())
    .then(async (copy) => ({ status: copy.status, body: copy.ok ? await copy.json() : null }));
  return entry.peek;
}
