/**
 * `GET /api/candidates/:id/profile`, the interviewer-facing candidate profile, over HTTP against
 * the real app on both dialects: who may open it (HR, the job's hiring manager, a manager of the
 * job's department, reviewers assigned to the application) and what each sees (only the
 * applications they work on; contact details for HR only), the stage, the live booking and the
 * report with its evidence; everyone else gets 403 `candidate_profile_forbidden` (unknown ids too,
 * except for HR, who gets 404), a bad id 400 naming the field. Views are audited; refusals change nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Job } from '../../kernel/db/entities/Job';
import { AnswerTranscript } from '../../kernel/db/entities/Scoring';
import { User } from '../../kernel/db/entities/User';
import { candidateToken, employeeToken } from '../../testing/booking';
import { makeApplication, makeBooking, makeCandidate, makeReport } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

const QUESTION = '线上服务突然出现大量超时，你会如何一步步定位并解决？';
const SAID = '我先看监控和日志，定位到慢查询，加了索引，延迟降低了一半。';

describeEachDialect('the interviewer-facing candidate profile', (dialect) => {
  let t: TestApp;
  let candidateId: number;
  let backendAppId: number;
  let salesAppId: number;
  let reportId: number;
  const profile = (token: string, id: number | string = candidateId) =>
    t.api('GET', `/api/candidates/${id}/profile`, { token });
  const views = () => t.orm.em.fork().count(AuditLog, { action: 'candidate.profile_viewed' });

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    const backend = await em.findOneOrFail(Job, { slug: 'backend' }, { populate: ['hiringManager'] });
    const sales = await em.findOneOrFail(Job, { slug: 'sales' });
    const c = await makeCandidate(em, { name: '档案人', mobile: '13955550001' });
    candidateId = c.id;
    const app = await makeApplication(em, { candidate: c, job: backend, stage: 'in_review' });
    backendAppId = app.id;
    salesAppId = (await makeApplication(em, { candidate: c, job: sales, stage: 'invited' })).id;
    const report = await makeReport(em, {
      application: app,
      competencies: [
        {
          name: '问题解决',
          score: 76,
          evidence: [{ answerId: 9001, quote: '定位到慢查询', indicator: '讲清了问题', start: 9, end: 15 }],
          matched: [],
          missing: [],
        },
      ],
    });
    reportId = report.id;
    em.create(AnswerTranscript, {
      answerId: 9001,
      sessionId: report.sessionId,
      applicationId: app.id,
      status: 'done',
      objectKey: null,
      position: 1,
      questionText: QUESTION,
      provider: 'sandbox',
      language: 'zh',
      text: SAID,
      sentences: [],
    } as never);
    await em.flush();
    // A second-round slot with int03 as its interviewer (so int03 is assigned through the booking).
    const int03 = await em.findOneOrFail(User, { dingtalkUserId: 'int03' });
    await makeBooking(em, { application: app, kind: 'second_round', interviewer: int03 });
    // HR assigns int01 to review the backend application (not the sales one).
    const hr = await employeeToken(t, 'hr01');
    const int01 = await em.findOneOrFail(User, { dingtalkUserId: 'int01' });
    const assigned = await t.api('POST', `/api/reports/${report.id}/assignments`, {
      token: hr,
      body: { userId: int01.id },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBeLessThan(300);
  }, 60_000);
  afterAll(async () => t?.close());

  it('HR sees every application, the contact details, the booking and the report', async () => {
    const res = await profile(await employeeToken(t, 'hr01'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const p = res.body.profile;
    expect(p).toMatchObject({ id: candidateId, name: '档案人', mobile: '13955550001' });
    expect(p.applications.map((a: { applicationId: number }) => a.applicationId)).toEqual([
      backendAppId,
      salesAppId,
    ]);
    const [backend, sales] = p.applications;
    expect(backend).toMatchObject({ access: 'hr', stage: 'in_review', jobTitle: '高级后端工程师' });
    expect(backend.booking).toMatchObject({ kind: 'second_round', interviewerName: '孙丽' });
    expect(backend.report).toMatchObject({
      id: reportId,
      overall: 70,
      released: false,
      ratedByMe: false,
      competencies: [
        { name: '问题解决', score: 76, evidence: [{ quote: '定位到慢查询', question: QUESTION }] },
      ],
      answers: [{ position: 1, question: QUESTION, transcript: SAID }],
    });
    expect(sales).toMatchObject({ access: 'hr', stage: 'invited', booking: null, report: null });
  });

  it('HR opens a candidate with no application yet; nobody else can', async () => {
    const fresh = await makeCandidate(t.orm.em.fork(), { name: '未邀请' });
    const res = await profile(await employeeToken(t, 'hr01'), fresh.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.profile).toMatchObject({ name: '未邀请', applications: [] });
    for (const who of ['mgr01', 'int01']) {
      const other = await profile(await employeeToken(t, who), fresh.id);
      expect(other.status, who).toBe(403);
      expect(other.body.error.code).toBe('candidate_profile_forbidden');
    }
  });

  it('an assigned reviewer sees only the application they review, contact masked; rating shows', async () => {
    const token = await employeeToken(t, 'int01');
    const before = await views();
    const res = await profile(token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.profile.mobile).toBe('139****0001');
    expect(res.body.profile.applications).toHaveLength(1);
    expect(res.body.profile.applications[0]).toMatchObject({
      applicationId: backendAppId,
      access: 'reviewer',
      report: { id: reportId, ratedByMe: false },
    });
    expect(await views()).toBe(before + 1);
    const rated = await t.api('PUT', `/api/reports/${reportId}/ratings`, {
      token,
      body: { ratings: [{ competency: '问题解决', score: 4 }] },
    });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);
    expect((await profile(token)).body.profile.applications[0].report.ratedByMe).toBe(true);
  });

  it('the interviewer of a live booking counts as assigned', async () => {
    const res = await profile(await employeeToken(t, 'int03'));
    expect(res.status).toBe(200);
    expect(res.body.profile.applications.map((a: { access: string }) => a.access)).toEqual(['reviewer']);
  });

  it('the job’s hiring manager sees that job’s application only', async () => {
    const res = await profile(await employeeToken(t, 'mgr01'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.profile.applications.map((a: { applicationId: number }) => a.applicationId)).toEqual([
      backendAppId,
    ]);
    expect(res.body.profile.applications[0].access).toBe('manager');
  });

  it('others get 403 candidate_profile_forbidden, unknown ids 404 for HR and 403 for others, bad ids 400; nothing is audited', async () => {
    const before = await views();
    for (const who of ['int02', 'int04']) {
      const res = await profile(await employeeToken(t, who));
      expect(res.status, who).toBe(403);
      expect(res.body.error.code).toBe('candidate_profile_forbidden');
      expect(res.body.error.message).toContain('assigned reviewers');
    }
    // The candidate themself: this is the hiring team's view, not their own record.
    const self = await profile(await candidateToken(t, candidateId));
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('candidate_profile_forbidden');
    const unknown = await profile(await employeeToken(t, 'hr01'), 99999999);
    expect(unknown.status).toBe(404);
    // Not HR: an unknown id looks like someone else's candidate (no probing which ids exist).
    const probe = await profile(await employeeToken(t, 'int01'), 99999999);
    expect(probe.status).toBe(403);
    expect(probe.body.error.code).toBe('candidate_profile_forbidden');
    const bad = await profile(await employeeToken(t, 'hr01'), 'abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('params.id');
    expect(await views()).toBe(before);
  });

  it('a manager of another job’s department sees that job’s application only', async () => {
    // mgr02 (赵敏) manages 销售部 and the sales job: not the backend application.
    const res = await profile(await employeeToken(t, 'mgr02'));
    expect(res.status).toBe(200);
    expect(res.body.profile.applications.map((a: { applicationId: number }) => a.applicationId)).toEqual([
      salesAppId,
    ]);
  });
});
