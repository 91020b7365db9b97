import {
  type BookedSession,
  type Interval,
  localDate,
  type PoolMember,
  SlotChecker,
  type SlotProblem,
  type SlotRules,
  weekStart,
  workingIntervals,
} from '../../shared/slots';
import { Booking, SlotCounter } from '../db/entities/Booking';
import { AvailabilityOverride, InterviewerSchedule } from '../db/entities/InterviewerSchedule';
import { type IPlanSchedule, PlanInterviewer } from '../db/entities/PlanSchedule';
import type { Em } from '../db/orm';
import type { DingTalkCalendar } from '../integrations/dingtalk/calendar';

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
  if (schedule.sessionType === 'ai')
    return aiView(em, schedule, rules, now, from, to, opts.withSeats !== false);
  return liveView(em, schedule, rules, opts, now, from, to);
}

async function aiView(
  em: Em,
  schedule: IPlanSchedule,
  rules: SlotRules,
  now: number,
  from: number,
  to: number,
  withSeats: boolean,
): Promise<ScheduleView> {
  const working = workingIntervals(
    { timeZone: schedule.timeZone, weekly: schedule.weeklyHours, overrides: schedule.dateOverrides },
    from,
    to,
  );
  const checker = new SlotChecker({ rules, working, busy: [], booked: [], now, timeZone: schedule.timeZone });
  const counters = withSeats
    ? await em.find(
        SlotCounter,
        { schedule: schedule.id, startAt: { $gte: new Date(from), $lt: new Date(to) } },
        { fields: ['startAt', 'taken'] },
      )
    : [];
  const taken = new Map(counters.map((c) => [c.startAt.getTime(), c.taken]));
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

/** Loads one or more interviewers' time: hours, overrides, active bookings, calendar busy. */
export async function loadMembers(
  em: Em,
  userIds: number[],
  rules: SlotRules,
  opts: ViewOptions & { dailyCap: number | null; from: number; to: number },
): Promise<MemberState[]> {
  if (!userIds.length) return [];
  const { from, to } = opts;
  const schedules = await em.find(InterviewerSchedule, { user: { $in: userIds } }, { populate: ['user'] });
  const overrides = await em.find(AvailabilityOverride, { user: { $in: userIds } });
  // Bookings a week either side: buffers, daily caps and week loads look beyond the window.
  const bookings = await em.find(
    Booking,
    {
      interviewer: { $in: userIds },
      status: 'booked',
      startAt: { $lt: new Date(to + 8 * DAY) },
      endAt: { $gt: new Date(from - 8 * DAY) },
      ...(opts.excludeBookingId ? { id: { $ne: opts.excludeBookingId } } : {}),
    },
    { fields: ['interviewer', 'startAt', 'endAt', 'bufferBeforeMinutes', 'bufferAfterMinutes'] },
  );
  const unionIds = schedules.map((s) => s.user.unionId).filter((u): u is string => !!u);
  const cal = unionIds.length
    ? await opts.calendar.busy(unionIds, new Date(from - DAY), new Date(to + DAY), { refresh: opts.refresh })
    : { busy: new Map<string, Interval[]>(), errors: new Map<string, string>() };
  const excluded = opts.excludeBookingId
    ? await em.findOne(
        Booking,
        { id: opts.excludeBookingId },
        { fields: ['startAt', 'endAt', 'interviewer'] },
      )
    : null;
  const out: MemberState[] = [];
  for (const s of schedules) {
    const userId = s.user.id;
    const unionId = s.user.unionId ?? null;
    const mine: BookedSession[] = bookings
      .filter((b) => b.interviewer?.id === userId)
      .map((b) => ({
        start: b.startAt.getTime(),
        end: b.endAt.getTime(),
        bufferBeforeMinutes: b.bufferBeforeMinutes,
        bufferAfterMinutes: b.bufferAfterMinutes,
      }));
    // A calendar we cannot read is treated as fully busy: never offer time we cannot verify.
    if (unionId && cal.errors.has(unionId)) continue;
    // Our own bookings appear in the calendar as the events we created; they are already
    // counted (with buffers) as bookings, and must not block their own reschedule.
    const own = new Set(
      bookings
        .filter((b) => b.interviewer?.id === userId)
        .map((b) => `${b.startAt.getTime()}-${b.endAt.getTime()}`),
    );
    if (excluded?.interviewer?.id === userId)
      own.add(`${excluded.startAt.getTime()}-${excluded.endAt.getTime()}`);
    const busy = ((unionId && cal.busy.get(unionId)) || []).filter((i) => !own.has(`${i.start}-${i.end}`));
    const working = workingIntervals(
      {
        timeZone: s.timeZone,
        weekly: s.weeklyHours,
        overrides: overrides
          .filter((o) => o.user.id === userId)
          .map((o) => ({ date: o.date, ranges: o.ranges })),
      },
      from,
      to,
    );
    const weekLoad = new Map<string, number>();
    for (const b of mine) {
      const w = weekStart(localDate(b.start, s.timeZone));
      weekLoad.set(w, (weekLoad.get(w) ?? 0) + 1);
    }
    out.push({
      userId,
      unionId,
      timeZone: s.timeZone,
      weekLoad,
      checker: new SlotChecker({
        rules,
        working,
        busy,
        booked: mine,
        now: opts.now.getTime(),
        timeZone: s.timeZone,
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
  const pool = await em.find(PlanInterviewer, { schedule: schedule.id }, { fields: ['user'] });
  let ids = pool.map((p) => p.user.id);
  if (opts.onlyMembers) ids = ids.filter((id) => opts.onlyMembers?.includes(id));
  const members = await loadMembers(em, ids, rules, {
    ...opts,
    dailyCap: schedule.dailyCapPerInterviewer ?? null,
    from,
    to,
  });
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
    const free = members.filter((m) => m.checker.problem(start) === null).length;
    slots.push({ start, end: start + duration, capacity: 1, remaining: free > 0 ? 1 : 0 });
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
