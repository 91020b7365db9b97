/**
 * HR's work queue and accommodation requests through the API, with the app's clock moved by
 * hand: a candidate's explanation request is due in 5 days, the owner is reminded once the day
 * before (the reminder job run twice writes one message), closing answers the candidate and is
 * audited; a human-review request and a report flagged by the checks are items to rescore or
 * close (only the candidate's own request tells them); a failed message can be closed; an accommodation asked by one candidate and granted
 * by HR is served to that candidate only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Approval } from '../../kernel/db/entities/Approval';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { ReviewTask } from '../../kernel/db/entities/Scoring';
import { User } from '../../kernel/db/entities/User';
import { issueSessionToken } from '../../kernel/http/tokens';
import { candidateToken, employeeToken } from '../../testing/booking';
import { makeApplication, makeCandidate, makeOutboxMessage, makeReport } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { countQueueItems } from '.';

const DAY = 86_400_000;

describeEachDialect('work queue', (dialect) => {
  let t: TestApp;
  let hr: string;
  const T0 = new Date('2030-03-04T02:00:00Z');
  const runReminders = () => {
    const job = t.runtime.jobs.find((j) => j.name === 'queue.reminders');
    if (!job) throw new Error('queue.reminders is not registered');
    return job.run(t.deps, undefined);
  };
  const reminderRows = (itemKey: string) =>
    t.orm.em.fork().find(OutboxMessage, { idempotencyKey: { $like: `queue:${itemKey}:due:%` } });

  beforeAll(async () => {
    t = await startTestApp(dialect);
    t.clock.now = T0;
    hr = await employeeToken(t, 'hr01');
  }, 60_000);
  afterAll(async () => t?.close());

  describe('explanation requests', () => {
    let key: string;
    let candidate: string;
    let reportId: number;
    it('a candidate request becomes an item due in 5 days', async () => {
      const em = t.orm.em.fork();
      const job = await em.findOneOrFail(Job, { slug: 'backend' });
      const c = await makeCandidate(em, { name: '问询者' });
      const app = await makeApplication(em, { candidate: c, job, stage: 'in_review' });
      const report = await makeReport(em, { application: app, releasedAt: T0 });
      candidate = await candidateToken(t, c.id);
      reportId = report.id;
      const asked = await t.api('POST', `/api/feedback/${report.id}/requests`, {
        token: candidate,
        body: { kind: 'explanation', message: '请解释沟通能力的评分' },
      });
      expect(asked.status).toBe(201);
      expect(asked.body.request).toMatchObject({ status: 'open', answer: null });
      const q = await t.api('GET', '/api/queue?kind=explanation', { token: hr });
      expect(q.status).toBe(200);
      const item = q.body.items.find((i: { candidateName: string }) => i.candidateName === '问询者');
      expect(item).toMatchObject({
        kind: 'explanation',
        jobTitle: job.title,
        detail: '请解释沟通能力的评分',
        dueAt: new Date(T0.getTime() + 5 * DAY).toISOString(),
        overdue: false,
        actions: ['reply', 'close'],
      });
      expect(q.body.counts.explanation).toBeGreaterThanOrEqual(1);
      key = item.key;
    });

    it('reminds the owner once, the day before it is due', async () => {
      await runReminders();
      expect(await reminderRows(key)).toHaveLength(0);
      t.clock.now = new Date(T0.getTime() + 4 * DAY + 3_600_000);
      await runReminders();
      const rows = await reminderRows(key);
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.map((r) => r.recipientId)).toContain('hr01');
      expect(rows[0].payload).toMatchObject({ template: 'hr.queue_due' });
      await runReminders();
      expect(await reminderRows(key)).toHaveLength(rows.length);
    });

    it('counts it overdue after the due date (the HR home reads the same count)', async () => {
      t.clock.now = new Date(T0.getTime() + 5 * DAY + 60_000);
      const q = await t.api('GET', '/api/queue', { token: hr });
      const item = q.body.items.find((i: { key: string }) => i.key === key);
      expect(item.overdue).toBe(true);
      expect(q.body.overdue).toBeGreaterThanOrEqual(1);
      const counted = await countQueueItems(t.orm.em, t.clock.now);
      expect(counted).toMatchObject({
        total: q.body.total,
        overdue: q.body.overdue,
        dueSoon: q.body.dueSoon,
      });
    });

    it('refuses bad input naming the field, and non-HR', async () => {
      const noNote = await t.api('POST', '/api/queue/close', { token: hr, body: { key } });
      expect(noNote.status).toBe(400);
      expect(noNote.body.error.details[0]).toMatchObject({ field: 'body.note', kind: 'required' });
      const badKey = await t.api('POST', '/api/queue/close', { token: hr, body: { key: 'x:1', note: 'n' } });
      expect(badKey.body.error.details[0].field).toBe('body.key');
      const badKind = await t.api('GET', '/api/queue?kind=nope', { token: hr });
      expect(badKind.body.error.details[0].field).toBe('query.kind');
      const unknown = await t.api('POST', '/api/queue/close', {
        token: hr,
        body: { key: 'task:999999', note: 'n' },
      });
      expect(unknown.status).toBe(404);
      for (const who of ['mgr01', 'int01']) {
        const token = await employeeToken(t, who);
        expect((await t.api('GET', '/api/queue', { token })).status).toBe(403);
        expect((await t.api('POST', '/api/queue/close', { token, body: { key, note: 'n' } })).status).toBe(
          403,
        );
      }
      expect((await t.api('GET', '/api/queue', { token: candidate })).status).toBe(403);
    });

    it('closing answers the candidate with the note, is audited, and happens once', async () => {
      const requestOf = async () =>
        (await t.api('GET', `/api/feedback/${reportId}`, { token: candidate })).body.feedback.requests[0];
      expect(await requestOf()).toMatchObject({ status: 'open', answer: null });
      const res = await t.api('POST', '/api/queue/close', {
        token: hr,
        body: { key, note: '沟通能力评分依据：回答未说明与同事协作的具体做法。' },
      });
      expect(res.status).toBe(200);
      expect(res.body.candidateNotified).toBe(true);
      const id = key.split(':')[1];
      const told = await t.orm.em
        .fork()
        .find(OutboxMessage, { idempotencyKey: { $like: `task:${id}:answered:%` } });
      expect(told.length).toBeGreaterThanOrEqual(1);
      expect(told[0].payload).toMatchObject({
        template: 'candidate.request_answered',
        data: { answer: '沟通能力评分依据：回答未说明与同事协作的具体做法。' },
      });
      expect(await t.orm.em.fork().count(AuditLog, { action: 'queue.closed', objectId: key })).toBe(1);
      // The candidate's feedback keeps the request, now with HR's answer (list and detail).
      const answered = { status: 'done', answer: '沟通能力评分依据：回答未说明与同事协作的具体做法。' };
      expect(await requestOf()).toMatchObject(answered);
      const list = await t.api('GET', '/api/feedback', { token: candidate });
      expect(list.body.items.find((f: { id: number }) => f.id === reportId).requests).toEqual([
        expect.objectContaining(answered),
      ]);
      const q = await t.api('GET', '/api/queue', { token: hr });
      expect(q.body.items.some((i: { key: string }) => i.key === key)).toBe(false);
      const again = await t.api('POST', '/api/queue/close', { token: hr, body: { key, note: '再次' } });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('queue_item_closed');
    });
  });

  it('a human-review request and a report the checks flagged are items a person rescores or closes; only the candidate’s own request tells them', async () => {
    const em = t.orm.em.fork();
    const job = await em.findOneOrFail(Job, { slug: 'backend' });
    const c = await makeCandidate(em, { name: '复核者' });
    const app = await makeApplication(em, { candidate: c, job, stage: 'in_review' });
    const report = await makeReport(em, { application: app, releasedAt: T0 });
    const token = await candidateToken(t, c.id);
    const asked = await t.api('POST', `/api/feedback/${report.id}/requests`, {
      token,
      body: { kind: 'human_review', message: '希望由面试官人工复核评分' },
    });
    expect(asked.status).toBe(201);
    // The scoring checks flagged another report for a person (as the pipeline does).
    const flaggedApp = await makeApplication(em, {
      candidate: await makeCandidate(em, { name: '待核查' }),
      job,
    });
    const flagged = await makeReport(em, { application: flaggedApp });
    em.create(ReviewTask, {
      key: `test:${flagged.id}:quality`,
      application: flaggedApp,
      report: flagged,
      kind: 'quality',
      reason: '第1题：too_short',
      dueAt: new Date(T0.getTime() + 2 * DAY),
    } as never);
    await em.flush();

    const q = await t.api('GET', '/api/queue', { token: hr });
    const human = q.body.items.find((i: { candidateName: string }) => i.candidateName === '复核者');
    const review = q.body.items.find((i: { candidateName: string }) => i.candidateName === '待核查');
    expect(human).toMatchObject({
      kind: 'human_review',
      reportId: report.id,
      detail: '希望由面试官人工复核评分',
      actions: ['rescore', 'reply', 'close'],
    });
    expect(review).toMatchObject({
      kind: 'report_review',
      reportId: flagged.id,
      actions: ['rescore', 'close'],
    });
    expect((await t.api('GET', '/api/queue?kind=report_review', { token: hr })).body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: review.key })]),
    );

    const closeHuman = await t.api('POST', '/api/queue/close', {
      token: hr,
      body: { key: human.key, note: '已由面试官复核，评分维持不变。' },
    });
    expect(closeHuman.status).toBe(200);
    expect(closeHuman.body.candidateNotified).toBe(true);
    const closeReview = await t.api('POST', '/api/queue/close', {
      token: hr,
      body: { key: review.key, note: '录音完整，评分有效' },
    });
    expect(closeReview.status).toBe(200);
    expect(closeReview.body.candidateNotified).toBe(false);
    const audited = await t.orm.em
      .fork()
      .count(AuditLog, { action: 'queue.closed', objectId: { $in: [human.key, review.key] } });
    expect(audited).toBe(2);
    const left = (await t.api('GET', '/api/queue', { token: hr })).body.items.map(
      (i: { key: string }) => i.key,
    );
    expect(left).not.toContain(human.key);
    expect(left).not.toContain(review.key);
  });

  it('a message that failed for good is an item until HR closes it', async () => {
    const em = t.orm.em.fork();
    const m = await makeOutboxMessage(em, { channel: 'robot_oto', recipientId: 'int02' });
    m.status = 'failed';
    m.lastError = 'unknown user';
    await em.flush();
    const key = `message:${m.id}`;
    const q = await t.api('GET', '/api/queue?kind=failed_message', { token: hr });
    expect(q.body.items.find((i: { key: string }) => i.key === key)).toMatchObject({
      kind: 'failed_message',
      actions: ['retry', 'close'],
    });
    const closed = await t.api('POST', '/api/queue/close', {
      token: hr,
      body: { key, note: '该同事已离职' },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.candidateNotified).toBe(false);
    const after = await t.api('GET', '/api/queue?kind=failed_message', { token: hr });
    expect(after.body.items.some((i: { key: string }) => i.key === key)).toBe(false);
  });

  it('an approval running for more than 48 hours is an item, due at 72 hours, and its requester is reminded', async () => {
    const em = t.orm.em.fork();
    const job = await em.findOneOrFail(Job, { slug: 'backend' });
    const c = await makeCandidate(em, { name: '审批久等' });
    const app = await makeApplication(em, { candidate: c, job, stage: 'in_review' });
    const hr01 = await em.findOneOrFail(User, { dingtalkUserId: 'hr01' });
    const now = t.clock.now as Date;
    const make = (hoursAgo: number, n: number) =>
      em.create(Approval, {
        application: app,
        kind: n === 1 ? 'second_round' : 'offer',
        status: 'running',
        activeKey: `${app.id}:test${n}`,
        processCode: null,
        processInstanceId: null,
        originatorUserId: 'hr01',
        approverUserIds: ['mgr01'],
        approvalMode: 'NONE',
        ccUserIds: [],
        form: [],
        offer: null,
        requestedBy: hr01,
        startedAt: new Date(now.getTime() - hoursAgo * 3_600_000),
      } as never);
    const stale = make(49, 1);
    const fresh = make(10, 2);
    await em.flush();
    const q = await t.api('GET', '/api/queue?kind=stale_approval', { token: hr });
    const keys = q.body.items.map((i: { key: string }) => i.key);
    expect(keys).toContain(`approval:${stale.id}`);
    expect(keys).not.toContain(`approval:${fresh.id}`);
    const item = q.body.items.find((i: { key: string }) => i.key === `approval:${stale.id}`);
    expect(item.dueAt).toBe(new Date(stale.startedAt.getTime() + 72 * 3_600_000).toISOString());
    await runReminders();
    const rows = await reminderRows(`approval:${stale.id}`);
    expect(rows.map((r) => r.recipientId)).toEqual(['hr01']);
    const closed = await t.api('POST', '/api/queue/close', {
      token: hr,
      body: { key: `approval:${stale.id}`, note: '已电话催办用人经理' },
    });
    expect(closed.status).toBe(200);
    const after = await t.api('GET', '/api/queue?kind=stale_approval', { token: hr });
    expect(after.body.items.map((i: { key: string }) => i.key)).not.toContain(`approval:${stale.id}`);
  });

  describe('accommodations', () => {
    let mine: { app: number; token: string };
    let other: { app: number; token: string };
    let requestId: number;
    beforeAll(async () => {
      const em = t.orm.em.fork();
      const job = await em.findOneOrFail(Job, { slug: 'backend' });
      const make = async (name: string) => {
        const c = await makeCandidate(em, { name });
        const a = await makeApplication(em, {
          candidate: c,
          job,
          deadlineAt: new Date(T0.getTime() + 30 * DAY),
        });
        // Signed in through the invitation of this job, as the interview screens are.
        const { token } = await issueSessionToken(
          t.config.session.secret,
          { kind: 'candidate', id: c.id, invitationJobId: job.id },
          14 * 24 * 60,
          new Date(T0.getTime() - DAY),
        );
        return { app: a.id, token };
      };
      mine = await make('需要便利者');
      other = await make('普通候选人');
    });

    it('the candidate asks on their own application only, with a clear error for bad input', async () => {
      const nothing = await t.api('POST', '/api/my/accommodation-requests', {
        token: mine.token,
        body: { applicationId: mine.app },
      });
      expect(nothing.status).toBe(400);
      expect(nothing.body.error.details[0].field).toBe('body.extraTimePercent');
      const tooMuch = await t.api('POST', '/api/my/accommodation-requests', {
        token: mine.token,
        body: { applicationId: mine.app, extraTimePercent: 500 },
      });
      expect(tooMuch.body.error.details[0].field).toBe('body.extraTimePercent');
      const others = await t.api('POST', '/api/my/accommodation-requests', {
        token: other.token,
        body: { applicationId: mine.app, extraTimePercent: 50 },
      });
      expect(others.status).toBe(404);
      const asked = await t.api('POST', '/api/my/accommodation-requests', {
        token: mine.token,
        body: {
          applicationId: mine.app,
          extraTimePercent: 50,
          extraRetakes: 1,
          audioOnly: true,
          note: '视力障碍，读题较慢',
        },
      });
      expect(asked.status).toBe(201);
      expect(asked.body.request).toMatchObject({ status: 'pending', extraTimePercent: 50 });
      requestId = asked.body.request.id;
      const twice = await t.api('POST', '/api/my/accommodation-requests', {
        token: mine.token,
        body: { applicationId: mine.app, extraRetakes: 2 },
      });
      expect(twice.status).toBe(409);
      expect(twice.body.error.code).toBe('request_open');
      const hrAsks = await t.api('POST', '/api/my/accommodation-requests', {
        token: hr,
        body: { applicationId: mine.app, extraRetakes: 2 },
      });
      expect(hrAsks.status).toBe(404);
    });

    it('appears in the queue; only HR decides', async () => {
      const q = await t.api('GET', '/api/queue?kind=accommodation', { token: hr });
      expect(q.body.items.find((i: { key: string }) => i.key === `accommodation:${requestId}`)).toMatchObject(
        {
          candidateName: '需要便利者',
          actions: ['grant', 'decline', 'approval'],
        },
      );
      const int = await employeeToken(t, 'int01');
      const refused = await t.api('POST', `/api/accommodation-requests/${requestId}/decision`, {
        token: int,
        body: { decision: 'grant' },
      });
      expect(refused.status).toBe(403);
      const bad = await t.api('POST', `/api/accommodation-requests/${requestId}/decision`, {
        token: hr,
        body: { decision: 'maybe' },
      });
      expect(bad.body.error.details[0].field).toBe('body.decision');
    });

    it('a grant is served to that candidate only, and the candidate is told', async () => {
      const before = await t.api('GET', '/api/interview', { token: mine.token });
      const granted = await t.api('POST', `/api/accommodation-requests/${requestId}/decision`, {
        token: hr,
        body: { decision: 'grant', note: '已为您延长时间并开放纯音频作答' },
      });
      expect(granted.status).toBe(200);
      expect(granted.body.request.status).toBe('granted');
      const mineNow = await t.api('GET', '/api/interview', { token: mine.token });
      expect(mineNow.status).toBe(200);
      expect(mineNow.body.accommodations).toEqual({
        extraTimePercent: 50,
        extraRetakes: 1,
        audioOnlyAllowed: true,
      });
      expect(mineNow.body.expectedMinutes).toBeGreaterThan(before.body.expectedMinutes);
      const otherNow = await t.api('GET', '/api/interview', { token: other.token });
      expect(otherNow.body.accommodations).toEqual({
        extraTimePercent: 0,
        extraRetakes: 0,
        audioOnlyAllowed: false,
      });
      const told = await t.orm.em
        .fork()
        .count(OutboxMessage, { idempotencyKey: { $like: `accommodation:${requestId}:decided:%` } });
      expect(told).toBeGreaterThanOrEqual(1);
      const again = await t.api('POST', `/api/accommodation-requests/${requestId}/decision`, {
        token: hr,
        body: { decision: 'decline' },
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('already_decided');
      const list = await t.api('GET', '/api/my/accommodation-requests', { token: mine.token });
      expect(list.body.requests[0]).toMatchObject({ id: requestId, status: 'granted' });
      expect(await t.orm.em.fork().count(AuditLog, { action: 'accommodation.granted' })).toBe(1);
    });
  });
});
