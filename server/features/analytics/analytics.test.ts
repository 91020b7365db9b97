import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateSource } from '../../../shared/api/candidates';
import type { TransitionName } from '../../../shared/pipeline';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { ApplicationStageEvent } from '../../kernel/db/entities/ApplicationStageEvent';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import type { IJob } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { sessionToken } from '../../testing/booking';
import {
  makeApplication,
  makeCandidate,
  makeDepartment,
  makeEmployee,
  makeJob,
} from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { transition, type WorkflowActor } from '../workflow';
import { enqueueWeeklyDigests } from './digest';
import { durationStats, rate } from './stats';

const H = 3_600_000;
/** The fixture's clock: hour 0 is 2026-10-01 00:00 UTC (08:00 in Shanghai, day 2026-10-01). */
const T0 = Date.parse('2026-10-01T00:00:00Z');
const at = (h: number) => new Date(T0 + h * H);

describe('durationStats and rate', () => {
  it('median averages the middle pair; p90 is the nearest rank', () => {
    expect(durationStats([])).toEqual({ n: 0, medianMs: null, p90Ms: null });
    expect(durationStats([5])).toEqual({ n: 1, medianMs: 5, p90Ms: 5 });
    expect(durationStats([20, 2, 10, 6, 5])).toEqual({ n: 5, medianMs: 6, p90Ms: 20 });
    expect(durationStats([12, 24, 30, 24])).toEqual({ n: 4, medianMs: 24, p90Ms: 30 });
    // 10 values: p90 is the 9th smallest, not the largest.
    expect(durationStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]).p90Ms).toBe(9);
    expect(rate(1, 0)).toBeNull();
    expect(rate(3, 9, 10)).toBeNull();
    expect(rate(3, 12, 10)).toBe(0.25);
  });
});

/**
 * A hand-built history, moved through the real `transition` (so the stage events are the ones
 * production writes). Department A: jobs J1 and J2, six applications; department B: one more
 * (out of a manager of A's sight); department C: twelve low scores for the AI validity rates.
 * Every figure below was worked out by hand from these paths (hours from T0).
 */
