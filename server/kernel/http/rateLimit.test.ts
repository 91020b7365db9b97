import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app';
import {
  createTestDatabase,
  type Dialect,
  describeEachDialect,
  startTestApp,
  type TestApp,
} from '../../testing/harness';
import { Candidate } from '../db/entities/Candidate';
import { User } from '../db/entities/User';
import { migrateUp, type Orm, openOrm } from '../db/orm';
import { instantOf, query, sqlDate } from '../db/tx';
import type { Deps } from '../deps';
import type { AppDeps } from './context';
import {
  bucketKey,
  clientAddress,
  countHit,
  deleteExpiredBuckets,
  type RateLimitRule,
  rateLimit,
  rateLimitCleanupJob,
} from './rateLimit';
import { issueSessionToken } from './tokens';

const MINUTE = 60_000;
/** An instant 15.2 s into a minute window (Retry-After is then 44.8 s, sent as 45). */
const T0 = Date.UTC(2026, 11, 4, 8, 30, 15, 200);
const rule = (limit: number, name = 'test_limit'): RateLimitRule => ({ name, limit, windowMs: MINUTE });

describe('clientAddress', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:0:1:aaaa:bbbb:cccc:dddd', '2001:db8:0:1::/64'],
    // Two addresses of one /64 are one subject.
    ['2001:db8:0:1::42', '2001:db8:0:1::/64'],
    ['2001:DB8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:db8:1:2:3:4:1.2.3.4', '2001:db8:1:2::/64'],
    ['not-an-ip', 'not-an-ip'],
    ['', 'unknown'],
  ])('%s -> %s', (ip, expected) => {
    expect(clientAddress(ip)).toBe(expected);
  });

  it('hashes subjects too long for the bucket column, keeping distinct subjects apart', () => {
    const a = bucketKey(rule(1), `ip:${'a'.repeat(300)}`);
    const b = bucketKey(rule(1), `ip:${'a'.repeat(299)}b`);
    expect(a).toMatch(/^test_limit:sha256:[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(bucketKey(rule(1), 'candidate:12')).toBe('test_limit:candidate:12');
  });

  it('refuses malformed rules when the route is built', () => {
    expect(() => rateLimit({ name: 'Sign-In', limit: 1, windowMs: MINUTE }, () => 'x')).toThrow(/snake_case/);
    expect(() => rateLimit(rule(0), () => 'x')).toThrow(/positive integer/);
    expect(() => rateLimit({ name: 'x', limit: 1, windowMs: 10 }, () => 'x')).toThrow(/windowMs/);
  });
});

/** Two ORMs on one database: what two web instances share. */
async function twoInstances(dialect: Dialect) {
  const { db, drop } = await createTestDatabase(dialect);
  const a = await openOrm(db);
  await migrateUp(a);
  const b = await openOrm(db);
  return {
    a,
    b,
    async close() {
      await a.close(true);
      await b.close(true);
      await drop();
    },
  };
}

async function rows(orm: Orm) {
  const list = await query<{ bucket: string; window_start: unknown; hits: number; expires_at: unknown }>(
    orm.em,
    'select bucket, window_start, hits, expires_at from rate_limit_buckets order by bucket, window_start',
  );
  return list.map((r) => ({
    bucket: r.bucket,
    windowStart: instantOf(r.window_start),
    hits: Number(r.hits),
    expiresAt: instantOf(r.expires_at),
  }));
}

