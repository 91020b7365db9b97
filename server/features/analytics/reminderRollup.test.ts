import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CandidateSource } from '../../../shared/api/candidates';
import type { IApplication } from '../../kernel/db/entities/Application';
import { Booking, type BookingStatus } from '../../kernel/db/entities/Booking';
import { InterviewPlan } from '../../kernel/db/entities/InterviewPlan';
import type { IPlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { emTx } from '../../kernel/db/tx';
import {
  makeApplication,
  makeCandidate,
  makeDepartment,
  makeJob,
  makeSchedule,
} from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { reminderEffectsFromSources } from '../../testing/reminderEffects';
import { recomputedRollupRows, rollupRows } from '../../testing/rollups';
import type { Scope } from './queries';
import { reminderEffects } from './reminders';

const H = 3_600_000;
const MIN = 60_000;

/** mulberry32: the same mix of writes on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The no-shows-by-reminder rollup (migration `analytics_reminders`) after a random mix of every
 * write it depends on: bookings made (some "remind me at…"), candidate reminders queued, sent,
 * inserted as sent, failed after sending, cancelled and deleted, interviewer reminders (not
 * counted), cancellations early and late, no-shows, completions, reschedules, deleted bookings,
 * a schedule's notice changed, a candidate's source corrected, an application moved to another
 * job and re-dated, an application deleted (privacy erasure and the retention purge:
 * privacy/rollups.test.ts). Every
 * rollup row must equal a recomputation from the source tables, and the report must equal the
 * old computation from the source tables for HR, each manager, a job, a source and date ranges.
 */
describeEachDialect('no-shows-by-reminder rollup', (dialect) => {
  let t: TestApp;
  const T0 = Date.parse('2026-10-01T00:00:00Z');
  const ids = { dA: 0, dB: 0, j1: 0 };
  let before: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
    const em = t.orm.em.fork();
    const tx = emTx(em);
    before = await rollupRows(em);
    const rnd = prng(dialect === 'mysql' ? 11 : 12);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const [dA, dB] = [await makeDepartment(em), await makeDepartment(em)];
    const jobs = [
      await makeJob(em, { department: dA }),
      await makeJob(em, { department: dA }),
      await makeJob(em, { department: dB }),
    ];
    Object.assign(ids, { dA: dA.id, dB: dB.id, j1: jobs[0].id });
    // Each job an AI window (notice 12 h, none: 24 h assumed, 6 h); the first a live round too.
    const schedules = new Map<number, IPlanSchedule[]>();
    for (const [i, job] of jobs.entries()) {
      const plan = await em.findOneOrFail(InterviewPlan, { job });
      const ai = await makeSchedule(em, { plan, kind: 'ai_interview' });
      ai.cancelCutoffHours = [12, 0, 6][i];
      const list = [ai];
      if (i === 0) {
        const live = await makeSchedule(em, { plan: ai.plan, kind: 'second_round' });
        live.cancelCutoffHours = 48;
        list.push(live);
      }
      schedules.set(job.id, list);
    }
    await em.flush();
    const sources: CandidateSource[] = ['referral', 'job_site', 'campus'];
    const apps: IApplication[] = [];
    for (let i = 0; i < 14; i++) {
      const c = await makeCandidate(em, { name: `提醒-${i}` });
      c.source = sources[i % 3];
      const app = await makeApplication(em, { job: jobs[i % 3], candidate: c, stage: 'booked' });
      app.createdAt = new Date(T0 + i * 17 * H);
      await em.flush();
      apps.push(app);
    }

    let key = 0;
    const message = async (bookingId: number, topic: string, channel: string, status: string, at: number) => {
      key += 1;
      await tx.run(
        `insert into outbox (idempotency_key, topic, aggregate, recipient_kind, recipient_id, channel, payload, due_at, status, attempts, sent_at, created_at)
         values (?, ?, ?, 'candidate', '1', ?, '{}', ?, ?, 0, ?, ?)`,
        [
          `t:${key}`,
          topic,
          `booking:${bookingId}`,
          channel,
          tx.date(at),
          status,
          status === 'sent' ? tx.date(at) : null,
          tx.date(at),
        ],
      );
    };
    const bookings: Array<{ id: number; start: number }> = [];
    const book = async () => {
      const app = pick(apps);
      const schedule = pick(schedules.get(app.job.id) ?? []);
      const start = T0 + (40 + rnd() * 400) * H;
      const b = em.create(Booking, {
        application: app,
        schedule,
        kind: schedule.kind,
        startAt: new Date(start),
        endAt: new Date(start + 30 * MIN),
        timeZone: 'Asia/Shanghai',
        reminderOnly: rnd() < 0.1,
      });
      await em.flush();
      bookings.push({ id: b.id, start });
      const channels = pick([['inbox'], ['inbox', 'gateway'], ['robot_oto']]);
      for (const m of pick([[1440, 60], [60], [1440, 120, 15]]))
        for (const ch of channels)
          await message(b.id, `reminder.candidate.${m}m`, ch, 'pending', start - m * MIN);
      if (rnd() < 0.3) await message(b.id, 'reminder.interviewer.60m', 'robot_oto', 'sent', start - H);
      if (rnd() < 0.2) await message(b.id, 'reminder.candidate.30m', 'work_notice', 'sent', start - 30 * MIN);
    };
    const someBooking = () => pick(bookings);
    const reminderRow = async (status: string) => {
      const rows = await tx.all<{ id: number }>(
        `select id from outbox where status = ? and topic like 'reminder.candidate.%' order by id`,
        [status],
      );
      return rows.length ? Number(pick(rows).id) : null;
    };
    const settle = async (status: BookingStatus, lateHours?: number) => {
      const b = someBooking();
      const cancelledAt = lateHours === undefined ? null : tx.date(b.start - lateHours * H);
      await tx.run('update bookings set status = ?, cancelled_at = ?, active_key = null where id = ?', [
        status,
        cancelledAt,
        b.id,
      ]);
      if (status === 'cancelled')
        await tx.run(`update outbox set status = 'cancelled' where aggregate = ? and status = 'pending'`, [
          `booking:${b.id}`,
        ]);
    };

    for (let i = 0; i < 12; i++) await book();
    const ops: Array<[number, () => Promise<unknown>]> = [
      [3, book],
      [
        6,
        async () => {
          const id = await reminderRow('pending');
          if (id) await tx.run(`update outbox set status = 'sent', sent_at = due_at where id = ?`, [id]);
        },
      ],
      [
        1,
        async () => {
          const b = someBooking();
          await message(
            b.id,
            `reminder.candidate.${pick([720, 60])}m`,
            pick(['inbox', 'gateway']),
            'sent',
            b.start - H,
          );
        },
      ],
      [
        1,
        async () => {
          const id = await reminderRow('sent');
          if (id)
            await tx.run(`update outbox set status = ? where id = ?`, [pick(['failed', 'pending']), id]);
        },
      ],
      [
        1,
        async () => {
          const id = await reminderRow('sent');
          if (id) await tx.run('delete from outbox where id = ?', [id]);
        },
      ],
      [2, () => settle('cancelled', pick([1, 5, 10, 20, 30, 60]))],
      [1, () => settle('cancelled')],
      [2, () => settle('no_show')],
      [2, () => settle('completed')],
      [1, () => settle('booked')],
      [
        1,
        async () => {
          // A reschedule: the start moves, pending reminders are cancelled and queued again.
          const b = someBooking();
          b.start += (rnd() * 48 - 12) * H;
          await tx.run(
            'update bookings set start_at = ?, reschedule_count = reschedule_count + 1 where id = ?',
            [tx.date(b.start), b.id],
          );
          await tx.run(`update outbox set status = 'cancelled' where aggregate = ? and status = 'pending'`, [
            `booking:${b.id}`,
          ]);
          await message(b.id, 'reminder.candidate.60m', 'inbox', 'pending', b.start - H);
        },
      ],
      [
        1,
        async () => {
          const b = someBooking();
          await tx.run('update bookings set reminder_only = 1 - reminder_only where id = ?', [b.id]);
        },
      ],
      [
        0.5,
        async () => {
          const b = bookings.splice(Math.floor(rnd() * bookings.length), 1)[0];
          if (b) await tx.run('delete from bookings where id = ?', [b.id]);
        },
      ],
      [
        0.5,
        async () => {
          const s = pick([...schedules.values()].flat());
          await tx.run('update plan_schedules set cancel_cutoff_hours = ? where id = ?', [
            pick([0, 3, 12, 36]),
            s.id,
          ]);
        },
      ],
      [
        0.5,
        async () => {
          await tx.run('update candidates set source = ? where id = ?', [
            pick(sources),
            pick(apps).candidate.id,
          ]);
        },
      ],
      [
        0.5,
        async () => {
          // Moved to another job with a schedule of its own, and re-dated (the `day` grain).
          const app = pick(apps);
          await tx.run('update applications set created_at = ? where id = ?', [
            tx.date(T0 + rnd() * 300 * H),
            app.id,
          ]);
        },
      ],
    ];
    const total = ops.reduce((s, [w]) => s + w, 0);
    for (let i = 0; i < 160; i++) {
      let x = rnd() * total;
      for (const [w, op] of ops) {
        x -= w;
        if (x < 0) {
          await op();
          break;
        }
      }
    }
    // Deletions for sure (the mix may draw few): a booking with delivered reminders (its outbox
    // rows first, one of them sent), an application without bookings; and a job change.
    const [gone] = await tx.all<{ id: number }>(
      `select b.id from bookings b where b.reminder_only = 0 and exists (select 1 from outbox o
         where o.aggregate = ${dialect === 'mysql' ? "concat('booking:', b.id)" : "'booking:' || b.id"}
           and o.status = 'sent' and o.topic like 'reminder.candidate.%') order by b.id limit 1`,
    );
    await tx.run('delete from outbox where aggregate = ?', [`booking:${gone.id}`]);
    await tx.run('delete from bookings where id = ?', [gone.id]);
    const [other] = await tx.all<{ id: number }>(
      `select b.id from bookings b where b.reminder_only = 0 and b.id <> ? order by b.id desc limit 1`,
      [gone.id],
    );
    await tx.run('delete from bookings where id = ?', [other.id]);
    // The notice of the schedule of the earliest cancellation widened: it becomes late.
    const [early] = await tx.all<{ schedule_id: number }>(
      `select schedule_id from bookings where status = 'cancelled' and cancelled_at is not null
        order by ${dialect === 'mysql' ? 'timestampdiff(second, cancelled_at, start_at)' : 'start_at - cancelled_at'} desc limit 1`,
    );
    await tx.run('update plan_schedules set cancel_cutoff_hours = 1000 where id = ?', [early.schedule_id]);
    const lone = await makeApplication(em, { job: jobs[1] });
    await em.execute('delete from applications where id = ?', [lone.id]);
    await tx.run('update applications set job_id = ? where id = ?', [jobs[1].id, apps[0].id]);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const scopes = (): Array<[string, Scope]> => [
    ['HR all', { filters: {}, departmentIds: null }],
    ['HR source', { filters: { source: 'campus' }, departmentIds: null }],
    ['manager A', { filters: {}, departmentIds: [ids.dA] }],
    ['manager B', { filters: {}, departmentIds: [ids.dB] }],
    ['no department', { filters: {}, departmentIds: [] }],
    ['department B filter', { filters: { departmentId: ids.dB }, departmentIds: null }],
    ['one job', { filters: { jobId: ids.j1 }, departmentIds: null }],
    ['date range', { filters: { from: '2026-10-02', to: '2026-10-06' }, departmentIds: null }],
    [
      'manager A, from a date, a source',
      { filters: { from: '2026-10-04', source: 'referral' }, departmentIds: [ids.dA] },
    ],
  ];

  it('keeps every rollup row equal to a recomputation from the source tables', async () => {
    const em = t.orm.em.fork();
    const rows = await rollupRows(em);
    expect(rows).toEqual(await recomputedRollupRows(em, dialect));
    // Not vacuous: the writes reached the rollup (bookings and counts rows).
    const mine = rows.filter((r) => r.startsWith('bookings|') || r.startsWith('reminders|'));
    expect(mine.length).toBeGreaterThan(40);
    expect(mine.some((r) => r.startsWith('reminders|'))).toBe(true);
    expect(rows).not.toEqual(before);
  });

  it('answers every scope as the source tables do', async () => {
    const em = () => t.orm.em.fork();
    for (const [name, scope] of scopes())
      expect(await reminderEffects(em(), scope), name).toEqual(await reminderEffectsFromSources(em(), scope));
    // Not vacuous: several groups, late cancellations and no-shows among them.
    const all = await reminderEffects(em(), { filters: {}, departmentIds: null });
    expect(all.items.length).toBeGreaterThan(3);
    expect(all.items.reduce((n, i) => n + i.lateCancellations, 0)).toBeGreaterThan(0);
    expect(all.items.reduce((n, i) => n + i.noShows, 0)).toBeGreaterThan(0);
    expect(all.items.some((i) => i.schedule.length > 1 && i.channels.length > 1)).toBe(true);
  });
});
