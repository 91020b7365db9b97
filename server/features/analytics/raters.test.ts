import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InterviewReport, ReportRating } from '../../kernel/db/entities/Scoring';
import type { IUser } from '../../kernel/db/entities/User';
import { sessionToken } from '../../testing/booking';
import { makeApplication, makeDepartment, makeEmployee, makeJob } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

/**
 * Interviewer load and leniency against a hand-computed fixture. Department A: reports R1-R3;
 * department B: R4. Scores (report, competency: rater=score):
 *   R1 c1: u1=5 u2=3 u3=4   R1 c2: u1=4 u2=2   R2 c1: u1=5 u2=3   R2 c2: u1=3 u3=3
 *   R3 c1: u1=4 u2=4        R4 c1: u1=1 (nobody else)
 * u1 in A: 5 ratings, all compared; others' means 3.5, 2, 3, 3, 4 (mean 3.1); differences
 * +1.5, +2, +2, 0, 0: leniency 5.5 / 5 = 1.1; own mean 21 / 5 = 4.2; 3 reports.
 * u2: 4 ratings (mean 3), compared 4 < 5: no leniency. u3: 2 ratings, mean 3.5.
 */
describeEachDialect('rater load and leniency', (dialect) => {
  let t: TestApp;
  let hr: string;
  let manager: string;
  let interviewer: string;
  const u: IUser[] = [];
  let dB = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    const [dA, depB] = [await makeDepartment(em), await makeDepartment(em)];
    dB = depB.id;
    const [jA, jB] = [await makeJob(em, { department: dA }), await makeJob(em, { department: depB })];
    for (let i = 0; i < 3; i++) u.push(await makeEmployee(em, 'interviewer', { department: dA }));
    hr = await sessionToken(t, 'employee', (await makeEmployee(em, 'hr')).id);
    manager = await sessionToken(t, 'employee', (await makeEmployee(em, 'manager', { department: dA })).id);
    interviewer = await sessionToken(t, 'employee', u[0].id);
    const report = async (job: typeof jA, session: number) => {
      const app = await makeApplication(em, { job });
      const r = em.create(InterviewReport, {
        application: app,
        sessionId: 880_000 + session,
        candidateId: app.candidate.id,
        jobId: job.id,
        status: 'ready',
        competencies: [],
        strengths: [],
        gaps: [],
        flags: [],
        recommendation: 'review',
      });
      await em.flush();
      return r;
    };
    const rs = [await report(jA, 1), await report(jA, 2), await report(jA, 3), await report(jB, 4)];
    const scores: Array<[number, string, number, number]> = [
      [0, 'c1', 0, 5],
      [0, 'c1', 1, 3],
      [0, 'c1', 2, 4],
      [0, 'c2', 0, 4],
      [0, 'c2', 1, 2],
      [1, 'c1', 0, 5],
      [1, 'c1', 1, 3],
      [1, 'c2', 0, 3],
      [1, 'c2', 2, 3],
      [2, 'c1', 0, 4],
      [2, 'c1', 1, 4],
      [3, 'c1', 0, 1],
    ];
    for (const [r, competency, who, score] of scores)
      em.create(ReportRating, { report: rs[r], reviewer: u[who], competency, score });
    await em.flush();
  });

  afterAll(async () => {
    await t?.close();
  });

  const get = (path: string, token = hr) => t.api('GET', `/api/analytics/${path}`, { token });

  it('a manager sees load and leniency of their department, against the hand-computed figures', async () => {
    const r = await get('raters', manager);
    expect(r.status).toBe(200);
    expect(r.body.minN).toBe(5);
    expect(r.body.items).toHaveLength(3);
    const [a, b, c] = r.body.items;
    expect(a).toMatchObject({ reviewerId: u[0].id, reports: 3, ratings: 5, compared: 5 });
    expect(a.meanScore).toBeCloseTo(4.2, 10);
    expect(a.othersMean).toBeCloseTo(3.1, 10);
    expect(a.leniency).toBeCloseTo(1.1, 10);
    expect(b).toMatchObject({ reviewerId: u[1].id, reports: 3, ratings: 4, compared: 4, meanScore: 3 });
    // Four compared ratings: too few to call anyone lenient.
    expect(b.leniency).toBeNull();
    expect(b.othersMean).toBeNull();
    expect(c).toMatchObject({ reviewerId: u[2].id, reports: 2, ratings: 2, meanScore: 3.5, leniency: null });
  });

  it('HR sees every department; filters and roles apply; the table exports', async () => {
    const all = await get('raters');
    const a = all.body.items[0];
    // R4 (department B) adds a rating nobody else gave: load, not leniency.
    expect(a).toMatchObject({ reviewerId: u[0].id, reports: 4, ratings: 6, compared: 5 });
    expect(a.leniency).toBeCloseTo(1.1, 10);
    expect((await get(`raters?departmentId=${dB}`)).body.items).toEqual([
      expect.objectContaining({ reviewerId: u[0].id, ratings: 1, compared: 0, meanScore: 1, leniency: null }),
    ]);
    expect((await get(`raters?departmentId=${dB}`, manager)).status).toBe(403);
    expect((await get('raters', interviewer)).status).toBe(403);
    const bad = await get('raters?from=2026-13-01');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('from');

    const res = await fetch(`${t.url}/api/analytics/export.xlsx?table=raters`, {
      headers: { authorization: `Bearer ${manager}` },
    });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1));
    });
    expect(rows[0]).toEqual([
      '评分人',
      '评过的报告',
      '评分条数',
      '平均分',
      '可比评分',
      '他人同题平均',
      '宽松度',
    ]);
    expect(rows).toHaveLength(4);
    expect(rows[1][0]).toBe(u[0].name);
    expect(rows[1].slice(1, 3)).toEqual([3, 5]);
    expect(rows[1][6] as number).toBeCloseTo(1.1, 10);
  });
});
