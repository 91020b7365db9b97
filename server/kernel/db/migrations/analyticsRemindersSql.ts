/**
 * The SQL of the `analytics_reminders` migrations (both dialects): the no-shows-by-reminder
 * rollup (entities/AnalyticsRollup.ts `AnalyticsBookingReminder`, `AnalyticsReminderCount`),
 * kept exact by triggers in the same transaction as every change it depends on, and its backfill.
 *
 * One rule for every trigger: a "refresh" of the bookings the change touches. It takes each
 * booking's stored row out of the counts, recomputes the row from the source tables (booking,
 * application, candidate, schedule, the booking's delivered candidate reminders in the outbox)
 * and adds it back. Recomputing instead of patching (add this minute, drop that channel) keeps
 * every path exact, including the ones nobody thought of: a refresh of a booking that did not
 * change is a no-op, and the stored row is always what the booking was counted as.
 *
 * What moves a booking between groups, and the trigger that follows it:
 * - the booking inserted, updated (status, start, cancellation time, schedule, application,
 *   "remind me at…"; a reschedule is an update of the start or a new booking) or deleted;
 * - an outbox row of a candidate reminder topic (`reminder.candidate.<m>m`) for `booking:<id>`
 *   becoming `sent`, leaving `sent` (cancelled, re-queued), inserted as sent or deleted;
 * - its application's job, creation time (the `day` grain) or candidate changed, the candidate's
 *   source corrected, the application deleted;
 * - the schedule's cancellation notice changed (it decides which cancellations were late).
 *
 * The SQL is frozen here with the migration: later changes belong in a new migration.
 */

import { type Dialect, shanghaiDay as day, guardIf, type Sharding, shardOf, trigger } from './triggerSql';

/** The cancellation notice assumed where a schedule sets none (shared/api/analytics.ts, frozen). */
const DEFAULT_NOTICE_HOURS = 24;
/** `'reminder.candidate.'`: the minutes start after it (1-based position 20). */
const PREFIX_LEN = 'reminder.candidate.'.length;

/** Whether outbox row `o` is a candidate reminder (`reminder.candidate.<digits>m`, as the report's regex). */
function isReminder(d: Dialect, o: string): string {
  return d === 'mysql'
    ? `${o}.topic like 'reminder.candidate.%' and ${o}.topic regexp '^reminder[.]candidate[.][0-9]+m$'`
    : `${o}.topic glob 'reminder.candidate.[0-9]*m' and substr(${o}.topic, ${PREFIX_LEN + 1}, length(${o}.topic) - ${PREFIX_LEN + 1}) not glob '*[^0-9]*'`;
}

/** The reminder's minutes before the start, from its topic. */
function minutesOf(d: Dialect, o: string): string {
  return d === 'mysql'
    ? `cast(substring(${o}.topic, ${PREFIX_LEN + 1}, char_length(${o}.topic) - ${PREFIX_LEN + 1}) as unsigned)`
    : `cast(substr(${o}.topic, ${PREFIX_LEN + 1}, length(${o}.topic) - ${PREFIX_LEN + 1}) as integer)`;
}

/**
 * The delivered candidate reminders of booking `b` (by its outbox aggregate, indexed), folded by
 * `agg` (distinct minutes descending, or distinct channels in code-point order as JavaScript
 * sorts them: binary on MySQL, whose default collation would sort `_` after letters).
 */
function delivered(d: Dialect, what: 'minutes' | 'channels'): string {
  const key = d === 'mysql' ? `concat('booking:', b.id)` : `'booking:' || b.id`;
  const m = minutesOf(d, 'o');
  const agg =
    what === 'minutes'
      ? `group_concat(distinct ${m} order by ${m} desc${d === 'mysql' ? " separator ','" : ''})`
      : d === 'mysql'
        ? `convert(group_concat(distinct cast(o.channel as binary) order by cast(o.channel as binary) separator ',') using utf8mb4)`
        : 'group_concat(distinct o.channel order by o.channel)';
  return `coalesce((select ${agg} from outbox o where o.aggregate = ${key} and o.status = 'sent' and ${isReminder(d, 'o')}), '')`;
}

/** A cancellation inside the schedule's notice (a cancellation without a time is not late). */
function late(d: Dialect): string {
  const hours = `(case when ps.cancel_cutoff_hours > 0 then ps.cancel_cutoff_hours else ${DEFAULT_NOTICE_HOURS} end)`;
  const cutoff = d === 'mysql' ? `b.start_at - interval ${hours} hour` : `b.start_at - ${hours} * 3600000`;
  return `(case when b.status = 'cancelled' and b.cancelled_at is not null and b.cancelled_at > ${cutoff} then 1 else 0 end)`;
}

