import { MikroORM } from '@mikro-orm/sql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../app';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { type Orm, ormOptions } from '../db/orm';

describeEachDialect('health, readiness and HTTP hygiene', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
  });
  afterAll(async () => t?.close());

  it('answers /healthz and /readyz with a request id and security headers', async () => {
    const live = await t.api('GET', '/healthz');
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await t.api('GET', '/readyz');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready', checks: { database: 'ok' } } });
    expect(ready.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const api = await t.api('GET', '/api/auth/config');
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('cache-control')).toBe('no-store');
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('echoes a well-formed incoming request id and replaces a malformed one', async () => {
    const ok = await t.api('GET', '/healthz', { headers: { 'x-request-id': 'lb-1234567890' } });
    expect(ok.headers.get('x-request-id')).toBe('lb-1234567890');
    const bad = await t.api('GET', '/healthz', { headers: { 'x-request-id': 'x<script>' } });
    expect(bad.headers.get('x-request-id')).not.toContain('<');
  });

  it('unknown API routes and wrong methods get the JSON error body', async () => {
    const missing = await t.api('GET', '/api/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('route_not_found');
    const method = await t.api('DELETE', '/api/auth/config');
    expect(method.status).toBe(405);
    expect(method.body.error.code).toBe('method_not_allowed');
  });

  it('answers wrong methods and OPTIONS the same on the first router and on one far down the chain', async () => {
    // One allowed-methods check wraps every router (app.ts); these pin what the check after
    // each router answered: the health router is mounted first, the interview router late.
    const grant = '/api/interview/answers/1/grant';
    for (const [path, allow] of [
      ['/healthz', 'HEAD, GET'],
      [grant, 'POST'],
    ] as const) {
      const options = await t.api('OPTIONS', path);
      expect(options.status).toBe(200);
      expect(options.headers.get('allow')).toBe(allow);
      const wrong = await t.api('DELETE', path);
      expect(wrong.status).toBe(405);
      expect(wrong.body.error.code).toBe('method_not_allowed');
      // A method no router implements.
      const unknown = await t.api('PROPFIND', path);
      expect(unknown.status).toBe(500);
      expect(unknown.body.error.code).toBe('internal_error');
    }
    // The method is checked before the route's own middleware (no session needed for a 405)...
    expect((await t.api('GET', grant)).status).toBe(405);
    // ...and a matched route answers for itself, however it answers.
    const unauth = await t.api('POST', grant, { body: { contentType: 'video/webm', bytes: 50_000 } });
    expect(unauth.status).toBe(401);
    expect((await t.api('HEAD', '/healthz')).status).toBe(200);
    const nowhere = await t.api('OPTIONS', '/api/nope');
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error.code).toBe('route_not_found');
  });

  it('reports not ready when the database does not answer', async () => {
    // An ORM pointed at a MySQL port where nothing listens: the process is alive, the database is not.
    const dead = (await MikroORM.init(
      await ormOptions({ dialect: 'mysql', url: 'mysql://root@127.0.0.1:9/none', poolMax: 1 }),
    )) as unknown as Orm;
    const app = createApp({ ...t.deps, orm: dead });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const addr = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${addr.port}/readyz`);
      expect(res.status).toBe(503);
      expect((await res.json()).checks.database).toBe('failed');
      expect((await fetch(`http://127.0.0.1:${addr.port}/healthz`)).status).toBe(200);
    } finally {
      server.close();
      await dead.close(true).catch(() => {});
    }
  });
});
