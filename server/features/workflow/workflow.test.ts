import { afterAll, beforeAll, expect, it } from 'vitest';
import { AccommodationRequest } from '../../kernel/db/entities/AccommodationRequest';
import { Application } from '../../kernel/db/entities/Application';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { Approval } from '../../kernel/db/entities/Approval';
import { AuditLog, type IAuditLog } from '../../kernel/db/entities/AuditLog';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { InboundEvent } from '../../kernel/db/entities/InboundEvent';
import { InterviewAccommodation } from '../../kernel/db/entities/InterviewAccommodation';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { type IUser, User } from '../../kernel/db/entities/User';
import { wiringOf } from '../../kernel/events/registry';
import type { EventMap, EventType } from '../../kernel/events/types';
import { invitationTokenOf } from '../../kernel/http/tokens';
import { sealEvent } from '../../kernel/integrations/dingtalk/callbackCrypto';
import type { StreamConnection } from '../../kernel/integrations/dingtalk/stream';
import { type RunningJobs, startJobs } from '../../kernel/jobs/registry';
import { startStream } from '../../runtime';
import { candidateToken } from '../../testing/booking';
import { publishApplicationEvent } from '../../testing/events';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { approvalForm } from '../../testing/sandboxClient';
import { httpEventMode, startVariantApp, type VariantApp } from '../../testing/variantApp';
import { ensureTemplates } from './approvals';
import { reconcileApprovals } from './jobs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 8000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(40);
  }
}

