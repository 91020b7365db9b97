import { afterAll, beforeAll, expect, it } from 'vitest';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { User } from '../../kernel/db/entities/User';
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

  it('candidates and the signed-out are refused', async () => {
    expect((await t.api('GET', '/api/home')).status).toBe(401);
  });
});
