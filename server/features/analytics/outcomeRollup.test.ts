import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutcomeValidityResponse } from '../../../shared/api/analytics';
import type { IApplication } from '../../kernel/db/entities/Application';
import { emTx } from '../../kernel/db/tx';
import { makeApplication, makeCandidate, makeDepartment, makeJob, makeReport } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { outcomeValidityFromSources } from '../../testing/outcomeValidityFromSources';
import { recomputedRollupRows, rollupRows } from '../../testing/rollups';
import { outcomeValidity } from './outcomes';
import type { Scope } from './queries';
import { correlation, correlationFromSums, type PairSums } from './stats';

/** mulberry32: the same mix of writes on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** r and its interval to 9 places: sums and centred sums round differently in the last bits. */
function rounded(v: OutcomeValidityResponse): unknown {
  return JSON.parse(JSON.stringify(v), (_k, x) => (typeof x === 'number' ? Math.round(x * 1e9) / 1e9 : x));
}

/** The sums a database would give of two lists. */
function sums(xs: number[], ys: number[]): PairSums {
  const add = (f: (i: number) => number) => xs.reduce((t, _, i) => t + f(i), 0);
  return {
    n: xs.length,
    sx: add((i) => xs[i]),
    sy: add((i) => ys[i]),
    sxx: add((i) => xs[i] ** 2),
    syy: add((i) => ys[i] ** 2),
    sxy: add((i) => xs[i] * ys[i]),
    xVaries: new Set(xs).size > 1,
    yVaries: new Set(ys).size > 1,
  };
}

describe('correlation from sums', () => {
  it('gives what the lists give: the fixture, the minimum n, no variation, a perfect line', () => {
    const x = [1, 2, 3, 4, 5];
    const y = [2, 4, 5, 4, 5];
    const c = correlationFromSums(sums(x, y), 5);
    expect(c.n).toBe(5);
    expect(c.r).toBeCloseTo(0.7745967, 6);
    expect(c.r).toBeCloseTo(correlation(x, y, 5).r as number, 12);
    expect(c.low).toBeCloseTo(correlation(x, y, 5).low as number, 12);
    expect(c.high).toBeCloseTo(correlation(x, y, 5).high as number, 12);
    expect(correlationFromSums(sums(x, y), 10)).toEqual({ n: 5, r: null, low: null, high: null });
    expect(correlationFromSums(sums(x, [1, 1, 1, 1, 1]), 4).r).toBeNull();
    expect(correlationFromSums(sums([7, 7, 7, 7], [1, 2, 3, 4]), 4).r).toBeNull();
    expect(correlationFromSums(sums([1, 2, 3, 4], [2, 4, 6, 8]), 4)).toEqual({ n: 4, r: 1, low: 1, high: 1 });
    expect(correlationFromSums(sums([1, 2, 3, 4], [8, 6, 4, 2]), 4)).toEqual({
      n: 4,
      r: -1,
      low: -1,
      high: -1,
    });
  });
});

const NAMES = ['沟通协作', '问题解决', '学习意愿', 'Teamwork', 'teamwork', 'overall'];

/**
 * The report-scores rollup (migration `analytics_report_scores`) after a random mix of every
 * write it depends on: reports inserted (retakes: a later one replaces the earlier), re-scored
 * (overall cleared or set, competencies renamed by case only, duplicated, given a string score or
 * no name), moved to another application, touched without a score change, deleted (the earlier
 * report counts again); and of what the report joins it with: applications hired and unhired,
 * outcomes synced and changed, self-identification given, changed and erased, applications moved
 * to another job or re-dated, an application erased. Every rollup row (the report scores, and
 * the outcome rows and sums with their min and max) must equal a recomputation from the source
 * tables, and the report must equal
 * the old in-Node computation from the source tables for HR, managers, a job, a source and dates.
 */
