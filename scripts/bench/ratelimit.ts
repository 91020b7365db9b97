/**
 * `npm run bench -- ratelimit [--n=3000] [--concurrency=50] [--sqlite]`
 *
 * What a database-held rate limit adds to a limited request: latency of one counted hit
 * (`countHit`, one upsert) against the baseline of the cheapest round trip on the same pool
 * (`select 1`), measured in the same run. Sequential (latency) and `concurrency` in flight
 * (throughput), on a fresh bucket per hit (insert path) and on one hot bucket (update path,
 * every hit on the same row). MariaDB at MYSQL_URL by default; `--sqlite` for the embedded file.
 */

import { openOrm } from '../../server/kernel/db/orm';
import { query } from '../../server/kernel/db/tx';
import { countHit, type RateLimitRule } from '../../server/kernel/http/rateLimit';
import { createTestDatabase, migrateDb } from '../../server/testing/harness';
import { arg, percentile, report } from './report';

/** Runs `op(i)` n times with `concurrency` in flight; returns per-call ms and wall time. */
async function measure(n: number, concurrency: number, op: (i: number) => Promise<unknown>) {
  const ms: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        await op(i);
        ms.push(performance.now() - t);
      }
    }),
  );
  return { ms, wallMs: performance.now() - started };
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const n = arg(args, 'n', 3000);
  const concurrency = arg(args, 'concurrency', 50);
  const dialect = args.includes('--sqlite') ? 'sqlite' : 'mysql';
  if (dialect === 'mysql') process.env.MYSQL_URL ??= 'mysql://root@127.0.0.1:3306/test';
  const { db, drop } = await createTestDatabase(dialect);
  const orm = await openOrm(db);
  try {
    await migrateDb(orm);
    const em = orm.em;
    // A budget nobody reaches: the benchmark measures counting, not refusing.
    const rule: RateLimitRule = { name: 'bench', limit: 1_000_000_000, windowMs: 3_600_000 };
    const now = Date.now();
    let run = 0;
    const cases: Array<[string, (i: number) => Promise<unknown>]> = [
      ['baseline: select 1', () => query(em, 'select 1 as ok')],
      ['countHit, new bucket each hit (insert)', (i) => countHit(em, rule, `ip:run${run}:${i}`, now)],
      ['countHit, one hot bucket (update)', () => countHit(em, rule, `candidate:hot${run}`, now)],
    ];
    // Warm the pool and the table before timing.
    await measure(200, concurrency, (i) => countHit(em, rule, `ip:warm:${i}`, now));
    const rows: Array<Record<string, string | number>> = [];
    for (const inFlight of [1, concurrency]) {
      for (const [name, op] of cases) {
        run++;
        const { ms, wallMs } = await measure(n, inFlight, op);
        rows.push({
          case: name,
          inFlight,
          p50ms: +percentile(ms, 50).toFixed(3),
          p99ms: +percentile(ms, 99).toFixed(3),
          perSecond: Math.round((n / wallMs) * 1000),
        });
      }
    }
    const base = (inFlight: number) =>
      rows.find((r) => r.inFlight === inFlight && String(r.case).startsWith('baseline')) ?? {};
    for (const r of rows)
      r.addedP50ms = +(Number(r.p50ms) - Number(base(Number(r.inFlight)).p50ms)).toFixed(3);
    report('ratelimit', rows, { dialect, n, concurrency });
  } finally {
    await orm.close(true);
    await drop();
  }
}
