import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemographicSelfId } from '../../kernel/db/entities/DemographicSelfId';
import { HireOutcome, HireOutcomeSync } from '../../kernel/db/entities/HireOutcome';
import { InterviewReport } from '../../kernel/db/entities/Scoring';
import { generateHireOutcomes } from '../../kernel/db/seeds/hireOutcomes';
import { generateHistory } from '../../kernel/db/seeds/history';
import { sessionToken } from '../../testing/booking';
import {
  makeApplication,
  makeCandidate,
  makeDepartment,
  makeEmployee,
  makeJob,
  makeReport,
} from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { gradeScore, outcomeValidity, runOutcomeSync, SYNC_STALE_MS, syncHireOutcomes } from './outcomes';
import { correlation, pearson } from './stats';

describe('correlation with a Fisher-z interval', () => {
  it('matches a hand-computed fixture', () => {
    // x = 1..5, y = 2,4,5,4,5: means 3 and 4; deviations -2,-1,0,1,2 and -2,0,1,0,1;
    // Sxy = 4 + 0 + 0 + 0 + 2 = 6, Sxx = 10, Syy = 6, r = 6 / sqrt(60) = 0.7745967.
    // z = atanh(r) = 1.0317185, se = 1 / sqrt(5 - 3) = 0.7071068, z ± 1.96 se = -0.3541, 2.4176,
    // tanh of those: -0.3400820, 0.9842358.
    const c = correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5], 5);
    expect(c.n).toBe(5);
    expect(c.r).toBeCloseTo(0.7745967, 6);
    expect(c.low).toBeCloseTo(-0.340082, 5);
    expect(c.high).toBeCloseTo(0.9842358, 6);
  });

  it('says nothing below the minimum n or without variation', () => {
    expect(correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5], 10)).toEqual({
      n: 5,
      r: null,
      low: null,
      high: null,
    });
    // Every hire passed: r is undefined, not zero.
    expect(correlation([1, 2, 3, 4, 5], [1, 1, 1, 1, 1], 4).r).toBeNull();
    expect(pearson([1], [1])).toBeNull();
    // A perfect line has no finite z; the interval is the point.
    expect(correlation([1, 2, 3, 4], [2, 4, 6, 8], 4)).toEqual({ n: 4, r: 1, low: 1, high: 1 });
  });

  it('reads grades on the scale, numbers as they are, and unknown labels as nothing', () => {
    expect([gradeScore('S'), gradeScore('b+'), gradeScore(' C '), gradeScore('3.75')]).toEqual([
      5, 3.5, 2, 3.75,
    ]);
    expect([gradeScore('优秀'), gradeScore(''), gradeScore(null)]).toEqual([null, null, null]);
  });
});

/**
 * Department A: twelve hires with overall scores X and 沟通协作 scores C; 问题解决 only on the last
 * four (below the minimum n of 5 this app runs with). Their probation outcome P (1 转正, 0 left in
 * probation, - still in probation) and performance grade G come from the sandbox's HR records.
 * Department B: two hires, one of them unknown to DingTalk. Every figure below was worked out by
 * hand (Pearson r; Fisher z interval tanh(atanh r ± 1.96/sqrt(n-3))) from these lists.
 */
const X = [55, 60, 62, 65, 70, 72, 75, 78, 80, 85, 88, 92];
const C = [60, 50, 70, 65, 72, 60, 80, 70, 75, 85, 68, 90];
// P: i0, i1 leave in probation; i2 still in probation; i6 leaves after 转正 (passed).
const GRADES = [null, 'C', 'B', 'B', 'B+', 'A', 'B', 'A', 'A+', 'S', 'A', 'S'];