describeEachDialect('rate limit counters in the database', (dialect) => {
  let db: Awaited<ReturnType<typeof twoInstances>>;
  beforeAll(async () => {
    db = await twoInstances(dialect);
  });
  afterAll(async () => db?.close());

  it('two instances share one budget: the combined hits are the limit, not twice it', async () => {
    const r = rule(5, 'shared');
    const outcomes = [];
    for (let i = 0; i < 8; i++) {
      const orm = i % 2 ? db.b : db.a;
      outcomes.push(await countHit(orm.em, r, 'ip:203.0.113.7', T0 + i));
    }
    expect(outcomes.map((o) => o.hits)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true, true, true, false, false, false]);
    const windowStart = Math.floor(T0 / MINUTE) * MINUTE;
    expect((await rows(db.a)).filter((x) => x.bucket === 'shared:ip:203.0.113.7')).toEqual([
      { bucket: 'shared:ip:203.0.113.7', windowStart, hits: 8, expiresAt: windowStart + MINUTE },
    ]);
  });

  it('an employee never spends the budget of the candidate with the same numeric id', async () => {
    const r = rule(2, 'kinds');
    for (let i = 0; i < 4; i++) await countHit(db.a.em, r, 'employee:12', T0);
    expect(await countHit(db.a.em, r, 'employee:12', T0)).toMatchObject({ allowed: false, hits: 5 });
    expect(await countHit(db.b.em, r, 'candidate:12', T0)).toMatchObject({ allowed: true, hits: 1 });
  });

  it('says how long until the window ends, and the next window starts with a fresh budget', async () => {
    const r = rule(1, 'expiry');
    expect((await countHit(db.a.em, r, 'candidate:7', T0)).allowed).toBe(true);
    const refused = await countHit(db.b.em, r, 'candidate:7', T0);
    expect(refused).toMatchObject({ allowed: false, hits: 2 });
    expect(refused.retryAfterSeconds).toBeCloseTo(44.8, 6);
    const windowEnd = Math.floor(T0 / MINUTE) * MINUTE + MINUTE;
    expect(await countHit(db.a.em, r, 'candidate:7', windowEnd - 1)).toMatchObject({
      allowed: false,
      hits: 3,
      retryAfterSeconds: 0.001,
    });
    expect(await countHit(db.b.em, r, 'candidate:7', windowEnd)).toMatchObject({
      allowed: true,
      hits: 1,
      retryAfterSeconds: 60,
    });
  });

  it('parallel hits from two instances at the boundary allow exactly the budget', async () => {
    const r = rule(25, 'rush');
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => countHit((i % 2 ? db.b : db.a).em, r, 'candidate:99', T0)),
    );
    expect(results.filter((x) => x.allowed)).toHaveLength(25);
    // Every hit saw its own count: no two hits were given the same number.
    expect(results.map((x) => x.hits).sort((p, q) => p - q)).toEqual(
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    expect((await rows(db.a)).find((x) => x.bucket === 'rush:candidate:99')?.hits).toBe(60);
  });

  it('the cleanup job deletes ended windows and keeps live ones', async () => {
    const em = db.a.em;
    await query(em, 'delete from rate_limit_buckets');
    const base = Math.floor(T0 / MINUTE) * MINUTE;
    // Five windows that ended before `base + 2 min`, one ending exactly then, one still open.
    for (let w = 0; w < 5; w++) await countHit(em, rule(9, 'old'), `ip:10.0.0.${w}`, base + w * 1000);
    await countHit(em, rule(9, 'edge'), 'ip:10.0.1.1', base + MINUTE);
    await countHit(em, rule(9, 'live'), 'ip:10.0.2.1', base + 2 * MINUTE);
    const now = base + 2 * MINUTE;
    // A batch of 2 makes the MySQL path loop three times.
    expect(await deleteExpiredBuckets(db.b.em, now, 2)).toBe(6);
    expect((await rows(db.a)).map((x) => x.bucket)).toEqual(['live:ip:10.0.2.1']);
    expect(await deleteExpiredBuckets(em, now)).toBe(0);
    expect(rateLimitCleanupJob).toMatchObject({ name: 'kernel.rate-limit-cleanup', role: 'worker' });
    // The job needs only the database and the clock.
    const jobDeps = { orm: db.a, now: () => new Date(now + 3 * MINUTE) } as unknown as Deps;
    expect(await rateLimitCleanupJob.run(jobDeps, undefined)).toEqual({ deleted: 1 });
    expect(await rows(db.a)).toEqual([]);
  });

  it('stores window instants as the ORM reads them', async () => {
    // Plain SQL writes what MikroORM would: a row inserted here reads back as the same instant.
    const when = Math.floor(T0 / MINUTE) * MINUTE;
    await countHit(db.a.em, rule(1, 'instants'), 'ip:192.0.2.1', T0);
    const [row] = await query<{ n: number }>(
      db.a.em,
      'select count(*) as n from rate_limit_buckets where bucket = ? and window_start = ?',
      ['instants:ip:192.0.2.1', sqlDate(db.a.em, when)],
    );
    expect(Number(row.n)).toBe(1);
  });
});

/** Serves `createApp(deps)` on a random port; returns its URL and a closer. */
async function serve(deps: AppDeps): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