describeEachDialect('hiring analytics', (dialect) => {
  let t: TestApp;
  let hr: string;
  let manager: string;
  let interviewer: string;
  let candidate: string;
  const ids = {} as Record<'dA' | 'dB' | 'dC' | 'j1' | 'j2' | 'j3' | 'j4', number>;

  const hrActor = (id: number): WorkflowActor => ({ by: 'hr', person: { kind: 'employee', id } });
  const SYSTEM: WorkflowActor = { by: 'system', person: null };
  const APPROVER: WorkflowActor = { by: 'approver', person: null, dingtalkUserId: 'approver-1' };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    const [dA, dB, dC] = [await makeDepartment(em), await makeDepartment(em), await makeDepartment(em)];
    const hrUser = await makeEmployee(em, 'hr');
    const mgr = await makeEmployee(em, 'manager', { department: dA });
    const int = await makeEmployee(em, 'interviewer', { department: dA });
    const [j1, j2] = [await makeJob(em, { department: dA }), await makeJob(em, { department: dA })];
    const j3 = await makeJob(em, { department: dB });
    const j4 = await makeJob(em, { department: dC });
    Object.assign(ids, { dA: dA.id, dB: dB.id, dC: dC.id, j1: j1.id, j2: j2.id, j3: j3.id, j4: j4.id });
    const CAND: WorkflowActor = { by: 'candidate', person: { kind: 'candidate', id: 0 } };
    const hrA = hrActor(hrUser.id);

    /** An application created at hour `created` from `source`, moved along `path`. */
    const make = async (
      job: IJob,
      source: CandidateSource,
      created: number,
      path: Array<[TransitionName, number]>,
      overall?: number,
    ) => {
      const c = await makeCandidate(em, { name: `分析-${source}-${created}`, mobile: '13800000000' });
      c.source = source;
      const app = await makeApplication(em, { job, candidate: c });
      app.createdAt = at(created);
      app.stageChangedAt = at(created);
      if (overall !== undefined)
        em.create(ApplicationReview, { application: app, overall, suggestion: 'review', reason: 'x' });
      await em.flush();
      for (const [name, h] of path) {
        const actor =
          name === 'send_offer' || name === 'offer_refused'
            ? APPROVER
            : ['advance_second_round', 'reject', 'request_offer', 'hire'].includes(name)
              ? hrA
              : ['accept_offer', 'withdraw'].includes(name)
                ? { ...CAND, person: { kind: 'candidate' as const, id: c.id } }
                : SYSTEM;
        await t.orm.em
          .fork()
          .transactional((tx) =>
            transition(tx, { applicationId: app.id, name, actor, reason: 'test', now: at(h) }),
          );
      }
      return app;
    };
    const toOffer = (h: number[]): Array<[TransitionName, number]> => [
      ['advance_second_round', h[0]],
      ['book_second_round', h[1]],
      ['complete_second_round', h[2]],
      ['request_offer', h[3]],
    ];
    // a1 J1 referral, hired.
    await make(
      j1,
      'referral',
      0,
      [
        ['submit', 10],
        ['score', 12],
        ['review', 14],
        ...toOffer([38, 40, 50, 60]),
        ['send_offer', 70],
        ['accept_offer', 80],
        ['onboard', 90],
        ['hire', 100],
      ],
      85,
    );
    // a2 J1 referral, rejected in review.
    await make(
      j1,
      'referral',
      0,
      [
        ['submit', 20],
        ['score', 22],
        ['review', 24],
        ['reject', 48],
      ],
      82,
    );
    // a3 J1 job_site, advanced then withdrew.
    await make(
      j1,
      'job_site',
      24,
      [
        ['submit', 30],
        ['score', 32],
        ['review', 36],
        ['advance_second_round', 66],
        ['withdraw', 70],
      ],
      65,
    );
    // a4 J1 job_site, still invited.
    await make(j1, 'job_site', 24, []);
    // a5 J2 campus, person-only (no score), offer refused once, hired.
    await make(j2, 'campus', 0, [
      ['submit', 5],
      ['review', 8],
      ...toOffer([20, 21, 30, 40]),
      ['offer_refused', 45],
      ['request_offer', 50],
      ['send_offer', 55],
      ['accept_offer', 60],
      ['onboard', 61],
      ['hire', 148],
    ]);
    // a6 J2 campus, scored 40, waiting.
    await make(
      j2,
      'campus',
      48,
      [
        ['submit', 50],
        ['score', 51],
      ],
      40,
    );
    // a7 J3 (department B) referral, rejected.
    await make(
      j3,
      'referral',
      0,
      [
        ['submit', 2],
        ['score', 3],
        ['review', 4],
        ['reject', 5],
      ],
      90,
    );
    // Department C: twelve scores of 50; three advanced, nine rejected in review.
    for (let i = 0; i < 12; i++)
      await make(
        j4,
        'other',
        0,
        [
          ['submit', 1],
          ['score', 2],
          ['review', 3],
          [i < 3 ? 'advance_second_round' : 'reject', 4],
        ],
        50,
      );
    t.clock.now = at(200);
    hr = await sessionToken(t, 'employee', hrUser.id);
    manager = await sessionToken(t, 'employee', mgr.id);
    interviewer = await sessionToken(t, 'employee', int.id);
    candidate = await sessionToken(t, 'candidate', (await makeCandidate(em)).id);
  }, 120_000);
  afterAll(async () => t?.close());

  const get = (path: string, token = hr) => t.api('GET', `/api/analytics/${path}`, { token });

  it('every transition writes its stage event in the same transaction, with who and since when', async () => {
    const em = t.orm.em.fork();
    const events = await em.find(ApplicationStageEvent, { jobId: ids.j2 }, { orderBy: { id: 'asc' } });
    const hired = events.find((e) => e.toStage === 'hired');
    expect(hired).toMatchObject({ fromStage: 'onboarding', transition: 'hire', actorKind: 'employee' });
    expect(hired?.at.toISOString()).toBe(at(148).toISOString());
    expect(hired?.fromSince?.toISOString()).toBe(at(61).toISOString());
    // a5 went through 12 transitions, a6 through 2.
    expect(events).toHaveLength(14);
    // A refused transition writes nothing.
    const before = await em.count(ApplicationStageEvent, {});
    const app = await makeApplication(em, { stage: 'invited' });
    await expect(
      t.orm.em
        .fork()
        .transactional((tx) =>
          transition(tx, { applicationId: app.id, name: 'hire', actor: hrActor(1), reason: 'x' }),
        ),
    ).rejects.toThrow();
    expect(await em.count(ApplicationStageEvent, {})).toBe(before);
  });

  it('funnel overall and per job: reached (or passed) each step, conversions, current stages', async () => {
    const r = await get(`funnel?departmentId=${ids.dA}`);
    expect(r.status).toBe(200);
    const reached = (f: { steps: Array<{ reached: number }> }) => f.steps.map((s) => s.reached);
    expect(r.body.overall.applications).toBe(6);
    expect(reached(r.body.overall)).toEqual([6, 5, 4, 3, 2, 2, 2, 2, 2]);
    expect(r.body.overall.steps.map((s: { conversion: number | null }) => s.conversion)).toEqual([
      null,
      5 / 6,
      4 / 5,
      3 / 4,
      2 / 3,
      1,
      1,
      1,
      1,
    ]);
    expect(r.body.overall.current).toMatchObject({
      hired: 2,
      rejected: 1,
      withdrawn: 1,
      invited: 1,
      scored: 1,
      in_review: 0,
    });
    expect(r.body.jobs.map((j: { jobId: number }) => j.jobId)).toEqual([ids.j1, ids.j2]);
    expect(reached(r.body.jobs[0])).toEqual([4, 3, 3, 2, 1, 1, 1, 1, 1]);
    expect(reached(r.body.jobs[1])).toEqual([2, 2, 1, 1, 1, 1, 1, 1, 1]);
    // Filters: one job; a source; a date range (created on 2026-10-02 Shanghai: a3 and a4).
    expect(reached((await get(`funnel?jobId=${ids.j2}`)).body.overall)).toEqual([2, 2, 1, 1, 1, 1, 1, 1, 1]);
    expect(reached((await get(`funnel?departmentId=${ids.dA}&source=referral`)).body.overall)).toEqual([
      2, 2, 2, 1, 1, 1, 1, 1, 1,
    ]);
    const oct2 = await get(`funnel?departmentId=${ids.dA}&from=2026-10-02&to=2026-10-02`);
    expect(reached(oct2.body.overall)).toEqual([2, 1, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('time in each stage and time to hire: median and p90 of the hand-computed stays', async () => {
    const r = await get(`times?departmentId=${ids.dA}`);
    expect(r.status).toBe(200);
    const h = (x: number | null) => (x === null ? null : x / H);
    const stages = Object.fromEntries(
      r.body.stages.map((s: { stage: string; n: number; medianMs: number; p90Ms: number }) => [
        s.stage,
        [s.n, h(s.medianMs), h(s.p90Ms)],
      ]),
    );
    expect(stages).toEqual({
      invited: [5, 6, 20],
      submitted: [5, 2, 3],
      scored: [3, 2, 4],
      in_review: [4, 24, 30],
      second_round: [3, 2, 4],
      second_round_booked: [2, 9.5, 10],
      second_round_done: [3, 10, 10],
      offer_approval: [3, 5, 10],
      offer_sent: [2, 7.5, 10],
      accepted: [2, 5.5, 10],
      onboarding: [2, 48.5, 87],
    });
    expect(r.body.timeToHire).toEqual({ n: 2, medianMs: 124 * H, p90Ms: 148 * H });
    // Waiting now (clock at hour 200): a4 invited since 24, a6 scored since 51.
    expect(r.body.waiting).toEqual([
      { stage: 'invited', n: 1, medianMs: 176 * H, p90Ms: 176 * H },
      { stage: 'scored', n: 1, medianMs: 149 * H, p90Ms: 149 * H },
    ]);
  });

  it('source effectiveness: applicants, reach and rate per step, hires, time to hire', async () => {
    const r = await get(`sources?departmentId=${ids.dA}`);
    expect(r.status).toBe(200);
    const by = Object.fromEntries(r.body.items.map((i: { source: string }) => [i.source, i]));
    expect(Object.keys(by)).toEqual(['referral', 'job_site', 'campus', 'dingtalk_recruit', 'other']);
    const reached = (s: string) => by[s].steps.map((x: { reached: number }) => x.reached);
    expect(by.referral).toMatchObject({ applicants: 2, hires: 1 });
    expect(reached('referral')).toEqual([2, 2, 2, 1, 1, 1, 1, 1, 1]);
    expect(by.referral.steps[3].rate).toBe(0.5);
    expect(by.referral.timeToHire).toEqual({ n: 1, medianMs: 100 * H, p90Ms: 100 * H });
    expect(reached('job_site')).toEqual([2, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(by.job_site).toMatchObject({ applicants: 2, hires: 0, timeToHire: { n: 0, medianMs: null } });
    expect(reached('campus')).toEqual([2, 2, 1, 1, 1, 1, 1, 1, 1]);
    expect(by.campus.timeToHire.medianMs).toBe(148 * H);
    expect(by.other).toMatchObject({ applicants: 0, hires: 0 });
    expect(by.other.steps[0].rate).toBeNull();
  });

  it('AI validity: counts per band, and no rate below the minimum n', async () => {
    const a = await get(`ai-validity?departmentId=${ids.dA}`);
    expect(a.status).toBe(200);
    expect(a.body.minN).toBe(10);
    expect(a.body.bands).toEqual([
      {
        band: '80+',
        scored: 2,
        decided: 2,
        advanced: 1,
        advanceRate: null,
        closed: 2,
        hired: 1,
        hireRate: null,
      },
      {
        band: '60-79',
        scored: 1,
        decided: 1,
        advanced: 1,
        advanceRate: null,
        closed: 1,
        hired: 0,
        hireRate: null,
      },
      {
        band: '<60',
        scored: 1,
        decided: 0,
        advanced: 0,
        advanceRate: null,
        closed: 0,
        hired: 0,
        hireRate: null,
      },
    ]);
    // Department C: 12 decided (3 advanced) -> a rate; 9 closed -> still none.
    const c = await get(`ai-validity?departmentId=${ids.dC}`);
    expect(c.body.bands[2]).toEqual({
      band: '<60',
      scored: 12,
      decided: 12,
      advanced: 3,
      advanceRate: 0.25,
      closed: 9,
      hired: 0,
      hireRate: null,
    });
  });

  it('a manager sees their department only; other departments and their jobs are refused', async () => {
    const mine = await get('funnel', manager);
    expect(mine.status).toBe(200);
    expect(mine.body.overall.applications).toBe(6);
    expect(mine.body.jobs.map((j: { jobId: number }) => j.jobId)).toEqual([ids.j1, ids.j2]);
    expect((await get('ai-validity', manager)).body.bands[0].scored).toBe(2);
    expect((await get(`funnel?departmentId=${ids.dB}`, manager)).status).toBe(403);
    expect((await get(`times?jobId=${ids.j3}`, manager)).status).toBe(404);
    const options = await get('options', manager);
    expect(options.body.departments.map((d: { id: number }) => d.id)).toEqual([ids.dA]);
    expect(options.body.jobs.map((j: { id: number }) => j.id)).toEqual([ids.j1, ids.j2]);
    // HR sees everything (the seeded company too).
    const all = await get('funnel');
    expect(all.body.overall.applications).toBeGreaterThan(6 + 1 + 12);
  });

  it('candidates and interviewers are refused; bad filters are a 400 naming the field', async () => {
    for (const path of ['funnel', 'times', 'sources', 'ai-validity', 'options', 'export.xlsx?table=funnel']) {
      expect((await get(path, candidate)).status, path).toBe(403);
      expect((await get(path, interviewer)).status, path).toBe(403);
      expect((await t.api('GET', `/api/analytics/${path}`)).status, path).toBe(401);
    }
    for (const [q, field] of [
      ['from=2026-13-01', 'query.from'],
      ['from=2026-10-05&to=2026-10-01', 'query.to'],
      ['jobId=abc', 'query.jobId'],
      ['source=tv', 'query.source'],
      ['colour=red', 'query.colour'],
    ]) {
      const r = await get(`funnel?${q}`);
      expect(r.status, q).toBe(400);
      expect(JSON.stringify(r.body.error), q).toContain(field);
    }
    const before = await t.orm.em.fork().count(AuditLog, { action: 'analytics.exported' });
    expect((await get('export.xlsx?table=everything')).status).toBe(400);
    expect((await get('export.xlsx')).status).toBe(400);
    expect(await t.orm.em.fork().count(AuditLog, { action: 'analytics.exported' })).toBe(before);
  });

  it("the weekly digest queues each open job's numbers into its hiring group, once a day", async () => {
    const em = t.orm.em.fork();
    const first = await enqueueWeeklyDigests(em, t.config.notifications, at(200));
    expect(first).toBeGreaterThanOrEqual(4);
    const rows = await t.orm.em.fork().find(OutboxMessage, { topic: 'analytics.weekly_digest' });
    const of = (jobId: number) =>
      rows.filter((r) => r.idempotencyKey.startsWith(`analytics:weekly:${jobId}:`));
    // Hour 200 is 2026-10-09 in Shanghai; "this week" is from 2026-10-03: only a6 (J2).
    expect(of(ids.j1).map((r) => (r.payload as { data: unknown }).data)).toEqual([
      {
        date: '2026-10-09',
        jobTitle: '测试岗位',
        applicants: 4,
        newThisWeek: 0,
        secondRound: 2,
        hires: 1,
        medianDaysToHire: 4.2,
        open: 1,
      },
    ]);
    expect((of(ids.j2)[0].payload as { data: unknown }).data).toMatchObject({
      applicants: 2,
      newThisWeek: 1,
      secondRound: 1,
      hires: 1,
      medianDaysToHire: 6.2,
      open: 1,
    });
    expect(of(ids.j1)[0]).toMatchObject({
      recipientKind: 'group',
      recipientId: t.config.notifications.hiringGroupId,
    });
    // Again the same day (another worker, a retry): nothing new.
    expect(await enqueueWeeklyDigests(t.orm.em.fork(), t.config.notifications, at(201))).toBe(0);
    expect(await t.orm.em.fork().count(OutboxMessage, { topic: 'analytics.weekly_digest' })).toBe(
      rows.length,
    );
  });

  /** Reads an export back with exceljs: the rows of its one sheet as arrays (header first). */
  const readXlsx = async (path: string, token: string) => {
    const res = await fetch(`${t.url}/api/analytics/export.xlsx?${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1));
    });
    return rows;
  };

  it('exports any table to .xlsx with the same figures, audited; personal columns for HR only', async () => {
    const funnelRows = await readXlsx(`table=funnel&departmentId=${ids.dA}`, hr);
    expect(funnelRows[0]).toEqual(['岗位', '阶段', '到达人数', '转化率', '当前人数']);
    // Overall first: 9 steps, then 9 per job.
    expect(funnelRows).toHaveLength(1 + 9 * 3);
    expect(funnelRows[2]).toEqual(['全部', 'submitted', 5, 5 / 6, 0]);
    expect(funnelRows[9]).toEqual(['全部', 'hired', 2, 1, 2]);
    const times = await readXlsx(`table=times&departmentId=${ids.dA}`, hr);
    expect(times.find((r) => r[0] === '录用用时')).toEqual(['录用用时', 'hired', 2, 124, 148]);
    const ai = await readXlsx(`table=ai_validity&departmentId=${ids.dC}`, hr);
    // A rate that is not shown is an empty cell, never a 0.
    expect(ai[3].slice(0, 7)).toEqual(['<60', 12, 12, 3, 0.25, 9, 0]);
    expect(ai[3][7] ?? null).toBeNull();
    const sources = await readXlsx(`table=sources&departmentId=${ids.dA}`, hr);
    expect(sources[1].slice(0, 2)).toEqual(['referral', 2]);

    const hrList = await readXlsx(`table=candidates&jobId=${ids.j1}`, hr);
    expect(hrList[0]).toContain('姓名');
    expect(hrList[0]).toContain('手机');
    expect(hrList).toHaveLength(5);
    expect(hrList.slice(1).map((r) => r[8])).toContain('分析-referral-0');
    const mgrList = await readXlsx(`table=candidates&jobId=${ids.j1}`, manager);
    expect(mgrList[0]).not.toContain('姓名');
    expect(mgrList[0]).not.toContain('手机');
    expect(mgrList).toHaveLength(5);
    expect(JSON.stringify(mgrList)).not.toContain('分析-');
    expect(JSON.stringify(mgrList)).not.toContain('13800000000');

    const audits = await t.orm.em
      .fork()
      .find(AuditLog, { action: 'analytics.exported' }, { orderBy: { id: 'asc' } });
    expect(audits.map((a) => a.objectId)).toEqual([
      'funnel',
      'times',
      'ai_validity',
      'sources',
      'candidates',
      'candidates',
    ]);
    expect(audits[4].details).toMatchObject({ table: 'candidates', rows: 4, personal: true });
    expect(audits[5].details).toMatchObject({ rows: 4, personal: false, departments: [ids.dA] });
    expect(audits[5].actorKind).toBe('employee');
  });
});
