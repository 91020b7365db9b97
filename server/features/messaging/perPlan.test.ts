import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatReminderOffsets, parseReminderOffsets } from '../../../shared/api/reminders';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import type { DomainEvent, EventType } from '../../kernel/events/types';
import { drainConsumer } from '../../kernel/jobs/registry';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { bookingEventsFor, publishWith, seededBookingParties, testWorker } from '../../testing/messaging';
import { botConsumer } from './jobs';
import type { DeliveryWorker } from './worker';

const MIN = 60_000;
const T0 = new Date('2026-04-06T01:00:00.000Z');

it('reminder fields parse 24h/90m/2d/bare minutes and format back', () => {
  expect(parseReminderOffsets('24h, 1h，10m 2d 45')).toEqual([1440, 60, 10, 2880, 45]);
  expect(parseReminderOffsets('')).toEqual([]);
  expect(parseReminderOffsets('1w')).toBeNull();
  expect(parseReminderOffsets('-5')).toBeNull();
  expect(formatReminderOffsets([1440, 120, 90, 5])).toBe('1d, 2h, 90m, 5m');
});

describeEachDialect('per-plan reminder timings and per-job hiring groups', (dialect) => {
  let t: TestApp;
  let hr: string;
  let clock: Date;
  let worker: DeliveryWorker;
  let app: { id: number; candidateId: number; jobId: number };
  let int01: { id: number };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    ({ app, int01 } = await seededBookingParties(t));
    hr = await t.signInEmployee('hr01');
    clock = T0;
    worker = testWorker(t, 'plan-test-worker', () => clock);
  }, 60_000);
  afterAll(async () => t?.close());

  const publish = (e: DomainEvent) => publishWith(t)(e);
  const events = bookingEventsFor(
    () => app,
    () => int01.id,
  );
  const bookingEvent = (
    type: EventType,
    bookingId: number,
    key: string,
    startAt: Date,
    extra: Record<string, unknown> = {},
  ) => events(type, bookingId, key, startAt, T0, extra);
  /** Pending reminders of a booking as [topic, channel, minutes before `start`]. */
  const reminders = async (bookingId: number, start: Date) =>
    (
      await t.orm.em
        .fork()
        .find(
          OutboxMessage,
          { aggregate: `booking:${bookingId}`, status: 'pending', topic: { $like: 'reminder.%' } },
          { orderBy: { dueAt: 'asc', channel: 'asc' } },
        )
    ).map((r) => [r.topic, r.channel, (start.getTime() - r.dueAt.getTime()) / MIN]);
  const liveBody = {
    sessionType: 'live',
    durationMinutes: 45,
    stepMinutes: null,
    capacityPerSlot: 1,
    horizonDays: 14,
    minNoticeMinutes: 240,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    dailyCapPerInterviewer: null,
    rescheduleCutoffHours: 24,
    cancelCutoffHours: 12,
    maxReschedules: 2,
    timeZone: 'Asia/Shanghai',
    weeklyHours: {},
    dateOverrides: [],
    interviewerIds: [] as number[],
  };
  const putLive = (reminderOffsetsMinutes: unknown, token = hr) =>
    t.api('PUT', `/api/schedules/${app.jobId}/second_round`, {
      token,
      body: { ...liveBody, interviewerIds: [int01.id], reminderOffsetsMinutes },
    });
  const stored = async () =>
    (await t.orm.em.fork().findOne(PlanSchedule, { plan: { job: app.jobId }, kind: 'second_round' }))
      ?.reminderOffsetsMinutes ?? null;

  it('HR sets a plan stage reminder timings; bad offsets are refused naming the field and change nothing', async () => {
    const custom = { candidate: [120, 5], interviewer: [45] };
    const ok = await putLive(custom);
    expect(ok.status).toBe(200);
    expect(ok.body.schedule).toMatchObject({
      kind: 'second_round',
      reminderOffsetsMinutes: custom,
      reminderDefaults: { candidate: [1440, 60, 10], interviewer: [30] },
    });
    for (const bad of [
      { candidate: [0], interviewer: [] },
      { candidate: [-10], interviewer: [] },
      { candidate: [14 * 1440 + 1], interviewer: [] },
      { candidate: [1, 2, 3, 4, 5, 6], interviewer: [] },
      { candidate: [60, 60], interviewer: [] },
      { candidate: [1.5], interviewer: [] },
      { candidate: [60] },
      { candidate: [60], interviewer: [], sms: [5] },
    ]) {
      const res = await putLive(bad);
      expect([res.status, res.body.error.code], JSON.stringify(bad)).toEqual([400, 'validation_failed']);
      expect(JSON.stringify(res.body.error.details)).toContain('reminderOffsetsMinutes');
    }
    expect(await stored()).toEqual(custom);
    // Only HR edits plans.
    expect((await putLive(custom, await t.signInEmployee('int01'))).status).toBe(403);
    const listed = await t.api('GET', `/api/schedules?jobId=${app.jobId}`, { token: hr });
    expect(
      listed.body.schedules.find((s: { kind: string }) => s.kind === 'second_round').reminderOffsetsMinutes,
    ).toEqual(custom);
  });

  it('a plan with custom offsets gets exactly those reminders, delivered at those times (fake clock)', async () => {
    const start = new Date(T0.getTime() + 2 * 24 * 60 * MIN);
    await publish(bookingEvent('booking.created', 501, 'booking:501:created', start));
    expect(await reminders(501, start)).toEqual([
      ['reminder.candidate.120m', 'gateway', 120],
      ['reminder.candidate.120m', 'inbox', 120],
      ['reminder.interviewer.45m', 'robot_oto', 45],
      ['reminder.interviewer.urgent', 'robot_oto', 15],
      ['reminder.candidate.5m', 'gateway', 5],
      ['reminder.candidate.5m', 'inbox', 5],
    ]);
    await t.sandbox.chatReset();
    clock = T0;
    expect((await worker.drain()).sent).toBe(3); // confirmation (inbox + gateway) + assignment
    clock = new Date(start.getTime() - 24 * 60 * MIN); // the default 24 h time: nothing for this plan
    expect((await worker.drain()).sent).toBe(0);
    clock = new Date(start.getTime() - 120 * MIN - 1);
    expect((await worker.drain()).sent).toBe(0);
    clock = new Date(start.getTime() - 120 * MIN);
    expect((await worker.drain()).sent).toBe(2);
    clock = new Date(start.getTime() - 45 * MIN);
    expect((await worker.drain()).sent).toBe(1);
    const toInterviewer = await t.sandbox.chatMessages({ conversation: 'user:int01' });
    expect(toInterviewer).toHaveLength(2); // assignment + the 45-minute reminder
    clock = new Date(start.getTime() - 15 * MIN);
    expect((await worker.drain()).sent).toBe(1); // int01 has not read it: the urgent re-send
    clock = new Date(start.getTime() - 5 * MIN);
    expect((await worker.drain()).sent).toBe(2);
    expect(await reminders(501, start)).toEqual([]);
  });

  it('reschedule moves the custom reminders, cancel removes them; null falls back to the defaults', async () => {
    const start = new Date(T0.getTime() + 3 * 24 * 60 * MIN);
    const moved = new Date(T0.getTime() + 4 * 24 * 60 * MIN);
    await publish(bookingEvent('booking.created', 502, 'booking:502:created', start));
    await publish(bookingEvent('booking.rescheduled', 502, 'booking:502:rescheduled:1', moved));
    const pending = await reminders(502, moved);
    expect(pending.map((r) => r[2])).toEqual([120, 120, 45, 15, 5, 5]);
    const cancelled = await t.orm.em.fork().count(OutboxMessage, {
      aggregate: 'booking:502',
      status: 'cancelled',
      topic: { $like: 'reminder.%' },
    });
    expect(cancelled).toBe(6);
    await publish(bookingEvent('booking.cancelled', 502, 'booking:502:cancelled', moved, { reason: '冲突' }));
    expect(await reminders(502, moved)).toEqual([]);

    // Empty lists: no reminders at all for this stage.
    expect((await putLive({ candidate: [], interviewer: [] })).status).toBe(200);
    await publish(bookingEvent('booking.created', 503, 'booking:503:created', start));
    expect(await reminders(503, start)).toEqual([]);

    // Null (or absent): back to the configured defaults.
    expect((await putLive(null)).status).toBe(200);
    expect(await stored()).toBeNull();
    await publish(bookingEvent('booking.created', 504, 'booking:504:created', start));
    expect((await reminders(504, start)).map((r) => r[2])).toEqual([1440, 1440, 60, 60, 30, 15, 10, 10]);
  });

  it('an AI interview stage uses its own candidate offsets and never interviewer ones', async () => {
    await t.orm.em.fork().transactional(async (em) => {
      const job = await em.findOneOrFail(Job, { id: app.jobId });
      const row = await em.findOne(PlanSchedule, { plan: { job: job.id }, kind: 'ai_interview' });
      if (!row) throw new Error('seed has no AI window for the job');
      row.reminderOffsetsMinutes = { candidate: [180], interviewer: [20] };
    });
    const start = new Date(T0.getTime() + 2 * 24 * 60 * MIN);
    await publish(
      bookingEvent('booking.created', 505, 'booking:505:created', start, {
        kind: 'ai_interview',
        interviewerId: null,
      }),
    );
    expect(await reminders(505, start)).toEqual([
      ['reminder.candidate.180m', 'gateway', 180],
      ['reminder.candidate.180m', 'inbox', 180],
    ]);
  });

  it("high-score alerts go to the job's own hiring group (set via the job rules), else the configured group", async () => {
    const rules = {
      passThreshold: 75,
      rejectThreshold: 50,
      approverUserIds: ['hr01'],
      approvalMode: 'AND',
      ccUserIds: [],
    };
    const put = (body: Record<string, unknown>) =>
      t.api('PUT', `/api/jobs/${app.jobId}/rules`, { token: hr, body: { ...rules, ...body } });
    for (const bad of ['', 'cid 有空格', 'x'.repeat(65)]) {
      const res = await put({ hiringGroupConversationId: bad });
      expect([res.status, res.body.error.details?.[0]?.field]).toEqual([
        400,
        'body.hiringGroupConversationId',
      ]);
    }
    const set = await put({ hiringGroupConversationId: 'cid-demo-sales-team' });
    expect([set.status, set.body.rules.hiringGroupConversationId]).toEqual([200, 'cid-demo-sales-team']);
    // A client that does not send the field keeps the group.
    expect((await put({ passThreshold: 80 })).body.rules.hiringGroupConversationId).toBe(
      'cid-demo-sales-team',
    );

    const reportReady = (n: number, overall: number): DomainEvent => ({
      type: 'report.ready',
      key: `report:${n}:ready`,
      aggregate: `application:${app.id}`,
      actor: null,
      data: {
        applicationId: app.id,
        candidateId: app.candidateId,
        jobId: app.jobId,
        reportId: n,
        overall,
        recommendation: 'strong_yes',
        flags: [],
        competencies: [],
        strengths: [],
        gaps: [],
        reportUrl: '',
      },
    });
    const alerts = async () => {
      await drainConsumer(botConsumer, t.deps, 'w');
      clock = new Date(Date.now() + 3600_000);
      await t.sandbox.chatReset();
      await worker.drain();
      return (await t.sandbox.chatMessages())
        .filter((m) => m.title?.includes('高分候选人'))
        .map((m) => m.conversation);
    };
    await publish(reportReady(71, 93));
    expect(await alerts()).toEqual(['group:cid-demo-sales-team']);

    // Cleared: back to the configured group.
    expect((await put({ hiringGroupConversationId: null })).body.rules.hiringGroupConversationId).toBeNull();
    await publish(reportReady(72, 95));
    expect(await alerts()).toEqual(['group:cid-demo-hiring-team']);
    // The demo's sales job has its own group.
    const sales = await t.orm.em.fork().findOneOrFail(Job, { slug: 'sales' });
    const salesRules = await t.api('GET', `/api/jobs/${sales.id}/rules`, { token: hr });
    expect(salesRules.body.rules.hiringGroupConversationId).toBe('cid-demo-sales-team');
  });
});
