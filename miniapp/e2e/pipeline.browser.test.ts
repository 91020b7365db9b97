/**
 * The hiring pipeline on a phone, against the real server (all roles) and the sandbox's DingTalk
 * approvals: a scored candidate's 复试审批 is refused in DingTalk with a remark, the decision
 * comes back over Stream, and HR filters the suggested rejections, opens the candidate (stage
 * history, approval, remark) and confirms the rejection; another candidate's offer is approved in
 * DingTalk and the candidate accepts it in the app. Data comes from the factories, the domain
 * events the interview would emit, the real API and the sandbox's approval hooks.
 * Screenshots land in test-results/miniapp/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Application } from '../../server/kernel/db/entities/Application';
import { ApplicationReview } from '../../server/kernel/db/entities/ApplicationReview';
import { Approval } from '../../server/kernel/db/entities/Approval';
import { Job } from '../../server/kernel/db/entities/Job';
import { publishApplicationEvent } from '../../server/testing/events';
import { makeApplication, makeCandidate } from '../../server/testing/factories';
import type { TestStack } from '../../server/testing/harness';
import type { EventMap, EventType } from '../../shared/events';
import { expectAccessible } from './a11y';
import { browserTestsRunnable } from './browser';
import { responseTo, SHOTS, useStackAndBrowser } from './helpers';

const POLL = { timeout: 60_000, interval: 500 };

describe.skipIf(!browserTestsRunnable())('hiring pipeline on a phone against the real server', () => {
  const ctx = useStackAndBrowser();
  const em = () => ctx.stack.orm.em.fork();
  const stageOf = async (id: number) => (await em().findOneOrFail(Application, { id })).stage;

  /** Emits a domain event into the running server, as the interview and scoring features do. */
  const publish = <K extends EventType>(stack: TestStack, type: K, key: string, data: EventMap[K]) =>
    publishApplicationEvent(stack.orm, type, key, data);

  /** A running approval of `kind` for the application, once the worker has started it in DingTalk. */
  async function runningApproval(applicationId: number, kind: 'second_round' | 'offer') {
    let found: { processInstanceId: string } | null = null;
    await expect
      .poll(async () => {
        const a = await em().findOne(Approval, { application: applicationId, kind, status: 'running' });
        found = a?.processInstanceId ? { processInstanceId: a.processInstanceId } : null;
        return found;
      }, POLL)
      .not.toBeNull();
    return found as unknown as { processInstanceId: string };
  }

  /** The interview of a new candidate for `job` is submitted and scored `overall`. */
  async function scored(name: string, jobId: number, overall: number) {
    const job = await em().findOneOrFail(Job, { id: jobId });
    const candidate = await makeCandidate(ctx.stack.orm, { name });
    const app = await makeApplication(ctx.stack.orm, { candidate, job, stage: 'interviewing' });
    const base = { applicationId: app.id, candidateId: candidate.id, jobId: job.id };
    await publish(ctx.stack, 'interview.submitted', `e2e:${app.id}:submitted`, { ...base, sessionId: 1 });
    await publish(ctx.stack, 'report.ready', `e2e:${app.id}:report`, {
      ...base,
      reportId: 9000 + app.id,
      overall,
      competencies: [{ name: '技术深度', score: overall, evidence: ['我们把订单服务拆成了三个模块'] }],
      strengths: ['系统设计思路清晰'],
      gaps: [{ competency: '沟通协作', text: '例子偏少', suggestion: '多准备跨团队协作的具体案例' }],
      flags: [],
      recommendation: overall >= 75 ? '建议进入复试' : '建议 HR 评估',
      reportUrl: `${ctx.stack.appUrl}/reports/${9000 + app.id}`,
    });
    return app;
  }

  it('HR filters suggested rejections, reads the history, confirms the rejection; a refused approval shows its remark', async () => {
    const job = await em().findOneOrFail(Job, { slug: 'backend' });
    // Below the reject line: a suggested rejection for HR to confirm.
    const low = await scored('李四四', job.id, 42);
    // Above the pass line: the worker starts a 复试审批 in DingTalk; the manager refuses it there.
    const high = await scored('王五五', job.id, 86);
    const approval = await runningApproval(high.id, 'second_round');
    await ctx.stack.sandbox.decideApproval(approval.processInstanceId, {
      userid: 'mgr01',
      result: 'refuse',
      remark: '项目经验与岗位不匹配',
    });
    const review = (id: number) => em().findOne(ApplicationReview, { application: id });
    await expect.poll(async () => (await review(low.id))?.suggestion, POLL).toBe('reject');
    await expect.poll(async () => (await review(high.id))?.remark, POLL).toBe('项目经验与岗位不匹配');

    const page = await ctx.browser.context.newPage();
    await page.goto(
      `${ctx.stack.appUrl}/?sandbox_auth_code=${await ctx.stack.sandbox.issueAuthCode('hr01')}`,
    );
    await page.getByTestId(`pipeline-job-${job.id}`).click();
    await page.getByTestId('pipeline-board').waitFor();
    const filtered = responseTo(page, (r) => {
      const u = new URL(r.url());
      return u.pathname === `/api/pipeline/jobs/${job.id}` && u.searchParams.get('suggestion') === 'reject';
    });
    await page.getByTestId('filter-reject').click();
    const board = await (await filtered).json();
    // Only suggested rejections: the refused approval goes back to HR for review, not rejection.
    const names = board.items.map((i: { candidateName: string }) => i.candidateName);
    expect(names).toContain('李四四');
    expect(names).not.toContain('王五五');
    await page.getByTestId('pipeline-card').filter({ hasText: '李四四' }).click();
    await page.getByTestId('application').waitFor();
    await expect.poll(() => page.getByTestId('application').textContent()).toContain('低于淘汰线');
    await page.screenshot({ path: path.join(SHOTS, 'pipeline-application.png'), fullPage: true });
    const decided = responseTo(
      page,
      (r) => new URL(r.url()).pathname === `/api/applications/${low.id}/decisions`,
    );
    await page.getByTestId('action-reject').click();
    await page.getByRole('button', { name: /确定|确认/ }).click();
    const res = await decided;
    expect(res.status()).toBe(200);
    expect(res.request().postDataJSON()).toMatchObject({ action: 'reject' });
    expect(await stageOf(low.id)).toBe('rejected');

    // The refused approval: its remark and the approval are on the candidate's page.
    await page.goto(`${ctx.stack.appUrl}/pipeline/applications/${high.id}`);
    await page.getByTestId('application').waitFor();
    await expect.poll(() => page.getByTestId('application').textContent()).toContain('项目经验与岗位不匹配');
    expect(await page.getByTestId('application').textContent()).toContain('王五五');
  });

  it('a candidate accepts the offer DingTalk approved', async () => {
    const job = await em().findOneOrFail(Job, { slug: 'backend' });
    const candidate = await makeCandidate(ctx.stack.orm, { name: '周录用', mobile: '13700009999' });
    const app = await makeApplication(ctx.stack.orm, { candidate, job, stage: 'second_round_booked' });
    const hr = await ctx.stack.signInEmployee('hr01');
    let res = await ctx.stack.api('POST', `/api/applications/${app.id}/decisions`, {
      token: hr,
      body: { action: 'complete_second_round', version: app.version },
    });
    expect(res.status).toBe(200);
    res = await ctx.stack.api('POST', `/api/applications/${app.id}/decisions`, {
      token: hr,
      body: {
        action: 'request_offer',
        version: res.body.version,
        offer: { salary: '35k×15', level: 'P6', startDate: '2027-01-04' },
      },
    });
    expect(res.body.stage).toBe('offer_approval');
    const approval = await runningApproval(app.id, 'offer');
    for (const userid of ['hr01', 'mgr01'])
      await ctx.stack.sandbox.decideApproval(approval.processInstanceId, { userid, result: 'agree' });
    await expect.poll(() => stageOf(app.id), POLL).toBe('offer_sent');

    const inv = await ctx.stack.api('POST', '/api/invitations', {
      token: hr,
      body: { candidateId: candidate.id, jobId: job.id },
    });
    expect(inv.status).toBe(201);
    const page = await ctx.browser.context.newPage();
    await page.goto(inv.body.invitation.url);
    await page.getByTestId('home-candidate').waitFor();
    await page.getByTestId('offer-entry').click();
    await page.getByTestId('offer').waitFor();
    expect(await page.getByTestId('offer').textContent()).toContain('35k×15');
    await expectAccessible(page, 'offer answer');
    const answered = responseTo(
      page,
      (r) => new URL(r.url()).pathname === `/api/applications/${app.id}/offer-answer`,
    );
    await page.getByTestId('offer-accept').click();
    await page.getByRole('button', { name: /确定|确认/ }).waitFor();
    await expectAccessible(page, 'offer answer confirmation');
    await page.getByRole('button', { name: /确定|确认/ }).click();
    const sent = await answered;
    expect(sent.status()).toBe(200);
    expect(sent.request().postDataJSON()).toMatchObject({ answer: 'accept' });
    await page.getByText('已接受').waitFor();
    await expectAccessible(page, 'offer answered');
    expect(['accepted', 'onboarding']).toContain(await stageOf(app.id));
    await page.screenshot({ path: path.join(SHOTS, 'pipeline-offer.png'), fullPage: true });
  });
});
