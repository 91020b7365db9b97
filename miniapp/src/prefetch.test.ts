import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiRequest } from './api';
import {
  PREFETCH_STORE,
  PREFETCH_TTL_MS,
  peekPrefetched,
  prefetchGet,
  prefetchParts,
  takePrefetched,
} from './prefetch';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A fetch that answers every call with a new response naming the call. */
function stubFetch() {
  const calls: Array<{ path: string; init: RequestInit }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit) => {
      calls.push({ path, init });
      return new Response(JSON.stringify({ call: calls.length }));
    }),
  );
  return calls;
}

describe('reads sent at start-up', () => {
  it('sends the GET as apiRequest would and hands its response to the first reader only', async () => {
    const calls = stubFetch();
    prefetchGet('/api/a', 'tok', 1000);
    prefetchGet('/api/a', 'tok', 1000); // already waiting: not sent twice
    expect(calls).toHaveLength(1);
    expect(calls[0].init.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer tok' });
    expect(calls[0].init.credentials).toBe('same-origin');
    const response = takePrefetched('/api/a', 'tok', 1500);
    expect(await (await response)?.json()).toEqual({ call: 1 });
    expect(takePrefetched('/api/a', 'tok', 1500)).toBeNull();
  });

  it("is not used for another session's request, nor once it is older than the TTL", () => {
    stubFetch();
    prefetchGet('/api/b', 'tok', 1000);
    expect(takePrefetched('/api/b', 'other', 1001)).toBeNull();
    prefetchGet('/api/c', null, 1000);
    expect(takePrefetched('/api/c', null, 1000 + PREFETCH_TTL_MS + 1)).toBeNull();
    // Dropped, not kept for a later reader.
    expect(takePrefetched('/api/c', null, 1001)).toBeNull();
  });

  it('sends no token when there is none, and a failure reaches the reader, not the console', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('offline');
      }),
    );
    prefetchGet('/api/auth/config', null, 0);
    await expect(takePrefetched('/api/auth/config', null, 1)).rejects.toThrow('offline');
  });
});

describe('the store shared with the script inlined in index.html', () => {
  it('finds a read that another copy of the module sent, and does not send it again', async () => {
    const calls = stubFetch();
    // What `inlineReads.ts`' own copy of this module did before the app's code arrived.
    const store = (globalThis as Record<string, unknown>)[PREFETCH_STORE] as Map<string, unknown>;
    store.set('/api/inline', {
      token: 'tok',
      at: 1000,
      response: Promise.resolve(new Response('{"from":"inline"}')),
      peek: null,
    });
    prefetchGet('/api/inline', 'tok', 1100);
    expect(calls).toHaveLength(0);
    expect(await (await takePrefetched('/api/inline', 'tok', 1200))?.json()).toEqual({ from: 'inline' });
  });
});

/** A fetch answering the combined read with `combined` and any other path with `{ alone: path }`. */
function stubCombined(combined: () => Response | Promise<Response>) {
  const calls: Array<{ path: string; init: RequestInit }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit) => {
      calls.push({ path, init });
      return path.startsWith('/api/first') ? combined() : Response.json({ alone: path });
    }),
  );
  return calls;
}

const PARTS = [
  ['me', '/api/p/me'],
  ['overview', '/api/p/overview?locale=en'],
  ['list', '/api/p/list'],
] as const;