describeEachDialect('report-scores rollup', (dialect) => {
  let t: TestApp;
  const ids = { dA: 0, dB: 0, j1: 0 };
  let before: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
    const em = t.orm.em.fork();
    const tx = emTx(em);
    before = await rollupRows(em);
    const rnd = prng(dialect === 'mysql' ? 21 : 22);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const [dA, dB] = [await makeDepartment(em), await makeDepartment(em)];
    const jobs = [
      await makeJob(em, { department: dA }),
      await makeJob(em, { department: dA }),
      await makeJob(em, { department: dB }),
    ];
    Object.assign(ids, { dA: dA.id, dB: dB.id, j1: jobs[0].id });
    const apps: IApplication[] = [];
    for (let i = 0; i < 60; i++) {
      const c = await makeCandidate(em, { name: `效度-${i}` });
      c.source = pick(['referral', 'job_site', 'campus'] as const);
      const app = await makeApplication(em, { job: jobs[i % 3], candidate: c, stage: 'hired' });
      app.createdAt = new Date(Date.parse('2026-10-01T00:00:00Z') + i * 86_400_000);
      await em.flush();
      apps.push(app);
    }
    const score = () => Math.round(rnd() * 100);
    const competencies = () => {
      const list: Array<Record<string, unknown>> = [];
      for (const name of NAMES) if (rnd() < 0.6) list.push({ name, score: score(), evidence: [] });
      // The odd entries JavaScript skipped: a string score, no name, a second one of a name.
      if (rnd() < 0.15) list.push({ name: pick(NAMES), score: '80' });
      if (rnd() < 0.1) list.push({ score: 50 });
      if (rnd() < 0.2) list.push({ name: pick(NAMES), score: score() + 0.5 });
      return list;
    };
    const report = async () => {
      await makeReport(em, {
        application: pick(apps),
        overall: rnd() < 0.15 ? null : score(),
        competencies: competencies() as never,
      });
    };
    const someReport = async () => {
      const rows = await tx.all<{ id: number }>('select id from interview_reports order by id');
      return rows.length ? Number(pick(rows).id) : null;
    };
    const outcome = async (app: IApplication) => {
      const status = pick(['probation', 'regular', 'regular', 'left', 'left', 'not_found']);
      const passed = status === 'regular' ? 1 : status === 'left' ? pick([0, 0, 1, null]) : null;
      const grade = rnd() < 0.7 ? pick([1, 2, 3, 3.5, 4, 5]) : null;
      await tx.run('delete from hire_outcomes where application_id = ?', [app.id]);
      await tx.run(
        `insert into hire_outcomes (application_id, status, probation_passed, performance_score, synced_at)
         values (?, ?, ?, ?, ?)`,
        [app.id, status, passed, grade, tx.date(Date.now())],
      );
    };
    const demographics = async (app: IApplication) => {
      const categories = {
        ...(rnd() < 0.8 ? { sex: pick(['female', 'male']) } : {}),
        ...(rnd() < 0.5 ? { ageBand: pick(['under25', '25-34']) } : {}),
        ...(rnd() < 0.2 ? { disability: '' } : {}),
      };
      await tx.run('delete from demographic_self_ids where candidate_id = ?', [app.candidate.id]);
      await tx.run(
        'insert into demographic_self_ids (candidate_id, categories, updated_at) values (?, ?, ?)',
        [app.candidate.id, JSON.stringify(categories), tx.date(Date.now())],
      );
    };

    for (let i = 0; i < 80; i++) await report();
    for (const app of apps) if (rnd() < 0.85) await outcome(app);
    for (const app of apps) if (rnd() < 0.7) await demographics(app);
    const ops: Array<[number, () => Promise<unknown>]> = [
      [4, report],
      [
        3,
        async () => {
          const id = await someReport();
          if (id)
            await tx.run('update interview_reports set overall = ?, competencies = ? where id = ?', [
              rnd() < 0.2 ? null : score(),
              JSON.stringify(competencies()),
              id,
            ]);
        },
      ],
      [
        1,
        async () => {
          // A case-only rename: a different key, byte for byte.
          const id = await someReport();
          if (id)
            await tx.run('update interview_reports set competencies = ? where id = ?', [
              JSON.stringify([{ name: pick(['Teamwork', 'teamwork']), score: score() }]),
              id,
            ]);
        },
      ],
      [
        1,
        async () => {
          const id = await someReport();
          if (id)
            await tx.run('update interview_reports set application_id = ? where id = ?', [pick(apps).id, id]);
        },
      ],
      [
        1,
        async () => {
          const id = await someReport();
          if (id)
            await tx.run('update interview_reports set recommendation = ? where id = ?', ['advance', id]);
        },
      ],
      [
        2,
        async () => {
          const id = await someReport();
          if (id) await tx.run('delete from interview_reports where id = ?', [id]);
        },
      ],
      [
        1,
        async () => {
          await tx.run('update applications set stage = ? where id = ?', [
            pick(['hired', 'in_review', 'rejected']),
            pick(apps).id,
          ]);
        },
      ],
      [2, () => outcome(pick(apps))],
      [1, () => demographics(pick(apps))],
      [
        1,
        async () => {
          // Erasure of the self-identification alone.
          await tx.run('delete from demographic_self_ids where candidate_id = ?', [pick(apps).candidate.id]);
        },
      ],
      [
        1,
        async () => {
          // Moved to another job (and so maybe another department), or re-dated.
          const app = pick(apps);
          if (rnd() < 0.5)
            await tx.run('update applications set job_id = ? where id = ?', [pick(jobs).id, app.id]);
          else
            await tx.run('update applications set created_at = ? where id = ?', [
              tx.date(Date.parse('2026-10-01T00:00:00Z') + Math.floor(rnd() * 60) * 86_400_000),
              app.id,
            ]);
        },
      ],
    ];
    const total = ops.reduce((s, [w]) => s + w, 0);
    for (let i = 0; i < 120; i++) {
      let x = rnd() * total;
      for (const [w, op] of ops) {
        x -= w;
        if (x < 0) {
          await op();
          break;
        }
      }
    }
    // An application erased with its reports (privacy): its scores go with them.
    const gone = apps.find((a) => a !== apps[0]) as IApplication;
    await makeReport(em, { application: gone, overall: 77 });
    for (const table of ['interview_reports', 'hire_outcomes'])
      await tx.run(`delete from ${table} where application_id = ?`, [gone.id]);
    await tx.run('delete from applications where id = ?', [gone.id]);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('keeps every rollup row equal to a recomputation from the source tables', async () => {
    const em = t.orm.em.fork();
    const rows = await rollupRows(em);
    expect(rows).toEqual(await recomputedRollupRows(em, dialect));
    // Not vacuous: scores of many applications, both case variants, half points.
    const mine = rows.filter((r) => r.startsWith('scores|'));
    expect(mine.length).toBeGreaterThan(40);
    expect(mine.some((r) => r.includes('|Teamwork|')) && mine.some((r) => r.includes('|teamwork|'))).toBe(
      true,
    );
    expect(mine.some((r) => r.endsWith('.5'))).toBe(true);
    // The outcome sums: every grain, categories among them, outcomes known and unknown.
    const sums = rows.filter((r) => r.startsWith('outcomeSums|'));
    for (const grain of ['all', 'job', 'day'])
      expect(sums.some((r) => r.startsWith(`outcomeSums|${grain}|`))).toBe(true);
    expect(sums.some((r) => r.includes('|sex|female|'))).toBe(true);
    expect(sums.some((r) => r.includes('|ageBand|'))).toBe(true);
    expect(rows.filter((r) => r.startsWith('outcomes|')).length).toBeGreaterThan(100);
    expect(rows).not.toEqual(before);
    // The recomputation runs every rebuild with the triggers on (in a rolled-back transaction):
    // the report scores' rebuild refreshes each hire's outcome rows, seconds on a loaded MariaDB.
  }, 120_000);

  it('answers every scope as the in-Node computation from the source tables did', async () => {
    const em = () => t.orm.em.fork();
    const scopes: Array<[string, Scope]> = [
      ['HR all', { filters: {}, departmentIds: null }],
      ['HR source', { filters: { source: 'campus' }, departmentIds: null }],
      ['manager A', { filters: {}, departmentIds: [ids.dA] }],
      ['no department', { filters: {}, departmentIds: [] }],
      ['department B filter', { filters: { departmentId: ids.dB }, departmentIds: null }],
      ['one job', { filters: { jobId: ids.j1 }, departmentIds: null }],
      ['date range', { filters: { from: '2026-10-03', to: '2026-10-15' }, departmentIds: null }],
    ];
    for (const [name, scope] of scopes)
      for (const groups of [true, false]) {
        const opts = { minN: 4, groups };
        expect(rounded(await outcomeValidity(em(), scope, opts)), `${name} ${groups}`).toEqual(
          rounded(await outcomeValidityFromSources(em(), scope, opts)),
        );
      }
    // Not vacuous: correlations shown, several groups, every outcome kind counted.
    const all = await outcomeValidity(em(), { filters: {}, departmentIds: null }, { minN: 4, groups: true });
    expect(
      all.items.filter((i) => i.probation.r !== null && i.performance.r !== null).length,
    ).toBeGreaterThan(2);
    expect(all.items.map((i) => i.competency)).toContain('teamwork');
    expect(all.groups?.length).toBeGreaterThan(2);
    expect(
      all.groups?.some((g) => g.items.some((i) => i.probation.r !== null || i.performance.r !== null)),
    ).toBe(true);
    expect(all.outcomes.left + all.outcomes.regular + all.outcomes.probation).toBeGreaterThan(5);
  });
});