const ROW_COLS = 'booking_id, job_id, day, source, minutes, channels, outcome, late';
const COUNT_COLS = 'grain, day, job_id, source, minutes, channels, outcome, late, n';
const COUNT_KEY = 'grain, day, job_id, source, minutes, channels, outcome, late';

/**
 * INSERT ... SELECT adding `n` to the count rows of the same key; `sharded`: the select's last
 * column is the row's shard, part of the key (migration `analytics_shards`).
 */
function upsert(d: Dialect, select: string, sharded: Sharding = false): string {
  const cols = sharded ? `${COUNT_COLS}, shard` : COUNT_COLS;
  const key = sharded ? `${COUNT_KEY}, shard` : COUNT_KEY;
  return d === 'mysql'
    ? `insert into analytics_reminder_counts (${cols}) ${select} on duplicate key update n = n + values(n)`
    : `insert into analytics_reminder_counts (${cols}) ${select} on conflict (${key}) do update set n = n + excluded.n`;
}

/**
 * The stored rows `where` selects (alias `r`) added to the counts, both grains, each `n` (1, -1,
 * or `count(*)` with `groupBy`). `where` is never empty (SQLite reads `ON CONFLICT` after a
 * SELECT without WHERE as a join).
 */
function countRows(d: Dialect, where: string, n: string, groupBy = false, shard?: string): string[] {
  const g = groupBy ? ' group by 1, 2, 3, 4, 5, 6, 7, 8' : '';
  // The shard goes after `n`, so the positions grouped by stay the same.
  const ns = shard === undefined ? n : `${n}, ${shard}`;
  return [
    `select 'job', 0, r.job_id, r.source, r.minutes, r.channels, r.outcome, r.late, ${ns} from analytics_booking_reminders r where ${where}${g}`,
    `select 'day', r.day, r.job_id, r.source, r.minutes, r.channels, r.outcome, r.late, ${ns} from analytics_booking_reminders r where ${where}${g}`,
  ].map((s) => upsert(d, s, shard !== undefined));
}

/**
 * The stored rows of the bookings `where` selects (alias `b`, with `a`, `c`, `ps`), recomputed
 * from the source tables: bookings that hold an appointment only.
 */
function bookingRows(d: Dialect, where: string): string {
  return `insert into analytics_booking_reminders (${ROW_COLS})
    select b.id, a.job_id, ${day(d, 'a.created_at')}, c.source, ${delivered(d, 'minutes')}, ${delivered(d, 'channels')}, b.status, ${late(d)}
      from bookings b join applications a on a.id = b.application_id join candidates c on c.id = a.candidate_id
      join plan_schedules ps on ps.id = b.schedule_id
     where b.reminder_only = 0 and ${where}`;
}

/**
 * Statements that refresh the bookings whose ids `ids` yields (a list or subquery, read before
 * and after the change), when `when` holds: out of the counts, recomputed, back in.
 */
function refreshOf(d: Dialect, ids: string, when = '1 = 1', shard?: string): string[] {
  const stored = `r.booking_id in (${ids}) and (${when})`;
  return [
    ...countRows(d, stored, '-1', false, shard),
    `delete from analytics_booking_reminders where booking_id in (${ids}) and (${when})`,
    bookingRows(d, `b.id in (${ids}) and (${when})`),
    ...countRows(d, stored, '1', false, shard),
  ];
}

/** Null-safe "differs" (a cancellation time set or cleared is a change). */
function differs(d: Dialect, col: string): string {
  return d === 'mysql' ? `not (OLD.${col} <=> NEW.${col})` : `OLD.${col} is not NEW.${col}`;
}

/**
 * The booking id of an outbox row's aggregate (`booking:<id>`), or null. Guarded so MySQL never
 * casts a malformed string (strict mode turns that warning into an error inside a write).
 */
function bookingIdOf(d: Dialect, ref: 'NEW' | 'OLD'): string {
  return d === 'mysql'
    ? `(case when ${ref}.aggregate regexp '^booking:[0-9]{1,10}$' then substring(${ref}.aggregate, 9) + 0 end)`
    : `(case when ${ref}.aggregate glob 'booking:[0-9]*' and substr(${ref}.aggregate, 9) not glob '*[^0-9]*' then cast(substr(${ref}.aggregate, 9) as integer) end)`;
}

/** An outbox row whose change can matter: a candidate reminder about a booking. */
function reminderRow(d: Dialect, ref: 'NEW' | 'OLD'): string {
  return `${ref}.aggregate like 'booking:%' and ${isReminder(d, ref)}`;
}

/** Statements that create the tables' triggers and backfill them from the existing rows. */
export function analyticsRemindersUp(d: Dialect): string[] {
  return [...analyticsRemindersTriggers(d), ...analyticsRemindersRebuild(d)];
}

/**
 * The statements that create the triggers; `sharded` (migration `analytics_shards`): each
 * booking counted in the shard of its id; `guarded` (migration `analytics_trigger_guards`): a
 * trigger with a condition runs its statements only for rows that meet it.
 */
