/**
 * Reports on a phone, against the real server (all roles) and the sandbox: a candidate records
 * an answer through the interview API (a real recording made with espeak-ng and ffmpeg), the
 * sandbox's ASR returns what they said, and the server's worker transcribes and scores it into a
 * report. HR assigns an interviewer, who opens "interviews to review" from the home, reads the
 * report with evidence highlighted in the transcript, opens the video and rates each
 * competency; after HR releases it, the candidate reads the feedback (bands, no scores) and asks
 * for an explanation. Screenshots land in test-results/miniapp/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { Department } from '../../server/kernel/db/entities/Department';
import { InterviewReport, ReportRating, ReviewTask } from '../../server/kernel/db/entities/Scoring';
import { User } from '../../server/kernel/db/entities/User';
import { makeJob, uniq } from '../../server/testing/factories';
import { candidateToken, giveConsent, makeRecordings, waitVerdict } from '../../server/testing/interview';
import { browserTestsRunnable, launchBrowser } from './browser';
import { responseTo, SHOTS, useStackAndBrowser } from './helpers';

/** What the candidate "said" (the sandbox does not recognise speech: the test registers it). */
const SPOKEN =
  '当时我负责订单系统的超时问题。首先我看监控和日志，找到根本原因是缺少索引，加索引后延迟降低了一半。';
/** The typed answer to the second question. */
const TYPED = '我先主动和同事沟通，倾听他的顾虑，再用数据说明风险，最后我们商量出折中方案，达成共识。';

