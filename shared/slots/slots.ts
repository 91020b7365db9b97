import { hitsAny, type Interval, normalize } from './intervals';
import { localDayNumber } from './time';

const MINUTE = 60_000;

/** The timing rules of one kind of session. Minutes unless named otherwise. */
export interface SlotRules {
  durationMinutes: number;
  /** Distance between slot starts; defaults to the duration. */
  stepMinutes?: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** A slot must start at least this long after now. */
  minNoticeMinutes: number;
  /** A slot must start before now + horizon. */
  horizonDays: number;
}

/** A booked session of one resource (an interviewer); its buffers keep neighbours away. */
export interface BookedSession extends Interval {
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/** Inputs of {@link freeSlots} for one resource. */
export interface FreeSlotsInput {
  rules: SlotRules;
  /** Working intervals (from `workingIntervals`); slot starts align to each interval's start. */
  working: readonly Interval[];
  /** Calendar busy time (not padded). */
  busy: readonly Interval[];
  /** Sessions already booked for this resource. */
  booked: readonly BookedSession[];
  now: number;
  /** Zone in which "per day" is counted for `dailyCap`. */
  timeZone: string;
  /** At most this many sessions per local day (null: no cap). */
  dailyCap?: number | null;
}

/** All slot starts of the grid inside `working`, ignoring busy time, notice and horizon. */
export function gridStarts(rules: SlotRules, working: readonly Interval[]): number[] {
  const duration = rules.durationMinutes * MINUTE;
  const step = (rules.stepMinutes ?? rules.durationMinutes) * MINUTE;
  const out: number[] = [];
  for (const w of normalize(working)) for (let s = w.start; s + duration <= w.end; s += step) out.push(s);
  return out;
}

/** The window in which slots may start: `[now + notice, now + horizon)`. */
export function bookingWindow(rules: SlotRules, now: number): Interval {
  return { start: now + rules.minNoticeMinutes * MINUTE, end: now + rules.horizonDays * 86_400_000 };
}

/** Why a slot start is not bookable for a resource, or null when it is. */
export type SlotProblem = 'off_grid' | 'too_soon' | 'beyond_horizon' | 'busy' | 'daily_cap';

/**
 * Checks one slot start against every rule: it must be on the grid of the working hours,
 * respect notice and horizon, and its padded interval `[start - before, end + after)` must
 * touch neither calendar busy time nor the padded interval of a booked session (so two
 * sessions are separated by the earlier one's after-buffer plus the later one's before-buffer).
 * Half-open: a slot starting exactly when a busy period ends is free.
 */
export function slotProblem(input: FreeSlotsInput, start: number): SlotProblem | null {
  return new SlotChecker(input).problem(start);
}

/** Precomputes the sorted busy list and per-day counts once for many slot checks. */
export class SlotChecker {
  private readonly busy: Interval[];
  private readonly perDay = new Map<number, number>();
  private readonly grid: Set<number>;
  private readonly window: Interval;

  constructor(private readonly input: FreeSlotsInput) {
    const r = input.rules;
    this.busy = normalize([
      ...input.busy,
      ...input.booked.map((b) => ({
        start: b.start - b.bufferBeforeMinutes * MINUTE,
        end: b.end + b.bufferAfterMinutes * MINUTE,
      })),
    ]);
    for (const b of input.booked) {
      const day = localDayNumber(b.start, input.timeZone);
      this.perDay.set(day, (this.perDay.get(day) ?? 0) + 1);
    }
    this.grid = new Set(gridStarts(r, input.working));
    this.window = bookingWindow(r, input.now);
  }

  /** All grid starts (for listing full slots too). */
  starts(): number[] {
    return [...this.grid].sort((a, b) => a - b);
  }

  /** See {@link slotProblem}. */
  problem(start: number): SlotProblem | null {
    const r = this.input.rules;
    if (!this.grid.has(start)) return 'off_grid';
    if (start < this.window.start) return 'too_soon';
    if (start >= this.window.end) return 'beyond_horizon';
    const padded = {
      start: start - r.bufferBeforeMinutes * MINUTE,
      end: start + (r.durationMinutes + r.bufferAfterMinutes) * MINUTE,
    };
    if (hitsAny(padded, this.busy)) return 'busy';
    const cap = this.input.dailyCap;
    if (cap != null && (this.perDay.get(localDayNumber(start, this.input.timeZone)) ?? 0) >= cap)
      return 'daily_cap';
    return null;
  }
}

/** Free slot starts of one resource, ascending. */
export function freeSlots(input: FreeSlotsInput): number[] {
  const c = new SlotChecker(input);
  return c.starts().filter((s) => c.problem(s) === null);
}

/** Someone who could take a session, with their load in the session's week. */
export interface PoolMember {
  id: number;
  /** Active sessions in the same (local) week. */
  weekLoad: number;
}

/**
 * Round-robin: the least-loaded member over the week; ties go to the lower id so the choice is
 * deterministic (tests, and two servers agree). `prefer` (the current interviewer on a
 * reschedule) wins whenever they are free.
 */
export function pickMember(free: readonly PoolMember[], prefer?: number | null): PoolMember | null {
  if (prefer != null) {
    const kept = free.find((m) => m.id === prefer);
    if (kept) return kept;
  }
  let best: PoolMember | null = null;
  for (const m of free)
    if (!best || m.weekLoad < best.weekLoad || (m.weekLoad === best.weekLoad && m.id < best.id)) best = m;
  return best;
}

/** Morning (before 12:00 local) or afternoon/evening, for grouping in the UI. */
export function dayPart(hm: string): 'am' | 'pm' {
  return hm < '12:00' ? 'am' : 'pm';
}
