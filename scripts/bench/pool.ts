/**
 * `npm run bench -- pool [--pooled=5000] [--runs=20] [--dialect=mysql|sqlite]`
 *
 * The talent-pool listing (issue 18) on a fresh migrated database (MariaDB at MYSQL_URL, or a
 * SQLite file) holding `pooled` pooled candidates with parsed résumés (one in ten shares a mobile
 * with the one before, so there are merged entries). Baseline in the same run: the listing as it
 * was before, every pooled résumé read and grouped in memory, then the first 50 kept. Measured:
 * building the stored groups once (what the first read after the migration does), then the first
 * page of 50, a page deep in the pool (by cursor), and a text search, `runs` times each after a
 * warm-up, each on a fresh EntityManager: p50/p95 in milliseconds.
 */

import { rebuildPool } from '../../server/features/resumes/poolGroups';
import { poolPage } from '../../server/features/resumes/poolListing';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { Resume } from '../../server/kernel/db/entities/Resume';
import { type Em, openOrm } from '../../server/kernel/db/orm';
import { createTestDatabase, migrateDb } from '../../server/testing/harness';
import { inMemoryPoolGroups } from '../../server/testing/poolInMemory';
import { parseResume } from '../../shared/resumes/parse';

const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;

/** The listing before issue 18: every pooled résumé read, grouped in memory, first `limit` kept. */
async function inMemoryListing(em: Em, now: Date, q: string, limit: number) {
  const { latest, groups } = await inMemoryPoolGroups(em, now);
  const needle = q.toLowerCase();
  return groups
    .filter((g) => g.ids.some((id) => (latest.get(id)?.text ?? '').toLowerCase().includes(needle)))
    .slice(0, limit);
}

async function time(runs: number, fn: () => Promise<unknown>) {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] * 10) / 10;
  return { p50: at(0.5), p95: at(0.95) };
}

/** Runs the benchmark and prints a JSON line and a table. */
export async function run(): Promise<void> {
  const pooled = Number(arg('pooled', '5000'));
  const runs = Number(arg('runs', '20'));
  const dialect = arg('dialect', 'mysql') as 'mysql' | 'sqlite';
  const { db, drop } = await createTestDatabase(dialect);
  const orm = await openOrm(db);
  try {
    await migrateDb(orm);
    const now = new Date();
    const until = new Date(now.getTime() + 86_400_000);
    for (let start = 0; start < pooled; start += 500) {
      const em = orm.em.fork();
      const n = Math.min(500, pooled - start);
      const people = Array.from({ length: n }, (_, k) => {
        const i = start + k;
        const mobile = `139${String(i % 10 === 9 ? i - 1 : i).padStart(8, '0')}`;
        return { name: `池${i}`, mobile };
      });
      for (const p of people) {
        const c = em.create(Candidate, { name: p.name });
        const text = `${p.name}\n手机：${p.mobile}\n教育经历\n2015-2019 浙江大学 计算机科学 本科\n技能：Go、Rust、MySQL\n工作经历\n2019-2024 某科技公司 后端工程师 负责交易系统\n`;
        em.create(Resume, {
          candidate: c,
          fileName: 'cv.pdf',
          kind: 'pdf',
          size: 1,
          status: 'parsed',
          text,
          profile: parseResume(text).profile,
          consentAt: now,
          consentBasis: 'candidate',
          poolUntil: until,
        });
      }
      await em.flush();
    }
    const t0 = performance.now();
    const members = await rebuildPool(orm.em.fork(), now);
    const buildMs = Math.round(performance.now() - t0);
    const base = { q: '', skill: '', tag: [] as string[], limit: 50 };
    const deep = (await poolPage(orm.em.fork(), { ...base, limit: 100 }, now)).nextCursor;
    const results = {
      before_first50: await time(runs, () => inMemoryListing(orm.em.fork(), now, '', 50)),
      before_search: await time(runs, () => inMemoryListing(orm.em.fork(), now, '池4999', 50)),
      after_first50: await time(runs, () => poolPage(orm.em.fork(), base, now)),
      after_page2: await time(runs, () =>
        poolPage(orm.em.fork(), { ...base, cursor: deep ?? undefined }, now),
      ),
      after_search: await time(runs, () => poolPage(orm.em.fork(), { ...base, q: '池4999' }, now)),
    };
    console.log(JSON.stringify({ bench: 'pool', dialect, pooled, members, runs, buildMs, results }));
    console.table(results);
  } finally {
    await orm.close(true);
    await drop();
  }
}
