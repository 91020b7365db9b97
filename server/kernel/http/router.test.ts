import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppState } from './context';
import { type AppRouter, createRouter, routesByHead } from './router';

/**
 * Routers shaped like the app's: prefixed groups, a parameter right after the prefix, a
 * one-segment route, a router without prefix whose routes sit under several heads, and two
 * routers sharing a head. Each handler answers with its own name.
 */
function routers(): AppRouter[] {
  const named = (name: string) => (ctx: Koa.Context) => {
    ctx.body = { name, params: ctx.params };
  };
  const health = createRouter();
  health.get('/healthz', named('healthz'));
  const interview = createRouter('/api/interview');
  interview.post('/answers/:answerId/grant', named('grant'));
  interview.get('/sessions/:id', named('session'));
  interview.get('/', named('interview-root'));
  const api = createRouter('/api');
  api.get('/:thing/count', named('thing-count'));
  api.get('/me', named('me'));
  const loose = createRouter();
  loose.get('/api/reports/:id', named('report'));
  loose.delete('/api/interview/sessions/:id', named('session-delete'));
  const other = createRouter('/api/booking');
  other.put('/slots/:id', named('slot'));
  other.get('/{*rest}', named('booking-rest'));
  return [health, interview, api, loose, other];
}

/** An app as createApp builds it: one allowedMethods check, the routers, then the mini-app. */
function app(dispatch: (rs: AppRouter[]) => Koa.Middleware<AppState>[]): Koa<AppState> {
  const a = new Koa<AppState>();
  a.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const e = err as { status?: number; message: string };
      ctx.status = e.status ?? 500;
      ctx.body = { error: e.message };
    }
  });
  const rs = routers();
  a.use(rs[0].allowedMethods({ throw: true }) as unknown as Koa.Middleware<AppState>);
  for (const m of dispatch(rs)) a.use(m);
  // As the mini-app's files and shell: GETs outside the API only; anything else stays 404.
  a.use((ctx) => {
    if (ctx.method === 'GET' && !ctx.path.toLowerCase().startsWith('/api')) ctx.body = { name: 'fallback' };
  });
  return a;
}

const servers: { close(): void; address(): AddressInfo | string | null }[] = [];
let each = '';
let byHead = '';

beforeAll(async () => {
  const listen = (a: Koa<AppState>) =>
    new Promise<string>((resolve) => {
      const s = a.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`),
      );
      servers.push(s);
    });
  each = await listen(app((rs) => rs.map((r) => r.routes() as unknown as Koa.Middleware<AppState>)));
  byHead = await listen(app((rs) => [routesByHead(rs)]));
});

afterAll(() => {
  for (const s of servers) s.close();
});

const REQUESTS: [string, string][] = [
  ['GET', '/healthz'],
  ['GET', '/healthz/'],
  ['GET', '/HEALTHZ'],
  ['GET', '/healthz/more'],
  ['HEAD', '/healthz'],
  ['POST', '/api/interview/answers/7/grant'],
  ['POST', '/API/Interview/Answers/7/grant'],
  ['GET', '/api/interview/answers/7/grant'],
  ['OPTIONS', '/api/interview/answers/7/grant'],
  ['PROPFIND', '/api/interview/answers/7/grant'],
  ['PROPFIND', '/nowhere'],
  ['GET', '/api/interview/sessions/3'],
  ['DELETE', '/api/interview/sessions/3'],
  ['PATCH', '/api/interview/sessions/3'],
  ['GET', '/api/interview'],
  ['GET', '/api/interview/'],
  ['GET', '/api/widgets/count'],
  ['GET', '/api/interview/count'],
  ['GET', '/api/me'],
  ['GET', '/api/me/'],
  ['GET', '/api/reports/12'],
  ['GET', '/api/reports/%31%32'],
  ['PUT', '/api/booking/slots/5'],
  ['GET', '/api/booking/anything/below'],
  ['GET', '/api//interview/answers/7/grant'],
  ['GET', '/api'],
  ['GET', '/'],
  ['GET', '/assets/app.js'],
];

describe('routesByHead', () => {
  it('answers every request as the routers one after another do (status, body, Allow)', async () => {
    for (const [method, path] of REQUESTS) {
      const [a, b] = await Promise.all(
        [each, byHead].map(async (base) => {
          const r = await fetch(`${base}${path}`, { method });
          return { status: r.status, allow: r.headers.get('allow'), body: await r.text() };
        }),
      );
      expect(b, `${method} ${path}`).toEqual(a);
    }
    // The comparison means something: routes, 405, 501 and the fallback all occurred.
    const seen = await Promise.all(
      [
        ['POST', '/api/interview/answers/7/grant'],
        ['GET', '/api/interview/answers/7/grant'],
        ['PROPFIND', '/nowhere'],
        ['GET', '/assets/app.js'],
      ].map(async ([method, path]) => {
        const r = await fetch(`${byHead}${path}`, { method });
        return [r.status, await r.text()];
      }),
    );
    expect(seen.map(([s]) => s)).toEqual([200, 405, 501, 200]);
    expect(seen[0][1]).toContain('"grant"');
    expect(seen[3][1]).toContain('fallback');
  });

  it('tests a request only against the routers with a route under its head', async () => {
    const rs = routers();
    const spies = rs.map((r) => vi.spyOn(r, 'match'));
    const mw = routesByHead(rs);
    // A path no route matches, so every router the request is sent through is asked in turn
    // (a matched route ends the chain).
    const ctx = { path: '/api/interview/none', method: 'POST', host: 'x', request: {} } as never;
    await mw(ctx, async () => {});
    // health: no; interview: yes; api (`/api/:thing/count`): yes; loose (a DELETE under the
    // head): yes; booking: no.
    expect(spies.map((s) => s.mock.calls.length)).toEqual([0, 1, 1, 1, 0]);
    const other = { path: '/assets/app.js', method: 'GET', host: 'x', request: {} } as never;
    await mw(other, async () => {});
    // An unknown head goes only to the router whose route has a parameter right after `/api`
    // (its routes could sit under any head); it does not match either, and the chain goes on.
    expect(spies.map((s) => s.mock.calls.length)).toEqual([0, 1, 2, 1, 0]);
  });
});