describe.skipIf(!browserTestsRunnable())('reports on a phone against the real server', () => {
  const ctx = useStackAndBrowser(undefined, { env: { ASR_POLL_MS: '50' } });
  let files: Awaited<ReturnType<typeof makeRecordings>>;
  beforeAll(async () => {
    files = await makeRecordings(ctx.stack.dataDir);
  }, 60_000);

  /** The candidate takes the interview through the API: one recorded answer, one typed, submit. */
  async function takeInterview(jobId: number): Promise<number> {
    const t = ctx.stack;
    const token = await candidateToken(t, '陈静', jobId);
    await giveConsent(t, token);
    expect(
      (await t.api('POST', '/api/interview/start', { token, body: { recorderMime: 'video/webm' } })).status,
    ).toBe(200);
    const q1 = (await t.api('POST', '/api/interview/next', { token })).body.answer;
    const data = fs.readFileSync(files.speech);
    const g = await t.api('POST', `/api/interview/answers/${q1.id}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: data.length },
    });
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    await t.sandbox.registerTranscript({ match: g.body.grant.key, text: SPOKEN, durationMs: 15_000 });
    const put = await fetch(`${t.appUrl}${g.body.grant.url}`, {
      method: 'PUT',
      headers: { 'content-type': 'video/webm', 'upload-offset': '0', 'upload-length': String(data.length) },
      body: data,
    });
    expect(put.status).toBe(200);
    await t.api('POST', `/api/interview/answers/${q1.id}/complete`, {
      token,
      body: { attempt: g.body.grant.attempt },
    });
    // The stack's worker checks the recording; accept once its verdict is in.
    expect((await waitVerdict(t, token, q1.id, g.body.grant.attempt)).body.status).toBe('verified');
    await t.api('POST', `/api/interview/answers/${q1.id}/accept`, { token });
    const q2 = (await t.api('POST', '/api/interview/next', { token })).body.answer;
    await t.api('POST', `/api/interview/answers/${q2.id}/text`, {
      token,
      body: {
        text: '我先主动和同事沟通，倾听他的顾虑，再用数据说明风险，最后我们商量出折中方案，达成共识。',
      },
    });
    const sub = await t.api('POST', '/api/interview/submit', { token });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    return sub.body.session.id as number;
  }

  it('an interviewer reads the report with highlighted evidence and rates each competency; the candidate reads released feedback', async () => {
    const em = () => ctx.stack.orm.em.fork();
    const department = await em().findOneOrFail(Department, { name: '研发中心' });
    const job = await makeJob(ctx.stack.orm, {
      // A title of its own: a retried test finds its own report, not the first attempt's.
      title: uniq('后端工程师'),
      department,
      questions: [
        { text: '线上服务出现大量超时，你会如何定位并解决？', competencies: ['问题解决'] },
        {
          text: '讲一次你和同事意见不一致的经历。',
          competencies: ['沟通协作'],
          answerType: 'text',
          maxChars: 300,
        },
      ],
    });
    const sessionId = await takeInterview(job.id);
    // The worker transcribes (sandbox ASR) and scores the submitted interview.
    let report: { id: number; overall?: number | null; status: string } | null = null;
    await expect
      .poll(
        async () => {
          report = await em().findOne(InterviewReport, { sessionId });
          return report?.status ?? null;
        },
        { timeout: 90_000, interval: 500 },
      )
      .toBe('ready');
    const { id: reportId, overall } = report as unknown as { id: number; overall: number };
    expect(overall).toBeGreaterThan(0);

    // HR assigns int01 as a reviewer (an interviewer sees only the reports assigned to them).
    const hr = await ctx.stack.signInEmployee('hr01');
    const int01 = await em().findOneOrFail(User, { dingtalkUserId: 'int01' });
    const assigned = await ctx.stack.api('POST', `/api/reports/${reportId}/assignments`, {
      token: hr,
      body: { userId: int01.id },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBeLessThan(300);

    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('int01')}`,
    );
    await page.getByTestId('reports-open').click();
    await page.getByTestId('report-item').filter({ hasText: job.title }).click();
    await page.getByTestId('report').waitFor();
    expect(await page.getByTestId('report-overall').textContent()).toContain(String(overall));
    // Evidence quoted from the answer is highlighted in its transcript.
    const marks = await page.locator('.rp-transcript mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(SPOKEN.includes(m) || TYPED.includes(m), m).toBe(true);
    expect(marks.some((m) => SPOKEN.includes(m))).toBe(true);
    expect(await page.getByTestId('report').textContent()).toContain('仅供参考');
    // What the score rests on, and rubric coverage named as what it is (not a job match).
    expect((await page.getByTestId('score-basis').first().textContent()) ?? '').toMatch(/\d+%/);
    expect(await page.getByTestId('report').textContent()).toContain('评分要点覆盖');
    expect(await page.getByTestId('report').textContent()).not.toContain('岗位匹配');
    await page.locator('[data-testid^="play-"]').first().click();
    await page.locator('video.rp-video').waitFor();
    const rated = responseTo(page, (r) => new URL(r.url()).pathname === `/api/reports/${reportId}/ratings`);
    const stars = page.locator('[data-testid="rating-form"] .adm-rate');
    const competencies = await stars.count();
    expect(competencies).toBeGreaterThan(0);
    for (let i = 0; i < competencies; i++) await stars.nth(i).locator('.adm-rate-star').nth(3).tap();
    await page.getByTestId('rating-submit').click();
    expect((await rated).status()).toBe(200);
    const ratings = await em().find(ReportRating, { report: reportId, reviewer: int01.id });
    expect(ratings.length).toBe(competencies);
    expect(ratings.every((r) => r.score === 4)).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'report-interviewer.png'), fullPage: true });

    // HR releases it; the candidate sees bands, never the score, and asks for an explanation.
    expect((await ctx.stack.api('POST', `/api/reports/${reportId}/release`, { token: hr })).status).toBe(200);
    const candidate = await em().findOneOrFail(Candidate, { name: '陈静' });
    const inv = await ctx.stack.api('POST', '/api/invitations', {
      token: hr,
      body: { candidateId: candidate.id, jobId: job.id },
    });
    const other = await launchBrowser();
    try {
      const cpage = await other.context.newPage();
      await cpage.goto(inv.body.invitation.url);
      // The home reads the feedback too (its next step); let that settle so the response
      // awaited below is the feedback screen's own.
      await cpage.getByTestId('feedback-open').waitFor();
      await cpage.waitForLoadState('networkidle');
      const served = responseTo(cpage, (r) => new URL(r.url()).pathname === '/api/feedback');
      await cpage.getByTestId('feedback-open').click();
      const body = await (await served).json();
      await cpage.getByTestId('feedback-card').first().waitFor();
      const text = (await cpage.getByTestId('feedback').textContent()) ?? '';
      expect(text).toMatch(/突出|良好|合格|待提升/);
      // No score reaches the candidate: not in what the server sent, not on the screen.
      expect(JSON.stringify(body)).not.toMatch(/"(overall|score)"\s*:/);
      expect(text).not.toMatch(/\d+\s*分/);
      // Plain words, never the rubric's indicator phrases (they would teach the rubric).
      const shown = body.feedback ?? body;
      for (const c of shown.competencies ?? []) expect(typeof c.explanation).toBe('string');
      const report = await em().findOneOrFail(InterviewReport, { id: reportId });
      for (const c of report.competencies)
        for (const e of c.evidence) if (e.indicator) expect(text).not.toContain(e.indicator);
      await cpage.getByTestId('ask-explanation').first().click();
      await cpage.locator('textarea').fill('想了解评价的依据');
      const asked = responseTo(
        cpage,
        (r) => new URL(r.url()).pathname === `/api/feedback/${reportId}/requests`,
      );
      await cpage.getByTestId('feedback-send').click();
      const res = await asked;
      expect(res.status()).toBe(201);
      expect(res.request().postDataJSON()).toEqual({ kind: 'explanation', message: '想了解评价的依据' });
      expect(await em().count(ReviewTask, { report: reportId, kind: 'explanation' })).toBe(1);
      await cpage.screenshot({ path: path.join(SHOTS, 'feedback-candidate.png'), fullPage: true });
    } finally {
      await other.close();
    }
  }, 240_000);
});
