import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { Booking, SlotCounter } from '../../kernel/db/entities/Booking';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { candidateToken as sessionOfCandidate } from '../../testing/booking';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { createTestJob, giveConsent, candidateToken as tokenFor } from '../../testing/interview';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** 09:00 in Shanghai on the next weekday at least a day from now (AI windows are weekdays 09-21). */
function nextWeekdayMorning(): Date {
  const d = new Date(Date.now() + 24 * 3_600_000);
  d.setUTCHours(1, 0, 0, 0); // 09:00 Asia/Shanghai
  while ([0, 6].includes(new Date(d.getTime() + 8 * 3_600_000).getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/** The HR plan editor's body for an AI stage, weekdays 09:00-21:00. */
function aiStage(takeMode: 'anytime' | 'booked' | undefined, capacityPerSlot = 1) {
  const day = [{ start: '09:00', end: '21:00' }];
  return {
    sessionType: 'ai',
    ...(takeMode ? { takeMode } : {}),
    durationMinutes: 30,
    capacityPerSlot,
    horizonDays: 14,
    minNoticeMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    dailyCapPerInterviewer: null,
    rescheduleCutoffHours: 1,
    cancelCutoffHours: 1,
    maxReschedules: 2,
    timeZone: 'Asia/Shanghai',
    weeklyHours: { '1': day, '2': day, '3': day, '4': day, '5': day },
    dateOverrides: [],
    interviewerIds: [],
  };
}

describeEachDialect(
  'taking an AI interview: any time before the deadline, or in a booked window',
  (dialect) => {
    let t: TestApp;
    let hr: string;
    const morning = nextWeekdayMorning();

    const at = (ms: number) => {
      t.clock.now = new Date(morning.getTime() + ms);
    };
    const start = (token: string) => t.api('POST', '/api/interview/start', { token, body: {} });
    const next = (token: string) => t.api('POST', '/api/interview/next', { token });
    async function jobWith(slug: string, takeMode: 'anytime' | 'booked' | undefined) {
      const jobId = await createTestJob(t, `${slug}-${dialect}`);
      const res = await t.api('PUT', `/api/schedules/${jobId}/ai_interview`, {
        token: hr,
        body: aiStage(takeMode),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return jobId;
    }
    async function candidate(name: string, jobId: number) {
      const token = await tokenFor(t, name, jobId);
      await giveConsent(t, token);
      return token;
    }
    async function applicationOf(name: string, jobId: number) {
      const c = await t.orm.em.fork().findOneOrFail(Candidate, { name });
      return t.orm.em.fork().findOneOrFail(Application, { candidate: c.id, job: jobId });
    }
    async function setDeadline(name: string, jobId: number, deadline: Date) {
      const em = t.orm.em.fork();
      const app = await em.findOneOrFail(Application, { id: (await applicationOf(name, jobId)).id });
      app.deadlineAt = deadline;
      await em.flush();
    }
    async function book(token: string, applicationId: number, index: number) {
      const slots = await t.api(
        'GET',
        `/api/bookings/slots?applicationId=${applicationId}&kind=ai_interview`,
        {
          token,
        },
      );
      expect(slots.status, JSON.stringify(slots.body)).toBe(200);
      const slot = slots.body.slots[index];
      const res = await t.api('POST', '/api/bookings', {
        token,
        body: { applicationId, kind: 'ai_interview', startAt: slot.startAt },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.booking;
    }

    beforeAll(async () => {
      t = await startTestApp(dialect);
      at(0);
      hr = await t.signInEmployee('hr01');
    }, 60_000);
    afterAll(async () => t?.close());

    it('a new AI stage is taken any time: start now without a booking, until the deadline', async () => {
      at(0);
      const jobId = await jobWith('anytime', undefined);
      const em = t.orm.em.fork();
      expect(
        (await em.findOneOrFail(PlanSchedule, { plan: { job: jobId }, kind: 'ai_interview' })).takeMode,
      ).toBe('anytime');
      // 22:00 local: outside any window, no booking; the candidate starts at once.
      at(13 * 60 * MIN);
      const a = await candidate('陈静', jobId);
      const home = await t.api('GET', '/api/interview', { token: a });
      expect(home.body).toMatchObject({ takeMode: 'anytime', start: { now: true, reason: null } });
      const s = await start(a);
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      expect((await next(a)).body.answer.question).toBeTruthy();
      // The pipeline follows: invited -> interviewing without a booking in between.
      expect((await applicationOf('陈静', jobId)).stage).toBe('interviewing');
      // Another candidate whose deadline has passed cannot begin.
      const b = await candidate('张三', jobId);
      await setDeadline('张三', jobId, new Date(morning.getTime() + 13 * 60 * MIN - MIN));
      expect((await t.api('GET', '/api/interview', { token: b })).body.start).toEqual({
        now: false,
        reason: 'deadline_passed',
      });
      const late = await start(b);
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('deadline_passed');
    });

    it('starting at 23:59 before a midnight deadline: the sitting runs to its end, then the deadline applies', async () => {
      at(0);
      const jobId = await jobWith('midnight', 'anytime');
      at(15 * 60 * MIN - 5 * MIN); // 23:55: the candidate opens the invitation
      const token = await candidate('李四', jobId);
      const midnight = new Date(morning.getTime() + 15 * 60 * MIN); // 24:00 in Shanghai
      await setDeadline('李四', jobId, midnight);
      at(15 * 60 * MIN - MIN); // 23:59
      const started = await start(token);
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      const practice = await next(token);
      expect(practice.status).toBe(200);
      // 00:01, after the deadline, inside the sitting: the question is still served and can be answered.
      at(15 * 60 * MIN + MIN);
      const id = practice.body.answer.id;
      const typed = await t.api('POST', `/api/interview/answers/${id}/start`, { token });
      expect(typed.status, JSON.stringify(typed.body)).toBe(200);
      expect((await next(token)).status).toBe(200);
      // The sitting for this plan (2 questions of 5 + 20 s, plus 30 s each) is 2 x 110 s; at 00:30 it
      // is over (the candidate's session itself is still valid).
      at(15 * 60 * MIN + 30 * MIN);
      const over = await t.api('POST', `/api/interview/answers/${id}/start`, { token });
      expect(over.status).toBe(409);
      expect(over.body.error.code).toBe('deadline_passed');
    });

    it('a booked window: a booking is needed; inside it, or earlier while a seat is free now', async () => {
      at(0);
      const jobId = await jobWith('booked', 'booked');
      const a = await candidate('王五', jobId);
      const b = await candidate('赵六', jobId);
      const appA = await applicationOf('王五', jobId);
      const appB = await applicationOf('赵六', jobId);
      expect((await start(a)).body.error.code).toBe('booking_required');
      const home = await t.api('GET', '/api/interview', { token: a });
      expect(home.body).toMatchObject({
        takeMode: 'booked',
        start: { now: false, reason: 'booking_required' },
      });
      // Slots start an hour ahead (notice), every 30 minutes, one seat each: B at 10:00, A at 11:00.
      const bookedB = await book(b, appB.id, 0);
      const bookedA = await book(a, appA.id, 2);
      expect(new Date(bookedA.startAt).getTime() - new Date(bookedB.startAt).getTime()).toBe(60 * MIN);
      const bStart = new Date(bookedB.startAt).getTime() - morning.getTime();
      // 10:05: B's seat is taken by B, so A cannot start early; B can start in its own window.
      at(bStart + 5 * MIN);
      const early = await start(a);
      expect(early.status).toBe(409);
      expect(early.body.error).toMatchObject({ code: 'outside_booking_window' });
      expect(early.body.error.details.startAt).toBe(bookedA.startAt);
      expect((await start(b)).status).toBe(200);
      // 10:31: nobody holds a seat for the next 30 minutes, so A may start early.
      at(bStart + 31 * MIN);
      expect((await start(a)).status).toBe(200);
      expect((await next(a)).status).toBe(200);
    });

    it('any time: "remind me at…" only schedules a reminder (no seat, no stage move, no no-show)', async () => {
      at(0);
      const jobId = await jobWith('remind', 'anytime'); // one seat per slot
      const a = await candidate('钱七', jobId);
      const b = await candidate('周九', jobId);
      const appA = await applicationOf('钱七', jobId);
      const appB = await applicationOf('周九', jobId);
      // Both pick the same time although the slot has one seat: a reminder holds none.
      const ra = await book(a, appA.id, 0);
      const rb = await book(b, appB.id, 0);
      expect(rb.startAt).toBe(ra.startAt);
      const em = t.orm.em.fork();
      const rows = await em.find(Booking, { id: { $in: [ra.id, rb.id] } });
      expect(rows.map((r) => r.reminderOnly)).toEqual([true, true]);
      expect(await em.count(SlotCounter, { schedule: rows[0].schedule.id, taken: { $gt: 0 } })).toBe(0);
      // The pipeline does not call a reminder a booking.
      expect((await applicationOf('钱七', jobId)).stage).toBe('invited');
      // The listing shows every seat free, and the home still offers "start now".
      const slots = await t.api('GET', `/api/bookings/slots?applicationId=${appA.id}&kind=ai_interview`, {
        token: a,
      });
      expect(slots.body.slots[0].remaining).toBe(slots.body.slots[0].capacity);
      expect((await t.api('GET', '/api/interview', { token: a })).body.start).toEqual({
        now: true,
        reason: null,
      });
      // One reminder, at the chosen time, worded as a reminder that links to the interview.
      const outbox = await em.find(
        OutboxMessage,
        { aggregate: `booking:${ra.id}` },
        { orderBy: { dueAt: 'asc' } },
      );
      const reminder = outbox.filter((m) => m.topic.startsWith('reminder.'));
      expect(new Set(reminder.map((m) => m.dueAt.toISOString()))).toEqual(new Set([ra.startAt]));
      expect(reminder[0].payload).toMatchObject({ template: 'candidate.reminder' });
      expect(JSON.stringify(reminder[0].payload)).toContain('reminderOnly');
      // Moving it keeps it a reminder; cancelling gives back no seat (none was taken).
      const later = slots.body.slots[1].startAt;
      const moved = await t.api('POST', `/api/bookings/${ra.id}/reschedule`, {
        token: a,
        body: { startAt: later },
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      expect((await applicationOf('钱七', jobId)).stage).toBe('invited');
      // HR cannot mark a reminder as a no-show, even after its time.
      at(new Date(rb.startAt).getTime() - morning.getTime() + 10 * MIN);
      const ns = await t.api('POST', `/api/bookings/${rb.id}/no-show`, { token: hr, body: {} });
      expect(ns.status).toBe(409);
      expect(ns.body.error.code).toBe('reminder_only_booking');
      // Inside the 1-hour cutoffs the candidate may still move or drop their own reminder (it
      // holds nothing the cutoffs protect), and the screen is told so; a due one cannot move.
      const mineA = await t.api('GET', '/api/bookings/mine', { token: a });
      const viewA = mineA.body.items.find((x: { id: number }) => x.id === ra.id);
      expect(new Date(viewA.startAt).getTime() - (t.clock.now as Date).getTime()).toBeLessThan(HOUR);
      expect(viewA).toMatchObject({ canCancel: true, canReschedule: true, cancelUntil: viewA.startAt });
      const dueB = await t.api('POST', `/api/bookings/${rb.id}/reschedule`, {
        token: b,
        body: { startAt: slots.body.slots[3].startAt },
      });
      expect(dueB.status).toBe(409);
      expect(dueB.body.error.code).toBe('already_started');
      const dropped = await t.api('POST', `/api/bookings/${ra.id}/cancel`, {
        token: a,
        body: { reason: '想今天就开始' },
      });
      expect(dropped.status, JSON.stringify(dropped.body)).toBe(200);
      // And the candidate starts whenever they like.
      expect((await start(b)).status).toBe(200);
      expect((await applicationOf('周九', jobId)).stage).toBe('interviewing');
    });

    it('a booked window: the seat counts, a booking moves the pipeline', async () => {
      at(0);
      const jobId = await jobWith('seat', 'booked');
      const a = await candidate('吴十', jobId);
      const b = await candidate('陈静', jobId);
      const appA = await applicationOf('吴十', jobId);
      const appB = await applicationOf('陈静', jobId);
      const ra = await book(a, appA.id, 0);
      expect((await t.orm.em.fork().findOneOrFail(Booking, { id: ra.id })).reminderOnly).toBe(false);
      expect((await applicationOf('吴十', jobId)).stage).toBe('booked');
      const full = await t.api('POST', '/api/bookings', {
        token: b,
        body: { applicationId: appB.id, kind: 'ai_interview', startAt: ra.startAt },
      });
      expect(full.status).toBe(409);
      expect(full.body.error.code).toBe('slot_full');
    });

    it('signed in with DingTalk (no invitation in the session): the interview of their open application', async () => {
      at(0);
      const jobId = await jobWith('oauth', 'anytime');
      await candidate('李四', jobId); // invited: an application at stage invited
      const app = await applicationOf('李四', jobId);
      const token = await sessionOfCandidate(t, app.candidate.id);
      const home = await t.api('GET', '/api/interview', { token });
      expect(home.status, JSON.stringify(home.body)).toBe(200);
      expect(home.body.job.id).toBe(jobId);
      expect(home.body.start).toEqual({ now: true, reason: null });
      // A candidate with nothing at the interview stage still gets 404.
      const em = t.orm.em.fork();
      const lone = em.create(Candidate, { name: '无申请' });
      await em.flush();
      expect(
        (await t.api('GET', '/api/interview', { token: await sessionOfCandidate(t, lone.id) })).status,
      ).toBe(404);
    });

    it('HR switches a stage between modes; a live stage cannot be taken any time and nothing changes', async () => {
      at(0);
      const jobId = await jobWith('switch', 'booked');
      const token = await candidate('孙八', jobId);
      expect((await start(token)).body.error.code).toBe('booking_required');
      // An edit that does not mention the mode keeps it.
      await t.api('PUT', `/api/schedules/${jobId}/ai_interview`, { token: hr, body: aiStage(undefined, 3) });
      const get = await t.api('GET', `/api/schedules?jobId=${jobId}`, { token: hr });
      expect(get.body.schedules[0]).toMatchObject({ takeMode: 'booked', capacityPerSlot: 3 });
      const live = {
        ...aiStage('anytime'),
        sessionType: 'live',
        durationMinutes: 45,
        interviewerIds: [
          (await t.api('GET', `/api/schedules?jobId=${jobId}`, { token: hr })).body.eligibleInterviewers[0]
            .id,
        ],
      };
      const bad = await t.api('PUT', `/api/schedules/${jobId}/second_round`, { token: hr, body: live });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_take_mode');
      expect(bad.body.error.details[0].field).toBe('takeMode');
      expect(await t.orm.em.fork().count(PlanSchedule, { plan: { job: jobId }, kind: 'second_round' })).toBe(
        0,
      );
      // Switched to any time, the same candidate starts without booking.
      const sw = await t.api('PUT', `/api/schedules/${jobId}/ai_interview`, {
        token: hr,
        body: aiStage('anytime'),
      });
      expect(sw.status).toBe(200);
      expect((await start(token)).status).toBe(200);
    });
  },
);