describeEachDialect('closed-loop validity', (dialect) => {
  let t: TestApp;
  let hr: string;
  let manager: string;
  let interviewer: string;
  const ids = { dA: 0, dB: 0 };
  const now = new Date('2026-11-20T02:00:00Z');
  const uid = (i: number) => `hire-${dialect}-${i}`;

  beforeAll(async () => {
    t = await startTestApp(dialect, { env: { ANALYTICS_OUTCOME_MIN_N: '5' } });
    const em = t.orm.em.fork();
    const [dA, dB] = [await makeDepartment(em), await makeDepartment(em)];
    Object.assign(ids, { dA: dA.id, dB: dB.id });
    hr = await sessionToken(t, 'employee', (await makeEmployee(em, 'hr')).id);
    manager = await sessionToken(t, 'employee', (await makeEmployee(em, 'manager', { department: dA })).id);
    interviewer = await sessionToken(
      t,
      'employee',
      (await makeEmployee(em, 'interviewer', { department: dA })).id,
    );
    const jA = await makeJob(em, { department: dA });
    const jB = await makeJob(em, { department: dB });
    for (let i = 0; i < 12; i++) {
      const c = await makeCandidate(em, { mobile: `1391000${String(i).padStart(4, '0')}` });
      const app = await makeApplication(em, { job: jA, candidate: c, stage: 'hired' });
      // An earlier report the retake replaced: only the latest one counts.
      await makeReport(em, { application: app, overall: 10, scores: { 沟通协作: 10 } });
      await makeReport(em, {
        application: app,
        overall: X[i],
        scores: { 沟通协作: C[i], ...(i >= 8 ? { 问题解决: X[i] } : {}) },
      });
      em.create(DemographicSelfId, { candidate: c, categories: { sex: i < 6 ? 'female' : 'male' } });
    }
    // Not hired: never read from DingTalk, never counted.
    await makeApplication(em, { job: jA, stage: 'in_review' });
    for (let i = 0; i < 2; i++) {
      const c = await makeCandidate(em, { mobile: `1392000000${i}` });
      const app = await makeApplication(em, { job: jB, candidate: c, stage: 'hired' });
      await makeReport(em, { application: app, overall: 50 + i });
    }
    await em.flush();
    // Everybody is still a member at the first sync; three leave before the second.
    await t.sandbox.hrmEmployees([
      ...X.map((_, i) => ({
        userId: uid(i),
        mobile: `1391000${String(i).padStart(4, '0')}`,
        status: i <= 2 ? ('probation' as const) : ('regular' as const),
        ...(i > 2 ? { regularDate: '2026-09-01' } : {}),
        performance: GRADES[i]
          ? [
              { period: '2026 H1', grade: 'D' },
              { period: '2026 H2', grade: GRADES[i] as string },
            ]
          : [],
      })),
      { userId: uid(100), mobile: '13920000000', status: 'regular', regularDate: '2026-08-01' },
    ]);
  });

  afterAll(async () => {
    await t?.close();
  });

  const sync = (token: string) => t.api('POST', '/api/analytics/outcomes/sync', { token });
  const report = (q = '', token = hr) => t.api('GET', `/api/analytics/outcomes${q}`, { token });

  it('"sync now" is HR only and asks the worker for one run at a time', async () => {
    expect((await sync(manager)).status).toBe(403);
    expect((await sync(interviewer)).status).toBe(403);
    expect(await t.orm.em.fork().count(HireOutcomeSync)).toBe(0);
    const first = await sync(hr);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ created: true, sync: { status: 'requested' } });
    const again = await sync(hr);
    expect(again.body).toMatchObject({ created: false, sync: { id: first.body.sync.id } });
    expect(await t.orm.em.fork().count(HireOutcomeSync)).toBe(1);
  });

  it('the worker reads probation, leaving and grades through the SDK from the sandbox', async () => {
    const run = await runOutcomeSync(t.orm.em.fork(), t.dingtalk, now);
    expect(run).toMatchObject({ status: 'done', synced: 14, notFound: 1, error: null });
    const paths = (await t.sandbox.calls()).map((c) => c.path);
    for (const p of [
      '/topapi/v2/user/getbymobile',
      '/v1.0/hrm/rosters/lists/query',
      '/v1.0/hrm/masters/datas/query',
    ])
      expect(paths, p).toContain(p);
    // Nothing more to do until HR asks or a day has passed.
    expect(await runOutcomeSync(t.orm.em.fork(), t.dingtalk, new Date(now.getTime() + 3_600_000))).toBeNull();

    // i0 and i1 leave during probation, i6 after 转正: they are no longer members, so only the
    // userid kept from the first sync finds their leaving record.
    await t.sandbox.hrmEmployees([
      { userId: uid(0), status: 'left', preStatus: 2, lastWorkDay: Date.parse('2026-10-31T00:00:00+08:00') },
      { userId: uid(1), status: 'left', preStatus: 2, lastWorkDay: Date.parse('2026-10-15T00:00:00+08:00') },
      { userId: uid(6), status: 'left', preStatus: 3, lastWorkDay: Date.parse('2026-11-01T00:00:00+08:00') },
    ]);
    expect((await sync(hr)).body.created).toBe(true);
    const second = await runOutcomeSync(t.orm.em.fork(), t.dingtalk, new Date(now.getTime() + 7_200_000));
    expect(second).toMatchObject({ status: 'done', synced: 14, notFound: 1 });
    const rows = await t.orm.em.fork().find(HireOutcome, {}, { orderBy: { application: 'asc' } });
    const byUser = new Map(rows.map((r) => [r.dingtalkUserId, r]));
    expect(byUser.get(uid(0))).toMatchObject({
      status: 'left',
      probationPassed: false,
      performanceGrade: null,
    });
    expect(byUser.get(uid(0))?.leftAt?.toISOString()).toBe('2026-10-30T16:00:00.000Z');
    expect(byUser.get(uid(6))).toMatchObject({ status: 'left', probationPassed: true, performanceScore: 3 });
    expect(byUser.get(uid(2))).toMatchObject({
      status: 'probation',
      probationPassed: null,
      performanceGrade: 'B',
    });
    // The latest period's grade, not the first listed.
    expect(byUser.get(uid(9))).toMatchObject({
      status: 'regular',
      probationPassed: true,
      performanceGrade: 'S',
      performancePeriod: '2026 H2',
      performanceScore: 5,
    });
    expect(byUser.get(uid(9))?.regularAt?.toISOString()).toBe('2026-08-31T16:00:00.000Z');
    expect(rows.filter((r) => r.status === 'not_found')).toHaveLength(1);
  });

  it('reports r, its 95% interval and n per score, and nothing below the minimum n', async () => {
    const r = await report(`?departmentId=${ids.dA}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      minN: 5,
      hires: 12,
      outcomes: {
        probation: 1,
        regular: 8,
        left: 3,
        leftInProbation: 2,
        notFound: 0,
        unsynced: 0,
        graded: 11,
      },
    });
    expect(r.body.items.map((i: { competency: string }) => i.competency)).toEqual([
      'overall',
      '沟通协作',
      '问题解决',
    ]);
    const item = (name: string) => r.body.items.find((i: { competency: string }) => i.competency === name);
    const close = (c: { n: number; r: number; low: number; high: number }, want: number[]) => {
      expect(c.n).toBe(want[0]);
      expect(c.r).toBeCloseTo(want[1], 5);
      expect(c.low).toBeCloseTo(want[2], 5);
      expect(c.high).toBeCloseTo(want[3], 5);
    };
    close(item('overall').probation, [11, 0.725666, 0.22276, 0.923523]);
    close(item('overall').performance, [11, 0.867667, 0.558472, 0.965176]);
    close(item('沟通协作').probation, [11, 0.650268, 0.082622, 0.899332]);
    close(item('沟通协作').performance, [11, 0.722006, 0.215441, 0.922384]);
    // Four hires with a 问题解决 score: not enough data yet.
    expect(item('问题解决').probation).toEqual({ n: 4, r: null, low: null, high: null });

    // By self-identified group (the fairness page's view): women i0-i5, men i6-i11.
    const group = (cat: string) => r.body.groups.find((g: { category: string }) => g.category === cat);
    expect(
      r.body.groups.map((g: { dimension: string; category: string }) => `${g.dimension}:${g.category}`),
    ).toEqual(['sex:female', 'sex:male']);
    const overallOf = (cat: string) =>
      group(cat).items.find((i: { competency: string }) => i.competency === 'overall');
    close(overallOf('female').probation, [5, 0.897088, 0.071076, 0.993237]);
    close(overallOf('female').performance, [5, 0.928597, 0.25635, 0.995379]);
    // Every man passed probation: r is undefined, not shown.
    expect(overallOf('male').probation).toEqual({ n: 6, r: null, low: null, high: null });
    close(overallOf('male').performance, [6, 0.715628, -0.228835, 0.966101]);
  });

  it('scopes managers to their department and shows them no groups', async () => {
    const mine = await report('', manager);
    expect(mine.status).toBe(200);
    expect(mine.body.hires).toBe(12);
    expect(mine.body.groups).toBeNull();
    expect((await report(`?departmentId=${ids.dB}`, manager)).status).toBe(403);
    expect((await report('', interviewer)).status).toBe(403);
    const all = await report();
    expect(all.body.hires).toBe(14);
    expect(all.body.outcomes.notFound).toBe(1);
  });

  it('a throttled or failing DingTalk fails the run and changes nothing', async () => {
    const before = await t.orm.em.fork().find(HireOutcome, {}, { orderBy: { id: 'asc' } });
    for (const [k, kind] of [
      [0, 'throttle'],
      [1, '5xx'],
    ] as const) {
      // Three throttled answers outlast the two retries; one HTTP 500 is not retried.
      await t.sandbox.hrmFail({ count: kind === 'throttle' ? 3 : 1, kind });
      expect((await sync(hr)).body.created).toBe(true);
      const run = await runOutcomeSync(
        t.orm.em.fork(),
        t.dingtalk,
        new Date(now.getTime() + (3 + k) * 3_600_000),
      );
      expect(run?.status).toBe('failed');
      expect(run?.error).toMatch(kind === 'throttle' ? /90018|QpsLimit/ : /500|InternalError|系统繁忙/);
      expect(run?.error).not.toMatch(/access_token=/);
    }
    const after = await t.orm.em.fork().find(HireOutcome, {}, { orderBy: { id: 'asc' } });
    expect(after.map((o) => [o.status, o.syncedAt.toISOString()])).toEqual(
      before.map((o) => [o.status, o.syncedAt.toISOString()]),
    );
    const last = await report();
    expect(last.body.lastSync).toMatchObject({ status: 'failed' });
  });

  it('a run whose worker died is failed, and the next one proceeds', async () => {
    const em = t.orm.em.fork();
    const at = new Date(now.getTime() + 10 * 3_600_000);
    em.create(HireOutcomeSync, {
      status: 'running',
      requestedAt: new Date(at.getTime() - SYNC_STALE_MS - 60_000),
      startedAt: new Date(at.getTime() - SYNC_STALE_MS - 60_000),
    });
    await em.flush();
    expect((await sync(hr)).body.created).toBe(false);
    await runOutcomeSync(t.orm.em.fork(), t.dingtalk, at);
    const runs = await t.orm.em.fork().find(HireOutcomeSync, {}, { orderBy: { id: 'desc' }, limit: 1 });
    expect(runs[0]).toMatchObject({ status: 'failed', error: 'The worker running this sync stopped' });
    expect((await sync(hr)).body.created).toBe(true);
    expect(await runOutcomeSync(t.orm.em.fork(), t.dingtalk, at)).toMatchObject({ status: 'done' });
  });

  it('schedules itself daily, and retries a failed run after an hour, not every minute', async () => {
    const em = t.orm.em.fork();
    const last = (await em.find(HireOutcomeSync, {}, { orderBy: { id: 'desc' }, limit: 1 }))[0];
    const day = last.requestedAt.getTime() + 24 * 3_600_000;
    await t.sandbox.hrmFail({ count: 1, kind: '5xx' });
    expect(await runOutcomeSync(t.orm.em.fork(), t.dingtalk, new Date(day - 60_000))).toBeNull();
    const failed = await runOutcomeSync(t.orm.em.fork(), t.dingtalk, new Date(day + 60_000));
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed?.requestedBy).toBeNull();
    expect(await runOutcomeSync(t.orm.em.fork(), t.dingtalk, new Date(day + 30 * 60_000))).toBeNull();
    expect(await runOutcomeSync(t.orm.em.fork(), t.dingtalk, new Date(day + 62 * 60_000))).toMatchObject({
      status: 'done',
    });
  });

  it("exports the table, and a manager's export has no groups", async () => {
    const res = await fetch(`${t.url}/api/analytics/export.xlsx?table=outcomes&departmentId=${ids.dA}`, {
      headers: { authorization: `Bearer ${hr}` },
    });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const rows = wb.worksheets[0].getSheetValues().slice(2) as unknown[][];
    const overallProbation = rows.find((r) => r[1] === '全部' && r[2] === 'AI 总分' && r[3] === '试用期转正');
    expect(overallProbation?.[4]).toBe(11);
    expect(Number(overallProbation?.[5])).toBeCloseTo(0.725666, 5);
    expect(rows.some((r) => String(r[1]).startsWith('sex: female'))).toBe(true);
    const mgr = await fetch(`${t.url}/api/analytics/export.xlsx?table=outcomes`, {
      headers: { authorization: `Bearer ${manager}` },
    });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(Buffer.from(await mgr.arrayBuffer()) as never);
    const mrows = wb2.worksheets[0].getSheetValues().slice(2) as unknown[][];
    expect(mrows.length).toBe(6);
    expect(mrows.every((r) => r[1] === '全部')).toBe(true);
  });

  it('a hire DingTalk does not know is looked up again only after a week, not at every sync (the monthly API quota)', async () => {
    const lookups = async () =>
      (await t.sandbox.calls()).filter((c) => c.path === '/topapi/v2/user/getbymobile').length;
    const later = (days: number) => new Date(now.getTime() + days * 86_400_000);
    // Last looked up at the earlier syncs (hours after `now`): due again a month later.
    const start = await lookups();
    expect((await syncHireOutcomes(t.orm.em.fork(), t.dingtalk, later(30))).notFound).toBe(1);
    expect(await lookups()).toBe(start + 1);
    // The next day: still not found, without asking DingTalk; the others are read as before.
    const r = await syncHireOutcomes(t.orm.em.fork(), t.dingtalk, later(31));
    expect(r).toEqual({ synced: 14, notFound: 1 });
    expect(await lookups()).toBe(start + 1);
    // A week after the last lookup it is asked again.
    expect((await syncHireOutcomes(t.orm.em.fork(), t.dingtalk, later(37.5))).notFound).toBe(1);
    expect(await lookups()).toBe(start + 2);
  });
});

/**
 * The demo's history option (`npm run demo -- --history`): generated hires get reports and HR
 * records in the sandbox, and the report then shows outcomes read through DingTalk's APIs.
 */
describeEachDialect('closed-loop validity on generated history', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
  }, 30_000);
  afterAll(async () => t?.close());

  it('the generated hires come back from the sandbox with a relation to their scores', async () => {
    const em = t.orm.em.fork();
    const jobs = [await makeJob(em), await makeJob(em)];
    const now = new Date('2026-12-01T00:00:00Z');
    await t.orm.em
      .fork()
      .transactional((tx) =>
        generateHistory(tx, { applications: 1500, jobIds: jobs.map((j) => j.id), now, days: 300, seed: 9 }),
      );
    const { members, left } = await generateHireOutcomes(t.orm.em.fork(), { now, namePrefix: '历史候选人' });
    // The same records on a second call (the demo's sandbox starts empty every time), no new reports.
    const again = await generateHireOutcomes(t.orm.em.fork(), { now, namePrefix: '历史候选人' });
    expect(again).toEqual({ members, left });
    expect(await t.orm.em.fork().count(InterviewReport)).toBe(members.length);
    await t.sandbox.hrmEmployees(members);
    await syncHireOutcomes(t.orm.em.fork(), t.dingtalk, now);
    await t.sandbox.hrmEmployees(left);
    const r = await syncHireOutcomes(t.orm.em.fork(), t.dingtalk, now);
    expect(r).toEqual({ synced: members.length, notFound: 0 });
    const v = await outcomeValidity(
      t.orm.em.fork(),
      { filters: {}, departmentIds: null },
      { minN: 10, groups: false },
    );
    expect(v.hires).toBe(members.length);
    expect(v.outcomes.left).toBe(left.length);
    expect(v.outcomes.leftInProbation).toBeGreaterThan(0);
    const overall = v.items.find((i) => i.competency === 'overall');
    expect(overall?.probation.n).toBeGreaterThanOrEqual(10);
    expect(overall?.probation.r).toBeGreaterThan(0);
    expect(overall?.performance.r).toBeGreaterThan(0);
  }, 120_000);
});
