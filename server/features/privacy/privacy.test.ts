import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Booking } from '../../kernel/db/entities/Booking';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { DeletionRequest } from '../../kernel/db/entities/DeletionRequest';
import { DemographicSelfId } from '../../kernel/db/entities/DemographicSelfId';
import { InboxMessage } from '../../kernel/db/entities/InboxMessage';
import { InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { InterviewAnswer, InterviewAttempt } from '../../kernel/db/entities/InterviewSession';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { AnswerTranscript } from '../../kernel/db/entities/Scoring';
import { User } from '../../kernel/db/entities/User';
import { consumeEvents } from '../../kernel/events/consume';
import { makeApplicants } from '../../testing/booking';
import { makeAnswer, makeBooking, makeSession } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { handleDeletionEvent, PRIVACY_DELETION_CONSUMER } from './erasure';

/**
 * Deletion requests end to end (TRUST.md "Retention and deletion"): the candidate asks through
 * the API, the `privacy-deletion` consumer runs, and their recordings, transcripts, typed
 * answers, personal fields, self-identification, inbox, pending messages and the interviewer's
 * calendar event (a provider copy) are gone; another candidate is untouched.
 */
describeEachDialect('deletion requests', (dialect) => {
  let t: TestApp;
  let me: { candidateId: number; applicationId: number; token: string };
  let other: { candidateId: number; applicationId: number; token: string };
  let objectKey: string;
  let otherKey: string;
  let eventId: string;
  let organizer: string;

  /** A submitted interview with one recorded answer and its transcript. */
  async function interview(p: { applicationId: number }, key: string) {
    const em = t.orm.em.fork();
    const question = await em.findOneOrFail(
      InterviewQuestion,
      { plan: { job: { slug: 'sales' } } },
      { orderBy: { position: 'asc' } },
    );
    const app = await em.findOneOrFail(Application, { id: p.applicationId });
    const session = await makeSession(em, { application: app, status: 'submitted' });
    const answer = await makeAnswer(em, { session, question, text: '我的文字回答' });
    await t.storage.put(key, Buffer.from('webm bytes'), { contentType: 'video/webm' });
    em.create(InterviewAttempt, {
      answer,
      number: 1,
      objectKey: key,
      contentType: 'video/webm',
      kind: 'video',
      status: 'verified',
      grantedAt: new Date(),
    });
    await em.flush();
    em.create(AnswerTranscript, {
      answerId: answer.id,
      sessionId: session.id,
      applicationId: p.applicationId,
      status: 'done' as never,
      objectKey: key,
      position: 1,
      questionText: question.text,
      provider: 'dashscope',
      language: 'zh',
      text: '我负责了整个项目',
      sentences: [{ text: '我负责了整个项目', beginMs: 0, endMs: 1000 }],
    });
    await em.flush();
  }

  const runConsumer = () =>
    consumeEvents<'privacy.deletion_requested'>(t.orm.em.fork(), {
      consumer: PRIVACY_DELETION_CONSUMER,
      workerId: 'test',
      handle: (event, em) =>
        handleDeletionEvent(event, em, {
          storage: t.storage,
          calendar: t.dingtalk.calendar,
        }),
    });

  beforeAll(async () => {
    t = await startTestApp(dialect);
    [me, other] = await makeApplicants(t, 'sales', 2, 'second_round_booked', 'erase-');
    objectKey = `interviews/erasure-test/${dialect}-me.webm`;
    otherKey = `interviews/erasure-test/${dialect}-other.webm`;
    await interview(me, objectKey);
    await interview(other, otherKey);
    const em = t.orm.em.fork();
    const candidate = await em.findOneOrFail(Candidate, { id: me.candidateId });
    candidate.mobile = '13800000001';
    candidate.email = 'me@example.com';
    candidate.unionId = `uid-erase-${dialect}`;
    em.create(DemographicSelfId, { candidate, categories: { sex: 'female' } });
    const app = await em.findOneOrFail(Application, { id: me.applicationId });
    em.create(Invitation, { candidate, job: app.job, expiresAt: new Date(Date.now() + 7 * 86_400_000) });
    em.create(InboxMessage, {
      candidate,
      outboxKey: `erase-test-${dialect}`,
      topic: 'booking.confirmation',
      title: '预约成功',
      body: '你已预约复试',
      buttons: [],
    });
    // A live second round on an interviewer's DingTalk calendar, and a reminder still to come.
    const interviewer = await em.findOneOrFail(User, { dingtalkUserId: 'int04' });
    organizer = interviewer.unionId as string;
    const start = new Date(Date.now() + 3 * 86_400_000);
    eventId = await t.dingtalk.calendar.createEvent(
      organizer,
      {
        summary: '复试：erase-0',
        description: '',
        start,
        end: new Date(start.getTime() + 3_600_000),
        timeZone: 'Asia/Shanghai',
      },
      `erase-${dialect}`,
    );
    const schedule = await em.findOneOrFail(PlanSchedule, {
      plan: { job: { slug: 'sales' } },
      kind: 'second_round',
    });
    const booking = await makeBooking(em, {
      application: em.getReference(Application, me.applicationId),
      schedule,
      interviewer,
      startAt: start,
      endAt: new Date(start.getTime() + 3_600_000),
      calendarEventId: eventId,
      calendarOwner: organizer,
    });
    em.create(OutboxMessage, {
      idempotencyKey: `erase-reminder-${dialect}`,
      topic: 'reminder.candidate.60m',
      aggregate: `booking:${booking.id}`,
      recipientKind: 'candidate',
      recipientId: String(me.candidateId),
      channel: 'inbox',
      payload: { template: 'candidate.reminder', data: {} },
      dueAt: start,
    });
    await em.flush();
  });
  afterAll(async () => t?.close());

  it('a candidate asks; the next run erases their data here and at DingTalk; asking again returns the same request', async () => {
    const events = async () => (await t.sandbox.calendar(organizer)).events;
    expect((await events()).some((e) => e.id === eventId)).toBe(true);
    const missingConfirm = await t.api('POST', '/api/me/deletion-request', { token: me.token, body: {} });
    expect(missingConfirm.status).toBe(400);
    expect(JSON.stringify(missingConfirm.body.error.details)).toContain('confirm');

    const asked = await t.api('POST', '/api/me/deletion-request', {
      token: me.token,
      body: { confirm: true, reason: '不再求职' },
    });
    expect(asked.status).toBe(202);
    expect(asked.body.request.status).toBe('pending');
    const due = Date.parse(asked.body.request.dueBy) - Date.parse(asked.body.request.requestedAt);
    expect(due).toBe(30 * 86_400_000);
    const again = await t.api('POST', '/api/me/deletion-request', {
      token: me.token,
      body: { confirm: true },
    });
    expect(again.status).toBe(200);
    expect(again.body.request.id).toBe(asked.body.request.id);

    expect(await runConsumer()).toBeGreaterThanOrEqual(1);

    const em = t.orm.em.fork();
    const person = await em.findOneOrFail(Candidate, { id: me.candidateId });
    expect(person).toMatchObject({ mobile: null, email: null, unionId: null });
    expect(person.name).not.toContain('erase-');
    expect(await t.storage.head(objectKey)).toBeNull();
    expect((await em.findOneOrFail(AnswerTranscript, { applicationId: me.applicationId })).text).toBeNull();
    expect(
      (await em.findOneOrFail(InterviewAnswer, { session: { application: me.applicationId } })).text,
    ).toBeNull();
    expect(await em.count(DemographicSelfId, { candidate: me.candidateId })).toBe(0);
    expect(await em.count(InboxMessage, { candidate: me.candidateId })).toBe(0);
    expect(await em.count(Invitation, { candidate: me.candidateId })).toBe(1);
    expect(await em.count(Invitation, { candidate: me.candidateId, revokedAt: null })).toBe(0);
    const booking = await em.findOneOrFail(Booking, { application: me.applicationId });
    expect(booking).toMatchObject({ status: 'cancelled', activeKey: null, calendarEventId: null });
    expect((await events()).some((e) => e.id === eventId)).toBe(false);
    expect(
      (await em.findOneOrFail(OutboxMessage, { idempotencyKey: `erase-reminder-${dialect}` })).status,
    ).toBe('cancelled');
    // The erased person's session ended with the erasure: refused at once, and it writes nothing.
    const ended = await t.api('GET', '/api/me/deletion-request', { token: me.token });
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe('session_revoked');
    const write = await t.api('PUT', '/api/me/demographics', {
      token: me.token,
      body: { sex: 'female', ageBand: '25-34' },
    });
    expect(write.status).toBe(401);
    expect(await em.fork().count(DemographicSelfId, { candidate: me.candidateId })).toBe(0);
    // The other candidate's session is untouched.
    expect((await t.api('GET', '/api/me/deletion-request', { token: other.token })).status).toBe(200);
    // What was done is HR's to read now.
    const hr = await t.signInEmployee('hr01');
    const listed = await t.api('GET', '/api/privacy/deletion-requests', { token: hr });
    const done = {
      body: { request: listed.body.items.find((r: { id: number }) => r.id === asked.body.request.id) },
    };
    expect(done.body.request.status).toBe('done');
    expect(done.body.request.summary).toMatchObject({
      recordingsDeleted: 1,
      calendarEventsDeleted: 1,
      bookingsCancelled: 1,
      demographicsDeleted: true,
    });
    // What providers keep is read from the data: the ASR provider that transcribed the answer;
    // nothing about this person had been delivered to a chat yet, so no such entry.
    expect(done.body.request.summary.retainedElsewhere).toEqual([
      expect.objectContaining({ provider: 'dashscope', what: 'speech recognition task results' }),
    ]);
    expect(JSON.stringify(done.body.request.summary)).not.toContain('erase-');
    const tombstone = await em.findOneOrFail(AuditLog, {
      action: 'privacy.erased',
      objectId: String(me.candidateId),
    });
    expect(JSON.stringify(tombstone.details)).not.toContain('13800000001');

    // The other candidate is untouched.
    expect(await t.storage.head(otherKey)).not.toBeNull();
    expect((await em.findOneOrFail(Candidate, { id: other.candidateId })).name).toContain('erase-');
    expect(
      (await em.findOneOrFail(AnswerTranscript, { applicationId: other.applicationId })).text,
    ).not.toBeNull();
  });

  it('HR files a request for a candidate who asked elsewhere (with a reason) and sees it listed; others may not', async () => {
    const hr = await t.signInEmployee('hr01');
    const noReason = await t.api('POST', `/api/candidates/${other.candidateId}/deletion-request`, {
      token: hr,
      body: { confirm: true },
    });
    expect(noReason.status).toBe(400);
    const interviewer = await t.signInEmployee('int01');
    const refused = await t.api('POST', `/api/candidates/${other.candidateId}/deletion-request`, {
      token: interviewer,
      body: { confirm: true, reason: 'x' },
    });
    expect(refused.status).toBe(403);
    expect(
      (await t.api('POST', '/api/me/deletion-request', { token: hr, body: { confirm: true } })).status,
    ).toBe(403);
    expect(
      (
        await t.api('POST', '/api/candidates/999999/deletion-request', {
          token: hr,
          body: { confirm: true, reason: 'x' },
        })
      ).status,
    ).toBe(404);
    const filed = await t.api('POST', `/api/candidates/${other.candidateId}/deletion-request`, {
      token: hr,
      body: { confirm: true, reason: '候选人邮件要求删除' },
    });
    expect(filed.status).toBe(202);
    const list = await t.api('GET', '/api/privacy/deletion-requests', { token: hr });
    expect(list.body.items.map((r: { candidateId: number }) => r.candidateId)).toEqual(
      expect.arrayContaining([me.candidateId, other.candidateId]),
    );
    expect((await t.api('GET', '/api/privacy/deletion-requests', { token: interviewer })).status).toBe(403);
    await runConsumer();
    expect(await t.storage.head(otherKey)).toBeNull();
    const row = await t.orm.em.fork().findOneOrFail(DeletionRequest, { candidate: other.candidateId });
    expect(row.requestedBy).toMatch(/^employee:/);
    expect(row.status).toBe('done');
  });

  it('simultaneous requests for one person record one request', async () => {
    const [p] = await makeApplicants(t, 'sales', 1, 'invited', 'race-erase-');
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.api('POST', '/api/me/deletion-request', { token: p.token, body: { confirm: true } }),
      ),
    );
    expect(results.every((r) => r.status === 200 || r.status === 202)).toBe(true);
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.request.id)).size).toBe(1);
    expect(await t.orm.em.fork().count(DeletionRequest, { candidate: p.candidateId })).toBe(1);
  });
});
