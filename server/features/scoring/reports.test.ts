import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { InterviewReport, ReportRating, ReviewTask } from '../../kernel/db/entities/Scoring';
import { invitationTokenOf } from '../../kernel/http/tokens';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { submittedAnswer } from '../../testing/scoring';
import type { SubmittedSession } from '../interview';
import { scoreSession } from './pipeline';
import { scoringDeps } from './worker';

const GOOD =
  '当时我们的订单服务在大促期间出现大量超时，我负责排查。首先我查看了监控和日志，发现数据库查询耗时从50毫秒涨到了2秒。然后我分析慢查询日志，找到根本原因是缺少索引。我对比了加索引和加缓存两个方案，先加了索引。结果接口响应时间降低了90%。事后我组织复盘，增加了慢查询告警，防止再次发生。';

describeEachDialect('report routes and policies', (dialect) => {
  let t: TestApp;
  let reportId: number;
  const tok: Record<string, string> = {};

  async function candidateToken(name: string): Promise<string> {
    const app = await t.orm.em
      .fork()
      .findOneOrFail(Application, { candidate: { name } }, { populate: ['candidate', 'job'] });
    const inv = await t.api('POST', '/api/invitations', {
      token: tok.hr,
      body: { candidateId: app.candidate.id, jobId: app.job.id },
    });
    if (inv.status !== 201) throw new Error(`invite ${name}: ${inv.status} ${JSON.stringify(inv.body)}`);
    const token = invitationTokenOf(inv.body.invitation.url);
    return (await t.api('POST', '/api/auth/invitation', { body: { token } })).body.token;
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, { env: { ASR_POLL_MS: '20' } });
    for (const u of ['hr01', 'mgr01', 'mgr02', 'int01', 'int02', 'int03']) tok[u] = await t.signInEmployee(u);
    tok.hr = tok.hr01;
    tok.a = await candidateToken('张三');
    tok.b = await candidateToken('李四');
    const app = await t.orm.em
      .fork()
      .findOneOrFail(Application, { candidate: { name: '张三' } }, { populate: ['job'] });
    const key = `interviews/77/1/1.webm`;
    await t.storage.put(key, Buffer.from('fake'), { contentType: 'video/webm' });
    await t.sandbox.registerTranscript({ match: key, text: GOOD, durationMs: 100_000 });
    const s: SubmittedSession = {
      applicationId: app.id,
      sessionId: 77,
      candidateId: app.candidate.id,
      jobId: app.job.id,
      personOnly: false,
      aiConsent: true,
      answers: [submittedAnswer({ answerId: 770, objectKey: key, durationMs: 100_000 })],
    };
    reportId = (await scoreSession(scoringDeps(t.config, t.orm, t.storage), s)).reportId;
  });
  afterAll(async () => t?.close());

  it('HR reads the report: evidence highlighted inside the transcript, recommendation only a suggestion', async () => {
    const res = await t.api('GET', `/api/reports/${reportId}`, { token: tok.hr });
    expect(res.status).toBe(200);
    const r = res.body.report;
    expect(r.recommendationIsSuggestion).toBe(true);
    expect(r.answers).toHaveLength(1);
    const a = r.answers[0];
    expect(a.highlights.length).toBeGreaterThan(0);
    for (const h of a.highlights) expect(GOOD.slice(h.start, h.end).length).toBeGreaterThan(0);
    const quotes = r.competencies.flatMap((c: { evidence: Array<{ quote: string }> }) =>
      c.evidence.map((e) => e.quote),
    );
    for (const q of quotes) expect(a.transcript).toContain(q);
    const list = await t.api('GET', '/api/reports', { token: tok.hr });
    expect(list.body.items.map((x: { id: number }) => x.id)).toContain(reportId);
    expect(
      await t.orm.em.fork().count(AuditLog, { action: 'report.viewed', objectId: String(reportId) }),
    ).toBe(1);
  });

  it('policy: manager of the department yes, other manager no; interviewer only when assigned', async () => {
    // The demo seed assigns int01 to the backend team's applications.
    expect((await t.api('GET', `/api/reports/${reportId}`, { token: tok.int01 })).status).toBe(200);
    expect((await t.api('GET', `/api/reports/${reportId}`, { token: tok.mgr01 })).status).toBe(200);
    expect((await t.api('GET', `/api/reports/${reportId}`, { token: tok.mgr02 })).status).toBe(404);
    expect((await t.api('GET', `/api/reports/${reportId}`, { token: tok.int02 })).status).toBe(404);
    expect((await t.api('GET', '/api/reports', { token: tok.int02 })).body.items).toEqual([]);
    // Only HR assigns reviewers.
    expect(
      (await t.api('POST', `/api/reports/${reportId}/assignments`, { token: tok.mgr01, body: { userId: 1 } }))
        .status,
    ).toBe(403);
    const int02 = (await t.api('GET', '/api/me', { token: tok.int02 })).body.me.id;
    expect(
      (
        await t.api('POST', `/api/reports/${reportId}/assignments`, {
          token: tok.hr,
          body: { userId: int02 },
        })
      ).status,
    ).toBe(201);
    expect((await t.api('GET', `/api/reports/${reportId}`, { token: tok.int02 })).status).toBe(200);
    expect(
      (await t.api('GET', '/api/reports', { token: tok.int02 })).body.items.map((x: { id: number }) => x.id),
    ).toEqual([reportId]);
    expect((await t.api('GET', `/api/reports/${reportId}`, { token: tok.int03 })).status).toBe(404);
    expect((await t.api('GET', '/api/reports', { token: tok.int03 })).body.items).toEqual([]);
  });

  it("policy: a candidate never sees the HR view, the video, or another candidate's feedback", async () => {
    for (const who of [tok.a, tok.b]) {
      expect((await t.api('GET', `/api/reports/${reportId}`, { token: who })).status).toBe(404);
      expect((await t.api('GET', `/api/reports/${reportId}/media/770`, { token: who })).status).toBe(404);
      expect((await t.api('GET', '/api/reports', { token: who })).status).toBe(403);
    }
    // Not released yet: even the owner sees nothing.
    expect((await t.api('GET', `/api/feedback/${reportId}`, { token: tok.a })).status).toBe(404);
    expect((await t.api('POST', `/api/reports/${reportId}/release`, { token: tok.int01 })).status).toBe(403);
    expect((await t.api('POST', `/api/reports/${reportId}/release`, { token: tok.hr })).status).toBe(200);
    const fb = await t.api('GET', `/api/feedback/${reportId}`, { token: tok.a });
    expect(fb.status).toBe(200);
    expect(fb.body.feedback.competencies[0]).toMatchObject({
      band: expect.stringMatching(/strong|good|fair|developing/),
    });
    expect(JSON.stringify(fb.body)).not.toMatch(/"score"|"overall"|rank/);
    // Plain words and the candidate's own quotes; the rubric's indicator phrases never leak.
    const comp = fb.body.feedback.competencies[0];
    expect(comp.explanation.length).toBeGreaterThan(10);
    expect(comp).not.toHaveProperty('reasons');
    const indicators = (
      await t.orm.em.fork().findOneOrFail(InterviewReport, { id: reportId })
    ).competencies.flatMap((c) => [...c.matched, ...c.missing]);
    expect(indicators.length).toBeGreaterThan(0);
    for (const ind of indicators) expect(JSON.stringify(fb.body)).not.toContain(ind);
    expect((await t.api('GET', '/api/feedback', { token: tok.a })).body.items).toHaveLength(1);
    expect((await t.api('GET', `/api/feedback/${reportId}`, { token: tok.b })).status).toBe(404);
    expect((await t.api('GET', '/api/feedback', { token: tok.b })).body.items).toEqual([]);
    expect((await t.api('GET', `/api/feedback/${reportId}`, { token: tok.hr })).status).toBe(404);
  });

  it('signed video URL for allowed reviewers only, and audited', async () => {
    const res = await t.api('GET', `/api/reports/${reportId}/media/770`, { token: tok.mgr01 });
    expect(res.status).toBe(200);
    expect(res.body.url).toContain('interviews/77/1/1.webm');
    expect(new Date(res.body.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(300_000 + 1000);
    expect((await t.api('GET', `/api/reports/${reportId}/media/999`, { token: tok.mgr01 })).status).toBe(404);
    expect((await t.api('GET', `/api/reports/${reportId}/media/770`, { token: tok.int03 })).status).toBe(404);
    expect(await t.orm.em.fork().count(AuditLog, { action: 'media.viewed' })).toBe(1);
  });

  it('ratings per competency: validated, upserted, audited; strangers cannot rate', async () => {
    const bad = await t.api('PUT', `/api/reports/${reportId}/ratings`, {
      token: tok.int01,
      body: { ratings: [{ competency: '问题解决', score: 6 }] },
    });
    expect(bad.status).toBe(400);
    const unknown = await t.api('PUT', `/api/reports/${reportId}/ratings`, {
      token: tok.int01,
      body: { ratings: [{ competency: '领导力', score: 3 }] },
    });
    expect(unknown.body.error.code).toBe('unknown_competency');
    const extra = await t.api('PUT', `/api/reports/${reportId}/ratings`, {
      token: tok.int01,
      body: { ratings: [], hack: 1 },
    });
    expect(extra.status).toBe(400);
    expect(await t.orm.em.fork().count(ReportRating, {})).toBe(0);
    const ok = await t.api('PUT', `/api/reports/${reportId}/ratings`, {
      token: tok.int01,
      body: {
        ratings: [
          { competency: '问题解决', score: 4 },
          { competency: '沟通协作', score: 2 },
        ],
        comment: '定位清晰，协作部分没讲',
      },
    });
    expect(ok.status).toBe(200);
    await t.api('PUT', `/api/reports/${reportId}/ratings`, {
      token: tok.int01,
      body: { ratings: [{ competency: '问题解决', score: 5 }] },
    });
    const rows = await t.orm.em.fork().find(ReportRating, {}, { orderBy: { competency: 'asc' } });
    expect(rows.map((r) => [r.competency, r.score])).toEqual([
      ['沟通协作', 2],
      ['问题解决', 5],
    ]);
    expect(
      (
        await t.api('PUT', `/api/reports/${reportId}/ratings`, {
          token: tok.int03,
          body: { ratings: [{ competency: '问题解决', score: 1 }] },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.api('PUT', `/api/reports/${reportId}/ratings`, {
          token: tok.a,
          body: { ratings: [{ competency: '问题解决', score: 5 }] },
        })
      ).status,
    ).toBe(404);
    expect(await t.orm.em.fork().count(AuditLog, { action: 'report.rated' })).toBe(2);
    const view = await t.api('GET', `/api/reports/${reportId}`, { token: tok.int01 });
    expect(view.body.report.ratedByMe).toBe(true);
  });

  it('the candidate asks for an explanation: a task for HR with a due date; one open request per kind', async () => {
    const body = { kind: 'explanation', message: '想了解沟通协作为什么是待提升' };
    const res = await t.api('POST', `/api/feedback/${reportId}/requests`, { token: tok.a, body });
    expect(res.status).toBe(201);
    expect(new Date(res.body.request.dueAt).getTime() - Date.now()).toBeGreaterThan(4 * 86_400_000);
    expect((await t.api('POST', `/api/feedback/${reportId}/requests`, { token: tok.a, body })).status).toBe(
      409,
    );
    expect((await t.api('POST', `/api/feedback/${reportId}/requests`, { token: tok.b, body })).status).toBe(
      404,
    );
    expect(
      (
        await t.api('POST', `/api/feedback/${reportId}/requests`, {
          token: tok.a,
          body: { kind: 'appeal', message: 'x' },
        })
      ).status,
    ).toBe(400);
    const tasks = await t.api('GET', '/api/review-tasks', { token: tok.hr });
    expect(
      tasks.body.items.some(
        (x: { kind: string; reportId: number }) => x.kind === 'explanation' && x.reportId === reportId,
      ),
    ).toBe(true);
    expect((await t.api('GET', '/api/review-tasks', { token: tok.int01 })).status).toBe(403);
    expect(await t.orm.em.fork().count(ReviewTask, { kind: 'explanation' })).toBe(1);
  });

  it('calibration: HR refits from ratings (too few: uncalibrated kept) and sees the versions; others cannot', async () => {
    expect((await t.api('POST', '/api/scoring/calibration', { token: tok.int01, body: {} })).status).toBe(
      403,
    );
    const res = await t.api('POST', '/api/scoring/calibration', { token: tok.hr, body: {} });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBeNull();
    expect(res.body.status).toMatchObject({ minRatings: 20, models: [] });
    const status = await t.api('GET', '/api/scoring/calibration', { token: tok.hr });
    expect(status.body).toMatchObject({ models: [], refitAfterRatings: 20 });
    expect(status.body.ratingsSinceLastFit).toBeGreaterThan(0);
    expect((await t.api('GET', '/api/scoring/calibration', { token: tok.int01 })).status).toBe(403);
    // The body takes no fields: a stray one is refused and names the field.
    const bad = await t.api('POST', '/api/scoring/calibration', { token: tok.hr, body: { jobId: 1 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('jobId');
  });
});
