import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOME_FIRST_PARTS } from '../../shared/api/home';
import { PREFETCH_STORE } from './prefetch';

/** A token shaped like the server's (header.claims.signature), for a `k` claim. */
const tokenFor = (kind: string) => `h.${btoa(JSON.stringify({ k: kind })).replace(/=+$/, '')}.sig`;
const inTwoHours = () => new Date(Date.now() + 2 * 3600_000).toISOString();

let sent: Array<{ path: string; auth: string | undefined }>;

/** A page at `href` whose localStorage holds `stored` (keys without the app's prefix). */
function page(href: string, stored: Record<string, string>) {
  const values = new Map(Object.entries(stored).map(([k, v]) => [`aiv.${k}`, v]));
  vi.stubGlobal('window', {
    location: { href },
    localStorage: { getItem: (key: string) => values.get(key) ?? null },
  });
}

/** `startEarlyReads` of a freshly loaded module (the session is read once per page load). */
async function start() {
  const { startEarlyReads } = await import('./earlyReads');
  return startEarlyReads();
}

beforeEach(() => {
  vi.resetModules();
  delete (globalThis as Record<string, unknown>)[PREFETCH_STORE];
  sent = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: { headers: Record<string, string> }) => {
      sent.push({ path, auth: init.headers.Authorization });
      // The combined read answers every part (a part it lacked would be sent on its own).
      if (path.startsWith('/api/home/first'))
        return Response.json({
          parts: Object.fromEntries(HOME_FIRST_PARTS.map((p) => [p, { status: 200, body: {} }])),
        });
      return new Response('{}');
    }),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
  delete (globalThis as Record<string, unknown>)[PREFETCH_STORE];
});

describe('the first reads of a load', () => {
  it("sends a returning candidate's user and home reads as one, with their token, in the chosen language", async () => {
    const token = tokenFor('candidate');
    page('https://app.example/', { session: JSON.stringify({ token, expiresAt: inTwoHours() }), lang: 'en' });
    expect((await start())?.token).toBe(token);
    expect(sent).toEqual([
      { path: '/api/auth/config', auth: undefined },
      { path: '/api/home/first?locale=en', auth: `Bearer ${token}` },
    ]);
    // Each part waits under the path the app's hooks read.
    const store = (globalThis as Record<string, unknown>)[PREFETCH_STORE] as Map<string, unknown>;
    expect([...store.keys()]).toEqual([
      '/api/auth/config',
      '/api/me',
      '/api/interview?locale=en',
      '/api/bookings/mine',
      '/api/feedback',
      '/api/home/timeline',
    ]);
  });

  it('sends them once when the entry asks again after the inline script (one store)', async () => {
    const token = tokenFor('candidate');
    page('https://app.example/', { session: JSON.stringify({ token, expiresAt: inTwoHours() }) });
    await start();
    await start(); // the entry's own copy of the modules, after the inline script's
    expect(sent.map((s) => s.path)).toEqual(['/api/auth/config', '/api/home/first?locale=zh-CN']);
  });

  it("an employee's start sends only who they are; their home is another screen", async () => {
    page('https://app.example/', {
      session: JSON.stringify({ token: tokenFor('employee'), expiresAt: inTwoHours() }),
    });
    await start();
    expect(sent.map((s) => s.path)).toEqual(['/api/auth/config', '/api/me']);
  });

  it('sends nothing for the session when it expired or the address brings a new credential', async () => {
    page('https://app.example/', {
      session: JSON.stringify({
        token: tokenFor('candidate'),
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      }),
    });
    expect(await start()).toBeNull();
    vi.resetModules();
    delete (globalThis as Record<string, unknown>)[PREFETCH_STORE];
    page('https://app.example/invite#inv-token', {
      session: JSON.stringify({ token: tokenFor('candidate'), expiresAt: inTwoHours() }),
    });
    expect(await start()).toBeNull();
    expect(sent.map((s) => s.path)).toEqual(['/api/auth/config', '/api/auth/config']);
  });

  it('a corrupt stored session or unreadable storage is no session, not an error', async () => {
    page('https://app.example/', { session: '{not json' });
    expect(await start()).toBeNull();
    vi.resetModules();
    delete (globalThis as Record<string, unknown>)[PREFETCH_STORE];
    vi.stubGlobal('window', {
      location: { href: 'https://app.example/' },
      localStorage: {
        getItem: () => {
          throw new Error('SecurityError');
        },
      },
    });
    expect(await start()).toBeNull();
    expect(sent.map((s) => s.path)).toEqual(['/api/auth/config', '/api/auth/config']);
  });
});
