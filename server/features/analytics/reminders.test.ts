import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BookingStatus } from '../../kernel/db/entities/Booking';
import type { IJob } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { sessionToken } from '../../testing/booking';
import { makeApplication, makeBooking, makeDepartment, makeEmployee, makeJob } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

const H = 3_600_000;
const START = new Date('2026-10-10T02:00:00Z');

/**
 * Department A, job J1 (cancellation notice 12 h, the schedule default):
 * - G1, reminders 1 day + 1 hour before through the inbox: 10 bookings, 7 completed, 2 no-shows,
 *   1 cancelled 2 h before the start (late). A pending-then-cancelled 10-minute reminder and an
 *   interviewer's reminder are not the candidate's delivered reminders and change nothing.
 * - G2, one reminder 1 hour before through the inbox and the SMS/e-mail gateway: a no-show, a
 *   cancellation 48 h before (not late) and one still upcoming.
 * Job J2 (no cancellation notice: 24 h assumed): G3, no reminder sent: one cancelled 20 h before
 * (late by the 24 h rule, though not by 12 h) and one completed. Department B: one more G3
 * booking (completed), outside the manager's sight. A "remind me at…" booking is left out.
 * By hand, for the manager of A:
 * - G1: booked 10, settled 10, no-shows 2 (20%), cancellations 1, late 1 (10%);
 * - G2: booked 3, settled 2, no-shows 1, cancellations 1, late 0, rates hidden (2 < 10);
 * - G3: booked 2, settled 2, no-shows 0, cancellations 1, late 1, rates hidden.
 */
describeEachDialect('no-shows and late cancellations by reminders', (dialect) => {
  let t: TestApp;
  let hr: string;
  let manager: string;
  const ids = { dA: 0, dB: 0 };
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    const [dA, dB] = [await makeDepartment(em), await makeDepartment(em)];
    Object.assign(ids, { dA: dA.id, dB: dB.id });
    hr = await sessionToken(t, 'employee', (await makeEmployee(em, 'hr')).id);
    manager = await sessionToken(t, 'employee', (await makeEmployee(em, 'manager', { department: dA })).id);
    const [j1, j2, j3] = [
      await makeJob(em, { department: dA }),
      await makeJob(em, { department: dA }),
      await makeJob(em, { department: dB }),
    ];

    const reminder = (
      bookingId: number,
      minutes: number,
      channel: string,
      status = 'sent',
      who = 'candidate',
    ) => {
      n += 1;
      em.create(OutboxMessage, {
        idempotencyKey: `test:${dialect}:${n}`,
        topic: `reminder.${who}.${minutes}m`,
        aggregate: `booking:${bookingId}`,
        recipientKind: who === 'candidate' ? 'candidate' : 'employee',
        recipientId: '1',
        channel,
        payload: {},
        dueAt: new Date(START.getTime() - minutes * 60_000),
        status: status as 'sent',
        sentAt: status === 'sent' ? new Date(START.getTime() - minutes * 60_000) : null,
      });
    };
    const book = async (
      job: IJob,
      status: BookingStatus,
      cancelledHoursBefore?: number,
      reminderOnly = false,
    ) => {
      const application = await makeApplication(em, { job, stage: 'booked' });
      const b = await makeBooking(em, { application, startAt: START, status });
      if (cancelledHoursBefore !== undefined)
        b.cancelledAt = new Date(START.getTime() - cancelledHoursBefore * H);
      b.reminderOnly = reminderOnly;
      return b;
    };

    const g1: Array<[BookingStatus, number?]> = [
      ...Array.from({ length: 7 }, () => ['completed'] as [BookingStatus]),
      ['no_show'],
      ['no_show'],
      ['cancelled', 2],
    ];
    for (const [i, [status, before]] of g1.entries()) {
      const b = await book(j1, status, before);
      reminder(b.id, 1440, 'inbox');
      reminder(b.id, 60, 'inbox');
      if (i === 0) {
        reminder(b.id, 10, 'inbox', 'cancelled');
        reminder(b.id, 60, 'robot_oto', 'sent', 'interviewer');
      }
    }
    for (const [status, before] of [['no_show'], ['cancelled', 48], ['booked']] as Array<
      [BookingStatus, number?]
    >) {
      const b = await book(j1, status, before);
      reminder(b.id, 60, 'inbox');
      reminder(b.id, 60, 'gateway');
    }
    await book(j2, 'cancelled', 20);
    await book(j2, 'completed');
    await book(j3, 'completed');
    const remindOnly = await book(j1, 'no_show', undefined, true);
    reminder(remindOnly.id, 0, 'inbox');
    await em.flush();
    // J2's stage sets no cancellation notice.
    const [s2] = await em.find(PlanSchedule, { plan: { job: j2.id } });
    s2.cancelCutoffHours = 0;
    await em.flush();
  });

  afterAll(async () => {
    await t?.close();
  });

  const get = (q: string, token: string) => t.api('GET', `/api/analytics/reminders${q}`, { token });

  it('groups bookings by the reminders delivered and counts outcomes (hand-computed)', async () => {
    const r = await get('', manager);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      minN: 10,
      items: [
        {
          schedule: [1440, 60],
          channels: ['inbox'],
          booked: 10,
          settled: 10,
          noShows: 2,
          noShowRate: 0.2,
          cancellations: 1,
          lateCancellations: 1,
          lateCancelRate: 0.1,
        },
        {
          schedule: [60],
          channels: ['gateway', 'inbox'],
          booked: 3,
          settled: 2,
          noShows: 1,
          noShowRate: null,
          cancellations: 1,
          lateCancellations: 0,
          lateCancelRate: null,
        },
        {
          schedule: [],
          channels: [],
          booked: 2,
          settled: 2,
          noShows: 0,
          noShowRate: null,
          cancellations: 1,
          lateCancellations: 1,
          lateCancelRate: null,
        },
      ],
    });
  });

  it('HR sees every department; a manager asking for another is refused', async () => {
    const all = await get('', hr);
    expect(all.body.items.map((i: { booked: number }) => i.booked)).toEqual([10, 3, 3]);
    expect(all.body.items[1].schedule).toEqual([]);
    expect((await get(`?departmentId=${ids.dB}`, manager)).status).toBe(403);
    expect((await get('?from=2026-13-01', hr)).status).toBe(400);
  });

  it('exports the table to .xlsx', async () => {
    const res = await fetch(`${t.url}/api/analytics/export.xlsx?table=reminders&departmentId=${ids.dA}`, {
      headers: { authorization: `Bearer ${hr}` },
    });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const rows = wb.worksheets[0].getSheetValues().slice(2) as unknown[][];
    // Empty cells (rates under the minimum n) read back as missing: compare them as null.
    expect(rows.map((r) => Array.from({ length: 9 }, (_, k) => r[k + 1] ?? null))).toEqual([
      ['1440, 60', 'inbox', 10, 10, 2, 0.2, 1, 1, 0.1],
      ['60', 'gateway, inbox', 3, 2, 1, null, 1, 0, null],
      ['无', '无', 2, 2, 0, null, 1, 1, null],
    ]);
  });
});