export function analyticsRemindersTriggers(d: Dialect, sharded: Sharding = false, guarded = false): string[] {
  const shard = sharded ? shardOf('r.booking_id', sharded) : undefined;
  const refresh = (dd: Dialect, ids: string, when?: string) => refreshOf(dd, ids, when, shard);
  /** A trigger refreshing the bookings `ids` yields when `when` holds (its guard when guarded). */
  const refreshing = (name: string, event: string, table: string, ids: string, when?: string) =>
    trigger(name, event, table, refresh(d, ids, when), when ? guardIf(guarded, d, when) : undefined);
  const bookingChanged = [
    'status',
    'start_at',
    'cancelled_at',
    'schedule_id',
    'application_id',
    'reminder_only',
  ]
    .map((c) => differs(d, c))
    .join(' or ');
  const appChanged = ['job_id', 'created_at', 'candidate_id'].map((c) => differs(d, c)).join(' or ');
  const outboxChanged = `(OLD.status = 'sent' or NEW.status = 'sent') and (${[
    'status',
    'topic',
    'channel',
    'aggregate',
  ]
    .map((c) => differs(d, c))
    .join(' or ')}) and ((${reminderRow(d, 'OLD')}) or (${reminderRow(d, 'NEW')}))`;
  return [
    refreshing('analytics_reminders_bookings_ai', 'after insert', 'bookings', 'NEW.id'),
    refreshing(
      'analytics_reminders_bookings_au',
      'after update',
      'bookings',
      'OLD.id, NEW.id',
      bookingChanged,
    ),
    refreshing('analytics_reminders_bookings_ad', 'after delete', 'bookings', 'OLD.id'),
    refreshing(
      'analytics_reminders_outbox_ai',
      'after insert',
      'outbox',
      bookingIdOf(d, 'NEW'),
      `NEW.status = 'sent' and ${reminderRow(d, 'NEW')}`,
    ),
    refreshing(
      'analytics_reminders_outbox_au',
      'after update',
      'outbox',
      `${bookingIdOf(d, 'OLD')}, ${bookingIdOf(d, 'NEW')}`,
      outboxChanged,
    ),
    refreshing(
      'analytics_reminders_outbox_ad',
      'after delete',
      'outbox',
      bookingIdOf(d, 'OLD'),
      `OLD.status = 'sent' and ${reminderRow(d, 'OLD')}`,
    ),
    refreshing(
      'analytics_reminders_applications_au',
      'after update',
      'applications',
      'select id from bookings where application_id = NEW.id',
      appChanged,
    ),
    // Before the delete (bookings are a restricting foreign key, so normally there are none
    // left): out of the counts, not recomputed, as the application is about to go.
    trigger('analytics_reminders_applications_bd', 'before delete', 'applications', [
      ...countRows(
        d,
        'r.booking_id in (select id from bookings where application_id = OLD.id)',
        '-1',
        false,
        shard,
      ),
      'delete from analytics_booking_reminders where booking_id in (select id from bookings where application_id = OLD.id)',
    ]),
    refreshing(
      'analytics_reminders_candidates_au',
      'after update',
      'candidates',
      'select b2.id from bookings b2 join applications a2 on a2.id = b2.application_id where a2.candidate_id = NEW.id',
      'OLD.source <> NEW.source',
    ),
    refreshing(
      'analytics_reminders_schedules_au',
      'after update',
      'plan_schedules',
      'select id from bookings where schedule_id = NEW.id',
      differs(d, 'cancel_cutoff_hours'),
    ),
  ];
}

/**
 * Empties both tables and fills them from the source tables: the migration's backfill, and the
 * rebuild after a bulk load (kernel/db/bulk.ts); `sharded` (since migration `analytics_shards`):
 * the counts into shard 0.
 */
export function analyticsRemindersRebuild(d: Dialect, sharded = false): string[] {
  return [
    'delete from analytics_reminder_counts',
    'delete from analytics_booking_reminders',
    bookingRows(d, '1 = 1'),
    ...countRows(d, '1 = 1', 'count(*)', true, sharded ? '0' : undefined),
  ];
}

/** Drops the triggers (the tables are dropped by the migration). */
export function analyticsRemindersDown(): string[] {
  return [
    'analytics_reminders_bookings_ai',
    'analytics_reminders_bookings_au',
    'analytics_reminders_bookings_ad',
    'analytics_reminders_outbox_ai',
    'analytics_reminders_outbox_au',
    'analytics_reminders_outbox_ad',
    'analytics_reminders_applications_au',
    'analytics_reminders_applications_bd',
    'analytics_reminders_candidates_au',
    'analytics_reminders_schedules_au',
  ].map((t) => `drop trigger if exists ${t}`);
}
