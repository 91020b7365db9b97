/**
 * The no-shows-by-reminder report computed from the source tables, as the product did before the
 * `analytics_reminders` rollup: every booking of the scope, its delivered candidate reminders
 * from the outbox in batches, grouped here. Kept for tests only, as the oracle the rollup-backed
 * `reminderEffects` must equal after any mix of writes.
 */
import {
  AI_VALIDITY_MIN_N,
  DEFAULT_CANCEL_NOTICE_HOURS,
  type ReminderEffectRow,
  type RemindersResponse,
} from '../../shared/api/analytics';
import { type Scope, scoped } from '../features/analytics/queries';
import { rate } from '../features/analytics/stats';
import { placeholders, sqlDate } from '../kernel/db/raw';
import type { Em } from '../kernel/db/types';

/** Aggregates per outbox query (keeps the IN list well under every driver's parameter limit). */
const BATCH = 1000;
const TOPIC = /^reminder\.candidate\.(\d+)m$/;

/** `reminderEffects` (analytics/reminders.ts) from the source tables. */
export async function reminderEffectsFromSources(em: Em, scope: Scope): Promise<RemindersResponse> {
  const s = scoped(em, scope);
  const bookings = await em.execute<
    Array<{ id: number; status: string; start_at: unknown; cancelled_at: unknown; cutoff: number | null }>
  >(
    `select b.id, b.status, b.start_at, b.cancelled_at, ps.cancel_cutoff_hours as cutoff
       from ${s.from} join bookings b on b.application_id = a.id
       join plan_schedules ps on ps.id = b.schedule_id
      where ${s.where} and b.reminder_only = 0`,
    s.params,
  );
  const sent = new Map<number, { minutes: Set<number>; channels: Set<string> }>();
  for (let i = 0; i < bookings.length; i += BATCH) {
    const aggs = bookings.slice(i, i + BATCH).map((b) => `booking:${b.id}`);
    const rows = await em.execute<Array<{ aggregate: string; topic: string; channel: string }>>(
      `select aggregate, topic, channel from outbox
        where aggregate in (${placeholders(aggs.length)}) and status = 'sent' and topic like 'reminder.candidate.%'`,
      aggs,
    );
    for (const r of rows) {
      const m = TOPIC.exec(r.topic);
      if (!m) continue;
      const id = Number(r.aggregate.slice('booking:'.length));
      const entry = sent.get(id) ?? { minutes: new Set(), channels: new Set() };
      entry.minutes.add(Number(m[1]));
      entry.channels.add(r.channel);
      sent.set(id, entry);
    }
  }
  const groups = new Map<string, ReminderEffectRow>();
  for (const b of bookings) {
    const got = sent.get(Number(b.id));
    const schedule = [...(got?.minutes ?? [])].sort((x, y) => y - x);
    const channels = [...(got?.channels ?? [])].sort();
    const key = `${schedule.join(',')}|${channels.join(',')}`;
    const g = groups.get(key) ?? {
      schedule,
      channels,
      booked: 0,
      settled: 0,
      noShows: 0,
      noShowRate: null,
      cancellations: 0,
      lateCancellations: 0,
      lateCancelRate: null,
    };
    g.booked += 1;
    if (b.status !== 'booked') g.settled += 1;
    if (b.status === 'no_show') g.noShows += 1;
    if (b.status === 'cancelled') {
      g.cancellations += 1;
      const start = (sqlDate(b.start_at) as Date).getTime();
      const at = b.cancelled_at === null ? null : (sqlDate(b.cancelled_at) as Date | null);
      const notice = (b.cutoff && b.cutoff > 0 ? Number(b.cutoff) : DEFAULT_CANCEL_NOTICE_HOURS) * 3_600_000;
      // A cancellation without a time is not counted late: nothing says when it came.
      if (at && at.getTime() > start - notice) g.lateCancellations += 1;
    }
    groups.set(key, g);
  }
  const items = [...groups.values()]
    .map((g) => ({
      ...g,
      noShowRate: rate(g.noShows, g.settled, AI_VALIDITY_MIN_N),
      lateCancelRate: rate(g.lateCancellations, g.settled, AI_VALIDITY_MIN_N),
    }))
    // Most bookings first; ties by schedule then channels, so the order is stable.
    .sort(
      (x, y) =>
        y.booked - x.booked ||
        x.schedule.join(',').localeCompare(y.schedule.join(',')) ||
        x.channels.join(',').localeCompare(y.channels.join(',')),
    );
  return { minN: AI_VALIDITY_MIN_N, items };
}