describeEachDialect('rate limits over HTTP with two app instances', (dialect) => {
  let t: TestApp;
  let orm2: Orm;
  let second: { url: string; close(): Promise<void> };
  let proxied: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    t = await startTestApp(dialect, {
      env: { RATE_LIMIT_SIGNIN_PER_MINUTE: '4', RATE_LIMIT_UPLOAD_GRANTS_PER_MINUTE: '3' },
    });
    // A second instance: its own ORM and connection pool on the same database, the same clock.
    orm2 = await openOrm(t.config.database);
    second = await serve({ ...t.deps, orm: orm2 });
    proxied = await serve({
      ...t.deps,
      orm: orm2,
      config: { ...t.config, trustProxy: true, trustProxyHops: 1 },
    });
  });
  afterAll(async () => {
    await proxied?.close();
    await second?.close();
    await orm2?.close(true);
    await t?.close();
  });

  it('sign-in: the per-IP budget is shared by both instances, with Retry-After, until the window ends', async () => {
    t.clock.now = new Date(T0);
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const base = i % 2 ? second.url : t.url;
      statuses.push(await post(`${base}/api/auth/dingtalk`, { code: `bad-${i}` }));
    }
    expect(statuses.map((s) => s.status)).toEqual([401, 401, 401, 401, 429, 429]);
    expect(statuses[4].retryAfter).toBe('45');
    expect(statuses[4].body.error).toMatchObject({
      code: 'rate_limited',
      details: { retryAfterSeconds: 45 },
    });
    t.clock.advance(44_000);
    const stillLimited = await post(`${t.url}/api/auth/invitation`, { token: 'x' });
    expect([stillLimited.status, stillLimited.retryAfter]).toEqual([429, '1']);
    t.clock.advance(800);
    expect((await post(`${second.url}/api/auth/dingtalk`, { code: 'bad-next' })).status).toBe(401);
  });

  it('without TRUST_PROXY, X-Forwarded-For is ignored: every forged address shares the peer budget', async () => {
    t.clock.now = new Date(T0 + 10 * MINUTE);
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await post(`${t.url}/api/auth/dingtalk`, { code: 'x' }, { 'x-forwarded-for': `198.51.100.${i}` }))
          .status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });

  it('with TRUST_PROXY, the address the proxy appended is the subject, not what the client wrote', async () => {
    t.clock.now = new Date(T0 + 20 * MINUTE);
    const statuses = [];
    // The client forges a different leftmost entry each time; our proxy appends its real address.
    for (let i = 0; i < 5; i++)
      statuses.push(
        (
          await post(
            `${proxied.url}/api/auth/dingtalk`,
            { code: 'x' },
            { 'x-forwarded-for': `10.9.9.${i}, 198.51.100.7` },
          )
        ).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    // Another client behind the same proxy has its own budget.
    const other = await post(
      `${proxied.url}/api/auth/dingtalk`,
      { code: 'x' },
      { 'x-forwarded-for': '198.51.100.8' },
    );
    expect(other.status).toBe(401);
    const buckets = await query<{ bucket: string; hits: number }>(
      t.orm.em,
      "select bucket, hits from rate_limit_buckets where bucket like 'signin:ip:198.51.100.%' order by bucket",
    );
    expect(buckets.map((b) => [b.bucket, Number(b.hits)])).toEqual([
      ['signin:ip:198.51.100.7', 5],
      ['signin:ip:198.51.100.8', 1],
    ]);
  });

  it('upload grants are keyed by actor kind: an employee with a candidate’s id does not use up its budget', async () => {
    t.clock.now = new Date(T0 + 30 * MINUTE);
    const em = t.orm.em.fork();
    const employee = await em.findOneOrFail(User, { dingtalkUserId: 'hr01' });
    const candidate = await em.findOneOrFail(Candidate, { id: employee.id });
    const secret = t.config.session.secret;
    const tokenOf = async (kind: 'employee' | 'candidate', id: number) =>
      (await issueSessionToken(secret, { kind, id, invitationJobId: null }, 60, t.clock.now ?? new Date()))
        .token;
    const asEmployee = { authorization: `Bearer ${await tokenOf('employee', employee.id)}` };
    const asCandidate = { authorization: `Bearer ${await tokenOf('candidate', candidate.id)}` };
    const grant = { contentType: 'video/webm', bytes: 5000 };
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const base = i % 2 ? second.url : t.url;
      statuses.push((await post(`${base}/api/interview/answers/999999/grant`, grant, asEmployee)).status);
    }
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses[3]).toBe(429);
    const mine = await post(`${t.url}/api/interview/answers/999999/grant`, grant, asCandidate);
    expect(mine.status).not.toBe(429);
    const buckets = await query<{ bucket: string; hits: number }>(
      t.orm.em,
      "select bucket, hits from rate_limit_buckets where bucket like 'upload_grant:%' order by bucket",
    );
    expect(buckets.map((b) => [b.bucket, Number(b.hits)])).toEqual([
      [`upload_grant:candidate:${candidate.id}`, 1],
      [`upload_grant:employee:${employee.id}`, 4],
    ]);
  });
});
