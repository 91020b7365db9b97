import { afterEach, describe, expect, it, vi } from 'vitest';
import { PREFETCH_STORE, PREFETCH_TTL_MS, prefetchGet, takePrefetched } from './prefetch';

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
