import {
  type BookedSession,
  gridStarts,
  type HoursRange,
  type Interval,
  localDate,
  type PoolMember,
  SlotChecker,
  type SlotProblem,
  type SlotRules,
  type WeeklyHours,
  weekStart,
  workingIntervals,
} from '../../../shared/slots';
import { Booking } from '../../kernel/db/entities/Booking';
import type { IPlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import type { Em } from '../../kernel/db/orm';
import { instantOf, perDatabase, query, sqlDate } from '../../kernel/db/tx';
import type { DingTalkCalendar } from '../../kernel/integrations/dingtalk/calendar';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** Notice and horizon come first: a start beyond the horizon is not "unknown", it is too far. */
function windowProblem(rules: SlotRules, now: number, start: number): SlotProblem | null {
  if (start < now + rules.minNoticeMinutes * MINUTE) return 'too_soon';
  if (start >= now + rules.horizonDays * DAY) return 'beyond_horizon';
  return null;
}

/** Rules of a schedule in the shape the slot maths wants. */
export function rulesOf(s: IPlanSchedule): SlotRules {
  return {
    durationMinutes: s.durationMinutes,
    stepMinutes: s.stepMinutes ?? undefined,
    bufferBeforeMinutes: s.bufferBeforeMinutes,
    bufferAfterMinutes: s.bufferAfterMinutes,
    minNoticeMinutes: s.minNoticeMinutes,
    horizonDays: s.horizonDays,
  };
}

/** One slot as the API lists it. `remaining = 0` means full (shown disabled). */
export interface SlotInfo {
  start: number;
  end: number;
  capacity: number;
  remaining: number;
}

/** What one interviewer's time looks like around a window. */
interface MemberState {
  userId: number;
  unionId: string | null;
  timeZone: string;
  checker: SlotChecker;
  /** Active sessions per ISO week start (interviewer's zone), for round-robin fairness. */
  weekLoad: Map<string, number>;
}

/** Everything needed to answer "is this start free, and for whom" for one schedule. */
export interface ScheduleView {
  schedule: IPlanSchedule;
  slots: SlotInfo[];
  /** Live: the free pool members per slot start. */
  freeMembers(start: number): PoolMember[];
  /** Why `start` is not bookable (for any member), or null. */
  problem(start: number): SlotProblem | 'full' | null;
}

/** Options of {@link scheduleView}. */
export interface ViewOptions {
  now: Date;
  calendar: DingTalkCalendar;
  /** Bypass the calendar's free/busy cache. */
  refresh?: boolean;
  /** A booking being rescheduled: its own time does not block its new time. */
  excludeBookingId?: number;
  /** Only consider these pool members (a reschedule checking the current host first). */
  onlyMembers?: number[];
  /**
   * AI windows: false skips reading seat counters (commands take seats with a conditional
   * UPDATE anyway, so the pre-check only needs the grid). Default true.
   */
  withSeats?: boolean;
}

/**
 * Computes the slots of a schedule from the database and the interviewers' calendars:
 * AI windows from the plan's hours with seats from `slot_counters`; live sessions from each
 * pool member's hours and overrides minus DingTalk busy time, their other bookings and
 * buffers, within notice/horizon/daily caps. Reads only; commands re-check inside their
 * transaction with conditional updates.
 */
export async function scheduleView(
  em: Em,
  schedule: IPlanSchedule,
  opts: ViewOptions,
): Promise<ScheduleView> {
  const now = opts.now.getTime();
  const rules = rulesOf(schedule);
  const from = now;
  const to = now + schedule.horizonDays * DAY + schedule.durationMinutes * MINUTE;
  if (schedule.sessionType === 'ai') return aiView(em, schedule, now, from, to, opts.withSeats !== false);
  return liveView(em, schedule, rules, opts, now, from, to);
}

async function aiView(
  em: Em,
  schedule: IPlanSchedule,
  now: number,
  from: number,
  to: number,
  withSeats: boolean,
): Promise<ScheduleView> {
  // Plain SQL (the seat gate's own read): building the ORM query cost more than running it.
  // Inside a transaction the read stays on the transaction's connection.
  const sql =
    'select start_at, taken from slot_counters where schedule_id = ? and start_at >= ? and start_at < ?';
  const params = [schedule.id, sqlDate(em, from), sqlDate(em, to)];
  type Counter = { start_at: unknown; taken: number };
  const counters = !withSeats
    ? []
    : em.isInTransaction()
      ? await em.execute<Counter[]>(sql, params)
      : await query<Counter>(em, sql, params);
  return aiViewFromSeats(
    schedule,
    now,
    new Map(counters.map((c) => [instantOf(c.start_at), Number(c.taken)])),
    withSeats,
  );
}

/**
 * The view of an AI schedule at `now` from seat counts already read (`taken` by slot start;
 * the seat gate's snapshot, or the listing's own read). `withSeats: false`: seats unknown
 * (the view answers only grid, notice and horizon).
 */
export function aiViewFromSeats(
  schedule: IPlanSchedule,
  now: number,
  taken: Map<number, number>,
  withSeats = true,
): ScheduleView {
  const rules = rulesOf(schedule);
  const from = now;
  const to = now + schedule.horizonDays * DAY + schedule.durationMinutes * MINUTE;
  const working = workingIntervals(
    { timeZone: schedule.timeZone, weekly: schedule.weeklyHours, overrides: schedule.dateOverrides },
    from,
    to,
  );
  const checker = new SlotChecker({ rules, working, busy: [], booked: [], now, timeZone: schedule.timeZone });
  const capacity = schedule.capacityPerSlot;
  const slots: SlotInfo[] = [];
  for (const start of checker.starts()) {
    if (checker.problem(start) !== null) continue;
    slots.push({
      start,
      end: start + rules.durationMinutes * MINUTE,
      capacity,
      remaining: Math.max(0, capacity - (taken.get(start) ?? 0)),
    });
  }
  const byStart = new Map(slots.map((s) => [s.start, s]));
  return {
    schedule,
    slots,
    freeMembers: () => [],
    problem(start) {
      const p = windowProblem(rules, now, start) ?? checker.problem(start);
      if (p || !withSeats) return p;
      return (byStart.get(start)?.remaining ?? 0) > 0 ? null : 'full';
    },
  };
}

export { instantOf } from '../../kernel/db/tx';

/** A JSON column as the driver returns it (text or already parsed). */
function jsonOf<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

interface BookingRow {
  id: number;
  interviewer_id: number;
  start_at: unknown;
  end_at: unknown;
  buffer_before_minutes: number;
  buffer_after_minutes: number;
}

interface ScheduleRow {
  user_id: number;
  time_zone: string;
  weekly_hours: unknown;
  union_id: string | null;
}

/**
 * Loads the time of the given interviewers (or of a schedule's whole pool): hours, overrides,
 * active bookings, calendar busy. Read-only lists are read as plain rows in one query per
 * table (no entity hydration): a listing for a pool of 20 over 14 days is four small queries.
 */
export async function loadMembers(
  em: Em,
  who: number[] | { poolOf: number },
  rules: SlotRules,
  opts: ViewOptions & { dailyCap: number | null; from: number; to: number },
): Promise<MemberState[]> {
  if (Array.isArray(who) && !who.length) return [];
  const { from, to } = opts;
  const schedules = Array.isArray(who)
    ? await em.execute<ScheduleRow[]>(
        `select s.user_id, s.time_zone, s.weekly_hours, u.union_id from interviewer_schedules s
         join users u on u.id = s.user_id where s.user_id in (${who.map(() => '?').join(',')})`,
        who,
      )
    : await em.execute<ScheduleRow[]>(
        `select s.user_id, s.time_zone, s.weekly_hours, u.union_id from plan_interviewers pi
         join interviewer_schedules s on s.user_id = pi.user_id
         join users u on u.id = s.user_id where pi.schedule_id = ?`,
        [who.poolOf],
      );
  if (!schedules.length) return [];
  const userIds = schedules.map((s) => s.user_id);
  const marks = userIds.map(() => '?').join(',');
  const unionIds = schedules.map((s) => s.union_id).filter((u): u is string => !!u);
  // Overrides, bookings and calendar are independent reads: outside a transaction they go out
  // together (inside one they share the transaction's connection, so they run in turn).
  const reads = [
    () =>
      em.execute<Array<{ user_id: number; date: string; ranges: unknown }>>(
        `select user_id, date, ranges from availability_overrides where user_id in (${marks})`,
        userIds,
      ),
    // Bookings a week either side: buffers, daily caps and week loads look beyond the window.
    // The query builder converts the instants to each dialect's column format.
    () =>
      em
        .createQueryBuilder(Booking, 'b')
        .select([
          'b.id',
          'b.interviewer',
          'b.startAt',
          'b.endAt',
          'b.bufferBeforeMinutes',
          'b.bufferAfterMinutes',
        ])
        .where({
          interviewer: { $in: userIds },
          status: 'booked',
          startAt: { $lt: new Date(to + 8 * DAY) },
          endAt: { $gt: new Date(from - 8 * DAY) },
        })
        .execute<BookingRow[]>('all', false),
    () =>
      unionIds.length
        ? opts.calendar.busy(unionIds, new Date(from - DAY), new Date(to + DAY), { refresh: opts.refresh })
        : Promise.resolve({ busy: new Map<string, Interval[]>(), errors: new Map<string, string>() }),
  ] as const;
  const [overrides, bookingRows, cal] = em.isInTransaction()
    ? [await reads[0](), await reads[1](), await reads[2]()]
    : await Promise.all([reads[0](), reads[1](), reads[2]()]);
  const byUser = new Map<number, Array<BookedSession & { id: number }>>();
  for (const b of bookingRows) {
    const list = byUser.get(b.interviewer_id) ?? [];
    list.push({
      id: b.id,
      start: instantOf(b.start_at),
      end: instantOf(b.end_at),
      bufferBeforeMinutes: b.buffer_before_minutes,
      bufferAfterMinutes: b.buffer_after_minutes,
    });
    byUser.set(b.interviewer_id, list);
  }
  const out: MemberState[] = [];
  for (const s of schedules) {
    const userId = s.user_id;
    const unionId = s.union_id ?? null;
    // A calendar we cannot read is treated as fully busy: never offer time we cannot verify.
    if (unionId && cal.errors.has(unionId)) continue;
    const all = byUser.get(userId) ?? [];
    const mine: BookedSession[] = all.filter((b) => b.id !== opts.excludeBookingId);
    // Our own bookings appear in the calendar as the events we created; they are already
    // counted (with buffers) as bookings, and the one being rescheduled must not block its
    // own new time.
    const own = new Set(all.map((b) => `${b.start}-${b.end}`));
    const busy = ((unionId && cal.busy.get(unionId)) || []).filter((i) => !own.has(`${i.start}-${i.end}`));
    const timeZone = s.time_zone;
    const working = workingIntervals(
      {
        timeZone,
        weekly: jsonOf<WeeklyHours>(s.weekly_hours),
        overrides: overrides
          .filter((o) => o.user_id === userId)
          .map((o) => ({ date: o.date, ranges: jsonOf<HoursRange[]>(o.ranges) })),
      },
      from,
      to,
    );
    const weekLoad = new Map<string, number>();
    for (const b of mine) {
      const w = weekStart(localDate(b.start, timeZone));
      weekLoad.set(w, (weekLoad.get(w) ?? 0) + 1);
    }
    out.push({
      userId,
      unionId,
      timeZone,
      weekLoad,
      checker: new SlotChecker({
        rules,
        working,
        busy,
        booked: mine,
        now: opts.now.getTime(),
        timeZone,
        dailyCap: opts.dailyCap,
      }),
    });
  }
  return out;
}

async function liveView(
  em: Em,
  schedule: IPlanSchedule,
  rules: SlotRules,
  opts: ViewOptions,
  now: number,
  from: number,
  to: number,
): Promise<ScheduleView> {
  const members = await loadMembers(em, { poolOf: schedule.id }, rules, {
    ...opts,
    dailyCap: schedule.dailyCapPerInterviewer ?? null,
    from,
    to,
  }).then((all) => (opts.onlyMembers ? all.filter((m) => opts.onlyMembers?.includes(m.userId)) : all));
  const starts = new Set<number>();
  for (const m of members) for (const s of m.checker.starts()) starts.add(s);
  const duration = rules.durationMinutes * MINUTE;
  const freeMembers = (start: number): PoolMember[] =>
    members
      .filter((m) => m.checker.problem(start) === null)
      .map((m) => ({ id: m.userId, weekLoad: m.weekLoad.get(weekStart(localDate(start, m.timeZone))) ?? 0 }));
  const slots: SlotInfo[] = [];
  for (const start of [...starts].sort((a, b) => a - b)) {
    if (start < now + rules.minNoticeMinutes * MINUTE || start >= now + rules.horizonDays * DAY) continue;
    const free = members.some((m) => m.checker.problem(start) === null);
    slots.push({ start, end: start + duration, capacity: 1, remaining: free ? 1 : 0 });
  }
  return {
    schedule,
    slots,
    freeMembers,
    problem(start) {
      const early = windowProblem(rules, now, start);
      if (early) return early;
      if (!starts.has(start)) return 'off_grid';
      const problems = members.map((m) => m.checker.problem(start));
      if (problems.includes(null)) return null;
      if (problems.includes('too_soon')) return 'too_soon';
      if (problems.includes('beyond_horizon')) return 'beyond_horizon';
      return 'full';
    },
  };
}

const GRIDS = new Map<string, Set<number>>();
const GRID_KEYS = new WeakMap<object, string>();

/** What an AI schedule's slot grid depends on (hours, overrides, duration, step, zone). */
function gridKey(schedule: IPlanSchedule): string {
  let key = GRID_KEYS.get(schedule);
  if (!key) {
    key = JSON.stringify([
      schedule.id,
      schedule.version,
      schedule.timeZone,
      schedule.durationMinutes,
      schedule.stepMinutes,
      schedule.weeklyHours,
      schedule.dateOverrides,
    ]);
    GRID_KEYS.set(schedule, key);
  }
  return key;
}

/**
 * Why an AI window start is not bookable by the schedule's rules (notice, horizon, on the grid
 * of its hours), without reading seats: the booking command's pre-check. Notice and horizon
 * use the exact `now`; the grid (the same hours and alignment the listing uses) is computed
 * once per schedule and minute and shared by the requests of a rush.
 */
export function aiStartProblem(schedule: IPlanSchedule, now: number, start: number): SlotProblem | null {
  const rules = rulesOf(schedule);
  const early = windowProblem(rules, now, start);
  if (early) return early;
  const minute = Math.floor(now / MINUTE) * MINUTE;
  const key = `${gridKey(schedule)}|${minute}`;
  let grid = GRIDS.get(key);
  if (!grid) {
    // From the minute's start (a range that ended in the last minute only holds past slots,
    // which notice refuses first) to a day past the horizon.
    const working = workingIntervals(
      { timeZone: schedule.timeZone, weekly: schedule.weeklyHours, overrides: schedule.dateOverrides },
      minute,
      minute + (schedule.horizonDays + 1) * DAY + schedule.durationMinutes * MINUTE,
    );
    grid = new Set(gridStarts(rules, working));
    if (GRIDS.size > 200) GRIDS.clear();
    GRIDS.set(key, grid);
  }
  return grid.has(start) ? null : 'off_grid';
}

interface PendingView {
  now: number;
  promise: Promise<ScheduleView>;
}

const PENDING_VIEWS = new WeakMap<object, Map<string, PendingView>>();

/**
 * A fresh view of a schedule for callers that just lost a race (the 409 `slot_full` answer
 * carries a fresh list). Callers arriving before the read starts share it: a rush of 900
 * losers makes a few reads, not 900. Every caller still gets a list read after its own
 * conditional UPDATE failed (the entry is dropped the moment its read begins, and the read uses
 * the latest caller's `now`). This only shares a read; no decision waits on it.
 */
export function freshViewAfterLoss(
  em: Em,
  schedule: IPlanSchedule,
  opts: Omit<ViewOptions, 'withSeats'>,
): Promise<ScheduleView> {
  // Views never cross databases (tests run several in one process) or reschedule exclusions.
  if (opts.excludeBookingId || opts.onlyMembers || opts.refresh) return scheduleView(em, schedule, opts);
  const pending = perDatabase(PENDING_VIEWS, em, () => new Map<string, PendingView>());
  const key = `${schedule.id}|${schedule.version}`;
  const now = opts.now.getTime();
  const joined = pending.get(key);
  if (joined) {
    joined.now = Math.max(joined.now, now);
    return joined.promise;
  }
  const map = pending;
  const entry: PendingView = { now, promise: Promise.resolve() as unknown as Promise<ScheduleView> };
  entry.promise = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    map.delete(key);
    return scheduleView(em, schedule, { ...opts, now: new Date(entry.now) });
  });
  map.set(key, entry);
  return entry.promise;
}
