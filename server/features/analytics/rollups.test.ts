import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateSource } from '../../../shared/api/candidates';
import type { TransitionName } from '../../../shared/pipeline';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Department } from '../../kernel/db/entities/Department';
import { makeApplication, makeCandidate, makeDepartment, makeJob } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { transition, type WorkflowActor } from '../workflow';
import { aiValidity, funnel, type Scope, sources, times } from './queries';
import { durationBucket, durationStats, histogramStats } from './stats';

const H = 3_600_000;
const MIN = 60_000;

describe('duration histogram', () => {
  it('rounds down to 1 min / 10 min / 1 h / 10 h and keeps whole hours below 1,000 h', () => {
    expect(durationBucket(59 * 1000)).toBe(0);
    expect(durationBucket(7 * MIN + 59_999)).toBe(7 * MIN);
    expect(durationBucket(10 * H + 9 * MIN)).toBe(10 * H);
    expect(durationBucket(10 * H + 19 * MIN)).toBe(10 * H + 10 * MIN);
    expect(durationBucket(100 * H + 59 * MIN)).toBe(100 * H);
    expect(durationBucket(999 * H)).toBe(999 * H);
    expect(durationBucket(1_019 * H)).toBe(1_010 * H);
    for (const h of [1, 7, 12, 24, 124, 148, 176, 500]) expect(durationBucket(h * H)).toBe(h * H);
  });

  it('gives the same median and p90 as the expanded list', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 1; n <= 40; n++) {
      const values = Array.from({ length: n }, () => durationBucket(Math.floor(rnd() * 300 * H)));
      const h = new Map<number, number>();
      for (const v of values) h.set(v, (h.get(v) ?? 0) + 1);
      expect(histogramStats(h)).toEqual(durationStats(values));
    }
    expect(histogramStats(new Map())).toEqual({ n: 0, medianMs: null, p90Ms: null });
  });
});

/**
 * The rollups (kept by triggers) must give exactly what the source tables give, after every kind
 * of write they summarise: applications created, moved, re-dated, scored, re-scored, unscored,
 * re-sourced and deleted. Each dashboard query is run for scopes every grain answers, read from
 * the rollup and (raw) from the source tables.
 */
