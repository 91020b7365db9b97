import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Booking, SlotCounter } from '../../kernel/db/entities/Booking';
import { PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { type Orm, openOrm } from '../../kernel/db/orm';
import { query } from '../../kernel/db/tx';
import { wireEvents, wiringOf } from '../../kernel/events/registry';
import type { Actor } from '../../kernel/http/context';
import { makeApplicants, nextMonday } from '../../testing/booking';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { bookSlot } from './commands';
import { scheduleView } from './engine';

const H = 3_600_000;

/**
 * The seat gate (bookings/seats.ts) at the command level: it may only save work, never change
 * who gets a seat. Several server processes are played by several ORMs on one database (each
 * has its own gate and pool).
 */
describeEachDialect('seat gate', (dialect) => {
  let t: TestApp;
  let monday: number;
  let scheduleId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    monday = nextMonday(new Date()).getTime();
    const em = t.orm.em.fork();
    const s = await em.findOneOrFail(PlanSchedule, {
      plan: { job: { slug: 'sales' } },
      kind: 'ai_interview',
    });
    s.minNoticeMinutes = 0;
    s.takeMode = 'booked'; // seats exist only in booked windows
    await em.flush();
    scheduleId = s.id;
  });
  afterAll(async () => t?.close());

  async function setCapacity(n: number) {
    const em = t.orm.em.fork();
    const s = await em.findOneOrFail(PlanSchedule, { id: scheduleId });
    s.capacityPerSlot = n;
    await em.flush();
  }

  function book(orm: Orm, p: { candidateId: number; applicationId: number }, startAt: number) {
    const actor = { kind: 'candidate', id: p.candidateId, invitationJobId: null } as unknown as Actor;
    return bookSlot({
      em: orm.em,
      calendar: t.dingtalk.calendar,
      actor,
      now: new Date(monday),
      context: {},
      applicationId: p.applicationId,
      kind: 'ai_interview',
      startAt: new Date(startAt),
    }).then(
      (b) => ({ ok: true as const, id: b.id, code: 'ok' }),
      (err: { code?: string; details?: { slots?: Array<{ startAt: string; remaining: number }> } }) => ({
        ok: false as const,
        code: err.code ?? String(err),
        slots: err.details?.slots,
      }),
    );
  }

  async function seats(startAt: number) {
    const em = t.orm.em.fork();
    const counter = await em.findOne(SlotCounter, { schedule: scheduleId, startAt: new Date(startAt) });
    const booked = await em.count(Booking, {
      schedule: scheduleId,
      startAt: new Date(startAt),
      status: 'booked',
    });
    return { taken: counter?.taken ?? 0, booked };
  }

  it('a slot with 3 seats and 60 simultaneous requests: exactly 3 bookings; the rest see it full', async () => {
    await setCapacity(3);
    const startAt = monday + 1 * H;
    const people = await makeApplicants(t, 'sales', 60, 'invited', 'cap3-');
    const results = await Promise.all(people.map((p) => book(t.orm, p, startAt)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const losers = results.filter((r) => !r.ok);
    expect(new Set(losers.map((r) => r.code))).toEqual(new Set(['slot_full']));
    for (const l of losers) {
      const listed = l.slots?.find((s) => s.startAt === new Date(startAt).toISOString());
      expect(listed?.remaining ?? 0).toBe(0);
    }
    expect(await seats(startAt)).toEqual({ taken: 3, booked: 3 });
  });

  it('a request let through that then fails hands the seat on: the one seat still goes to exactly one', async () => {
    await setCapacity(1);
    const target = monday + 2 * H;
    // The first applicant already holds an active AI booking, so its attempt passes the gate and
    // then fails on the unique active key; the others arrive in the same turn and wait.
    const [first, ...others] = await makeApplicants(t, 'sales', 8, 'invited', 'handon-');
    expect((await book(t.orm, first, monday + 30 * H)).ok).toBe(true);
    const results = await Promise.all([first, ...others].map((p) => book(t.orm, p, target)));
    expect(results[0].code).toBe('already_booked');
    expect(results.slice(1).filter((r) => r.ok)).toHaveLength(1);
    expect(
      results
        .slice(1)
        .filter((r) => !r.ok)
        .map((r) => r.code),
    ).toEqual(Array(6).fill('slot_full'));
    expect(await seats(target)).toEqual({ taken: 1, booked: 1 });
  });

  it('three server processes (three gates) racing for one seat: exactly one booking', async () => {
    await setCapacity(1);
    const startAt = monday + 3 * H;
    const others = [await openOrm(t.config.database), await openOrm(t.config.database)];
    // Other processes of the same product: the same registries.
    for (const o of others) wireEvents(o, wiringOf(t.orm.em));
    try {
      const orms = [t.orm, ...others];
      const n = dialect === 'mysql' ? 90 : 30;
      const people = await makeApplicants(t, 'sales', n, 'invited', 'procs-');
      const results = await Promise.all(people.map((p, i) => book(orms[i % 3], p, startAt)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(new Set(results.filter((r) => !r.ok).map((r) => r.code))).toEqual(new Set(['slot_full']));
      expect(await seats(startAt)).toEqual({ taken: 1, booked: 1 });
    } finally {
      for (const o of others) await o.close(true);
    }
  });

  it('a rush from three server processes at twelve five-seat slots: every seat goes once, and the analytics rollups count exactly the bookings made', async () => {
    await setCapacity(5);
    // Twelve free slots of the window, after the ones the other tests use.
    const schedule = await t.orm.em.fork().findOneOrFail(PlanSchedule, { id: scheduleId });
    const view = await scheduleView(t.orm.em.fork(), schedule, {
      now: new Date(monday),
      calendar: t.dingtalk.calendar,
      withSeats: true,
    });
    const slots = view.slots
      .filter((s) => s.start >= monday + 48 * H && s.remaining === 5)
      .slice(0, 12)
      .map((s) => s.start);
    expect(slots).toHaveLength(12);
    const others = [await openOrm(t.config.database), await openOrm(t.config.database)];
    for (const o of others) wireEvents(o, wiringOf(t.orm.em));
    try {
      const orms = [t.orm, ...others];
      // 75 people for 60 seats: each slot gets 6 or 7 requests, split over the three gates, so
      // every slot fills and losers exist on every gate.
      const people = await makeApplicants(t, 'sales', 75, 'invited', 'rush12-');
      const results = await Promise.all(
        people.map((p, i) => book(orms[i % 3], p, slots[Math.floor(i / 3) % 12])),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(60);
      expect(new Set(results.filter((r) => !r.ok).map((r) => r.code))).toEqual(new Set(['slot_full']));
      for (const start of slots) expect(await seats(start)).toEqual({ taken: 5, booked: 5 });
    } finally {
      for (const o of others) await o.close(true);
    }
    // The booking transaction (READ COMMITTED on MariaDB) runs the rollup triggers without gap
    // locks: their counts must still be exact. Every booking of the job is one 'booked' row of
    // the reminders rollup, and every application one row of the application counts.
    const [job] = await query<{ id: number }>(t.orm.em, "select id from jobs where slug = 'sales'");
    const [reminders] = await query<{ counted: number; booked: number }>(
      t.orm.em,
      `select (select coalesce(sum(n), 0) from analytics_reminder_counts
                where grain = 'job' and job_id = ? and outcome = 'booked') as counted,
              (select count(*) from bookings b join applications a on a.id = b.application_id
                where a.job_id = ? and b.status = 'booked' and b.reminder_only = 0) as booked`,
      [job.id, job.id],
    );
    expect(Number(reminders.booked)).toBeGreaterThanOrEqual(60);
    expect(Number(reminders.counted)).toBe(Number(reminders.booked));
    const counts = await query<{ stage: string; n: number }>(
      t.orm.em,
      `select stage, sum(n) as n from analytics_application_counts where grain = 'job' and job_id = ?
        group by stage having sum(n) <> 0`,
      [job.id],
    );
    const actual = await query<{ stage: string; n: number }>(
      t.orm.em,
      'select stage, count(*) as n from applications where job_id = ? group by stage',
      [job.id],
    );
    // Sorted here: MariaDB orders an enum column by its position, not its text.
    const pairs = (rows: Array<{ stage: string; n: number }>) =>
      rows.map((c) => `${c.stage}:${Number(c.n)}`).sort();
    expect(pairs(counts)).toEqual(pairs(actual));
  });

  it('a failure inside the booking transaction gives the seat back (it was taken in that transaction)', async () => {
    await setCapacity(1);
    const startAt = monday + 4 * H;
    const [a, b] = await makeApplicants(t, 'sales', 2, 'invited', 'crash-');
    const list = wiringOf(t.orm.em).registry.inTx['booking.created'] ?? [];
    const crash = async () => {
      throw new Error('simulated crash before commit');
    };
    list.push(crash);
    try {
      const r = await book(t.orm, a, startAt);
      expect(r.ok).toBe(false);
      expect(r.code).toContain('simulated crash');
    } finally {
      list.splice(list.indexOf(crash), 1);
    }
    expect(await seats(startAt)).toEqual({ taken: 0, booked: 0 });
    // Nothing else of that transaction survived either (its outbox rows, its stage change).
    expect((await book(t.orm, b, startAt)).ok).toBe(true);
    expect((await book(t.orm, a, startAt)).code).toBe('slot_full');
    expect(await seats(startAt)).toEqual({ taken: 1, booked: 1 });
  });

  // The rules a booking was checked against cannot change under it: an edit holding its row
  // lock makes the booking wait, and once the edit commits the booking notices.
  // MariaDB only: holding a row lock from a second connection needs a server with row locks.
  if (dialect === 'mysql') {
    it('an AI plan edit committing while a booking is in flight: the booking fails with schedule_changed, nothing kept', async () => {
      await setCapacity(2);
      const startAt = monday + 5 * H;
      const [p] = await makeApplicants(t, 'sales', 1, 'invited', 'edit-ai-');
      const conn = await mysql.createConnection(t.config.database.url);
      try {
        await conn.query('begin');
        await conn.query(
          'update plan_schedules set version = version + 1, capacity_per_slot = 1 where id = ?',
          [scheduleId],
        );
        const pending = book(t.orm, p, startAt);
        await new Promise((r) => setTimeout(r, 300));
        await conn.query('commit');
        expect((await pending).code).toBe('schedule_changed');
      } finally {
        await conn.end();
      }
      expect(await seats(startAt)).toEqual({ taken: 0, booked: 0 });
      expect((await book(t.orm, p, startAt)).ok).toBe(true);
    });

    it("a booking in flight does not hold the rollups' count rows every booking of the job shares (they are locked by the commit round trip only)", async () => {
      await setCapacity(2);
      const startAt = monday + 6 * H;
      const [early, p] = await makeApplicants(t, 'sales', 2, 'invited', 'hot-');
      // An earlier booking, so the job's count rows exist to be locked.
      expect((await book(t.orm, early, monday + 7 * H)).ok).toBe(true);
      const [job] = await query<{ id: number }>(t.orm.em, "select id from jobs where slug = 'sales'");
      const tryLock = (table: string, outcome: string) =>
        query(
          t.orm.em,
          `select n from ${table} where grain = 'job' and job_id = ? and ${outcome} for update nowait`,
          [job.id],
        ).then(
          (rows) => `free:${rows.length > 0}`,
          (err: { message?: string }) => `locked:${err.message}`,
        );
      const seen: string[] = [];
      // Runs inside the booking's transaction, after its INSERT and before its COMMIT, and
      // tries the count rows from another connection without waiting.
      const probe = async () => {
        seen.push(await tryLock('analytics_reminder_counts', "outcome = 'booked'"));
        seen.push(await tryLock('analytics_application_counts', "stage = 'invited'"));
      };
      const list = wiringOf(t.orm.em).registry.inTx['booking.created'] ?? [];
      list.push(probe);
      try {
        expect((await book(t.orm, p, startAt)).ok).toBe(true);
      } finally {
        list.splice(list.indexOf(probe), 1);
      }
      expect(seen).toEqual(['free:true', 'free:true']);
      // And the booking is counted once committed.
      const [row] = await query<{ reminder_only: number }>(
        t.orm.em,
        'select reminder_only from bookings b join applications a on a.id = b.application_id where a.candidate_id = ? and b.status = ?',
        [p.candidateId, 'booked'],
      );
      expect(Number(row.reminder_only)).toBe(0);
    });

    it("a booking in flight does not hold its slot's seat row until its last round trip (the slot's other bookings go on)", async () => {
      await setCapacity(2);
      const startAt = monday + 8 * H;
      const [first, p, q] = await makeApplicants(t, 'sales', 3, 'invited', 'seat-last-');
      // The slot's counter row exists once a booking took a seat there.
      expect((await book(t.orm, first, startAt)).ok).toBe(true);
      const seen: string[] = [];
      // Inside the booking's transaction (after its INSERT, before its last round trip): the
      // seat row, tried from another connection without waiting, then a whole other booking
      // of the same slot, which must commit meanwhile; the one in flight then finds the slot full.
      const probe = async () => {
        if (seen.length) return;
        seen.push(
          await query(
            t.orm.em,
            'select taken from slot_counters where schedule_id = ? and start_at = ? for update nowait',
            [scheduleId, new Date(startAt)],
          ).then(
            (rows) => `free:${(rows as Array<{ taken: number }>).map((r) => Number(r.taken)).join()}`,
            (err: { message?: string }) => `locked:${err.message}`,
          ),
        );
        // Another server process (its own seat gate); only if the row is free, or it would wait
        // on this very transaction.
        if (seen[0].startsWith('free')) seen.push((await book(other, q, startAt)).code);
      };
      const other = await openOrm(t.config.database);
      wireEvents(other, wiringOf(t.orm.em));
      const list = wiringOf(t.orm.em).registry.inTx['booking.created'] ?? [];
      list.push(probe);
      try {
        const r = await book(t.orm, p, startAt);
        expect(seen).toEqual(['free:1', 'ok']);
        // Its seat went to the other booking: it rolled back and was refused from a fresh read.
        expect(r.code).toBe('slot_full');
      } finally {
        list.splice(list.indexOf(probe), 1);
        await other.close(true);
      }
      expect(await seats(startAt)).toEqual({ taken: 2, booked: 2 });
    });

    it("interviewers' hours edited while a live booking is in flight: the booking sees the new hours", async () => {
      const em = t.orm.em.fork();
      const live = await em.findOneOrFail(PlanSchedule, {
        plan: { job: { slug: 'sales' } },
        kind: 'second_round',
      });
      live.minNoticeMinutes = 0;
      await em.flush();
      const pool = await query<{ user_id: number }>(
        t.orm.em,
        'select user_id from plan_interviewers where schedule_id = ?',
        [live.id],
      );
      const [p] = await makeApplicants(t, 'sales', 1, 'second_round', 'edit-live-');
      const view = await scheduleView(t.orm.em.fork(), live, {
        now: new Date(monday),
        calendar: t.dingtalk.calendar,
      });
      const slot = view.slots.find((s) => s.remaining > 0 && s.start > monday + 24 * H);
      expect(slot).toBeDefined();
      const conn = await mysql.createConnection(t.config.database.url);
      try {
        await conn.query('begin');
        for (const { user_id } of pool)
          await conn.query(
            "update interviewer_schedules set weekly_hours = '{}', version = version + 1 where user_id = ?",
            [user_id],
          );
        const actor = { kind: 'candidate', id: p.candidateId, invitationJobId: null } as unknown as Actor;
        const pending = bookSlot({
          em: t.orm.em,
          calendar: t.dingtalk.calendar,
          actor,
          now: new Date(monday),
          context: {},
          applicationId: p.applicationId,
          kind: 'second_round',
          startAt: new Date(slot?.start ?? 0),
        }).then(
          () => 'ok',
          (err: { code?: string }) => err.code ?? String(err),
        );
        await new Promise((r) => setTimeout(r, 300));
        await conn.query('commit');
        expect(['unknown_slot', 'slot_full']).toContain(await pending);
      } finally {
        await conn.end();
      }
      expect(await t.orm.em.fork().count(Booking, { application: p.applicationId })).toBe(0);
    });
  }
});
