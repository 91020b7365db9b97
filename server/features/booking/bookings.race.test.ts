import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshSlotsOf } from '../../../shared/api/bookings';
import { Application } from '../../kernel/db/entities/Application';
import { Booking, SlotCounter } from '../../kernel/db/entities/Booking';
import { PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { makeApplicants, nextMonday, useBookedWindows } from '../../testing/booking';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { scheduleView } from './engine';

const H = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

/**
 * Races through the real HTTP API. MariaDB runs the full sizes (200 simultaneous
 * bookings of one seat, 100 reschedule-vs-book pairs, several rounds); SQLite (one writer)
 * runs smaller rounds to show the same guarantees hold there.
 */
describeEachDialect('booking races', (dialect) => {
  const big = dialect === 'mysql';
  let t: TestApp;
  let monday: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await useBookedWindows(t);
    monday = nextMonday(new Date()).getTime();
    t.clock.now = new Date(monday);
    // One seat per AI slot for the sales job.
    const em = t.orm.em.fork();
    const s = await em.findOneOrFail(PlanSchedule, {
      plan: { job: { slug: 'sales' } },
      kind: 'ai_interview',
    });
    s.capacityPerSlot = 1;
    await em.flush();
  });
  afterAll(async () => t?.close());

  it.each([1, 2, 3])(
    'simultaneous bookings of a one-seat slot: exactly one wins (round %i)',
    async (round) => {
      const n = big ? 200 : 30;
      const people = await makeApplicants(t, 'sales', n, 'invited', `r${round}-`);
      const startAt = iso(monday + (1 + round) * H);
      const results = await Promise.all(
        people.map((p) =>
          t.api('POST', '/api/bookings', {
            token: p.token,
            body: { applicationId: p.applicationId, kind: 'ai_interview', startAt },
          }),
        ),
      );
      const ok = results.filter((r) => r.status === 201);
      const full = results.filter((r) => r.status === 409);
      expect(ok).toHaveLength(1);
      expect(full).toHaveLength(n - 1);
      expect(new Set(full.map((r) => r.body.error.code))).toEqual(new Set(['slot_full']));
      // The loser's fresh list shows the slot as full.
      const listed = full[0].body.error.details.slots.find((s: { startAt: string }) => s.startAt === startAt);
      expect(listed?.remaining ?? 0).toBe(0);
      const em = t.orm.em.fork();
      expect(await em.count(Booking, { startAt: new Date(startAt), status: 'booked' })).toBe(1);
      const counter = await em.findOneOrFail(SlotCounter, { startAt: new Date(startAt) });
      expect(counter.taken).toBe(1);
    },
    60_000,
  );

  it("a lost seat's 409 carries the list the slot screen would read again (deadline and zone included)", async () => {
    const [winner, loser] = await makeApplicants(t, 'sales', 2, 'invited', 'fresh-');
    // The loser's deadline cuts the window short: the 409's shared list is not cut, the read is.
    const em = t.orm.em.fork();
    const app = await em.findOneOrFail(Application, { id: loser.applicationId });
    app.deadlineAt = new Date(monday + 2 * 24 * H);
    await em.flush();
    const startAt = iso(monday + 9 * H);
    const book = (p: { token: string; applicationId: number }) =>
      t.api('POST', '/api/bookings', {
        token: p.token,
        body: { applicationId: p.applicationId, kind: 'ai_interview', startAt },
      });
    expect((await book(winner)).status).toBe(201);
    const lost = await book(loser);
    expect(lost.status).toBe(409);
    expect(lost.body.error.code).toBe('slot_full');
    const read = await t.api(
      'GET',
      `/api/bookings/slots?applicationId=${loser.applicationId}&kind=ai_interview`,
      { token: loser.token },
    );
    expect(read.status).toBe(200);
    expect(read.body.timeZone).toBe(read.body.planTimeZone);
    const fresh = freshSlotsOf(lost.body.error.details, read.body);
    expect(fresh).toEqual(read.body.slots);
    expect(fresh?.find((s) => s.startAt === startAt)?.remaining).toBe(0);
    expect(lost.body.error.details.slots.length).toBeGreaterThan(read.body.slots.length);
    // A screen in another zone labels days and times differently: it must read again.
    expect(freshSlotsOf(lost.body.error.details, { ...read.body, timeZone: 'Europe/Berlin' })).toBeNull();
    expect(freshSlotsOf(undefined, read.body)).toBeNull();
  });

  it.each([1, 2])(
    'a reschedule racing a new booking never leaves an interviewer overlap (round %i)',
    async (round) => {
      const pairs = big ? 100 : 15;
      // Live sales second round (pool int04 + mgr02): each pair fights over one start time, and
      // several pairs share a target, so the same interviewer is contested many times over.
      const em = t.orm.em.fork();
      const schedule = await em.findOneOrFail(PlanSchedule, {
        plan: { job: { slug: 'sales' } },
        kind: 'second_round',
      });
      schedule.dailyCapPerInterviewer = null;
      schedule.minNoticeMinutes = 0;
      schedule.horizonDays = 30;
      schedule.bufferAfterMinutes = 15;
      schedule.rescheduleCutoffHours = 0;
      schedule.maxReschedules = 10;
      await em.flush();
      const movers = await makeApplicants(t, 'sales', pairs, 'second_round', `m${round}-`);
      const newcomers = await makeApplicants(t, 'sales', pairs, 'second_round', `n${round}-`);
      // Seat every mover in a distinct free slot directly (greedy, respecting buffers): the race
      // below is what this test is about, and booking 100 slots one by one over HTTP is slow.
      const view = await scheduleView(em, schedule, { now: t.clock.now!, calendar: t.dingtalk.calendar });
      const busyUntil = new Map<number, number>();
      const moverBookings: number[] = [];
      for (const slot of view.slots) {
        if (moverBookings.length === pairs) break;
        const host = view
          .freeMembers(slot.start)
          .find((m) => slot.start - schedule.bufferBeforeMinutes * 60_000 >= (busyUntil.get(m.id) ?? 0));
        if (!host) continue;
        busyUntil.set(host.id, slot.end + schedule.bufferAfterMinutes * 60_000);
        const mover = movers[moverBookings.length];
        const b = em.create(Booking, {
          application: mover.applicationId,
          schedule: schedule.id,
          kind: 'second_round',
          interviewer: host.id,
          startAt: new Date(slot.start),
          endAt: new Date(slot.end),
          bufferBeforeMinutes: schedule.bufferBeforeMinutes,
          bufferAfterMinutes: schedule.bufferAfterMinutes,
          timeZone: 'Asia/Shanghai',
          activeKey: `${mover.applicationId}:second_round`,
        });
        await em.flush();
        moverBookings.push(b.id);
      }
      expect(moverBookings).toHaveLength(pairs);
      const targets: string[] = [];
      const after = await t.api(
        'GET',
        `/api/bookings/slots?applicationId=${newcomers[0].applicationId}&kind=second_round`,
        { token: newcomers[0].token },
      );
      const stillFree = after.body.slots.filter((s: { remaining: number }) => s.remaining > 0);
      for (let i = 0; i < pairs; i++) targets.push(stillFree[i % stillFree.length].startAt);
      const results = await Promise.all(
        movers.flatMap((m, i) => [
          t.api('POST', `/api/bookings/${moverBookings[i]}/reschedule`, {
            token: m.token,
            body: { startAt: targets[i] },
          }),
          t.api('POST', '/api/bookings', {
            token: newcomers[i].token,
            body: { applicationId: newcomers[i].applicationId, kind: 'second_round', startAt: targets[i] },
          }),
        ]),
      );
      const outcomes = results.map((r) => (r.status < 300 ? 'ok' : r.body.error.code));
      expect(
        outcomes.every((o) => ['ok', 'slot_full'].includes(o)),
        outcomes.join(),
      ).toBe(true);
      // Invariant: no two active sessions of one interviewer overlap (buffers included).
      const active = await t.orm.em
        .fork()
        .find(
          Booking,
          { status: 'booked', kind: 'second_round', interviewer: { $ne: null } },
          { orderBy: { startAt: 'asc' } },
        );
      const byHost = new Map<number, typeof active>();
      for (const b of active) byHost.set(b.interviewer!.id, [...(byHost.get(b.interviewer!.id) ?? []), b]);
      for (const list of byHost.values())
        for (let i = 1; i < list.length; i++) {
          const prev = list[i - 1];
          const gap =
            list[i].startAt.getTime() -
            prev.bufferBeforeMinutes * 60_000 -
            (prev.endAt.getTime() + prev.bufferAfterMinutes * 60_000);
          expect(gap, `bookings ${prev.id} and ${list[i].id} overlap`).toBeGreaterThanOrEqual(0);
        }
      // Free the pool for the next round.
      await t.orm.em
        .fork()
        .nativeUpdate(Booking, { kind: 'second_round' }, { status: 'cancelled', activeKey: null });
    },
    120_000,
  );
});
