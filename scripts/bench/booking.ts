/**
 * `npm run bench -- booking [--attempts=1000] [--slots=100] [--listSeconds=5] [--listConcurrency=8]`
 *
 * Against MariaDB (MYSQL_URL, default mysql://root@127.0.0.1:3306/test):
 * 1. Booking: `attempts` concurrent booking attempts through the real command (`bookSlot`:
 *    validation, conditional seat UPDATE, booking INSERT with the unique active key, domain
 *    event with every registered in-transaction handler, outbox rows, audit) spread over
 *    `slots` one-seat AI slots. Checks 0 overbooked slots and exactly `slots` winners; reports
 *    attempts/s and latency p50/p99.
 * 2. Floor, same run, same pool size: the same number of single-statement conditional UPDATEs
 *    (`update ... set taken = taken + 1 where id = ? and taken < capacity`) through mysql2,
 *    spread over the same number of rows. Ratio = booking attempts/s ÷ floor UPDATEs/s.
 * 3. Slot listing for a live plan with a pool of 20 interviewers over 14 days (hours,
 *    bookings, DingTalk busy time from the sandbox, cached as in production) while
 *    `listConcurrency` loops list continuously: p50/p99 per listing.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import mysql from 'mysql2/promise';
import { scheduleView } from '../../server/bookings/engine';
import { bookSlot } from '../../server/commands/bookings';
import { loadConfig } from '../../server/config';
import { Application } from '../../server/db/entities/Application';
import { Booking } from '../../server/db/entities/Booking';
import { Candidate } from '../../server/db/entities/Candidate';
import { InterviewerSchedule } from '../../server/db/entities/InterviewerSchedule';
import { InterviewPlan } from '../../server/db/entities/InterviewPlan';
import { Job } from '../../server/db/entities/Job';
import { PlanInterviewer, PlanSchedule } from '../../server/db/entities/PlanSchedule';
import { User } from '../../server/db/entities/User';
import { openOrm } from '../../server/db/orm';
import { DEMO_EMPLOYEES, type DemoEmployee } from '../../server/db/seeds/demoCompany';
import { seedDemoCompany } from '../../server/db/seeds/seed';
import type { Actor } from '../../server/http';
import { createDingTalk } from '../../server/integrations/dingtalk';
import { createLogger } from '../../server/logger';
import { createTestDatabase, migrateDb } from '../../server/testing/harness';
import { calendarState } from '../sandbox/modules/calendar';
import { startSandbox } from '../sandbox/server';
import { percentile, report } from './report';

function arg(args: string[], name: string, def: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}

const H = 3_600_000;
const WEEKDAY_HOURS = Object.fromEntries(
  ['1', '2', '3', '4', '5'].map((d) => [
    d,
    [
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '18:00' },
    ],
  ]),
);

/** Monday 00:00 UTC a few days ahead (08:00 in Shanghai). */
function nextMonday(): Date {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + 2);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const attempts = arg(args, 'attempts', 1000);
  const nSlots = arg(args, 'slots', 100);
  const listSeconds = arg(args, 'listSeconds', 5);
  const listConcurrency = arg(args, 'listConcurrency', 8);
  process.env.MYSQL_URL ??= 'mysql://root@127.0.0.1:3306/test';
  process.env.TEST_SCHEMA_SYNC = '1';
  const pool = 20;
  const { db, drop } = await createTestDatabase('mysql');
  const benchPeople: DemoEmployee[] = Array.from({ length: 20 }, (_, i) => ({
    userid: `bench${i}`,
    unionid: `uid-bench-${i}`,
    name: `面试官${i}`,
    mobile: `1370000${String(i).padStart(4, '0')}`,
    title: '工程师',
    deptId: 20,
    roles: ['interviewer'],
  }));
  const sandbox = await startSandbox({
    appUrl: 'http://localhost:1',
    qpsLimit: 1_000_000,
    org: { employees: [...DEMO_EMPLOYEES, ...benchPeople] },
  });
  const orm = await openOrm({ ...db, poolMax: pool } as typeof db);
  const floorConn = mysql.createPool({ uri: db.url, connectionLimit: pool });
  try {
    await migrateDb(orm);
    await seedDemoCompany(orm.em);
    const config = loadConfig({
      APP_MODE: 'test',
      DATABASE_URL: db.url,
      SANDBOX_URL: sandbox.url,
      PUBLIC_URL: 'http://localhost:1',
      LOG_LEVEL: 'silent',
    });
    const dingtalk = createDingTalk(config.dingtalk, createLogger('silent'));
    const monday = nextMonday();
    const now = monday;

    // --- 1. booking: one-seat AI slots, every weekday hour 09:00-21:00 (30-min slots).
    const em = orm.em.fork();
    const schedule = await em.findOneOrFail(PlanSchedule, {
      plan: { job: { slug: 'sales' } },
      kind: 'ai_interview',
    });
    schedule.capacityPerSlot = 1;
    schedule.minNoticeMinutes = 0;
    await em.flush();
    const job = await em.findOneOrFail(Job, { slug: 'sales' });
    // Warm-up applications book other slots first (JIT, pool connections), as a running
    // server would be; they are not measured.
    const warmup = Math.min(200, attempts);
    const apps: Array<{ app: number; candidate: number }> = [];
    for (let i = 0; i < attempts + warmup; i++) {
      const c = em.create(Candidate, { unionId: null, name: `压测${i}`, mobile: null, email: null });
      const a = em.create(Application, {
        candidate: c,
        job,
        deadlineAt: new Date(monday.getTime() + 60 * 86_400_000),
      });
      apps.push({ app: a as never, candidate: c as never });
    }
    await em.flush();
    const rows = apps.map((x) => ({
      app: (x.app as unknown as { id: number }).id,
      candidate: x.candidate as unknown as { id: number; name: string },
    }));
    const view = await scheduleView(orm.em.fork(), schedule, { now, calendar: dingtalk.calendar });
    const starts = view.slots.slice(0, nSlots).map((s) => new Date(s.start));
    const warmStarts = view.slots.slice(nSlots, nSlots + 20).map((s) => new Date(s.start));
    if (starts.length < nSlots || warmStarts.length < 20) throw new Error(`only ${view.slots.length} slots`);
    const attempt = async (r: (typeof rows)[number], startAt: Date): Promise<string> => {
      const actor = {
        kind: 'candidate',
        id: r.candidate.id,
        candidate: r.candidate,
        invitationJobId: null,
      } as unknown as Actor;
      try {
        await bookSlot({
          em: orm.em,
          calendar: dingtalk.calendar,
          actor,
          now,
          context: {},
          applicationId: r.app,
          kind: 'ai_interview',
          startAt,
        });
        return 'ok';
      } catch (err) {
        return (err as { code?: string }).code ?? String(err);
      }
    };
    await Promise.all(rows.slice(attempts).map((r, i) => attempt(r, warmStarts[i % warmStarts.length])));
    const latencies: number[] = [];
    const outcome = new Map<string, number>();
    // `--profile=FILE`: a CPU profile of the booking phase only (open in Chrome DevTools).
    const profileFile = args.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
    const inspector = profileFile ? new Session() : null;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    }
    const t0 = performance.now();
    await Promise.all(
      rows.slice(0, attempts).map(async (r, i) => {
        const s = performance.now();
        const code = await attempt(r, starts[i % nSlots]);
        latencies.push(performance.now() - s);
        outcome.set(code, (outcome.get(code) ?? 0) + 1);
      }),
    );
    const bookingMs = performance.now() - t0;
    if (inspector && profileFile) {
      const { profile } = await inspector.post('Profiler.stop');
      fs.writeFileSync(profileFile, JSON.stringify(profile));
      inspector.disconnect();
    }
    const perSlot = await orm.em
      .fork()
      .getConnection()
      .execute<Array<{ n: number }>>(
        "select count(*) as n from bookings where status = 'booked' group by start_at having count(*) > 1",
      );
    const overbooked = perSlot.length;
    const winners = await orm.em.fork().count(Booking, {
      status: 'booked',
      schedule: schedule.id,
      startAt: { $in: starts },
    });

    // --- 2. floor: conditional single-statement UPDATEs through mysql2, same concurrency.
    await floorConn.query(
      'create table bench_floor (id int primary key, taken int not null, capacity int not null)',
    );
    await floorConn.query(
      `insert into bench_floor values ${Array.from({ length: nSlots }, (_, i) => `(${i + 1}, 0, 1)`).join(',')}`,
    );
    // Warm-up: open the pool's connections and prepare the statement, as for booking.
    await Promise.all(
      Array.from({ length: warmup }, () =>
        floorConn.execute('update bench_floor set taken = taken where id = ? and taken < capacity', [1]),
      ),
    );
    await Promise.all(
      Array.from({ length: warmup }, (_, i) =>
        floorConn.execute('update bench_floor set taken = taken + 0 where id = ? and taken < capacity', [
          (i % nSlots) + 1,
        ]),
      ),
    );
    const floorLat: number[] = [];
    let floorWins = 0;
    const f0 = performance.now();
    await Promise.all(
      Array.from({ length: attempts }, async (_, i) => {
        const s = performance.now();
        const [res] = await floorConn.execute(
          'update bench_floor set taken = taken + 1 where id = ? and taken < capacity',
          [(i % nSlots) + 1],
        );
        if ((res as { affectedRows: number }).affectedRows === 1) floorWins++;
        floorLat.push(performance.now() - s);
      }),
    );
    const floorMs = performance.now() - f0;

    // --- 3. listing: a live plan with 20 interviewers, hours, bookings and calendar busy time.
    const lem = orm.em.fork();
    const plan = await lem.findOneOrFail(InterviewPlan, { job: { slug: 'backend' } });
    const live = await lem.findOneOrFail(PlanSchedule, { plan, kind: 'second_round' });
    live.minNoticeMinutes = 0;
    live.dailyCapPerInterviewer = 4;
    await lem.nativeDelete(PlanInterviewer, { schedule: live.id });
    const cal = calendarState(sandbox.state);
    for (const [i, p] of benchPeople.entries()) {
      const u = lem.create(User, {
        dingtalkUserId: p.userid,
        unionId: p.unionid,
        name: p.name,
        mobile: p.mobile,
        title: p.title,
        roles: ['interviewer'],
      });
      lem.create(InterviewerSchedule, { user: u, timeZone: 'Asia/Shanghai', weeklyHours: WEEKDAY_HOURS });
      lem.create(PlanInterviewer, { schedule: live, user: u });
      // Two meetings a day on weekdays for everyone, staggered.
      cal.busy.set(
        p.unionid,
        Array.from({ length: 14 }, (_, d) => [
          {
            id: `${i}-${d}-a`,
            start: new Date(monday.getTime() + d * 24 * H + (2 + (i % 3)) * H).toISOString(),
            end: new Date(monday.getTime() + d * 24 * H + (3 + (i % 3)) * H).toISOString(),
            title: 'm',
          },
          {
            id: `${i}-${d}-b`,
            start: new Date(monday.getTime() + d * 24 * H + 7 * H).toISOString(),
            end: new Date(monday.getTime() + d * 24 * H + 7.5 * H).toISOString(),
            title: 'm',
          },
        ]).flat(),
      );
    }
    await lem.flush();
    const listLat: number[] = [];
    let slotsListed = 0;
    const stopAt = performance.now() + listSeconds * 1000;
    // Warm the calendar cache once (production keeps it for a minute).
    await scheduleView(orm.em.fork(), live, { now, calendar: dingtalk.calendar });
    await Promise.all(
      Array.from({ length: listConcurrency }, async () => {
        while (performance.now() < stopAt) {
          const s = performance.now();
          const v = await scheduleView(orm.em.fork(), live, { now, calendar: dingtalk.calendar });
          listLat.push(performance.now() - s);
          slotsListed = v.slots.length;
        }
      }),
    );

    const bookingRate = (attempts / bookingMs) * 1000;
    const floorRate = (attempts / floorMs) * 1000;
    report(
      'booking',
      [
        {
          measure: 'booking attempts (bookSlot, full transaction)',
          attempts,
          perSecond: Math.round(bookingRate),
          p50ms: Math.round(percentile(latencies, 50)),
          p99ms: Math.round(percentile(latencies, 99)),
          winners,
          overbooked,
        },
        {
          measure: 'floor: conditional UPDATE via mysql2',
          attempts,
          perSecond: Math.round(floorRate),
          p50ms: Math.round(percentile(floorLat, 50)),
          p99ms: Math.round(percentile(floorLat, 99)),
          winners: floorWins,
          overbooked: 0,
        },
        {
          measure: `slot listing, 20 interviewers x 14 days, ${listConcurrency} concurrent`,
          attempts: listLat.length,
          perSecond: Math.round((listLat.length / listSeconds) * 1),
          p50ms: Math.round(percentile(listLat, 50) * 10) / 10,
          p99ms: Math.round(percentile(listLat, 99) * 10) / 10,
          winners: slotsListed,
          overbooked: 0,
        },
      ],
      {
        ratio: Math.round((bookingRate / floorRate) * 1000) / 1000,
        outcomes: Object.fromEntries(outcome),
        pool,
        targets: { ratio: 0.4, listingP99ms: 50 },
      },
    );
    if (overbooked !== 0 || winners !== nSlots) process.exitCode = 1;
  } finally {
    await floorConn.end();
    await orm.close(true);
    await sandbox.close();
    await drop();
  }
}