describeEachDialect('hiring workflow through the sandbox', (dialect) => {
  let t: TestApp;
  // A web process configured for HTTP callbacks beside the Stream worker (same database).
  let http: VariantApp;
  let runner: RunningJobs;
  let stream: StreamConnection | null;
  let hr: string;
  // The worker role's jobs without timers: the test wakes them (as each cron wake would).
  const jobs = {
    wake: () =>
      Promise.all(
        ['workflow.start_approval', 'workflow.withdraw_approval', 'workflow.preentry'].map((c) =>
          runner.run(`consumer.${c}`),
        ),
      ),
    reconcile: (now: Date) => reconcileApprovals(t.deps, now),
  };

  beforeAll(async () => {
    // This suite is about what an approval means, not DingTalk's quota. With redelivery sped up
    // (below), a loaded machine let the approval lookups of one test's events and redeliveries
    // use up the 20 calls/s of an API, and the next test's approval start was then throttled
    // and retried by the outbox a minute later (seen in the full suite, with the outbox row's
    // lastError QpsLimitForAppkeyAndApi). Throttling itself is tested with DingTalk's quota in
    // the messaging and HRM suites.
    t = await startTestApp(dialect, { qpsLimit: 200 });
    // DingTalk redelivers unacked Stream frames after ~60 s; the sandbox is told to be quicker.
    await t.sandbox.configureEvents({ redeliverMs: 1500, retryMs: 100 });
    runner = startJobs(t.runtime.jobs, t.deps, ['worker'], { timers: false });
    stream = startStream(t.runtime, ['worker'], () => runner.wakeConsumers());
    await waitFor('stream connection', async () => (await t.sandbox.events()).connections.length > 0);
    hr = await t.signInEmployee('hr01');
    http = await startVariantApp(t, httpEventMode);
  }, 30_000);

  afterAll(async () => {
    await http?.close();
    stream?.close();
    await runner?.stop();
    await t?.close();
  });

  const fresh = () => t.orm.em.fork();
  const stageOf = async (id: number) => (await fresh().findOneOrFail(Application, { id })).stage;

  /** An application of a demo candidate for a job, put back at `invited`. */
  async function application(candidateName: string) {
    const em = fresh();
    const app = await em.findOneOrFail(
      Application,
      { candidate: { name: candidateName } },
      { populate: ['candidate', 'job'] },
    );
    return app;
  }

  const publish = <K extends EventType>(type: K, key: string, data: EventMap[K]) =>
    publishApplicationEvent(t.orm, type, key, data);

  async function toScored(name: string, overall: number, flags: string[] = []) {
    const app = await application(name);
    const base = { applicationId: app.id, candidateId: app.candidate.id, jobId: app.job.id };
    await publish('interview.submitted', `test:${app.id}:submitted`, { ...base, sessionId: 1 });
    await publish('report.ready', `test:${app.id}:report`, {
      ...base,
      reportId: 100 + app.id,
      overall,
      competencies: [
        {
          name: '技术深度',
          score: overall,
          evidence: ['我们把订单服务拆成了三个读写分离的模块', '压测到 5000 QPS'],
        },
        { name: '沟通协作', score: overall - 10, evidence: ['我每周和产品对齐一次需求'] },
      ],
      strengths: ['系统设计思路清晰'],
      gaps: [{ competency: '沟通协作', text: '例子偏少', suggestion: '多准备跨团队协作的具体案例' }],
      flags,
      recommendation: overall >= 75 ? '建议进入复试' : '建议 HR 评估',
      reportUrl: `http://localhost:1/reports/${100 + app.id}`,
    });
    return app;
  }

  async function runningApproval(appId: number, kind: 'second_round' | 'offer' = 'second_round') {
    await jobs.wake();
    // The approval is started by an outbox consumer after the report event; with the whole suite
    // running on two cores, and DingTalk's per-app QPS limit making it back off, that can take
    // longer than the default wait.
    try {
      return await waitFor(
        'approval running',
        async () => {
          const a = await fresh().findOne(Approval, { application: appId, kind, status: 'running' });
          if (!a) await jobs.wake();
          return a;
        },
        20_000,
      );
    } catch (err) {
      // Say where it stuck (stage, approval rows, the consumer's outbox rows) so a rare timeout
      // under a loaded machine can be diagnosed from the CI log alone.
      const em = fresh();
      const state = {
        stage: await stageOf(appId),
        approvals: await em.find(Approval, { application: appId }),
        outbox: (await em.find(OutboxMessage, {}, { orderBy: { id: 'desc' }, limit: 8 })).map((o) => ({
          topic: o.topic,
          status: o.status,
          attempts: o.attempts,
          dueAt: o.dueAt,
          leaseUntil: o.leaseUntil,
          lastError: o.lastError,
          payload: o.payload,
        })),
      };
      throw new Error(`${(err as Error).message}: ${JSON.stringify(state)}`);
    }
  }

  async function decide(pid: string, userid: string, result: 'agree' | 'refuse', remark = '') {
    const res = await fetch(`${t.sandbox.url}/api/sandbox/approvals/${pid}/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userid, result, remark }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
  }

  it('passing report -> pre-filled approval -> both approvers agree -> event via Stream -> second round', async () => {
    const app = await toScored('张三', 86);
    expect(await stageOf(app.id)).toBe('in_review');
    const review = await fresh().findOneOrFail(ApplicationReview, { application: app.id });
    expect(review).toMatchObject({ suggestion: 'pass', reason: 'pass_threshold', overall: 86 });
    const approval = await runningApproval(app.id);
    // The form as sent to DingTalk: candidate, job, scores, strengths, gaps, quotes, link.
    const inst = await t.sandbox.approval(approval.processInstanceId as string);
    expect(inst?.mode).toBe('AND');
    expect(inst?.approverUserIds).toEqual(['hr01', 'mgr01']);
    expect(inst?.ccUserIds).toEqual(['hr02']);
    const form = approvalForm(inst);
    expect(form).toMatchObject({
      候选人: '张三',
      AI综合评分: '86',
      报告链接: `http://localhost:1/reports/${100 + app.id}`,
    });
    expect(form.各项能力评分).toContain('技术深度：86');
    expect(form.面试原话摘录).toContain('订单服务');
    expect(form.待提升).toContain('例子偏少');

    // A second approval for the same stage is refused.
    const dup = await t.api('POST', `/api/applications/${app.id}/decisions`, {
      token: hr,
      body: {
        action: 'request_second_round',
        version: (await fresh().findOneOrFail(Application, { id: app.id })).version,
      },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('approval_already_open');

    await decide(approval.processInstanceId as string, 'hr01', 'agree', '同意');
    await sleep(200);
    expect(await stageOf(app.id)).toBe('in_review'); // AND: the manager has not agreed yet
    await decide(approval.processInstanceId as string, 'mgr01', 'agree', '技术不错');
    await waitFor('second round', async () => (await stageOf(app.id)) === 'second_round');
    const a = await fresh().findOneOrFail(Approval, { id: approval.id });
    expect(a).toMatchObject({ status: 'agreed', activeKey: null });
    const history = await t.api('GET', `/api/applications/${app.id}`, { token: hr });
    const last = history.body.application.history.at(-1);
    expect(last).toMatchObject({ from: 'in_review', to: 'second_round', by: 'approver' });
    expect(last.approver).toBe('hr01,mgr01');
    expect(last.actorKind).toBe('employee');
    // The bot is told once: stage changed + approval decided rows for its consumer.
    const rows = await fresh().find(OutboxMessage, {
      aggregate: `application:${app.id}`,
      topic: 'approval.decided',
    });
    expect(rows).toHaveLength(1);

    // The candidate books the live slot (the booking feature's event) -> second_round_booked.
    await publish('booking.created', `test:${app.id}:booking2`, {
      bookingId: 9001,
      applicationId: app.id,
      candidateId: app.candidate.id,
      jobId: app.job.id,
      kind: 'second_round',
      interviewerId: null,
      startAt: '2026-12-01T02:00:00Z',
      endAt: '2026-12-01T03:00:00Z',
      timezone: 'Asia/Shanghai',
    });
    expect(await stageOf(app.id)).toBe('second_round_booked');
  }, 30_000);

  it('offer: approval agreed over HTTP callback, candidate accepts, pre-entry record created', async () => {
    const app = await application('张三');
    const cur = await fresh().findOneOrFail(Application, { id: app.id });
    let res = await t.api('POST', `/api/applications/${app.id}/decisions`, {
      token: hr,
      body: { action: 'complete_second_round', version: cur.version },
    });
    expect(res.status).toBe(200);
    // Stale version -> 409, nothing changes.
    const stale = await t.api('POST', `/api/applications/${app.id}/decisions`, {
      token: hr,
      body: {
        action: 'request_offer',
        version: cur.version,
        offer: { salary: '35k×15', level: 'P6', startDate: '2027-01-04' },
      },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('already_decided');
    res = await t.api('POST', `/api/applications/${app.id}/decisions`, {
      token: hr,
      body: {
        action: 'request_offer',
        version: res.body.version,
        offer: { salary: '35k×15', level: 'P6', startDate: '2027-01-04' },
      },
    });
    expect(res.body.stage).toBe('offer_approval');

    await t.sandbox.configureEvents({ mode: 'http', url: `${http.url}/api/dingtalk/events` });
    try {
      const approval = await runningApproval(app.id, 'offer');
      const inst = await t.sandbox.approval(approval.processInstanceId as string);
      expect(approvalForm(inst)).toMatchObject({
        薪资: '35k×15',
        职级: 'P6',
        入职日期: '2027-01-04',
      });
      await decide(approval.processInstanceId as string, 'hr01', 'agree');
      await decide(approval.processInstanceId as string, 'mgr01', 'agree');
      await waitFor('offer sent', async () => (await stageOf(app.id)) === 'offer_sent');
      // The result came over the encrypted HTTP callback and the app's "success" reply was accepted.
      const finish = await waitFor('finish delivered', async () =>
        (await t.sandbox.events()).deliveries.find(
          (d) =>
            d.fields.processInstanceId === approval.processInstanceId &&
            d.eventType === 'bpms_instance_change' &&
            d.fields.type === 'finish' &&
            d.status === 'delivered',
        ),
      );
      expect(finish?.log.at(-1)).toMatch(/^http attempt \d+: success/);
    } finally {
      await t.sandbox.configureEvents({ mode: 'stream', url: null });
    }

    // The candidate signs in with an invitation and accepts.
    const inv = await t.api('POST', '/api/invitations', {
      token: hr,
      body: { candidateId: app.candidate.id, jobId: app.job.id },
    });
    const token = invitationTokenOf(inv.body.invitation.url);
    const me = await t.api('POST', '/api/auth/invitation', { body: { token } });
    const cand = me.body.token as string;
    const mine = await t.api('GET', '/api/my/applications', { token: cand });
    const item = mine.body.items.find((i: { id: number }) => i.id === app.id);
    expect(item).toMatchObject({ stage: 'offer_sent', offer: { level: 'P6', startDate: '2027-01-04' } });
    // HR cannot answer for the candidate.
    expect(
      (
        await t.api('POST', `/api/applications/${app.id}/offer-answer`, {
          token: hr,
          body: { answer: 'accept', version: item.version },
        })
      ).status,
    ).toBe(404);
    res = await t.api('POST', `/api/applications/${app.id}/offer-answer`, {
      token: cand,
      body: { answer: 'accept', version: item.version },
    });
    expect(res.body.stage).toBe('accepted');
    await jobs.wake();
    await waitFor('onboarding', async () => {
      if ((await stageOf(app.id)) === 'onboarding') return true;
      await jobs.wake();
      return false;
    });
    const pre = await (await fetch(`${t.sandbox.url}/api/sandbox/hrm/preentries`)).json();
    const cmobile = (await fresh().findOneOrFail(Candidate, { id: app.candidate.id })).mobile;
    expect(pre.preentries).toEqual([expect.objectContaining({ name: '张三', mobile: cmobile, via: 'new' })]);
  }, 30_000);

  it('refused approval goes back to HR with the remark; terminated likewise; HR rejection sends feedback', async () => {
    const app = await toScored('李四', 80);
    const approval = await runningApproval(app.id);
    await decide(approval.processInstanceId as string, 'mgr01', 'refuse', '项目经验与岗位不匹配');
    await waitFor(
      'refused',
      async () => (await fresh().findOneOrFail(Approval, { id: approval.id })).status === 'refused',
    );
    expect(await stageOf(app.id)).toBe('in_review');
    // The remark travels on the task event, which may arrive just after the result.
    const review = await waitFor('remark', async () => {
      const r = await fresh().findOneOrFail(ApplicationReview, { application: app.id });
      return r.remark ? r : null;
    });
    expect(review).toMatchObject({ reason: 'approval_refused', remark: '项目经验与岗位不匹配' });

    // HR asks again; the originator withdraws it in DingTalk.
    const v = (await fresh().findOneOrFail(Application, { id: app.id })).version;
    const again = await t.api('POST', `/api/applications/${app.id}/decisions`, {
      token: hr,
      body: { action: 'request_second_round', version: v },
    });
    expect(again.status).toBe(200);
    const second = await runningApproval(app.id);
    expect(second.id).not.toBe(approval.id);
    const term = await fetch(`${t.sandbox.url}/api/sandbox/approvals/${second.processInstanceId}/terminate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userid: 'hr01', remark: '撤回' }),
    });
    expect(term.status).toBe(200);
    await waitFor(
      'terminated',
      async () => (await fresh().findOneOrFail(Approval, { id: second.id })).status === 'terminated',
    );
    expect((await fresh().findOneOrFail(ApplicationReview, { application: app.id })).reason).toBe(
      'approval_terminated',
    );

    // HR rejects: personalised feedback from the report's gaps is queued for the bot.
    const rej = await t.api('POST', `/api/applications/${app.id}/decisions`, {
      token: hr,
      body: { action: 'reject', version: v, reason: '经验不匹配' },
    });
    expect(rej.body).toMatchObject({ stage: 'rejected' });
    const msg = await fresh().findOneOrFail(OutboxMessage, {
      aggregate: `application:${app.id}`,
      topic: 'application.rejected',
    });
    const feedback = String((msg.payload.data as { feedback: string }).feedback);
    expect(feedback).toContain('多准备跨团队协作的具体案例');
    expect(feedback).not.toContain('80');
    // Not HR: forbidden.
    const mgr = await t.signInEmployee('mgr01');
    const denied = await t.api('POST', `/api/applications/${app.id}/decisions`, {
      token: mgr,
      body: { action: 'reject', version: v, reason: 'x' },
    });
    expect(denied.status).toBe(403);
  }, 30_000);

  it('或签 (OR): the first approver decides alone and is recorded as the decider', async () => {
    const app = await toScored('郑小红', 82);
    const approval = await runningApproval(app.id);
    expect(approval).toMatchObject({ approvalMode: 'OR', approverUserIds: ['hr02', 'mgr02'] });
    await decide(approval.processInstanceId as string, 'mgr02', 'agree', '尽快安排');
    await waitFor('second round', async () => (await stageOf(app.id)) === 'second_round');
    const a = await fresh().findOneOrFail(Approval, { id: approval.id });
    expect(a.decidedByUserId).toBe('mgr02');
    const moves = await fresh().find(AuditLog, {
      objectType: 'application',
      objectId: String(app.id),
      action: 'application.stage_changed',
    });
    const last = moves.at(-1);
    expect(last?.details).toMatchObject({ to: 'second_round', dingtalkUserId: 'mgr02' });
    expect(last?.actorKind).toBe('employee');
  }, 20_000);

  it('below the reject threshold: suggested rejection, no approval, HR confirms in one tap', async () => {
    const app = await toScored('王五', 30);
    const board = await t.api('GET', `/api/pipeline/jobs/${app.job.id}?suggestion=reject`, { token: hr });
    const card = board.body.items.find((c: { id: number }) => c.id === app.id);
    expect(card).toMatchObject({ stage: 'in_review', suggestion: 'reject', openApproval: null });
    expect(board.body.counts.in_review).toBeGreaterThan(0);
    expect(await fresh().count(Approval, { application: app.id })).toBe(0);
    const ok = await t.api('POST', `/api/applications/${app.id}/decisions`, {
      token: hr,
      body: { action: 'reject', version: card.version, reason: '确认建议淘汰' },
    });
    expect(ok.body.stage).toBe('rejected');
  }, 20_000);

  it('the same event 10 times concurrently and again later -> one transition, one message; a crash before commit is redelivered', async () => {
    const app = await toScored('陈静', 90);
    const approval = await runningApproval(app.id);
    await t.sandbox.configureEvents({ copies: 10 });
    let crashes = 1;
    t.deps.inbound.beforeCommit = (e) => {
      if (e.eventType === 'bpms_instance_change' && e.data.type === 'finish' && crashes-- > 0)
        throw new Error('simulated crash');
    };
    try {
      await decide(approval.processInstanceId as string, 'hr01', 'agree');
      await decide(approval.processInstanceId as string, 'mgr01', 'agree');
      await waitFor('second round', async () => (await stageOf(app.id)) === 'second_round');
      const finish = async () =>
        (await t.sandbox.events()).deliveries.filter(
          (d) =>
            d.fields.processInstanceId === approval.processInstanceId &&
            d.eventType === 'bpms_instance_change' &&
            d.fields.type === 'finish',
        );
      await waitFor('all copies acked', async () => (await finish()).every((d) => d.status === 'delivered'));
      expect(await finish()).toHaveLength(10);
      expect((await finish()).some((d) => d.log.some((l) => l.includes('LATER')))).toBe(true);
    } finally {
      await t.sandbox.configureEvents({ copies: 1 });
      t.deps.inbound.beforeCommit = undefined;
    }
    // "A minute later" the same event arrives again, over HTTP this time.
    t.clock.advance(60_000);
    const inst = await t.sandbox.approval(approval.processInstanceId as string);
    const late = sealEvent(
      { ...t.config.dingtalk.callback },
      {
        EventType: 'bpms_instance_change',
        processInstanceId: inst?.processInstanceId,
        type: 'finish',
        result: 'agree',
        staffId: 'hr01',
      },
      Date.now(),
    );
    const r = await http.api('POST', `/api/dingtalk/events?${new URLSearchParams(late.query)}`, {
      body: late.body,
    });
    expect(r.status).toBe(200);
    const moves = await fresh().find(AuditLog, {
      objectType: 'application',
      objectId: String(app.id),
      action: 'application.stage_changed',
    });
    expect(moves.filter((m) => (m.details as { to: string }).to === 'second_round')).toHaveLength(1);
    expect(
      await fresh().count(OutboxMessage, { aggregate: `application:${app.id}`, topic: 'approval.decided' }),
    ).toBe(1);
    expect(
      await fresh().count(InboundEvent, {
        dedupeKey: `bpms_instance_change:${approval.processInstanceId}:finish`,
      }),
    ).toBe(1);
  }, 40_000);

  it('callbacks: check_url handshake; tampered signature, old timestamp, wrong owner are refused and change nothing', async () => {
    const secrets = t.config.dingtalk.callback;
    const send = (sealed: ReturnType<typeof sealEvent>, q: Record<string, string> = {}) =>
      http.api('POST', `/api/dingtalk/events?${new URLSearchParams({ ...sealed.query, ...q })}`, {
        body: sealed.body,
      });
    const check = await send(sealEvent(secrets, { EventType: 'check_url' }, Date.now()));
    expect(check.status).toBe(200);
    expect(Object.keys(check.body).sort()).toEqual(['encrypt', 'msg_signature', 'nonce', 'timeStamp']);
    const before = await fresh().count(InboundEvent, {});
    const ev = {
      EventType: 'bpms_instance_change',
      processInstanceId: 'nope',
      type: 'finish',
      result: 'agree',
    };
    const sealed = sealEvent(secrets, ev, Date.now());
    const tampered = await send(sealed, {
      msg_signature: `${sealed.query.msg_signature.startsWith('0') ? '1' : '0'}${sealed.query.msg_signature.slice(1)}`,
    });
    expect(tampered.status).toBe(403);
    expect(tampered.body.error.code).toBe('callback_bad_signature');
    const old = await send(sealEvent(secrets, ev, Date.now() - 3_600_000));
    expect(old.body.error.code).toBe('callback_stale_timestamp');
    const other = await send(sealEvent({ ...secrets, ownerKey: 'dingSomeoneElse' }, ev, Date.now()));
    expect(other.body.error.code).toBe('callback_owner_mismatch');
    expect(await fresh().count(InboundEvent, {})).toBe(before);
  });

  it('the callback reply arrives within 1.5 s even when the work behind it is slow; DingTalk retries', async () => {
    const app = await toScored('赵六', 88);
    const approval = await runningApproval(app.id);
    const slow = async () => {
      await sleep(2500);
    };
    const inTx = wiringOf(t.orm.em).registry.inTx;
    inTx['approval.decided'] ??= [];
    const list = inTx['approval.decided'];
    list.push(slow);
    await t.sandbox.configureEvents({ mode: 'http', url: `${http.url}/api/dingtalk/events`, retryMs: 3000 });
    try {
      await decide(approval.processInstanceId as string, 'hr01', 'agree');
      await decide(approval.processInstanceId as string, 'mgr01', 'agree');
      await waitFor('second round', async () => (await stageOf(app.id)) === 'second_round', 15_000);
      const finish = await waitFor(
        'finish delivered',
        async () => {
          const d = (await t.sandbox.events()).deliveries.find(
            (x) =>
              x.fields.processInstanceId === approval.processInstanceId &&
              x.fields.type === 'finish' &&
              x.eventType === 'bpms_instance_change',
          );
          return d?.status === 'delivered' ? d : null;
        },
        15_000,
      );
      // Every attempt got its answer within the 1.5 s DingTalk allows (none timed out).
      expect(finish.log.some((l) => l.includes('no reply within'))).toBe(false);
      expect(finish.log[0]).toMatch(/HTTP 503/);
    } finally {
      list.splice(list.indexOf(slow), 1);
      await t.sandbox.configureEvents({ mode: 'stream', url: null, retryMs: 100 });
    }
  }, 40_000);

  it('reconciliation applies an outcome whose event never arrived', async () => {
    const app = await toScored('钱七', 95);
    const approval = await runningApproval(app.id);
    // Nobody is connected to receive the events: they are lost as far as the product knows.
    await t.sandbox.configureEvents({ mode: 'http', url: 'http://127.0.0.1:9/unreachable', maxAttempts: 1 });
    try {
      await decide(approval.processInstanceId as string, 'hr01', 'agree', '可以');
      await decide(approval.processInstanceId as string, 'mgr01', 'agree');
      await sleep(100);
      expect(await stageOf(app.id)).toBe('in_review');
      expect(await jobs.reconcile(new Date(Date.now() + 10 * 60_000))).toBe(0); // not stale yet
      expect(await jobs.reconcile(new Date(Date.now() + 31 * 60_000))).toBe(1);
      expect(await stageOf(app.id)).toBe('second_round');
    } finally {
      await t.sandbox.configureEvents({ mode: 'stream', url: null, maxAttempts: 6 });
    }
  }, 20_000);

  /** Everything the audit log says about an application's approvals and stage, as one string. */
  async function auditTrail(appId: number, approvalIds: number[]) {
    const rows = await fresh().find(AuditLog, {
      $or: [
        { objectType: 'application', objectId: String(appId) },
        { objectType: 'approval', objectId: { $in: approvalIds.map(String) } },
      ],
    });
    return rows;
  }

  /** A sealed callback as anyone holding the (demo) secrets could send it. */
  function forge(fields: Record<string, unknown>, at = Date.now()) {
    const sealed = sealEvent({ ...t.config.dingtalk.callback }, fields, at);
    return http.api('POST', `/api/dingtalk/events?${new URLSearchParams(sealed.query)}`, {
      body: sealed.body,
    });
  }

  it('the HTTP callback route exists only in HTTP mode', async () => {
    const check = sealEvent({ ...t.config.dingtalk.callback }, { EventType: 'check_url' }, Date.now());
    const q = new URLSearchParams(check.query);
    // The Stream-mode app has no such route, whatever is sent to it.
    const onStream = await t.api('POST', `/api/dingtalk/events?${q}`, { body: check.body });
    expect(onStream.status).toBe(404);
    expect(onStream.body.error.code).toBe('route_not_found');
    expect((await http.api('POST', `/api/dingtalk/events?${q}`, { body: check.body })).status).toBe(200);
  });

  /** True when the audit row credits `userid` (as actor, approver, decider or stage mover). */
  const credits = (r: IAuditLog, user: IUser) => {
    const d = (r.details ?? {}) as Record<string, unknown>;
    return (
      (r.actorKind === 'employee' && r.actorId === user.id) ||
      d.approver === user.dingtalkUserId ||
      (Array.isArray(d.deciders) && d.deciders.includes(user.dingtalkUserId)) ||
      String(d.dingtalkUserId ?? '')
        .split(',')
        .includes(user.dingtalkUserId)
    );
  };

  it('a forged approval (demo secrets, agree, crediting an HR user who never acted) changes nothing', async () => {
    const app = await toScored('孙八', 87);
    const approval = await runningApproval(app.id);
    const pid = approval.processInstanceId as string;
    const inst = (await t.sandbox.approval(pid)) as { tasks?: Array<{ taskId: string }> } | undefined;
    const hr02 = await fresh().findOneOrFail(User, { dingtalkUserId: 'hr02' });
    const before = await auditTrail(app.id, [approval.id]);
    const task = await forge({
      EventType: 'bpms_task_change',
      processInstanceId: pid,
      taskId: inst?.tasks?.[0]?.taskId,
      type: 'finish',
      result: 'agree',
      staffId: 'hr02',
    });
    const finish = await forge({
      EventType: 'bpms_instance_change',
      processInstanceId: pid,
      type: 'finish',
      result: 'agree',
      staffId: 'hr02',
    });
    // Not acknowledged as success: DingTalk shows the instance still running.
    expect(task.status).toBeGreaterThanOrEqual(500);
    expect(finish.status).toBeGreaterThanOrEqual(500);
    expect(await stageOf(app.id)).toBe('in_review');
    expect(await fresh().findOneOrFail(Approval, { id: approval.id })).toMatchObject({
      status: 'running',
      decidedByUserId: null,
    });
    const after = await auditTrail(app.id, [approval.id]);
    expect(after).toHaveLength(before.length);
    expect(after.some((r) => credits(r, hr02))).toBe(false);
    // Nothing recorded either: the genuine events, when they come, are not taken for duplicates.
    expect(await fresh().count(InboundEvent, { dedupeKey: { $like: `%:${pid}:%finish` } })).toBe(0);

    // The approvers really decide: DingTalk's answer is what the product applies.
    await decide(pid, 'hr01', 'agree');
    await decide(pid, 'mgr01', 'refuse', '沟通能力不足');
    await waitFor(
      'refused',
      async () => (await fresh().findOneOrFail(Approval, { id: approval.id })).status === 'refused',
    );
    expect(await stageOf(app.id)).toBe('in_review');
    expect((await fresh().findOneOrFail(Approval, { id: approval.id })).decidedByUserId).toBe('mgr01');

    // Replays: the same forged agreement again (fresh timestamp), and as a withdrawal, decide nothing.
    for (const type of ['finish', 'terminate']) {
      const r = await forge({
        EventType: 'bpms_instance_change',
        processInstanceId: pid,
        type,
        result: 'agree',
        staffId: 'hr02',
      });
      expect(r.status).toBe(200);
    }
    expect(await fresh().findOneOrFail(Approval, { id: approval.id })).toMatchObject({
      status: 'refused',
      decidedByUserId: 'mgr01',
      remark: '沟通能力不足',
    });
    expect(await stageOf(app.id)).toBe('in_review');
    const trail = await auditTrail(app.id, [approval.id]);
    expect(trail.some((r) => credits(r, hr02))).toBe(false);
    expect(trail.filter((r) => r.action === 'approval.agreed')).toHaveLength(0);
    expect(trail.filter((r) => r.action === 'approval.refused')).toHaveLength(1);
  }, 30_000);

  it('a body that disagrees with the instance: the instance as DingTalk reports it is applied (HTTP and Stream)', async () => {
    const app = await toScored('周九', 91);
    const approval = await runningApproval(app.id);
    const pid = approval.processInstanceId as string;
    const hr02 = await fresh().findOneOrFail(User, { dingtalkUserId: 'hr02' });
    // The genuine events are lost; the approvers refuse in DingTalk.
    await t.sandbox.configureEvents({ mode: 'http', url: 'http://127.0.0.1:9/unreachable', maxAttempts: 1 });
    try {
      await decide(pid, 'mgr01', 'refuse', '经验不足');
    } finally {
      await t.sandbox.configureEvents({ mode: 'stream', url: null, maxAttempts: 6 });
    }
    // A body over Stream claims the opposite (an agreement by someone else).
    await t.sandbox.publishEvent('bpms_instance_change', {
      processInstanceId: pid,
      type: 'finish',
      result: 'agree',
      staffId: 'hr02',
    });
    await waitFor(
      'refused',
      async () => (await fresh().findOneOrFail(Approval, { id: approval.id })).status === 'refused',
    );
    expect(await fresh().findOneOrFail(Approval, { id: approval.id })).toMatchObject({
      decidedByUserId: 'mgr01',
      remark: '经验不足',
    });
    expect(await stageOf(app.id)).toBe('in_review');
    expect((await fresh().findOneOrFail(ApplicationReview, { application: app.id })).reason).toBe(
      'approval_refused',
    );
    const trail = await auditTrail(app.id, [approval.id]);
    expect(trail.some((r) => credits(r, hr02))).toBe(false);
    expect(trail.filter((r) => r.action === 'approval.agreed')).toHaveLength(0);
  }, 30_000);

  it('accommodation by DingTalk approval: agreed grants it, refused declines it, an in-app decision first wins', async () => {
    /** A pending request on a demo candidate's application, asked by the candidate. */
    const ask = async (name: string, body: Record<string, unknown>) => {
      const app = await application(name);
      const token = await candidateToken(t, app.candidate.id);
      const res = await t.api('POST', '/api/my/accommodation-requests', {
        token,
        body: {
          applicationId: app.id,
          extraTimePercent: 0,
          extraRetakes: 0,
          audioOnly: false,
          note: '',
          ...body,
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { app, id: res.body.request.id as number };
    };
    const requestOf = async (id: number) => fresh().findOneOrFail(AccommodationRequest, { id });
    /** Every approver agrees in turn (或签: the first one ends it). */
    const agreeAll = async (
      a: { processInstanceId?: string | null; approverUserIds: string[] },
      remark = '',
    ) => {
      for (const approver of a.approverUserIds)
        if ((await t.sandbox.approval(a.processInstanceId as string))?.status === 'RUNNING')
          await decide(a.processInstanceId as string, approver, 'agree', remark);
    };
    const running = async (appId: number) => {
      await jobs.wake();
      return waitFor(
        'accommodation approval running',
        async () => {
          const a = await fresh().findOne(Approval, {
            application: appId,
            kind: 'accommodation',
            status: 'running',
          });
          if (!a) await jobs.wake();
          return a;
        },
        20_000,
      );
    };

    // Agreed: the request is granted with the approver's remark, the interview serves it.
    const wu = await ask('吴十', {
      extraTimePercent: 50,
      audioOnly: true,
      note: '听力障碍，需要更多时间阅读题目',
    });
    const mgr = await t.signInEmployee('mgr01');
    const notHr = await t.api('POST', `/api/accommodation-requests/${wu.id}/approval`, { token: mgr });
    expect(notHr.status).toBe(403);
    const sent = await t.api('POST', `/api/accommodation-requests/${wu.id}/approval`, { token: hr });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.approval).toMatchObject({ kind: 'accommodation', status: 'requested' });
    // HR's queue shows it as in approval, still decidable in the app, not sendable twice.
    const queue = await t.api('GET', '/api/queue?kind=accommodation', { token: hr });
    const item = queue.body.items.find((i: { key: string }) => i.key === `accommodation:${wu.id}`);
    expect(item.actions).toEqual(['grant', 'decline']);
    expect(item.detail).toContain('钉钉审批中');
    const twice = await t.api('POST', `/api/accommodation-requests/${wu.id}/approval`, { token: hr });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('approval_already_open');
    const approval = await running(wu.app.id);
    const inst = await t.sandbox.approval(approval.processInstanceId as string);
    const form = Object.fromEntries((inst?.formComponentValues ?? []).map((f) => [f.name, f.value]));
    expect(form).toMatchObject({
      候选人: '吴十',
      延长作答时间: '+50%',
      额外重录次数: '0',
      仅音频作答: '是',
      候选人说明: '听力障碍，需要更多时间阅读题目',
    });
    expect((await requestOf(wu.id)).status).toBe('pending');
    await agreeAll(approval, '同意，按申请安排');
    const granted = await waitFor('granted', async () => {
      const r = await requestOf(wu.id);
      return r.status === 'granted' ? r : null;
    });
    expect(granted.decisionNote).toBe('同意，按申请安排');
    // The application does not move: an accommodation is not a stage.
    expect(await stageOf(wu.app.id)).toBe(wu.app.stage);
    const acc = await fresh().findOneOrFail(InterviewAccommodation, { application: wu.app.id });
    expect(acc).toMatchObject({ extraTimePercent: 50, audioOnlyAllowed: true });
    const told = await fresh().find(OutboxMessage, {
      topic: 'accommodation.decided',
      aggregate: `application:${wu.app.id}`,
    });
    expect(told.length).toBeGreaterThan(0);
    const audits = await fresh().find(AuditLog, {
      objectType: 'accommodation_request',
      objectId: String(wu.id),
    });
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['accommodation.sent_to_approval', 'accommodation.granted']),
    );
    expect(audits.find((a) => a.action === 'accommodation.granted')?.details).toMatchObject({
      via: 'approval',
      approvalId: approval.id,
    });
    // A decided request cannot be sent again.
    const decidedAlready = await t.api('POST', `/api/accommodation-requests/${wu.id}/approval`, {
      token: hr,
    });
    expect(decidedAlready.status).toBe(409);
    expect(decidedAlready.body.error.code).toBe('already_decided');

    // Refused: declined with the remark; nothing granted.
    const feng = await ask('冯小明', { extraRetakes: 2 });
    expect(
      (await t.api('POST', `/api/accommodation-requests/${feng.id}/approval`, { token: hr })).status,
    ).toBe(201);
    const refused = await running(feng.app.id);
    await decide(
      refused.processInstanceId as string,
      refused.approverUserIds[0],
      'refuse',
      '请先补充证明材料',
    );
    const declined = await waitFor('declined', async () => {
      const r = await requestOf(feng.id);
      return r.status === 'declined' ? r : null;
    });
    expect(declined.decisionNote).toBe('请先补充证明材料');
    expect(await fresh().findOne(InterviewAccommodation, { application: feng.app.id })).toBeNull();

    // HR decides in the app while an approval runs: the app's decision stands, the later
    // approval outcome changes nothing and says so in the audit log.
    const again = await ask('冯小明', { extraTimePercent: 25 });
    expect(
      (await t.api('POST', `/api/accommodation-requests/${again.id}/approval`, { token: hr })).status,
    ).toBe(201);
    const racing = await running(feng.app.id);
    const inApp = await t.api('POST', `/api/accommodation-requests/${again.id}/decision`, {
      token: hr,
      body: { decision: 'decline', note: '本岗位不需要延时' },
    });
    expect(inApp.status).toBe(200);
    await agreeAll(racing);
    await waitFor(
      'agreed',
      async () => (await fresh().findOneOrFail(Approval, { id: racing.id })).status === 'agreed',
    );
    expect(await requestOf(again.id)).toMatchObject({ status: 'declined', decisionNote: '本岗位不需要延时' });
    expect(await fresh().findOne(InterviewAccommodation, { application: feng.app.id })).toBeNull();
    expect(
      await fresh().findOne(AuditLog, { action: 'approval.outcome_ignored', objectId: String(racing.id) }),
    ).not.toBeNull();
  }, 60_000);

  it('the pipeline board and detail respect who may see them', async () => {
    const job = await fresh().findOneOrFail(Job, { slug: 'sales' });
    const int = await t.signInEmployee('int01');
    expect((await t.api('GET', `/api/pipeline/jobs/${job.id}`, { token: int })).status).toBe(404);
    const mgr2 = await t.signInEmployee('mgr02');
    expect((await t.api('GET', `/api/pipeline/jobs/${job.id}`, { token: mgr2 })).status).toBe(200);
    const bad = await t.api('GET', `/api/pipeline/jobs/${job.id}?stage=nope`, { token: hr });
    expect(bad.status).toBe(400);
  });

  it('templates: POST /api/workflow/templates is idempotent and re-creates forms DingTalk no longer has', async () => {
    const first = await t.api('POST', '/api/workflow/templates', { token: hr });
    const again = await t.api('POST', '/api/workflow/templates', { token: hr });
    expect(again.body.processCodes).toEqual(first.body.processCodes);
    const forms = async () => (await t.sandbox.approvals()).forms;
    expect((await forms()).map((f) => f.name).sort()).toEqual(['便利安排审批', '复试审批', '录用审批']);
    expect(await t.sandbox.clearApprovalForms()).toBe(3); // a fresh sandbox
    const codes = await ensureTemplates(t.orm.em.fork(), t.dingtalk, t.config, { push: true });
    expect(codes.second_round).not.toBe(first.body.processCodes.second_round);
    const now = (await forms()).map((f) => f.processCode);
    expect(now).toContain(codes.second_round);
    expect(now).toContain(codes.offer);
    expect(now).toContain(codes.accommodation);
    const mgr = await t.signInEmployee('mgr01');
    expect((await t.api('POST', '/api/workflow/templates', { token: mgr })).status).toBe(403);
  });

  it('job rules: HR edits them, bad input is refused naming the field, others may not', async () => {
    const job = await fresh().findOneOrFail(Job, { slug: 'pm' });
    const body = {
      passThreshold: 80,
      rejectThreshold: 40,
      approverUserIds: ['hr02'],
      approvalMode: 'OR',
      ccUserIds: [],
    };
    const ok = await t.api('PUT', `/api/jobs/${job.id}/rules`, { token: hr, body });
    expect(ok.status).toBe(200);
    expect(ok.body.rules).toMatchObject({ passThreshold: 80, approverUserIds: ['hr02'], approvalMode: 'OR' });
    const bad = await t.api('PUT', `/api/jobs/${job.id}/rules`, {
      token: hr,
      body: { ...body, rejectThreshold: 90 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.rejectThreshold');
    const extra = await t.api('PUT', `/api/jobs/${job.id}/rules`, {
      token: hr,
      body: { ...body, boss: 'x' },
    });
    expect(extra.status).toBe(400);
    const mgr = await t.signInEmployee('mgr01');
    expect((await t.api('PUT', `/api/jobs/${job.id}/rules`, { token: mgr, body })).status).toBe(403);
    expect((await t.api('GET', `/api/jobs/${job.id}/rules`, { token: hr })).body.rules.passThreshold).toBe(
      80,
    );
  });
});
