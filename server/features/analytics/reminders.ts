/**
 * No-shows and late cancellations by reminder schedule and channel (issue 17): which candidate
 * reminders each booking actually got (delivered outbox rows of `reminder.candidate.<m>m` for
 * `booking:<id>`), and what became of the booking. Read from `analytics_reminder_counts`, which
 * triggers keep exact (migration `analytics_reminders`): a few grouped rows per scope, however
 * many bookings and outbox rows there are.
 */
import {
  AI_VALIDITY_MIN_N,
  type ReminderEffectRow,
  type RemindersResponse,
} from '../../../shared/api/analytics';
import type { Em } from '../../kernel/db/types';
import { countsWhere, type Scope } from './queries';
import { rate } from './stats';

/** A comma-separated rollup list ('' for none). */
function list(s: string): string[] {
  return s === '' ? [] : s.split(',');
}

/**
 * Per (reminder schedule, channels): bookings, settled, no-shows and late cancellations, with
 * rates over the settled ones (null below the AI validity minimum n: nobody should read a rate
 * on five people). "Remind me at…" bookings hold no appointment and are left out. Department
 * scoping goes through the jobs (the rollup is kept per job).
 */
export async function reminderEffects(em: Em, scope: Scope): Promise<RemindersResponse> {
  const g = await countsWhere(em, scope);
  const rows = await em.execute<
    Array<{ minutes: string; channels: string; outcome: string; late: number | string; n: number | string }>
  >(
    `select minutes, channels, outcome, late, sum(n) as n from analytics_reminder_counts
      where ${g.where} group by minutes, channels, outcome, late having sum(n) <> 0`,
    g.params,
  );
  const groups = new Map<string, ReminderEffectRow>();
  for (const r of rows) {
    const n = Number(r.n);
    const key = `${r.minutes}|${r.channels}`;
    const grp = groups.get(key) ?? {
      // The rollup keeps minutes descending and channels in code-point order, as listed.
      schedule: list(r.minutes).map(Number),
      channels: list(r.channels),
      booked: 0,
      settled: 0,
      noShows: 0,
      noShowRate: null,
      cancellations: 0,
      lateCancellations: 0,
      lateCancelRate: null,
    };
    grp.booked += n;
    if (r.outcome !== 'booked') grp.settled += n;
    if (r.outcome === 'no_show') grp.noShows += n;
    if (r.outcome === 'cancelled') {
      grp.cancellations += n;
      if (Number(r.late) === 1) grp.lateCancellations += n;
    }
    groups.set(key, grp);
  }
  const items = [...groups.values()]
    .map((x) => ({
      ...x,
      noShowRate: rate(x.noShows, x.settled, AI_VALIDITY_MIN_N),
      lateCancelRate: rate(x.lateCancellations, x.settled, AI_VALIDITY_MIN_N),
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