describeEachDialect('analytics rollups', (dialect) => {
  let t: TestApp;
  const T0 = Date.parse('2026-10-01T00:00:00Z');
  const at = (h: number) => new Date(T0 + h * H);
  const ids = { dA: 0, dB: 0, j1: 0 };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    const [dA, dB] = [await makeDepartment(em), await makeDepartment(em)];
    const jobs = [
      await makeJob(em, { department: dA }),
      await makeJob(em, { department: dA }),
      await makeJob(em, { department: dB }),
    ];
    Object.assign(ids, { dA: dA.id, dB: dB.id, j1: jobs[0].id });
    const HR: WorkflowActor = { by: 'hr', person: { kind: 'employee', id: 1 } };
    const SYS: WorkflowActor = { by: 'system', person: null };
    const sourcesList: CandidateSource[] = ['referral', 'job_site', 'campus', 'other'];
    const paths: Array<Array<[TransitionName, number]>> = [
      [],
      [['submit', 3]],
      [
        ['submit', 2],
        ['score', 2.5],
        ['review', 3],
        ['reject', 30],
      ],
      [
        ['submit', 1],
        ['score', 1.2],
        ['review', 2],
        ['advance_second_round', 20],
        ['book_second_round', 26],
        ['complete_second_round', 70],
        ['request_offer', 75],
        ['send_offer', 80],
        ['accept_offer', 90],
        ['onboard', 91],
        ['hire', 200],
      ],
    ];
    const appIds: number[] = [];
    const candidateIds: number[] = [];
    for (let i = 0; i < 24; i++) {
      const c = await makeCandidate(em, { name: `汇总-${i}` });
      c.source = sourcesList[i % sourcesList.length];
      const app = await makeApplication(em, { job: jobs[i % 3], candidate: c });
      // Spread over ten days (Shanghai days), at odd minutes so buckets differ.
      const created = i * 10 + (i % 5) * 0.37;
      app.createdAt = at(created);
      app.stageChangedAt = at(created);
      if (i % 4)
        em.create(ApplicationReview, {
          application: app,
          overall: 35 + i * 3,
          suggestion: 'review',
          reason: 'x',
        });
      await em.flush();
      appIds.push(app.id);
      candidateIds.push(c.id);
      for (const [name, h] of paths[i % paths.length]) {
        const actor =
          name === 'send_offer'
            ? { by: 'approver' as const, person: null, dingtalkUserId: 'a' }
            : ['advance_second_round', 'reject', 'request_offer', 'hire'].includes(name)
              ? HR
              : name === 'accept_offer'
                ? { by: 'candidate' as const, person: { kind: 'candidate' as const, id: c.id } }
                : SYS;
        await t.orm.em.fork().transactional((tx) =>
          transition(tx, {
            applicationId: app.id,
            name,
            actor,
            reason: 'test',
            now: at(created + h + i / 7),
          }),
        );
      }
    }
    // Later writes the rollups must follow: a re-score across a band, a score removed, a score
    // added late, a candidate's source corrected, and an application deleted.
    const em2 = t.orm.em.fork();
    const r1 = await em2.findOneOrFail(ApplicationReview, { application: appIds[1] });
    r1.overall = 95;
    const r2 = await em2.findOneOrFail(ApplicationReview, { application: appIds[2] });
    r2.overall = null;
    em2.create(ApplicationReview, {
      application: appIds[4],
      overall: 81,
      suggestion: 'pass',
      reason: 'late',
    });
    const c3 = await em2.findOneOrFail(Candidate, { id: candidateIds[3] });
    c3.source = 'dingtalk_recruit';
    await em2.flush();
    await em2.execute('delete from application_reviews where application_id = ?', [appIds[8]]);
    await em2.execute('delete from applications where id = ?', [appIds[8]]);
    // A job moved from department A to B after its history: its stays and hires move with it.
    await em2.execute('update jobs set department_id = ? where id = ?', [dB.id, jobs[1].id]);
    // One more event after the move lands in the job's new department.
    await t.orm.em
      .fork()
      .transactional((tx) =>
        transition(tx, { applicationId: appIds[1], name: 'score', actor: SYS, reason: 'test', now: at(390) }),
      );
  });

  afterAll(async () => {
    await t?.close();
  });

  const scopes = (): Array<[string, Scope]> => [
    ['HR all', { filters: {}, departmentIds: null }],
    ['HR source', { filters: { source: 'referral' }, departmentIds: null }],
    ['manager A', { filters: {}, departmentIds: [ids.dA] }],
    ['department B', { filters: { departmentId: ids.dB }, departmentIds: null }],
    ['one job, campus', { filters: { jobId: ids.j1, source: 'campus' }, departmentIds: null }],
    ['date range', { filters: { from: '2026-10-03', to: '2026-10-07' }, departmentIds: null }],
    ['from a date, a source', { filters: { from: '2026-10-05', source: 'campus' }, departmentIds: null }],
    ['manager A, date range', { filters: { to: '2026-10-06' }, departmentIds: [ids.dA] }],
  ];

  it('rollups equal the source tables for every query and scope', async () => {
    const now = at(400);
    let rolledRows = 0;
    for (const [name, scope] of scopes()) {
      const raw = { ...scope, raw: true };
      const em = () => t.orm.em.fork();
      expect(await funnel(em(), scope), name).toEqual(await funnel(em(), raw));
      expect(await times(em(), scope, now), name).toEqual(await times(em(), raw, now));
      expect(await sources(em(), scope), name).toEqual(await sources(em(), raw));
      expect(await aiValidity(em(), scope), name).toEqual(await aiValidity(em(), raw));
      rolledRows += (await funnel(em(), scope)).overall.applications;
    }
    // Not vacuous: the fixture is there (23 applications after the delete; 6 hired), and the
    // rollup path was taken (no raw flag) for the scopes above.
    const mine: Scope = { filters: {}, departmentIds: [ids.dA, ids.dB] };
    expect((await funnel(t.orm.em.fork(), mine)).overall.applications).toBe(23);
    expect((await times(t.orm.em.fork(), mine, now)).timeToHire.n).toBe(6);
    expect(rolledRows).toBeGreaterThan(23);
  });

  it('keeps the department grain equal to its jobs after events, a source change, a job move and a job deletion', async () => {
    // A job whose application moved once and was then removed, and then the job itself: its
    // events stay (facts), but the deleted job's rows leave its department.
    const em = t.orm.em.fork();
    const gone = await makeJob(em, {
      department: await em.findOneOrFail(Department, ids.dA),
      questions: false,
    });
    const app = await makeApplication(em, {
      job: gone,
      candidate: await makeCandidate(em, { name: '汇总-删' }),
    });
    app.createdAt = at(390);
    app.stageChangedAt = at(390);
    await em.flush();
    await t.orm.em.fork().transactional((tx) =>
      transition(tx, {
        applicationId: app.id,
        name: 'submit',
        actor: { by: 'system', person: null },
        reason: 'test',
        now: at(395),
      }),
    );
    const before = await t.orm.em
      .fork()
      .execute<Array<{ n: number | string }>>(
        `select sum(n) as n from analytics_durations where grain = 'dep' and job_id = ?`,
        [ids.dA],
      );
    await em.execute('delete from applications where id = ?', [app.id]);
    await em.execute('delete from jobs where id = ?', [gone.id]);
    const after = await t.orm.em
      .fork()
      .execute<Array<{ n: number | string }>>(
        `select sum(n) as n from analytics_durations where grain = 'dep' and job_id = ?`,
        [ids.dA],
      );
    expect(Number(after[0].n)).toBe(Number(before[0].n) - 1);
    const sums = (sql: string) =>
      t.orm.em
        .fork()
        .execute<Array<{ d: number; s: string; st: string; b: number | string; n: number | string }>>(sql)
        .then((rows) =>
          rows
            .filter((r) => Number(r.n) !== 0)
            .map((r) => `${r.d}|${r.s}|${r.st}|${Number(r.b)}|${Number(r.n)}`)
            .sort(),
        );
    const dep = await sums(
      `select job_id as d, source as s, stage as st, bucket as b, sum(n) as n from analytics_durations
        where grain = 'dep' group by job_id, source, stage, bucket`,
    );
    const jobs = await sums(
      `select j.department_id as d, r.source as s, r.stage as st, r.bucket as b, sum(r.n) as n
         from analytics_durations r join jobs j on j.id = r.job_id
        where r.grain = 'job' group by j.department_id, r.source, r.stage, r.bucket`,
    );
    expect(dep.length).toBeGreaterThan(10);
    expect(dep).toEqual(jobs);
    // Department B now has the moved job's history (its hires included).
    expect(dep.some((k) => k.startsWith(`${ids.dB}|`) && k.includes('|@hire|'))).toBe(true);
  });
});
