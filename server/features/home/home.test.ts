import { afterAll, beforeAll, expect, it } from 'vitest';
import { AccommodationRequest } from '../../kernel/db/entities/AccommodationRequest';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { ReportRating } from '../../kernel/db/entities/Scoring';
import { User } from '../../kernel/db/entities/User';
import { sessionToken } from '../../testing/booking';
import { makeApplication, makeBooking, makeReport } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { startOfDayShanghai } from './routes';

it('a day starts at midnight Asia/Shanghai (16:00 UTC the day before)', () => {
  expect(startOfDayShanghai(new Date('2026-12-04T15:59:59Z')).toISOString()).toBe('2026-12-03T16:00:00.000Z');
  expect(startOfDayShanghai(new Date('2026-12-04T16:00:00Z')).toISOString()).toBe('2026-12-04T16:00:00.000Z');
});

/** Issue 14 item 8: every employee's home summary, counted within what they may see. */
describeEachDialect('home summary', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 30_000);
  afterAll(async () => t?.close());

  it('HR gets five numbers, each with a link; a candidate added today is counted', async () => {
    const hr = await t.signInEmployee('hr01');
    const before = await t.api('GET', '/api/home', { token: hr });
    expect(before.status).toBe(200);
    const { hr: today } = before.body;
    for (const k of ['newCandidates', 'interviewsToday', 'reportsToReview', 'queueDue', 'approvalsPending']) {
      expect(typeof today[k].count).toBe('number');
      expect(today[k].link).toMatch(/^\//);
    }
    const em = t.orm.em.fork();
    em.create(Candidate, { name: '今日新人', mobile: '13900009999' } as never);
    await em.flush();
    const after = await t.api('GET', '/api/home', { token: hr });
    expect(after.body.hr.newCandidates.count).toBe(today.newCandidates.count + 1);
    // hr01 is HR and admin only: no manager or interviewer part.
    expect(after.body.manager).toBeNull();
    expect(after.body.interviewer).toBeNull();
  });

  it("HR's queue number is the 待办's own count of items due within a day, and opens the 待办", async () => {
    const hr = await t.signInEmployee('hr01');
    const before = (await t.api('GET', '/api/home', { token: hr })).body.hr.queueDue;
    expect(before.link).toBe('/queue');
    // A candidate's accommodation request due in an hour: a 待办 item due soon.
    const app = await makeApplication(t.orm);
    const em = t.orm.em.fork();
    em.create(AccommodationRequest, {
      application: app.id,
      candidateId: app.candidate.id,
      extraTimePercent: 50,
      note: '需要更多时间',
      dueAt: new Date(Date.now() + 3600_000),
    } as never);
    await em.flush();
    const after = (await t.api('GET', '/api/home', { token: hr })).body.hr.queueDue;
    expect(after.count).toBe(before.count + 1);
    const q = await t.api('GET', '/api/queue', { token: hr });
    expect(after.count).toBe(q.body.overdue + q.body.dueSoon);
  });

  it("a manager sees their department's jobs by stage; an interviewer their interviews and reports", async () => {
    const mgr = await t.signInEmployee('mgr01');
    const m = await t.api('GET', '/api/home', { token: mgr });
    expect(m.status).toBe(200);
    expect(m.body.hr).toBeNull();
    expect(m.body.manager.jobs.length).toBeGreaterThan(0);
    const mgrUser = await t.orm.em
      .fork()
      .findOneOrFail(User, { dingtalkUserId: 'mgr01' }, { populate: ['department'] });
    // Only 研发中心's jobs: the seed's sales job is not listed.
    for (const j of m.body.manager.jobs) expect(j.link).toBe(`/pipeline/jobs/${j.id}`);
    expect(mgrUser.department?.name).toBe('研发中心');
    expect(Array.isArray(m.body.manager.approvals)).toBe(true);
    const int = await t.signInEmployee('int01');
    const i = await t.api('GET', '/api/home', { token: int });
    expect(i.body.hr).toBeNull();
    expect(i.body.manager).toBeNull();
    expect(i.body.interviewer).toMatchObject({
      today: expect.any(Array),
      upcoming: expect.any(Array),
      toRate: expect.any(Array),
    });
  });

  it("an interviewer's booking today, next week, and an assigned report appear, and leave when done", async () => {
    const em = t.orm.em.fork();
    const int02 = await em.findOneOrFail(User, { dingtalkUserId: 'int02' });
    const soon = new Date(Date.now() + 60 * 60_000);
    const inThreeDays = new Date(Date.now() + 3 * 24 * 3600_000);
    const today = await makeBooking(t, { kind: 'second_round', interviewer: int02, startAt: soon });
    await makeBooking(t, { kind: 'second_round', interviewer: int02, startAt: inThreeDays });
    const report = await makeReport(t, { application: today.application });
    const tok = await t.signInEmployee('int02');
    const r = await t.api('GET', '/api/home', { token: tok });
    const { interviewer } = r.body;
    // "Today" is the Shanghai day: an hour from now may already be tomorrow there.
    const todayEnds = startOfDayShanghai(new Date()).getTime() + 24 * 3600_000;
    const where = soon.getTime() < todayEnds ? interviewer.today : interviewer.upcoming;
    expect(where.map((b: { bookingId: number }) => b.bookingId)).toContain(today.id);
    // A live round opens its outline and scorecard.
    expect(where.find((b: { bookingId: number }) => b.bookingId === today.id).link).toBe(
      `/liveround/${today.id}`,
    );
    expect(interviewer.upcoming.length).toBeGreaterThanOrEqual(1);
    expect(interviewer.toRate).toContainEqual(
      expect.objectContaining({ reportId: report.id, link: `/reports/${report.id}` }),
    );
    // Rated by them: no longer waiting.
    em.create(ReportRating, { report, reviewer: int02, competency: '问题解决', score: 4 });
    await em.flush();
    const after = await t.api('GET', '/api/home', { token: tok });
    expect(after.body.interviewer.toRate.map((x: { reportId: number }) => x.reportId)).not.toContain(
      report.id,
    );
    // Another interviewer sees none of it.
    const other = await t.api('GET', '/api/home', { token: await t.signInEmployee('int03') });
    expect(other.body.interviewer.today.map((b: { bookingId: number }) => b.bookingId)).not.toContain(
      today.id,
    );
    expect(other.body.interviewer.toRate.map((x: { reportId: number }) => x.reportId)).not.toContain(
      report.id,
    );
  });

  it('candidates and the signed-out are refused', async () => {
    expect((await t.api('GET', '/api/home')).status).toBe(401);
    const candidate = await t.orm.em.fork().findOneOrFail(Candidate, { name: '张三' });
    const tok = await sessionToken(t, 'candidate', candidate.id);
    expect((await t.api('GET', '/api/home', { token: tok })).status).toBe(403);
  });
});