describe('several reads in one request, each kept under its own path', () => {
  // Each case starts with nothing waiting (the store outlives a test: it is the page's).
  afterEach(() =>
    (globalThis as Record<string, unknown> as { [PREFETCH_STORE]: Map<string, unknown> })[
      PREFETCH_STORE
    ].clear(),
  );

  it('hands each part to its reader with its own status and body, as the separate read would', async () => {
    const calls = stubCombined(() =>
      Response.json({
        parts: {
          me: { status: 200, body: { me: { id: 7 } } },
          overview: { status: 404, body: { error: { code: 'not_found', message: 'Interview not found' } } },
          list: { status: 200, body: { items: [1, 2] } },
        },
      }),
    );
    prefetchParts('/api/first?locale=en', 'tok', PARTS, 1000);
    expect(calls.map((c) => c.path)).toEqual(['/api/first?locale=en']);
    expect(calls[0].init.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer tok' });
    // The early painter peeks, the app's reader then takes the whole response.
    expect(await peekPrefetched('/api/p/me')).toEqual({ status: 200, body: { me: { id: 7 } } });
    expect(await peekPrefetched('/api/p/overview?locale=en')).toEqual({ status: 404, body: null });
    const me = await takePrefetched('/api/p/me', 'tok', 1100);
    expect(me?.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await me?.json()).toEqual({ me: { id: 7 } });
    // Another session's reader gets nothing (it sends its own).
    expect(takePrefetched('/api/p/list', 'other', 1100)).toBeNull();
    expect(calls).toHaveLength(1);
  });

  it("a failed part reaches apiRequest's caller as the separate read's ApiError", async () => {
    stubCombined(() =>
      Response.json({
        parts: {
          me: { status: 200, body: { me: { id: 7 } } },
          overview: { status: 404, body: { error: { code: 'not_found', message: 'Interview not found' } } },
          list: { status: 200, body: { items: [] } },
        },
      }),
    );
    prefetchParts('/api/first?locale=en', null, PARTS, Date.now());
    const err = await apiRequest('/api/p/overview?locale=en', { auth: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'not_found', message: 'Interview not found' });
    expect(await apiRequest('/api/p/list', { auth: false })).toEqual({ items: [] });
  });

  it('a refused session (401) refuses every part with the same error', async () => {
    const refusal = { error: { code: 'session_expired', message: 'Session expired' } };
    const calls = stubCombined(() => Response.json(refusal, { status: 401 }));
    prefetchParts('/api/first', 'tok', PARTS, 1000);
    for (const [, path] of PARTS) {
      const response = await takePrefetched(path, 'tok', 1001);
      expect(response?.status).toBe(401);
      expect(await response?.json()).toEqual(refusal);
    }
    expect(calls).toHaveLength(1);
  });

  it('another failure of the combined read, or a part it lacks, sends the separate reads', async () => {
    let calls = stubCombined(() => Response.json({ error: { code: 'route_not_found' } }, { status: 404 }));
    prefetchParts('/api/first', 'tok', PARTS, 1000);
    for (const [, path] of PARTS)
      expect(await (await takePrefetched(path, 'tok', 1001))?.json()).toEqual({ alone: path });
    expect(calls.map((c) => c.path)).toEqual(['/api/first', ...PARTS.map(([, p]) => p)]);
    expect(calls[1].init.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer tok' });

    calls = stubCombined(() => Response.json({ parts: { me: { status: 200, body: { me: 1 } } } }));
    prefetchParts('/api/first', 'tok', PARTS, 1000);
    expect(await (await takePrefetched('/api/p/me', 'tok', 1001))?.json()).toEqual({ me: 1 });
    expect(await (await takePrefetched('/api/p/list', 'tok', 1001))?.json()).toEqual({
      alone: '/api/p/list',
    });
    expect(calls.map((c) => c.path)).toEqual(['/api/first', '/api/p/overview?locale=en', '/api/p/list']);
  });

  it('a network failure fails every part, without an unhandled rejection', async () => {
    stubCombined(() => {
      throw new TypeError('offline');
    });
    prefetchParts('/api/first', 'tok', PARTS, 1000);
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const [, path] of PARTS) await expect(takePrefetched(path, 'tok', 1001)).rejects.toThrow('offline');
  });

  it('leaves paths already waiting alone, and sends nothing when all are', async () => {
    const calls = stubCombined(() =>
      Response.json({ parts: { list: { status: 200, body: { combined: true } } } }),
    );
    prefetchGet('/api/p/me', 'tok', 1000);
    prefetchGet('/api/p/overview?locale=en', 'tok', 1000);
    prefetchParts('/api/first', 'tok', PARTS, 1000);
    prefetchParts('/api/first', 'tok', PARTS, 1000); // the entry's second call: all waiting
    expect(calls.map((c) => c.path)).toEqual(['/api/p/me', '/api/p/overview?locale=en', '/api/first']);
    expect(await (await takePrefetched('/api/p/me', 'tok', 1001))?.json()).toEqual({ alone: '/api/p/me' });
    expect(await (await takePrefetched('/api/p/list', 'tok', 1001))?.json()).toEqual({ combined: true });
  });
});
