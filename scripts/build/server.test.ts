import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../../server/kernel/db/entities/User';
import { openOrm } from '../../server/kernel/db/orm';
import { DEMO_EMPLOYEES } from '../../server/kernel/db/seeds/demoCompany';
import { seedDemoCompany } from '../../server/kernel/db/seeds/seed';
import { issueSessionToken } from '../../server/kernel/http/tokens';
import { createTestDatabase, describeEachDialect, migrateDb } from '../../server/testing/harness';
import { npmStartFlags, webServerEnv } from '../bench/report';
import { freePort } from '../ports';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

let build: ReturnType<typeof spawnSync> | null = null;
/** Compiles `build/server.mjs` once per file (the `prestart` step), whichever test asks first. */
function buildOnce(): ReturnType<typeof spawnSync> {
  build ??= spawnSync(process.execPath, [path.join(root, 'scripts/build/server.mjs')], { encoding: 'utf8' });
  return build;
}

/** Waits until the server at `base` answers its health check (up to 30 s). */
async function waitHealthy(base: string): Promise<boolean> {
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * `npm start` runs the compiled bundle, not the TypeScript: this starts it as production does
 * (plain Node, no loader) and checks that it serves, so a change that only works under tsx
 * (a file read relative to a source folder, a type-only import used as a value) fails here.
 */
describe('the compiled server (npm start)', () => {
  let proc: ChildProcess | null = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-bundle-'));
  afterAll(() => {
    proc?.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds to build/server.mjs and serves the API and the app shell with plain node', async () => {
    const built = buildOnce();
    expect(built.status, String(built.stderr)).toBe(0);
    const port = await freePort();
    proc = spawn(process.execPath, [...npmStartFlags(), path.join(root, 'build/server.mjs')], {
      cwd: root,
      env: { ...process.env, ...webServerEnv(port, dir, `sqlite:${path.join(dir, 'app.db')}`) },
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    expect(await waitHealthy(base)).toBe(true);
    const me = await fetch(`${base}/api/me`);
    expect(me.status).toBe(401);
    expect(((await me.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  }, 60_000);
});

/** Node's switch that implements AsyncLocalStorage on V8's context frames instead of async hooks. */
const CONTEXT_FRAME = '--experimental-async-context-frame';

/**
 * Per-request state lives in `ctx.state` (request id, actor) and, through AsyncLocalStorage, in
 * MikroORM's request context (the request's EntityManager fork; the global manager refuses to
 * work outside one). This starts the compiled server as `npm start` does, with the context-frame
 * switch whether or not `npm start` carries it, sends many requests for different people at once
 * with their own request ids, and checks that every answer and every access-log line belongs to
 * its own request: a context lost across an await would be a 500 (global manager used outside a
 * request), a context leaking between requests a wrong person or id.
 */
describeEachDialect('the compiled server with AsyncLocalStorage on context frames', (dialect) => {
  let proc: ChildProcess | null = null;
  let log = '';
  let base = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-frame-'));
  let dropDb: (() => Promise<void>) | null = null;
  const secret = 'context-frame-test-secret-0123456789abcdef0123456789';
  const people: Array<{ id: number; name: string; token: string }> = [];

  beforeAll(async () => {
    const built = buildOnce();
    if (built.status !== 0) throw new Error(`build failed: ${String(built.stderr)}`);
    const { db, drop } = await createTestDatabase(dialect);
    dropDb = drop;
    const orm = await openOrm(db);
    try {
      await migrateDb(orm);
      await seedDemoCompany(orm.em.fork());
      const em = orm.em.fork();
      for (const e of DEMO_EMPLOYEES) {
        const u = await em.findOneOrFail(User, { dingtalkUserId: e.userid });
        const { token } = await issueSessionToken(
          secret,
          { kind: 'employee', id: u.id, invitationJobId: null, generation: u.sessionGeneration },
          30,
        );
        people.push({ id: u.id, name: u.name, token });
      }
    } finally {
      await orm.close(true);
    }
    const port = await freePort();
    const flags = npmStartFlags();
    proc = spawn(
      process.execPath,
      [
        ...flags,
        ...(flags.includes(CONTEXT_FRAME) ? [] : [CONTEXT_FRAME]),
        path.join(root, 'build/server.mjs'),
      ],
      {
        cwd: root,
        // The access log (one line per request, with its request id) is at info.
        env: {
          ...process.env,
          ...webServerEnv(port, dir, db.url, { SESSION_SECRET: secret, LOG_LEVEL: 'info' }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    proc.stdout?.on('data', (c: Buffer) => {
      log += c.toString();
    });
    proc.stderr?.on('data', (c: Buffer) => {
      log += c.toString();
    });
    base = `http://127.0.0.1:${port}`;
    if (!(await waitHealthy(base))) throw new Error(`server did not start:\n${log.slice(-2000)}`);
  }, 120_000);
  afterAll(async () => {
    proc?.kill('SIGTERM');
    await dropDb?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs a Node on which the switch replaces the async-hooks implementation', () => {
    // The hooks-based AsyncLocalStorage has `_propagate` (its async-hook callback); the
    // context-frame one has none. A Node that ignored the switch would leave it there.
    const probe = spawnSync(
      process.execPath,
      [CONTEXT_FRAME, '-p', "'_propagate' in require('node:async_hooks').AsyncLocalStorage.prototype"],
      { encoding: 'utf8' },
    );
    expect(probe.status, probe.stderr).toBe(0);
    expect(probe.stdout.trim()).toBe('false');
  });

  it("keeps each of 160 simultaneous requests' id, actor and ORM context its own", async () => {
    const rounds = 20;
    const sent = people.flatMap((p, i) =>
      Array.from({ length: rounds }, (_, r) => ({ person: p, requestId: `frame-${i}-${r}-${dialect}` })),
    );
    const replies = await Promise.all(
      sent.map(async ({ person, requestId }) => {
        const res = await fetch(`${base}/api/me`, {
          headers: { authorization: `Bearer ${person.token}`, 'x-request-id': requestId },
        });
        return {
          status: res.status,
          requestId: res.headers.get('x-request-id'),
          me: ((await res.json()) as { me?: { id: number; name: string; department: string | null } }).me,
        };
      }),
    );
    for (const [i, { person, requestId }] of sent.entries()) {
      expect(replies[i].status, `${requestId}: ${log.slice(-1500)}`).toBe(200);
      expect(replies[i].requestId).toBe(requestId);
      expect(replies[i].me?.id).toBe(person.id);
      expect(replies[i].me?.name).toBe(person.name);
      // The department is read through the global manager, which works only inside the
      // request's own context.
      expect(replies[i].me?.department).toBeTruthy();
    }
    // The access log: one line per request id, each with its own path and status.
    await new Promise((r) => setTimeout(r, 200));
    const lines = log
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; requestId?: string; path?: string; status?: number })
      .filter((l) => l.msg === 'request' && l.requestId?.startsWith('frame-'));
    const byId = new Map<string, number>();
    for (const l of lines) {
      byId.set(l.requestId as string, (byId.get(l.requestId as string) ?? 0) + 1);
      expect(l.path).toBe('/api/me');
      expect(l.status).toBe(200);
    }
    for (const { requestId } of sent) expect(byId.get(requestId), requestId).toBe(1);
    expect(lines).toHaveLength(sent.length);
  }, 60_000);
});
