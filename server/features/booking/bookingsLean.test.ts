import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Actor } from '../../kernel/actor';
import { Booking } from '../../kernel/db/entities/Booking';
import { Job } from '../../kernel/db/entities/Job';
import { PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { User } from '../../kernel/db/entities/User';
import { employeeToken, makeApplicants, nextMonday, useBookedWindows } from '../../testing/booking';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { myBookings, myBookingsOrm } from './bookings.routes';
import { myBookingsLean, presentBookingLean } from './bookingsLean';
import { presentBooking } from './present';

const H = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

describeEachDialect('booking reads: the plain-SQL reads give the ORM path’s JSON', (dialect) => {
  let t: TestApp;
  let monday: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await useBookedWindows(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    monday = nextMonday(new Date()).getTime();
    t.clock.now = new Date(monday);
  });

  const book = (token: string, applicationId: number, startAt: string, kind = 'ai_interview') =>
    t.api('POST', '/api/bookings', { token, body: { applicationId, kind, startAt } });
  const slots = (token: string, applicationId: number, kind = 'ai_interview') =>
    t.api('GET', `/api/bookings/slots?applicationId=${applicationId}&kind=${kind}`, { token });
  const candidate = (id: number): Actor => ({
    kind: 'candidate',
    id,
    candidate: { id, name: '', locale: 'zh-CN', sessionGeneration: 0 },
    invitationJobId: null,
  });

  /** The ORM path's presentation of a booking, read fresh with every relation populated. */
  async function ormView(id: number) {
    const b = await t.orm.em
      .fork()
      .findOneOrFail(
        Booking,
        { id },
        { populate: ['application.candidate', 'application.job', 'schedule', 'interviewer'] },
      );
    return presentBooking(b, t.clock.now as Date);
  }

  /** The candidate's list both ways; the lean one must answer, and byte for byte the same. */
  async function sameList(actor: Actor) {
    const now = t.clock.now as Date;
    const lean = await myBookingsLean(t.orm.em.fork(), actor, now);
    const reference = await myBookingsOrm(t.orm.em.fork(), actor, now);
    expect(lean).not.toBeNull();
    expect(JSON.stringify(lean)).toBe(JSON.stringify(reference));
    return reference;
  }

  it('an AI booking: the booking answer, a cancelled one with its reason, and the list', async () => {
    const [a] = await makeApplicants(t, 'backend', 1, 'invited', 'lean');
    // Nothing booked yet: no items, the application can book its AI interview.
    expect((await sameList(candidate(a.candidateId))).applications[0].bookable).toEqual(['ai_interview']);
    const first = await book(a.token, a.applicationId, iso(monday + 3 * H));
    expect(first.status).toBe(201);
    expect(JSON.stringify(first.body.booking)).toBe(JSON.stringify(await ormView(first.body.booking.id)));
    const cancelled = await t.api('POST', `/api/bookings/${first.body.booking.id}/cancel`, {
      token: a.token,
      body: { reason: '临时有事 & "冲突"' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.booking).toMatchObject({ status: 'cancelled', cancelReason: '临时有事 & "冲突"' });
    expect(JSON.stringify(cancelled.body.booking)).toBe(JSON.stringify(await ormView(first.body.booking.id)));
    // Booked again earlier than the cancelled one: the list is in start order.
    const second = await book(a.token, a.applicationId, iso(monday + 2 * H));
    expect(second.status).toBe(201);
    const moved = await t.api('POST', `/api/bookings/${second.body.booking.id}/reschedule`, {
      token: a.token,
      body: { startAt: iso(monday + 4 * H) },
    });
    expect(moved.body.booking).toMatchObject({ rescheduleCount: 1, version: 2 });
    expect(JSON.stringify(moved.body.booking)).toBe(JSON.stringify(await ormView(second.body.booking.id)));
    const list = await sameList(candidate(a.candidateId));
    expect(list.items.map((i) => i.status)).toEqual(['cancelled', 'booked']);
    expect(list.applications[0].bookable).toEqual([]);
    // The route (and the first screen's part) answer the same.
    const mine = await t.api('GET', '/api/bookings/mine', { token: a.token });
    expect(JSON.stringify(mine.body)).toBe(JSON.stringify(list));
  });

  it('a live second round with its interviewer, and the interviewer’s own list (ORM path)', async () => {
    const [a] = await makeApplicants(t, 'pm', 1, 'second_round', 'leanlive');
    const listed = await slots(a.token, a.applicationId, 'second_round');
    const free = listed.body.slots.find((s: { remaining: number }) => s.remaining > 0);
    const made = await book(a.token, a.applicationId, free.startAt, 'second_round');
    expect(made.status).toBe(201);
    expect(made.body.booking.interviewer).not.toBeNull();
    expect(JSON.stringify(made.body.booking)).toBe(JSON.stringify(await ormView(made.body.booking.id)));
    const list = await sameList(candidate(a.candidateId));
    expect(list.applications[0].bookable).toEqual([]);
    // An interviewer's list is not the lean read's: it declines and the ORM path answers.
    const host = await t.orm.em.fork().findOneOrFail(User, { id: made.body.booking.interviewer.id });
    const employee: Actor = {
      kind: 'employee',
      id: host.id,
      user: host,
      roles: host.roles,
      departmentId: null,
    };
    expect(await myBookingsLean(t.orm.em.fork(), employee, t.clock.now as Date)).toBeNull();
    const theirs = await myBookings(t.orm.em.fork(), employee, t.clock.now as Date);
    expect(theirs.items.map((i) => i.id)).toContain(made.body.booking.id);
    expect(JSON.stringify(theirs)).toBe(
      JSON.stringify(await myBookingsOrm(t.orm.em.fork(), employee, t.clock.now as Date)),
    );
    const viaRoute = await t.api('GET', '/api/bookings/mine', {
      token: await employeeToken(t, host.dingtalkUserId),
    });
    expect(JSON.stringify(viaRoute.body)).toBe(JSON.stringify(theirs));
  });

  it('a booking that does not exist reads as null (the ORM read then answers)', async () => {
    expect(await presentBookingLean(t.orm.em.fork(), 987_654_321, new Date())).toBeNull();
  });

  it('slot listing: strangers get 404, a deactivated or edited schedule shows at once', async () => {
    const [a, b] = await makeApplicants(t, 'backend', 2, 'invited', 'leanslots');
    const mine = await slots(a.token, a.applicationId);
    expect(mine.status).toBe(200);
    // Another candidate's application answers as one that does not exist.
    const theirs = await slots(b.token, a.applicationId);
    const none = await slots(b.token, 987_654_321);
    expect([theirs.status, none.status]).toEqual([404, 404]);
    expect(theirs.body).toEqual(none.body);
    const em = t.orm.em.fork();
    const job = await em.findOneOrFail(Job, { slug: 'backend' });
    const schedule = await em.findOneOrFail(PlanSchedule, { plan: { job: job.id }, kind: 'ai_interview' });
    try {
      // An edit (a new version) is listed by the next read, not the shared earlier state.
      await em.nativeUpdate(
        PlanSchedule,
        { id: schedule.id },
        { capacityPerSlot: schedule.capacityPerSlot + 3, version: schedule.version + 1 },
      );
      const edited = await slots(a.token, a.applicationId);
      expect(edited.body.rules.capacityPerSlot).toBe(schedule.capacityPerSlot + 3);
      expect(edited.body.slots[0].capacity).toBe(schedule.capacityPerSlot + 3);
      await em.nativeUpdate(PlanSchedule, { id: schedule.id }, { active: false });
      const off = await slots(a.token, a.applicationId);
      expect([off.status, off.body.error.code]).toEqual([409, 'not_bookable']);
    } finally {
      await em.nativeUpdate(
        PlanSchedule,
        { id: schedule.id },
        { active: true, capacityPerSlot: schedule.capacityPerSlot, version: schedule.version + 2 },
      );
    }
  });
});
