import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDingtalkAppLink } from '../../../shared/routes';
import { Application } from '../../kernel/db/entities/Application';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { InboxMessage } from '../../kernel/db/entities/InboxMessage';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { InterviewReport } from '../../kernel/db/entities/Scoring';
import { User } from '../../kernel/db/entities/User';
import { emit } from '../../kernel/events/emit';
import { wiringOf } from '../../kernel/events/registry';
import type { DomainEvent } from '../../kernel/events/types';
import { invitationTokenOf } from '../../kernel/http/tokens';
import { drainConsumer } from '../../kernel/jobs/registry';
import { enqueue } from '../../kernel/outbox/enqueue';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import {
  bookingEventsFor,
  notificationWiring,
  publishWith,
  seededBookingParties,
  testWorker,
} from '../../testing/messaging';
import { BOT_CONSUMER, BOT_EVENT_TYPES } from './consumer';
import { enqueueDailyDigests } from './digests';
import { botConsumer } from './jobs';
import { BOOKING_EVENTS, onBookingEvent } from './reminders';
import { sweepInvitations } from './sweeps';
import { DeliveryWorker } from './worker';

const MIN = 60_000;
const T0 = new Date('2026-03-02T01:00:00.000Z');

describeEachDialect('bot notifications', (dialect) => {
  let t: TestApp;
  let clock: Date;
  let worker: DeliveryWorker;
  let app: { id: number; candidateId: number; jobId: number };
  let int01: { id: number };
  let counter = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    ({ app, int01 } = await seededBookingParties(t));
    clock = T0;
    worker = testWorker(t, 'test-worker', () => clock);
  }, 60_000);
  afterAll(async () => t?.close());
  const rows = (aggregate: string) =>
    t.orm.em.fork().find(OutboxMessage, { aggregate }, { orderBy: { dueAt: 'asc', id: 'asc' } });
  const bookingEvent = bookingEventsFor(
    () => app,
    () => int01.id,
  );
  const publish = (e: DomainEvent) => publishWith(t)(e);

  it('is registered: booking events in the transaction, the rest through the bot consumer', () => {
    const product = wiringOf(t.orm.em).registry;
    for (const type of BOOKING_EVENTS) expect(product.inTx[type]).toContain(onBookingEvent);
    for (const type of BOT_EVENT_TYPES) expect(product.subscriptions[type]).toContain(BOT_CONSUMER);
  });

  it('schedules every reminder at its time in the booking transaction; a rolled-back booking leaves none', async () => {
    const start = new Date(T0.getTime() + 3 * 24 * 60 * MIN);
    await publish(bookingEvent('booking.created', 101, 'booking:101:created', start, T0));
    const pending = (await rows('booking:101')).filter(
      (r) => r.status === 'pending' && r.topic.startsWith('reminder.'),
    );
    const summary = pending.map((r) => [r.topic, r.channel, (start.getTime() - r.dueAt.getTime()) / MIN]);
    expect(summary).toEqual(
      [
        ['reminder.candidate.1440m', 'inbox', 1440],
        ['reminder.candidate.1440m', 'gateway', 1440],
        ['reminder.interviewer.30m', 'robot_oto', 30],
        ['reminder.interviewer.urgent', 'robot_oto', 15],
        ['reminder.candidate.60m', 'inbox', 60],
        ['reminder.candidate.60m', 'gateway', 60],
        ['reminder.candidate.10m', 'inbox', 10],
        ['reminder.candidate.10m', 'gateway', 10],
      ].sort((a, b) => (b[2] as number) - (a[2] as number)),
    );
    // Confirmation (now) to the candidate; assignment to the interviewer (keyed to the application).
    const now = await t.orm.em
      .fork()
      .find(OutboxMessage, { dueAt: T0, topic: { $in: ['booking.confirmation', 'interviewer.assignment'] } });
    expect(now.map((r) => `${r.topic}/${r.channel}/${r.recipientId}`).sort()).toEqual([
      `booking.confirmation/gateway/${app.candidateId}`,
      `booking.confirmation/inbox/${app.candidateId}`,
      'interviewer.assignment/robot_oto/int01',
    ]);
    // Retried command: same event key, nothing new.
    const before = await t.orm.em.fork().count(OutboxMessage, {});
    await publish(bookingEvent('booking.created', 101, 'booking:101:created', start, T0));
    expect(await t.orm.em.fork().count(OutboxMessage, {})).toBe(before);
    await expect(
      t.orm.em.fork().transactional(async (em) => {
        await emit(
          em,
          bookingEvent('booking.created', 102, 'booking:102:created', start, T0),
          notificationWiring(t),
        );
        throw new Error('booking failed');
      }),
    ).rejects.toThrow('booking failed');
    expect(await rows('booking:102')).toEqual([]);
  });

  it('reschedule moves the reminders (old ones cancelled, new keys); cancel removes them and notifies', async () => {
    const start = new Date(T0.getTime() + 3 * 24 * 60 * MIN);
    const moved = new Date(T0.getTime() + 5 * 24 * 60 * MIN);
    const at = new Date(T0.getTime() + 10 * MIN);
    await publish(
      bookingEvent('booking.rescheduled', 101, 'booking:101:rescheduled:1', moved, at, {
        previousStartAt: start.toISOString(),
      }),
    );
    let all = await rows('booking:101');
    const reminders = all.filter((r) => r.topic.startsWith('reminder.'));
    expect(reminders.filter((r) => r.status === 'cancelled')).toHaveLength(8);
    const live = reminders.filter((r) => r.status === 'pending');
    expect(live).toHaveLength(8);
    for (const r of live) expect(r.idempotencyKey).toContain('booking:101:rescheduled:1:');
    expect(live.map((r) => (moved.getTime() - r.dueAt.getTime()) / MIN).sort((a, b) => a - b)).toEqual([
      10, 10, 15, 30, 60, 60, 1440, 1440,
    ]);
    const confirm = all.find(
      (r) => r.topic === 'booking.confirmation' && r.idempotencyKey.includes('rescheduled'),
    );
    expect(confirm?.payload).toMatchObject({
      template: 'candidate.booking_confirmed',
      data: { rescheduled: true },
    });

    // Moved back to the first time: new keys again, so nothing collides with the cancelled rows.
    await publish(bookingEvent('booking.rescheduled', 101, 'booking:101:rescheduled:2', start, at));
    all = await rows('booking:101');
    expect(all.filter((r) => r.topic.startsWith('reminder.') && r.status === 'pending')).toHaveLength(8);

    await publish(
      bookingEvent('booking.cancelled', 101, 'booking:101:cancelled', start, at, {
        reason: '候选人时间冲突',
      }),
    );
    all = await rows('booking:101');
    expect(all.filter((r) => r.topic.startsWith('reminder.') && r.status === 'pending')).toEqual([]);
    expect(
      all
        .filter((r) => r.topic === 'booking.cancelled')
        .map((r) => r.channel)
        .sort(),
    ).toEqual(['gateway', 'inbox', 'robot_oto']);
  });

  it('a booking soon after now gets only the reminders still ahead; an AI interview has no interviewer reminders', async () => {
    const start = new Date(T0.getTime() + 40 * MIN);
    await publish(bookingEvent('booking.created', 103, 'booking:103:created', start, T0));
    const pending = (r: Awaited<ReturnType<typeof rows>>) =>
      r.filter((x) => x.status === 'pending' && x.topic.startsWith('reminder.')).map((x) => x.topic);
    expect(pending(await rows('booking:103'))).toEqual([
      'reminder.interviewer.30m',
      'reminder.interviewer.urgent',
      'reminder.candidate.10m',
      'reminder.candidate.10m',
    ]);
    const ai = new Date(T0.getTime() + 2 * 24 * 60 * MIN);
    await publish(
      bookingEvent('booking.created', 104, 'booking:104:created', ai, T0, {
        kind: 'ai_interview',
        interviewerId: null,
      }),
    );
    expect(pending(await rows('booking:104')).sort()).toEqual([
      'reminder.candidate.1440m',
      'reminder.candidate.1440m',
      'reminder.candidate.60m',
      'reminder.candidate.60m',
    ]);
  });

  it('delivers each message when due (fake clock), to inbox, gateway and robot chat; unread reminder becomes urgent, read one does not', async () => {
    // Clear earlier tests' rows so this test counts only its own.
    await t.orm.em.fork().nativeUpdate(OutboxMessage, { status: 'pending' }, { status: 'cancelled' });
    await t.sandbox.chatReset();
    const start = new Date(T0.getTime() + 2 * 24 * 60 * MIN);
    await publish(bookingEvent('booking.created', 201, 'booking:201:created', start, T0));
    clock = T0;
    let r = await worker.drain();
    expect(r).toMatchObject({ sent: 3, failed: 0 });
    expect(await t.orm.em.fork().count(InboxMessage, { outboxKey: { $like: 'booking:201:%' } })).toBe(1);
    expect((await t.sandbox.chatMessages()).map((m) => `${m.via}:${m.conversation}`).sort()).toEqual([
      'gateway:gateway:13900000001',
      'robot_oto:user:int01',
    ]);
    const assignment = (await t.sandbox.chatMessages()).find((m) => m.via === 'robot_oto');
    expect(assignment?.title).toBe('新的面试安排');
    // The interviewer's button opens the candidate's report to review (their home while there
    // is none) inside DingTalk: the micro-app deep link of this app.
    const report = await t.orm.em
      .fork()
      .findOne(InterviewReport, { application: app.id }, { orderBy: { id: 'desc' } });
    expect(parseDingtalkAppLink(assignment?.buttons[0].url ?? '')).toEqual({
      corpId: t.config.dingtalk.corpId,
      agentId: t.config.dingtalk.agentId,
      url: `http://localhost:1${report ? `/reports/${report.id}` : '/'}`,
    });
    // Candidates never see interviewer-side details: the gateway text is the confirmation.
    expect((await t.sandbox.chatMessages()).find((m) => m.via === 'gateway')?.text).toContain(
      '高级后端工程师',
    );

    clock = new Date(start.getTime() - 24 * 60 * MIN - 1);
    expect((await worker.drain()).sent).toBe(0);
    clock = new Date(start.getTime() - 24 * 60 * MIN);
    expect((await worker.drain()).sent).toBe(2);
    clock = new Date(start.getTime() - 30 * MIN);
    r = await worker.drain();
    expect(r.sent).toBe(3); // the candidate's 1 h reminder (inbox + gateway) and the interviewer's 30 min one
    const reminder = await t.orm.em
      .fork()
      .findOneOrFail(OutboxMessage, { aggregate: 'booking:201', topic: 'reminder.interviewer.30m' });
    expect(reminder.payload.providerRef).toEqual(expect.any(String));
    // int01 has not read it: 15 minutes before, the urgent notice goes out.
    clock = new Date(start.getTime() - 15 * MIN);
    r = await worker.drain();
    expect(r.sent).toBe(1);
    const urgent = (await t.sandbox.chatMessages()).at(-1);
    expect(urgent?.title.startsWith('❗【紧急】15 分钟后面试')).toBe(true);

    // Second booking: the interviewer reads the reminder, so no urgent notice.
    const start2 = new Date(start.getTime() + 24 * 60 * MIN);
    await publish(bookingEvent('booking.created', 202, 'booking:202:created', start2, clock));
    clock = new Date(start2.getTime() - 30 * MIN);
    await worker.drain();
    await fetch(`${t.sandbox.url}/api/sandbox/chat/read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userid: 'int01' }),
    });
    clock = new Date(start2.getTime() - 15 * MIN);
    r = await worker.drain();
    expect(r).toMatchObject({ sent: 0, skipped: 1 });
    const skipped = await t.orm.em
      .fork()
      .findOneOrFail(OutboxMessage, { aggregate: 'booking:202', topic: 'reminder.interviewer.urgent' });
    expect(skipped).toMatchObject({
      status: 'cancelled',
      lastError: 'skipped: the original reminder was read',
    });
  });

  const message = (
    key: string,
    channel: string,
    recipientId: string,
    kind: 'employee' | 'group' = 'employee',
  ) =>
    t.orm.em.fork().transactional((em) =>
      enqueue(em, {
        key,
        topic: 'test.message',
        recipient: { kind, id: recipientId },
        channel,
        payload: { message: { title: key, text: `body ${key}`, buttons: [] } },
        dueAt: clock,
      }),
    );
  const failNext = (body: Record<string, unknown>) =>
    fetch(`${t.sandbox.url}/api/sandbox/chat/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('5xx and throttling back off exponentially and deliver eventually; an expired token is refreshed once', async () => {
    await t.orm.em.fork().nativeUpdate(OutboxMessage, { status: 'pending' }, { status: 'cancelled' });
    clock = new Date(T0.getTime() + 10 * 24 * 60 * MIN);
    await message(`retry-${++counter}`, 'robot_oto', 'int02');
    await failNext({ count: 2, kind: '5xx', api: 'oto' });
    let r = await worker.drain();
    expect(r).toMatchObject({ sent: 0, retried: 1 });
    let row = await t.orm.em.fork().findOneOrFail(OutboxMessage, { idempotencyKey: `retry-${counter}` });
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.dueAt.getTime() - clock.getTime()).toBe(10_000);
    expect((await worker.drain()).claimed).toBe(0); // not due yet
    clock = new Date(clock.getTime() + 10_000);
    await worker.drain();
    row = await t.orm.em.fork().findOneOrFail(OutboxMessage, { idempotencyKey: `retry-${counter}` });
    expect(row.attempts).toBe(2);
    expect(row.dueAt.getTime() - clock.getTime()).toBe(20_000);
    clock = new Date(clock.getTime() + 20_000);
    expect((await worker.drain()).sent).toBe(1);
    expect((await t.sandbox.chatMessages()).filter((m) => m.title === `retry-${counter}`)).toHaveLength(1);

    // Throttled beyond the client's own two quick retries: backed off, then delivered once.
    await message(`throttle-${++counter}`, 'robot_oto', 'int02');
    await failNext({ count: 3, kind: 'throttle', api: 'oto' });
    r = await worker.drain();
    expect(r.retried).toBe(1);
    clock = new Date(clock.getTime() + 10_000);
    expect((await worker.drain()).sent).toBe(1);
    expect((await t.sandbox.chatMessages()).filter((m) => m.title === `throttle-${counter}`)).toHaveLength(1);

    // Token expired at DingTalk: refreshed once inside the same attempt.
    await t.sandbox.expireAppTokens();
    await message(`token-${++counter}`, 'robot_oto', 'int02');
    expect(await worker.drain()).toMatchObject({ sent: 1, retried: 0 });
  });

  it('permanent failures and exhausted attempts become failed rows that HR sees (and only HR) and can retry', async () => {
    await message(`ghost-${++counter}`, 'robot_oto', 'ghost-user');
    const down = `down-${++counter}`;
    await message(down, 'work_notice', 'int03');
    await failNext({ count: 10, kind: '5xx', api: 'work' });
    for (let i = 0; i < 3; i++) {
      await worker.drain();
      clock = new Date(clock.getTime() + 60 * MIN);
    }
    const failed = await t.orm.em.fork().find(OutboxMessage, { status: 'failed', topic: 'test.message' });
    expect(failed.map((f) => [f.idempotencyKey, f.attempts])).toEqual(
      expect.arrayContaining([
        [`ghost-${counter - 1}`, 1],
        [down, 3],
      ]),
    );
    const hr = await t.signInEmployee('hr01');
    const list = await t.api('GET', '/api/notifications/failures', { token: hr });
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: { recipient: string }) => i.recipient === 'employee:ghost-user');
    expect(item).toMatchObject({ channel: 'robot_oto', attempts: 1 });
    expect(item.lastError).toContain('ghost-user');
    const interviewer = await t.signInEmployee('int01');
    expect((await t.api('GET', '/api/notifications/failures', { token: interviewer })).status).toBe(403);
    expect((await t.api('GET', '/api/notifications/failures?limit=0', { token: hr })).status).toBe(400);
    const downRow = failed.find((f) => f.idempotencyKey === down);
    await failNext({ count: 0 });
    const retried = await t.api('POST', `/api/notifications/failures/${downRow?.id}/retry`, { token: hr });
    expect(retried.status).toBe(200);
    expect(
      (await t.api('POST', `/api/notifications/failures/${downRow?.id}/retry`, { token: hr })).status,
    ).toBe(400);
    t.clock.now = null;
    clock = new Date();
    expect((await worker.drain()).sent).toBe(1);
    expect(
      (await t.sandbox.chatMessages()).filter((m) => m.conversation === 'work:int03' && m.title === down),
    ).toHaveLength(1);
  });

  it('group robots: at most 20 per minute per group (deferred, not failed); the custom webhook robot is signed and its 660026 throttle backs off 10 minutes', async () => {
    clock = new Date(Date.now() + 3600_000);
    const base = ++counter;
    for (let i = 0; i < 23; i++)
      await message(`group-${base}-${i}`, 'group', 'cid-demo-hiring-team', 'group');
    await worker.drain();
    const rowsNow = await t.orm.em
      .fork()
      .find(OutboxMessage, { idempotencyKey: { $like: `group-${base}-%` } });
    expect(rowsNow.filter((r) => r.status === 'sent')).toHaveLength(20);
    const deferred = rowsNow.filter((r) => r.status === 'pending');
    expect(deferred).toHaveLength(3);
    for (const d of deferred) expect(d.attempts).toBe(0);
    clock = new Date(clock.getTime() + 61_000);
    await worker.drain();
    expect(
      await t.orm.em
        .fork()
        .count(OutboxMessage, { idempotencyKey: { $like: `group-${base}-%` }, status: 'sent' }),
    ).toBe(23);

    const webhook = new DeliveryWorker(
      {
        config: {
          ...t.config,
          notifications: {
            ...t.config.notifications,
            customRobot: {
              url: `${t.sandbox.url}/robot/send?access_token=sandbox-webhook-robot-token`,
              secret: 'SECsandbox0000000000000000000000000000000000000000000000000000000',
            },
          },
        },
        em: t.orm.em,
        dingtalk: t.dingtalk,
        now: () => new Date(),
      },
      // Our own limiter off, to see DingTalk's throttle answer.
      { workerId: 'webhook-worker', groupPerMinute: 1000, maxAttempts: 5 },
    );
    const wbase = ++counter;
    // The webhook robot sits in the configured group (a job's own group goes through the app robot).
    const hookGroup = t.config.notifications.hiringGroupId;
    for (let i = 0; i < 22; i++) await message(`hook-${wbase}-${i}`, 'group', hookGroup, 'group');
    await t.orm.em
      .fork()
      .nativeUpdate(OutboxMessage, { idempotencyKey: { $like: `hook-${wbase}-%` } }, { dueAt: new Date() });
    await webhook.drain();
    const hook = await t.orm.em.fork().find(OutboxMessage, { idempotencyKey: { $like: `hook-${wbase}-%` } });
    expect(hook.filter((r) => r.status === 'sent')).toHaveLength(20);
    const throttled = hook.filter((r) => r.status === 'pending');
    expect(throttled).toHaveLength(2);
    for (const r of throttled) {
      expect(r.lastError).toContain('660026');
      expect(r.dueAt.getTime() - Date.now()).toBeGreaterThan(9 * MIN);
    }
    expect((await t.sandbox.chatMessages()).filter((m) => m.via === 'webhook_robot')).toHaveLength(20);
  });

  it('invitations get their message and deadline nudges (once, however often the sweep runs); submitting cancels the nudges', async () => {
    const em = t.orm.em.fork();
    const now = new Date();
    const c = await em.findOneOrFail(Candidate, { name: '钱七' });
    const a = await em.findOneOrFail(Application, { candidate: c }, { populate: ['job'] });
    // Only this test's invitation (the seed's are revoked here).
    await em.nativeUpdate(Invitation, { candidate: c.id }, { revokedAt: now });
    const inv = em.create(Invitation, {
      candidate: c,
      job: a.job,
      expiresAt: new Date(now.getTime() + 5 * 24 * 3600_000),
    });
    await em.flush();
    await sweepInvitations(t.orm.em.fork(), now, t.config);
    await sweepInvitations(t.orm.em.fork(), now, t.config);
    const mine = await t.orm.em
      .fork()
      .find(
        OutboxMessage,
        { aggregate: `application:${a.id}`, channel: 'inbox' },
        { orderBy: { dueAt: 'asc' } },
      );
    expect(
      mine.map((r) => [r.topic, Math.round((inv.expiresAt.getTime() - r.dueAt.getTime()) / 3600_000)]),
    ).toEqual([
      ['invitation.message', 120],
      ['nudge.deadline.2880m', 48],
      ['nudge.deadline.1440m', 24],
    ]);
    const link = (mine[0].payload as { data: { link: string } }).data.link;
    expect(link).toMatch(/^\/invite#[\w-]+\.[\w-]+\.[\w-]+$/);
    // The link in the message signs the candidate in.
    const signIn = await t.api('POST', '/api/auth/invitation', { body: { token: invitationTokenOf(link) } });
    expect(signIn.status).toBe(200);
    await publish({
      type: 'interview.submitted',
      key: `interview:${a.id}:submitted`,
      aggregate: `application:${a.id}`,
      actor: null,
      data: { applicationId: a.id, candidateId: c.id, jobId: a.job.id, sessionId: 1 },
    });
    await drainConsumer(botConsumer, t.deps, 'w');
    const after = await t.orm.em
      .fork()
      .find(OutboxMessage, { aggregate: `application:${a.id}`, topic: { $like: 'nudge.deadline.%' } });
    expect(after.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
  });

  it('the bot consumer turns events into messages: answers received, report ready + high-score alert, approval nudges cancelled on decision, feedback, offer', async () => {
    // Past the group's busy minute of the previous test.
    clock = new Date(Date.now() + 3 * 3600_000);
    const data = { applicationId: app.id, candidateId: app.candidateId, jobId: app.jobId };
    const mgr01 = await t.orm.em.fork().findOneOrFail(User, { dingtalkUserId: 'mgr01' });
    // int01 is assigned to interview this application (so is a reviewer of its report).
    await publish(
      bookingEvent(
        'booking.created',
        301,
        'booking:301:created',
        new Date(clock.getTime() + 48 * 3600_000),
        new Date(),
      ),
    );
    const events: DomainEvent[] = [
      {
        type: 'interview.submitted',
        key: `interview:${app.id}:submitted`,
        aggregate: `application:${app.id}`,
        actor: null,
        data: { ...data, sessionId: 1 },
      },
      {
        type: 'report.ready',
        key: `report:9:ready`,
        aggregate: `application:${app.id}`,
        actor: null,
        data: {
          ...data,
          reportId: 9,
          overall: 91,
          recommendation: 'strong_yes',
          flags: [],
          competencies: [],
          strengths: [],
          gaps: [],
          reportUrl: '',
        },
      },
      {
        type: 'approval.started',
        key: 'approval:5:started',
        aggregate: 'approval:5',
        actor: null,
        at: T0.toISOString(),
        data: {
          applicationId: app.id,
          approvalId: 5,
          kind: 'second_round',
          approverUserIds: [mgr01.dingtalkUserId],
        },
      },
      {
        type: 'application.stage_changed',
        key: `application:${app.id}:v7`,
        aggregate: `application:${app.id}`,
        actor: null,
        data: { ...data, from: 'offer_approval', to: 'offer_sent', reason: 'approved' },
      },
      {
        type: 'application.rejected',
        key: `application:${app.id}:rejected`,
        aggregate: `application:${app.id}`,
        actor: null,
        data: { ...data, feedback: '建议加强系统设计方面的表达。' },
      },
    ];
    for (const e of events) await publish(e);
    const handled = await drainConsumer(botConsumer, t.deps, 'w');
    expect(handled).toBe(5);
    const nudgeRows = () =>
      t.orm.em
        .fork()
        .find(
          OutboxMessage,
          { aggregate: 'approval:5', channel: { $ne: 'event' } },
          { orderBy: { dueAt: 'asc' } },
        );
    const nudges = await nudgeRows();
    expect(nudges.map((n) => [n.recipientId, (n.dueAt.getTime() - T0.getTime()) / 3600_000])).toEqual([
      ['mgr01', 24],
      ['mgr01', 48],
    ]);
    await publish({
      type: 'approval.decided',
      key: 'approval:5:decided',
      aggregate: 'approval:5',
      actor: null,
      data: {
        applicationId: app.id,
        approvalId: 5,
        kind: 'second_round',
        approverUserIds: [],
        result: 'agree',
      },
    });
    await drainConsumer(botConsumer, t.deps, 'w');
    expect((await nudgeRows()).map((n) => n.status)).toEqual(['cancelled', 'cancelled']);

    await t.sandbox.chatReset();
    await worker.drain();
    const group = (await t.sandbox.chatMessages()).find(
      (m) => m.conversation === 'group:cid-demo-hiring-team',
    );
    expect(group?.title).toContain('高分候选人');
    expect(group?.text).toContain('91');
    expect(group?.buttons.map((b) => b.title)).toEqual(['查看报告', '发起复试']);
    // The manager and the assigned interviewer both get "report ready".
    expect(
      (await t.sandbox.chatMessages())
        .filter((m) => m.title === '面试报告待评阅')
        .map((m) => m.conversation)
        .sort(),
    ).toEqual(['user:int01', 'user:mgr01']);
    // The candidate's messages never carry the score.
    const inbox = await t.orm.em
      .fork()
      .find(InboxMessage, { candidate: app.candidateId }, { orderBy: { id: 'desc' } });
    const titles = inbox.map((m) => m.title);
    expect(titles).toEqual(
      expect.arrayContaining(['已收到您的回答', '关于您的申请：高级后端工程师', '录用通知：高级后端工程师']),
    );
    for (const m of inbox) expect(m.body).not.toContain('91');

    // The candidate reads the inbox in the mini-app (signed in by invitation).
    const hr = await t.signInEmployee('hr01');
    const inv = await t.api('POST', '/api/invitations', {
      token: hr,
      body: { candidateId: app.candidateId, jobId: app.jobId },
    });
    const token = invitationTokenOf(inv.body.invitation.url);
    const session = (await t.api('POST', '/api/auth/invitation', { body: { token } })).body.token as string;
    const list = await t.api('GET', '/api/inbox', { token: session });
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBe(inbox.length);
    expect(list.body.unread).toBe(inbox.length);
    const first = list.body.items[0];
    expect((await t.api('POST', `/api/inbox/${first.id}/read`, { token: session })).body.read).toBe(true);
    expect((await t.api('GET', '/api/inbox', { token: session })).body.unread).toBe(inbox.length - 1);
    // Another candidate's message id is not found; employees have no inbox.
    const other = await t.orm.em.fork().findOneOrFail(Candidate, { name: '李四' });
    const foreign = await t.orm.em.fork().transactional(async (em) =>
      em.create(InboxMessage, {
        candidate: other.id,
        outboxKey: `x-${counter}`,
        topic: 't',
        title: 't',
        body: 'b',
        buttons: [],
      }),
    );
    expect((await t.api('POST', `/api/inbox/${foreign.id}/read`, { token: session })).status).toBe(404);
    expect((await t.api('GET', '/api/inbox', { token: hr })).status).toBe(403);
  });

  it('daily digests: one row per person per day however many instances run the 09:00 job', async () => {
    // The next 09:00 in Shanghai (01:00 UTC), as the job runs: "now + 1 h" put the interview on
    // the next Shanghai day whenever the test ran between 15:00 and 16:00 UTC.
    const at = new Date();
    at.setUTCHours(1, 0, 0, 0);
    if (at.getTime() <= Date.now()) at.setUTCDate(at.getUTCDate() + 1);
    await t.orm.em.fork().transactional(async (em) => {
      // A live interview today for int02 and a failed delivery for HR to hear about.
      await enqueue(em, {
        key: `digest-test:reminder:${++counter}`,
        topic: 'reminder.interviewer.30m',
        aggregate: 'booking:777',
        recipient: { kind: 'employee', id: 'int02' },
        channel: 'robot_oto',
        payload: {
          template: 'interviewer.reminder',
          data: {
            startAt: new Date(at.getTime() + 30 * MIN).toISOString(),
            timezone: 'Asia/Shanghai',
            kind: 'second_round',
            candidateName: '周九',
            jobTitle: '产品经理',
            applicationId: 1,
            minutesBefore: 30,
          },
        },
        dueAt: at,
      });
      const failed = await enqueue(em, {
        key: `digest-test:failed:${counter}`,
        topic: 'test.message',
        recipient: { kind: 'employee', id: 'nobody' },
        channel: 'robot_oto',
        payload: { message: { title: 'x', text: 'x', buttons: [] } },
      });
      failed.status = 'failed';
      failed.lastError = 'DingTalk does not know user nobody';
    });
    const first = await enqueueDailyDigests(t.orm.em.fork(), at);
    const again = await enqueueDailyDigests(t.orm.em.fork(), at);
    expect(first).toBeGreaterThan(0);
    expect(again).toBe(0);
    const digest = await t.orm.em
      .fork()
      .findOneOrFail(OutboxMessage, { topic: 'digest.interviewer', recipientId: 'int02' });
    const { interviews } = (digest.payload as { data: { interviews: Array<{ candidateName: string }> } })
      .data;
    expect(interviews.map((i) => i.candidateName)).toContain('周九');
    expect(
      await t.orm.em.fork().count(OutboxMessage, { topic: 'digest.failures', recipientId: 'hr01' }),
    ).toBe(1);
    // Interviewers never get the HR failure digest.
    expect(
      await t.orm.em.fork().count(OutboxMessage, { topic: 'digest.failures', recipientId: 'int02' }),
    ).toBe(0);
  });
});
