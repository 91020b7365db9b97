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
