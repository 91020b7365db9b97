import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { Booking, SlotCounter } from '../../kernel/db/entities/Booking';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { User } from '../../kernel/db/entities/User';
import { consumeEvents } from '../../kernel/events';
import { employeeToken, makeApplicants, nextMonday, useBookedWindows } from '../../testing/booking';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { CALENDAR_CONSUMER, syncBookingCalendar } from './calendarSync';

const H = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

describeEachDialect('booking API', (dialect) => {
  let t: TestApp;
  let hr: string;
  let monday: number; // 00:00 UTC = 08:00 Asia/Shanghai
  let users: Record<string, { id: number; unionId: string }>;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await useBookedWindows(t);
    const all = await t.orm.em.fork().find(User, {});
    users = Object.fromEntries(all.map((u) => [u.dingtalkUserId, { id: u.id, unionId: u.unionId ?? '' }]));
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    monday = nextMonday(new Date()).getTime();
    t.clock.now = new Date(monday);
    hr = await employeeToken(t, 'hr01');
  });

  const slots = (token: string, applicationId: number, kind = 'ai_interview', extra = '') =>
    t.api('GET', `/api/bookings/slots?applicationId=${applicationId}&kind=${kind}${extra}`, { token });
  const book = (token: string, applicationId: number, startAt: string, kind = 'ai_interview') =>
    t.api('POST', '/api/bookings', { token, body: { applicationId, kind, startAt } });

  it('a candidate lists AI windows, books one, cannot book twice, reschedules and cancels', async () => {
    const [a] = await makeApplicants(t, 'backend', 1, 'invited', 'ai');
    const list = await slots(a.token, a.applicationId, 'ai_interview', '&tz=America/New_York');
    expect(list.status).toBe(200);
    expect(list.body.timeZone).toBe('America/New_York');
    expect(list.body.planTimeZone).toBe('Asia/Shanghai');
    // 09:00 Shanghai = 01:00Z: exactly now + 60 min notice, the first bookable slot.
    expect(list.body.slots[0]).toMatchObject({ startAt: iso(monday + H), capacity: 10, remaining: 10 });
    expect(list.body.slots[0].time).toBe('20:00'); // Sunday evening in New York (EST)
    const created = await book(a.token, a.applicationId, iso(monday + 3 * H));
    expect(created.status).toBe(201);
    expect(created.body.booking).toMatchObject({ status: 'booked', kind: 'ai_interview', canCancel: true });
    const again = await book(a.token, a.applicationId, iso(monday + 2 * H));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_booked');
    const after = await slots(a.token, a.applicationId);
    // The failed second booking gave back the seat it had reserved.
    expect(
      after.body.slots.find((s: { startAt: string }) => s.startAt === iso(monday + 2 * H)).remaining,
    ).toBe(10);
    expect(
      after.body.slots.find((s: { startAt: string }) => s.startAt === iso(monday + 3 * H)).remaining,
    ).toBe(9);

    const id = created.body.booking.id;
    const same = await t.api('POST', `/api/bookings/${id}/reschedule`, {
      token: a.token,
      body: { startAt: iso(monday + 3 * H) },
    });
    expect(same.body.error.code).toBe('same_slot');
    const moved = await t.api('POST', `/api/bookings/${id}/reschedule`, {
      token: a.token,
      body: { startAt: iso(monday + 5 * H) },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.booking).toMatchObject({ startAt: iso(monday + 5 * H), rescheduleCount: 1 });
    const seats = await slots(a.token, a.applicationId);
    const seat = (at: number) => seats.body.slots.find((s: { startAt: string }) => s.startAt === iso(at));
    expect(seat(monday + 3 * H).remaining).toBe(10);
    expect(seat(monday + 5 * H).remaining).toBe(9);

    const ics = await t.api('GET', `/api/bookings/${id}/ics`, { token: a.token });
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    expect(ics.body).toContain(
      `DTSTART:${iso(monday + 5 * H)
        .replace(/[-:]/g, '')
        .replace('.000', '')}`,
    );
    expect(ics.body).toContain('SEQUENCE:1');

    const noReason = await t.api('POST', `/api/bookings/${id}/cancel`, { token: a.token, body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('body.reason');
    const cancelled = await t.api('POST', `/api/bookings/${id}/cancel`, {
      token: a.token,
      body: { reason: '时间冲突' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.booking).toMatchObject({ status: 'cancelled', cancelReason: '时间冲突' });
    const twice = await t.api('POST', `/api/bookings/${id}/cancel`, {
      token: a.token,
      body: { reason: '再次取消' },
    });
    expect(twice.body.error.code).toBe('booking_not_active');
    // The seat is free again and the candidate may book anew.
    expect((await book(a.token, a.applicationId, iso(monday + 5 * H))).status).toBe(201);
    const events = await t.orm.em
      .fork()
      .find(
        OutboxMessage,
        { aggregate: `booking:${id}`, recipientId: CALENDAR_CONSUMER },
        { orderBy: { id: 'asc' } },
      );
    expect(events.map((e) => e.idempotencyKey)).toEqual([
      `evt:booking:${id}:created:calendar`,
      `evt:booking:${id}:rescheduled:1:calendar`,
      `evt:booking:${id}:cancelled:calendar`,
    ]);
    expect(events[1].payload.data).toMatchObject({
      bookingId: id,
      applicationId: a.applicationId,
      candidateId: a.candidateId,
      kind: 'ai_interview',
      interviewerId: null,
      startAt: iso(monday + 5 * H),
      previousStartAt: iso(monday + 3 * H),
      timezone: 'Asia/Shanghai',
    });
  });

  it('bad inputs get specific 4xx codes and change nothing', async () => {
    const [a, b] = await makeApplicants(t, 'backend', 2, 'invited', 'bad');
    const cases: Array<[string, unknown, number, string]> = [
      ['past', { startAt: iso(monday - H) }, 400, 'slot_in_past'],
      ['off grid', { startAt: iso(monday + H + 10 * 60_000) }, 400, 'unknown_slot'],
      ['outside hours (03:00 local)', { startAt: iso(monday - 5 * H + 7 * 86_400_000) }, 400, 'unknown_slot'],
      ['beyond horizon', { startAt: iso(monday + 15 * 86_400_000 + H) }, 400, 'beyond_horizon'],
      [
        'forged interviewer',
        { startAt: iso(monday + H), interviewerId: users.int01.id },
        400,
        'validation_failed',
      ],
      ['bad zone', { startAt: iso(monday + H), timeZone: 'Mars/Olympus' }, 400, 'validation_failed'],
      [
        'someone else’s application',
        { startAt: iso(monday + H), applicationId: b.applicationId },
        404,
        'not_found',
      ],
    ];
    for (const [title, over, status, code] of cases) {
      const res = await t.api('POST', '/api/bookings', {
        token: a.token,
        body: { applicationId: a.applicationId, kind: 'ai_interview', ...(over as object) },
      });
      expect([title, res.status, res.body.error?.code]).toEqual([title, status, code]);
    }
    // Inside the 60-minute notice: at 09:30 local, 10:00 is too soon.
    t.clock.now = new Date(monday + 1.5 * H);
    const soon = await book(a.token, a.applicationId, iso(monday + 2 * H));
    expect(soon.body.error).toMatchObject({ code: 'too_soon', details: { minNoticeMinutes: 60 } });
    t.clock.now = new Date(monday);
    // Live second round while the application is still at the AI stage.
    const live = await book(a.token, a.applicationId, iso(monday + 26 * H), 'second_round');
    expect(live.body.error.code).toBe('wrong_stage');
    // Deadline: a session must end before it; after it nothing can be booked.
    const em = t.orm.em.fork();
    await em.nativeUpdate(Application, { id: a.applicationId }, { deadlineAt: new Date(monday + 2 * H) });
    expect((await book(a.token, a.applicationId, iso(monday + 2 * H))).body.error.code).toBe(
      'after_deadline',
    );
    const tight = await slots(a.token, a.applicationId);
    expect(tight.body.slots.map((s: { startAt: string }) => s.startAt)).toEqual([
      iso(monday + H),
      iso(monday + 1.5 * H),
    ]);
    t.clock.now = new Date(monday + 3 * H);
    expect((await book(a.token, a.applicationId, iso(monday + 5 * H))).body.error.code).toBe(
      'deadline_passed',
    );
    expect(
      await t.orm.em.fork().count(Booking, { application: { $in: [a.applicationId, b.applicationId] } }),
    ).toBe(0);
  });

  it('cutoffs and the reschedule limit are enforced; strangers get 404', async () => {
    const [a, b] = await makeApplicants(t, 'sales', 2, 'invited', 'cut');
    const start = monday + 10 * H; // 18:00 Shanghai
    const id = (await book(a.token, a.applicationId, iso(start))).body.booking.id;
    for (const [method, path, body] of [
      ['GET', `/api/bookings/${id}`, undefined],
      ['GET', `/api/bookings/${id}/ics`, undefined],
      ['POST', `/api/bookings/${id}/reschedule`, { startAt: iso(start + H) }],
      ['POST', `/api/bookings/${id}/cancel`, { reason: '不是我的' }],
    ] as const) {
      const res = await t.api(method, path, { token: b.token, body });
      expect([path, res.status]).toEqual([path, 404]);
    }
    const int = await employeeToken(t, 'int04');
    expect((await t.api('GET', `/api/bookings/${id}`, { token: int })).status).toBe(404);
    expect((await t.api('GET', `/api/bookings?jobId=1`, { token: int })).status).toBe(403);
    const overview = await t.api(
      'GET',
      `/api/bookings?jobId=${(await t.orm.em.fork().findOneOrFail(Application, { id: a.applicationId })).job.id}`,
      { token: hr },
    );
    expect(overview.body.items.map((i: { id: number }) => i.id)).toContain(id);

    // Two reschedules allowed, the third refused.
    await t.api('POST', `/api/bookings/${id}/reschedule`, {
      token: a.token,
      body: { startAt: iso(start + H) },
    });
    const r2 = await t.api('POST', `/api/bookings/${id}/reschedule`, {
      token: a.token,
      body: { startAt: iso(start) },
    });
    expect(r2.body.booking.canReschedule).toBe(false);
    const r3 = await t.api('POST', `/api/bookings/${id}/reschedule`, {
      token: a.token,
      body: { startAt: iso(start + H) },
    });
    expect(r3.body.error.code).toBe('reschedule_limit');
    // The limit travels in details, so the mini-app can name it ("每个预约最多改约 2 次").
    expect(r3.body.error.details).toEqual({ maxReschedules: 2 });
    // 1 h before the start: inside the 2 h cancel cutoff.
    t.clock.now = new Date(start - H);
    const late = await t.api('POST', `/api/bookings/${id}/cancel`, {
      token: a.token,
      body: { reason: '临时有事' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('cancel_cutoff_passed');
    expect(late.body.error.details).toEqual({ cancelCutoffHours: 2 });
    // HR may still cancel before the start.
    expect(
      (await t.api('POST', `/api/bookings/${id}/cancel`, { token: hr, body: { reason: '候选人电话告知' } }))
        .status,
    ).toBe(200);
  });

  it('live second round: calendar busy time, round-robin, host kept on reschedule, calendar events follow', async () => {
    const [a, b, c] = await makeApplicants(t, 'pm', 3, 'second_round', 'live');
    const tue = monday + 86_400_000;
    const at0930 = tue + 1.5 * H; // Tuesday 09:30 Shanghai
    // int03 (09:30-12:00) has a meeting 09:00-10:15; mgr01 only works afternoons.
    await t.sandbox.addBusy(users.int03.unionId, {
      start: iso(tue + H),
      end: iso(tue + 2.25 * H),
      title: '评审',
    });
    const eventsOf = async (unionId: string) => (await t.sandbox.calendar(unionId)).events;
    const list = await slots(a.token, a.applicationId, 'second_round', '&refresh=1');
    expect(list.status).toBe(200);
    const offered = list.body.slots.filter((s: { date: string }) => s.date === list.body.slots[0].date);
    const first = offered.find((s: { remaining: number }) => s.remaining > 0);
    // 09:30 and 10:00 overlap the meeting; 10:30 starts 15 min after it ends... but 10:15 is off-grid.
    expect(first.time).toBe('10:30');
    expect(offered.find((s: { time: string }) => s.time === '09:30')?.remaining ?? 0).toBe(0);
    void at0930;

    // 15:00 Tuesday: int03 and mgr01 both free; round-robin gives them one each.
    const at1500 = tue + 7 * H;
    const ba = await book(a.token, a.applicationId, iso(at1500), 'second_round');
    const bb = await book(b.token, b.applicationId, iso(at1500), 'second_round');
    expect([ba.status, bb.status]).toEqual([201, 201]);
    const hosts = [ba.body.booking.interviewer.id, bb.body.booking.interviewer.id].sort();
    expect(hosts).toEqual([users.int03.id, users.mgr01.id].sort());
    const full = await book(c.token, c.applicationId, iso(at1500), 'second_round');
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('slot_full');
    expect(
      full.body.error.details.slots.find((s: { startAt: string }) => s.startAt === iso(at1500)).remaining,
    ).toBe(0);

    // The calendar consumer writes the events (idempotently).
    const sync = () =>
      consumeEvents<'booking.created' | 'booking.rescheduled' | 'booking.cancelled'>(t.orm.em.fork(), {
        consumer: CALENDAR_CONSUMER,
        workerId: 'test',
        handle: (e, em) => syncBookingCalendar(em, e, { calendar: t.dingtalk.calendar, config: t.config }),
      });
    expect(await sync()).toBeGreaterThanOrEqual(2);
    expect(await sync()).toBe(0); // each event handled once
    const hostA = ba.body.booking.interviewer.id === users.int03.id ? users.int03 : users.mgr01;
    let evs = await eventsOf(hostA.unionId);
    expect(evs).toHaveLength(1);
    expect(evs[0].summary).toContain('live0');
    expect(evs[0].description).toContain(`/candidates/${a.candidateId}`);

    // Reschedule to 16:00: the host is free, so they keep the session; the event moves.
    const moved = await t.api('POST', `/api/bookings/${ba.body.booking.id}/reschedule`, {
      token: a.token,
      body: { startAt: iso(tue + 8 * H) },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.booking.interviewer.id).toBe(hostA.id);
    await sync();
    evs = await eventsOf(hostA.unionId);
    expect(evs).toHaveLength(1);
    expect(Date.parse(evs[0].start.dateTime)).toBe(tue + 8 * H);

    // No-show: only the host or HR, only after the start.
    const other = await employeeToken(t, hostA.id === users.int03.id ? 'int01' : 'int03');
    const hostToken = await employeeToken(t, hostA.id === users.int03.id ? 'int03' : 'mgr01');
    const bid = ba.body.booking.id;
    expect(
      (await t.api('POST', `/api/bookings/${bid}/no-show`, { token: hostToken, body: {} })).body.error.code,
    ).toBe('not_started');
    t.clock.now = new Date(tue + 8 * H + 10 * 60_000);
    expect((await t.api('POST', `/api/bookings/${bid}/no-show`, { token: other, body: {} })).status).toBe(
      404,
    );
    expect((await t.api('POST', `/api/bookings/${bid}/no-show`, { token: a.token, body: {} })).status).toBe(
      404,
    );
    const ns = await t.api('POST', `/api/bookings/${bid}/no-show`, {
      token: hostToken,
      body: { reason: '未上线' },
    });
    expect(ns.status).toBe(200);
    expect(ns.body.booking.status).toBe('no_show');
    const mine = await t.api('GET', '/api/bookings/mine', { token: hostToken });
    expect(mine.body.items.map((i: { id: number }) => i.id)).toContain(bid);

    // Cancelling b's booking deletes its event.
    t.clock.now = new Date(monday);
    const hostB = hostA.id === users.int03.id ? users.mgr01 : users.int03;
    expect((await eventsOf(hostB.unionId)).length).toBe(1);
    await t.api('POST', `/api/bookings/${bb.body.booking.id}/cancel`, {
      token: b.token,
      body: { reason: '已接受其他offer' },
    });
    await sync();
    expect(await eventsOf(hostB.unionId)).toHaveLength(0);
  });

  it('a cancel racing a reschedule never resurrects a cancelled booking or leaks a seat', async () => {
    const people = await makeApplicants(t, 'backend', 5, 'invited', 'cr');
    for (const [i, p] of people.entries()) {
      const start = monday + (26 + i) * H; // Tuesday 10:00+ Shanghai, unused by other tests
      const id = (await book(p.token, p.applicationId, iso(start))).body.booking.id;
      const [r, c] = await Promise.all([
        t.api('POST', `/api/bookings/${id}/reschedule`, {
          token: p.token,
          body: { startAt: iso(start + 30 * 60_000) },
        }),
        t.api('POST', `/api/bookings/${id}/cancel`, { token: p.token, body: { reason: '并发测试' } }),
      ]);
      // Either both applied in order (reschedule, then cancel) or one lost with a 409.
      for (const x of [r, c])
        if (x.status !== 200) expect(['booking_changed', 'booking_not_active']).toContain(x.body.error.code);
      expect(c.status === 200 || r.status === 200).toBe(true);
      const row = await t.orm.em.fork().findOneOrFail(Booking, { id });
      expect(row.status).toBe(c.status === 200 ? 'cancelled' : 'booked');
      const counters = await t.orm.em
        .fork()
        .find(SlotCounter, { startAt: { $in: [new Date(start), new Date(start + 30 * 60_000)] } });
      const taken = counters.reduce((n, x) => n + x.taken, 0);
      expect(taken).toBe(row.status === 'booked' ? 1 : 0);
    }
  });

  it('createEvent with the same x-client-token returns the first event (retries never duplicate)', async () => {
    const input = {
      summary: '面试',
      description: '',
      start: new Date(monday + 30 * H),
      end: new Date(monday + 31 * H),
      timeZone: 'Asia/Shanghai',
    };
    const first = await t.dingtalk.calendar.createEvent(users.int01.unionId, input, 'booking-99-v1');
    const again = await t.dingtalk.calendar.createEvent(users.int01.unionId, input, 'booking-99-v1');
    const other = await t.dingtalk.calendar.createEvent(users.int01.unionId, input, 'booking-99-v2');
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    await t.dingtalk.calendar.deleteEvent(users.int01.unionId, first);
    await t.dingtalk.calendar.deleteEvent(users.int01.unionId, first); // already gone: still fine
    await t.dingtalk.calendar.deleteEvent(users.int01.unionId, other);
    expect((await t.sandbox.calendar(users.int01.unionId)).events).toHaveLength(0);
  });

  it('interviewers edit only their own hours; HR edits plans and cannot add forged interviewers', async () => {
    const int = await employeeToken(t, 'int02');
    const mine = await t.api('GET', '/api/availability/me', { token: int });
    expect(mine.body).toMatchObject({ timeZone: 'Asia/Shanghai', configured: true });
    const bad = await t.api('PUT', '/api/availability/me', {
      token: int,
      body: { timeZone: 'Asia/Shanghai', weekly: { '1': [{ start: '12:00', end: '09:00' }] } },
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_hours']);
    const ok = await t.api('PUT', '/api/availability/me', {
      token: int,
      body: { timeZone: 'Europe/Berlin', weekly: { '1': [{ start: '09:00', end: '12:00' }] } },
    });
    expect(ok.body).toMatchObject({
      timeZone: 'Europe/Berlin',
      weekly: { '1': [{ start: '09:00', end: '12:00' }] },
    });
    const off = await t.api('PUT', '/api/availability/me/overrides/2026-12-24', {
      token: int,
      body: { ranges: [] },
    });
    expect(off.body.overrides).toEqual([{ date: '2026-12-24', ranges: [] }]);
    const [cand] = await makeApplicants(t, 'backend', 1, 'invited', 'pol');
    expect((await t.api('GET', '/api/availability/me', { token: cand.token })).status).toBe(403);

    const sched = await t.api('GET', '/api/schedules?jobId=1', { token: hr });
    expect(sched.status).toBe(200);
    const live = sched.body.schedules.find((s: { kind: string }) => s.kind === 'second_round');
    const body = {
      sessionType: 'live',
      durationMinutes: 60,
      stepMinutes: null,
      capacityPerSlot: 1,
      horizonDays: 10,
      minNoticeMinutes: 120,
      bufferBeforeMinutes: 10,
      bufferAfterMinutes: 10,
      dailyCapPerInterviewer: 3,
      rescheduleCutoffHours: 24,
      cancelCutoffHours: 12,
      maxReschedules: 1,
      timeZone: 'Asia/Shanghai',
      weeklyHours: {},
      dateOverrides: [],
      interviewerIds: [users.int01.id, users.hr02.id],
    };
    const forged = await t.api('PUT', '/api/schedules/1/second_round', { token: hr, body });
    expect([forged.status, forged.body.error.code]).toEqual([400, 'unknown_interviewer']);
    const saved = await t.api('PUT', '/api/schedules/1/second_round', {
      token: hr,
      body: { ...body, interviewerIds: [users.int01.id] },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.schedule).toMatchObject({
      id: live.id,
      durationMinutes: 60,
      interviewers: [{ id: users.int01.id }],
    });
    expect((await t.api('PUT', '/api/schedules/1/second_round', { token: int, body })).status).toBe(403);
  });
});
