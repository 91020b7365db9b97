/**
 * The seat gate of AI windows: decides, per slot, which of the requests that arrive together
 * may try to take a seat, so that a rush of 1,000 requests for 100 one-seat slots costs about
 * one seat read per slot and one transaction per winner instead of a statement per loser.
 *
 * The database stays the only authority: a request let through takes its seat inside its own
 * booking transaction with `UPDATE slot_counters SET taken = taken + 1 WHERE id = ? AND taken
 * < capacity` (so a crash rolls the seat back with the booking, and other server processes are
 * handled by the row lock and the condition). The gate only saves work, and is exact about it:
 *
 * - Requests for a slot arriving in the same event-loop turn share one read of its counter,
 *   made after they arrived (reads of many slots are one query).
 * - With `free = capacity - taken - (requests of this process already trying)`, the first
 *   `free` go ahead. If the read showed the slot full, the rest get `full`: at the moment of a
 *   read that began after they arrived there was no seat, which is a correct answer.
 * - Otherwise the rest wait until the requests trying now have finished, then read again. A
 *   request that lost its UPDATE (another process won) comes back through the gate.
 */
import type { Em } from '../../kernel/db/orm';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { dialectOf, perDatabase, query, sqlDate } from '../../kernel/db/tx';
import { instantOf } from './engine';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Seats taken per slot start of one schedule over a whole booking window, as one read saw
 * them (the gate reads the window, not just the requested slots, so a refused request gets its
 * fresh list from the same read).
 */
export interface SeatSnapshot {
  scheduleId: number;
  /** The read covered slot starts in [from, to). */
  from: number;
  to: number;
  taken: Map<number, number>;
}

/** What the gate answers: try (with the counter row to update) or the slot is full. */
export type GateResult =
  | { go: true; counterId: number; leave: () => void }
  | { go: false; snapshot: SeatSnapshot };

/** The schedule fields the gate needs. */
export interface GateSchedule {
  id: number;
  capacityPerSlot: number;
  horizonDays: number;
  durationMinutes: number;
}

interface Ticket {
  now: number;
  resolve: (r: GateResult) => void;
  reject: (e: unknown) => void;
}

interface SlotState {
  key: string;
  schedule: GateSchedule;
  scheduleId: number;
  start: number;
  capacity: number;
  counterId: number | null;
  /** Requests of this process that were let through and have not finished. */
  trying: number;
  /** Waiting for the next read. */
  queue: Ticket[];
  /** Waiting for `trying` to reach zero. */
  parked: Ticket[];
  reading: boolean;
}

/** The seat gate of one database (see the file comment). */
export class SeatGate {
  private readonly slots = new Map<string, SlotState>();
  private scheduled = false;

  constructor(private readonly em: Em) {}

  /**
   * Waits for the right to try a seat of the slot `start` of `schedule`, or `full` with the
   * read that showed it (`now`: the request's clock, for the window of that read).
   */
  enter(schedule: GateSchedule, start: number, now: number): Promise<GateResult> {
    const key = `${schedule.id}|${start}`;
    let s = this.slots.get(key);
    if (!s) {
      s = {
        key,
        schedule,
        scheduleId: schedule.id,
        start,
        capacity: schedule.capacityPerSlot,
        counterId: null,
        trying: 0,
        queue: [],
        parked: [],
        reading: false,
      };
      this.slots.set(key, s);
    }
    s.capacity = schedule.capacityPerSlot;
    s.schedule = schedule;
    const slot = s;
    return new Promise((resolve, reject) => {
      slot.queue.push({ now, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.readBatch();
    });
  }

  private async readBatch(): Promise<void> {
    const batch: Array<{ slot: SlotState; tickets: Ticket[] }> = [];
    for (const slot of this.slots.values()) {
      if (slot.reading || !slot.queue.length) continue;
      slot.reading = true;
      batch.push({ slot, tickets: slot.queue });
      slot.queue = [];
    }
    if (!batch.length) return;
    try {
      // The read creates missing counter rows; those upserts can be chosen as a deadlock victim
      // against booking transactions holding counter rows. It only reads and inserts-if-missing,
      // so it is simply run again rather than failing every request of the batch.
      const snapshots = await retryOnDeadlock(() => this.readCounters(batch));
      for (const { slot, tickets } of batch) {
        const snapshot = snapshots.get(slot.scheduleId) as SeatSnapshot;
        this.decide(slot, tickets, snapshot.taken.get(slot.start) ?? 0, snapshot);
      }
    } catch (err) {
      for (const { tickets } of batch) for (const t of tickets) t.reject(err);
    } finally {
      for (const { slot } of batch) {
        slot.reading = false;
        this.forgetIfIdle(slot);
      }
      if ([...this.slots.values()].some((s) => s.queue.length)) this.schedule();
    }
  }

  private decide(slot: SlotState, tickets: Ticket[], taken: number, snapshot: SeatSnapshot): void {
    const free = Math.max(0, slot.capacity - taken - slot.trying);
    const go = Math.min(free, tickets.length);
    for (const t of tickets.slice(0, go)) {
      slot.trying++;
      let left = false;
      t.resolve({
        go: true,
        counterId: slot.counterId as number,
        leave: () => {
          if (left) return;
          left = true;
          this.leave(slot);
        },
      });
    }
    const rest = tickets.slice(go);
    if (!rest.length) return;
    if (taken >= slot.capacity) for (const t of rest) t.resolve({ go: false, snapshot });
    else slot.parked.push(...rest);
  }

  private leave(slot: SlotState): void {
    slot.trying--;
    if (slot.trying === 0 && slot.parked.length) {
      // Parked requests arrived first: they read again before newer ones are decided.
      slot.queue = [...slot.parked, ...slot.queue];
      slot.parked = [];
      this.schedule();
    }
    this.forgetIfIdle(slot);
  }

  private forgetIfIdle(slot: SlotState): void {
    if (!slot.trying && !slot.queue.length && !slot.parked.length && !slot.reading)
      this.slots.delete(slot.key);
  }

  /**
   * One read per schedule in the batch: every counter of the booking window (the requests'
   * earliest `now` to the latest `now` + horizon), creating missing counter rows of requested
   * slots first (a concurrent insert of the same row is ignored) and reading those again.
   */
  private async readCounters(
    batch: Array<{ slot: SlotState; tickets: Ticket[] }>,
  ): Promise<Map<number, SeatSnapshot>> {
    const out = new Map<number, SeatSnapshot>();
    const bySchedule = new Map<number, Array<{ slot: SlotState; tickets: Ticket[] }>>();
    for (const b of batch)
      bySchedule.set(b.slot.scheduleId, [...(bySchedule.get(b.slot.scheduleId) ?? []), b]);
    for (const [scheduleId, list] of bySchedule) {
      const nows = list.flatMap((b) => b.tickets.map((t) => t.now));
      const schedule = list[0].slot.schedule;
      const from = Math.min(...nows, ...list.map((b) => b.slot.start));
      const to = Math.max(
        Math.max(...nows) + schedule.horizonDays * DAY + schedule.durationMinutes * MINUTE,
        ...list.map((b) => b.slot.start + 1),
      );
      const snapshot: SeatSnapshot = { scheduleId, from, to, taken: new Map() };
      const rows = await query<{ id: number; start_at: unknown; taken: number }>(
        this.em,
        'select id, start_at, taken from slot_counters where schedule_id = ? and start_at >= ? and start_at < ?',
        [scheduleId, sqlDate(this.em, from), sqlDate(this.em, to)],
      );
      const ids = new Map<number, number>();
      for (const r of rows) {
        const start = instantOf(r.start_at);
        snapshot.taken.set(start, Number(r.taken));
        ids.set(start, Number(r.id));
      }
      const missing = list.map((b) => b.slot).filter((s) => !ids.has(s.start));
      if (missing.length) {
        const created = await ensureSlotCounters(
          this.em,
          scheduleId,
          schedule.capacityPerSlot,
          missing.map((s) => s.start),
        );
        for (const [start, row] of created) {
          snapshot.taken.set(start, row.taken);
          ids.set(start, row.id);
        }
      }
      for (const { slot } of list) {
        const id = ids.get(slot.start);
        if (id === undefined) throw new Error(`slot counter missing after insert: ${slot.key}`);
        slot.counterId = id;
      }
      out.set(scheduleId, snapshot);
    }
    return out;
  }
}

/**
 * The counter rows of these slot starts of a schedule, created where missing (a concurrent insert
 * of the same row is ignored): id and seats taken by start. Used by the gate and by reschedules.
 */
export async function ensureSlotCounters(
  em: Em,
  scheduleId: number,
  capacity: number,
  unordered: number[],
): Promise<Map<number, { id: number; taken: number }>> {
  const sqlite = dialectOf(em) === 'sqlite';
  // In start order, so two processes creating overlapping rows lock them in the same order.
  const starts = [...unordered].sort((a, b) => a - b);
  await query(
    em,
    `insert into slot_counters (schedule_id, start_at, capacity, taken) values ${starts
      .map(() => '(?, ?, ?, 0)')
      .join(',')} ${sqlite ? 'on conflict do nothing' : 'on duplicate key update id = id'}`,
    starts.flatMap((s) => [scheduleId, sqlDate(em, s), capacity]),
  );
  const rows = await query<{ id: number; start_at: unknown; taken: number }>(
    em,
    `select id, start_at, taken from slot_counters where schedule_id = ? and start_at in (${starts
      .map(() => '?')
      .join(',')})`,
    [scheduleId, ...starts.map((s) => sqlDate(em, s))],
  );
  return new Map(rows.map((r) => [instantOf(r.start_at), { id: Number(r.id), taken: Number(r.taken) }]));
}

const GATES = new WeakMap<object, SeatGate>();

/** The seat gate of `em`'s database (one per driver: tests run several databases at once). */
export function seatGate(em: Em): SeatGate {
  return perDatabase(GATES, em, () => new SeatGate(em));
}
