import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { BookingEventData } from '../../../shared/events';
import { addDays, localDate, type PoolMember, pickMember } from '../../../shared/slots';
import { type AuditContext, audit } from '../../kernel/audit';
import { Booking, type IBooking } from '../../kernel/db/entities/Booking';
import { InterviewerDay, InterviewerSchedule } from '../../kernel/db/entities/InterviewerSchedule';
import { type BookingKind, type IPlanSchedule, PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import type { Em } from '../../kernel/db/orm';
import { isRetryableDbError, retryOnDeadlock } from '../../kernel/db/retry';
import { dialectOf, emTx, inTransaction, perDatabase, query, sqlDate, type Tx } from '../../kernel/db/tx';
import { type AppError, badRequest, conflict, notFound } from '../../kernel/errors';
import { emit } from '../../kernel/events';
import { prefetchHandlers } from '../../kernel/events/emit';
import type { Actor } from '../../kernel/http/context';
import type { DingTalkCalendar } from '../../kernel/integrations/dingtalk/calendar';
import { assertCan } from '../../kernel/policies';
import { Coalescer } from './coalesce';
import {
  aiStartProblem,
  aiViewFromSeats,
  freshViewAfterLoss,
  instantOf,
  loadMembers,
  rulesOf,
  type ScheduleView,
  type SlotInfo,
  scheduleView,
} from './engine';
import { presentSlots } from './present';
import { ensureSlotCounters, type SeatSnapshot, seatGate } from './seats';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Stages in which a booking of each kind may be made or changed. */
export const BOOKABLE_STAGES: Record<BookingKind, readonly string[]> = {
  ai_interview: ['invited', 'booked'],
  second_round: ['second_round', 'second_round_booked'],
};

/** What every booking command needs. */
export interface BookingCommandBase {
  em: Em;
  calendar: DingTalkCalendar;
  actor: Actor;
  now: Date;
  context: AuditContext;
}

/** Thrown inside a transaction when a conditional update lost a race: recompute and retry. */
class LostRace extends Error {}

/**
 * The conditional seat UPDATE that must hit a row for a booking to commit. It is the booking
 * transaction's last statement before COMMIT: the slot's counter row is shared by every booking
 * of the slot, and a row lock lasts until COMMIT, so taken first it made the slot's other
 * bookings wait out this one's every round trip (insert, handlers, audit); taken last, only its
 * final two.
 */
type SeatClaim = [string, readonly unknown[]];

/**
 * A read of a rules row's version under a shared lock, so an edit of those rules (which
 * updates the row, and so needs an exclusive lock) cannot commit between this check and the
 * booking's commit; bookings share the lock among themselves. SQLite has one writer at a time
 * and needs no lock clause.
 */
function versionRead(
  dialect: 'mysql' | 'sqlite',
  table: 'plan_schedules' | 'interviewer_schedules',
  key: string,
  id: number,
): [string, readonly unknown[]] {
  return [
    `select version from ${table} where ${key} = ?${dialect === 'mysql' ? ' lock in share mode' : ''}`,
    [id],
  ];
}

/** 409 when the rules a booking was checked against changed before it could commit. */
function scheduleChanged(): AppError {
  return conflict('schedule_changed', 'The interview times changed meanwhile; please pick a time again');
}

/** Fails (409 `schedule_changed`) unless the plan stage is still at the version the booking was checked against. */
async function assertScheduleVersion(tx: Tx, schedule: IPlanSchedule): Promise<void> {
  const [sql, params] = versionRead(tx.dialect, 'plan_schedules', 'id', schedule.id);
  const [row] = await tx.all<{ version: number }>(sql, params);
  if (!row || Number(row.version) !== schedule.version) throw scheduleChanged();
}

const MAX_ATTEMPTS = 6;

const PRESENTED = new WeakMap<ScheduleView, ReturnType<typeof presentSlots>>();

/**
 * The 409 every "someone else got it first" ends in, with the fresh slot list (presented once
 * per view: losers of one rush share a view, see `freshViewAfterLoss`).
 */
function slotFull(view: ScheduleView): AppError {
  let slots = PRESENTED.get(view);
  if (!slots) {
    slots = presentSlots(view.slots, view.schedule.timeZone);
    PRESENTED.set(view, slots);
  }
  return conflict('slot_full', 'This time is no longer available; pick another', { slots });
}

/** Maps a slot problem to the specific 4xx the client gets (`full` carries a fresh list). */
async function slotError(
  schedule: IPlanSchedule,
  problem: NonNullable<ReturnType<ScheduleView['problem']>>,
  start: Date,
  freshView: () => Promise<ScheduleView>,
): Promise<AppError> {
  switch (problem) {
    case 'off_grid':
      return badRequest(
        'unknown_slot',
        `No slot starts at ${start.toISOString()} (outside availability or off the slot grid)`,
      );
    case 'too_soon':
      return badRequest(
        'too_soon',
        `Slots must start at least ${schedule.minNoticeMinutes} minutes from now`,
        {
          minNoticeMinutes: schedule.minNoticeMinutes,
        },
      );
    case 'beyond_horizon':
      return badRequest('beyond_horizon', `Slots can be booked at most ${schedule.horizonDays} days ahead`, {
        horizonDays: schedule.horizonDays,
      });
    default:
      return slotFull(await freshView());
  }
}

function eventData(b: IBooking, extra: Partial<BookingEventData> = {}): BookingEventData {
  return {
    bookingId: b.id,
    applicationId: b.application.id,
    candidateId: b.application.candidate.id,
    jobId: b.application.job.id,
    kind: b.kind,
    interviewerId: b.interviewer?.id ?? null,
    startAt: b.startAt.toISOString(),
    endAt: b.endAt.toISOString(),
    timezone: b.timeZone,
    ...(b.reminderOnly ? { reminderOnly: true } : {}),
    ...extra,
  };
}

/**
 * Whether a new booking on this schedule only sets a reminder: an AI interview taken any time
 * before the deadline has no seats to hold (see `PlanSchedule.takeMode`).
 */
function isReminderOnly(schedule: IPlanSchedule): boolean {
  return schedule.sessionType === 'ai' && schedule.takeMode === 'anytime';
}

function actorRef(actor: Actor) {
  return { kind: actor.kind, id: actor.id };
}

/** Takes one seat of an AI slot, or loses the race (no row changed). */
async function takeSeat(tx: Em, counterId: number, capacity: number): Promise<boolean> {
  const res = await tx.execute<{ affectedRows: number }>(
    'update slot_counters set taken = taken + 1 where id = ? and taken < ?',
    [counterId, capacity],
    'run',
  );
  return res.affectedRows === 1;
}

/** The seat counter row of an AI slot (created on first use). */
async function counterIdOf(em: Em, schedule: IPlanSchedule, start: number): Promise<number> {
  const row = (await ensureSlotCounters(em, schedule.id, schedule.capacityPerSlot, [start])).get(start);
  if (!row) throw new Error(`slot counter missing after insert: ${schedule.id}|${start}`);
  return row.id;
}

/** Gives back one seat of an AI slot (cancel, or the old slot of a reschedule). */
async function releaseSeat(tx: Em, scheduleId: number, start: Date): Promise<void> {
  await tx.execute(
    'update slot_counters set taken = taken - 1 where schedule_id = ? and start_at = ? and taken > 0',
    [scheduleId, sqlDate(tx, start)],
    'run',
  );
}

/** The local days (interviewer's zone) a session's padded interval touches. */
function touchedDays(schedule: IPlanSchedule, start: number, timeZone: string): string[] {
  const from = start - schedule.bufferBeforeMinutes * MINUTE;
  const to = start + (schedule.durationMinutes + schedule.bufferAfterMinutes) * MINUTE - 1;
  const days = [localDate(from, timeZone)];
  const last = localDate(to, timeZone);
  while (days[days.length - 1] < last) days.push(addDays(days[days.length - 1], 1));
  return days;
}

/**
 * Before the transaction: makes sure the interviewer's day rows exist (a concurrent insert
 * of the same row is fine) and returns their ids in id order (a fixed lock order, so two
 * claims never deadlock on each other's rows).
 */
async function prepareDays(
  em: Em,
  schedule: IPlanSchedule,
  userId: number,
  start: number,
): Promise<number[]> {
  const fork = em.fork();
  const sched = await fork.findOne(InterviewerSchedule, { user: userId }, { fields: ['timeZone'] });
  if (!sched) throw new LostRace();
  const dates = touchedDays(schedule, start, sched.timeZone);
  const ids: number[] = [];
  for (const date of dates) {
    let row = await fork.findOne(InterviewerDay, { user: userId, date }, { fields: ['id'] });
    if (!row) {
      try {
        const f = em.fork();
        f.create(InterviewerDay, { user: userId, date });
        await f.flush();
      } catch (err) {
        if (!(err instanceof UniqueConstraintViolationException) && !isRetryableDbError(err)) throw err;
      }
      row = await em.fork().findOneOrFail(InterviewerDay, { user: userId, date }, { fields: ['id'] });
    }
    ids.push(row.id);
  }
  return ids.sort((a, b) => a - b);
}

/**
 * Claims interviewer time inside the booking transaction: reads the versions of the touched
 * day rows first (MariaDB's snapshot starts there), re-reads the interviewer's bookings and
 * re-checks the start, then bumps every day row with a conditional UPDATE. A transaction that
 * committed a session on one of those days since our read makes an UPDATE hit no row, so two
 * overlapping sessions can never both commit.
 */
async function claimInterviewer(
  tx: Em,
  schedule: IPlanSchedule,
  userId: number,
  start: number,
  dayIds: number[],
  props: BookingCommandBase & { excludeBookingId?: number },
): Promise<void> {
  // First statement: the shared lock on the interviewer's hours row, taken before the
  // transaction's snapshot exists, so the hours read below are the latest and an edit of the
  // hours or overrides (which bumps that row) waits for this booking, or this booking sees it.
  const [sql, params] = versionRead(dialectOf(tx), 'interviewer_schedules', 'user_id', userId);
  await tx.execute(sql, [...params]);
  const days = await tx.find(
    InterviewerDay,
    { id: { $in: dayIds } },
    { fields: ['id', 'version'], orderBy: { id: 'asc' } },
  );
  if (days.length !== dayIds.length) throw new LostRace();
  const [member] = await loadMembers(tx, [userId], rulesOf(schedule), {
    now: props.now,
    calendar: props.calendar,
    excludeBookingId: props.excludeBookingId,
    dailyCap: schedule.dailyCapPerInterviewer ?? null,
    from: props.now.getTime(),
    to: props.now.getTime() + schedule.horizonDays * 86_400_000 + schedule.durationMinutes * MINUTE,
  });
  if (!member || member.checker.problem(start) !== null) throw new LostRace();
  for (const d of days) {
    const n = await tx.nativeUpdate(
      InterviewerDay,
      { id: d.id, version: d.version },
      { version: d.version + 1 },
    );
    if (n !== 1) throw new LostRace();
  }
}

const SNAPSHOT_VIEWS = new WeakMap<SeatSnapshot, ScheduleView>();

function viewOfSnapshot(schedule: IPlanSchedule, now: number, snapshot: SeatSnapshot): ScheduleView {
  let view = SNAPSHOT_VIEWS.get(snapshot);
  if (!view) {
    view = aiViewFromSeats(schedule, now, snapshot.taken);
    SNAPSHOT_VIEWS.set(snapshot, view);
  }
  return view;
}

/** Runs `attempt` until it does not lose a race; each try gets a fresh view of the schedule. */
async function withRetries<T>(
  props: BookingCommandBase,
  schedule: IPlanSchedule,
  viewOpts: { excludeBookingId?: number; onlyMembers?: number[] },
  attempt: (view: ScheduleView) => Promise<T>,
): Promise<T> {
  for (let i = 0; ; i++) {
    const view = await scheduleView(props.em.fork(), schedule, {
      now: props.now,
      calendar: props.calendar,
      // AI windows: read the seat counters once, so a slot that is already full is refused
      // (with this same fresh list) without opening a transaction; the conditional UPDATE
      // stays the authority for seats that still look free.
      withSeats: true,
      ...viewOpts,
    });
    try {
      return await attempt(view);
    } catch (err) {
      if (!(err instanceof LostRace) && !isRetryableDbError(err)) throw err;
      if (i + 1 >= MAX_ATTEMPTS) {
        throw slotFull(
          await scheduleView(props.em.fork(), schedule, {
            now: props.now,
            calendar: props.calendar,
            ...viewOpts,
          }),
        );
      }
    }
  }
}

/** Props of {@link bookSlot}. */
export interface BookSlotProps extends BookingCommandBase {
  applicationId: number;
  kind: BookingKind;
  startAt: Date;
  /** The candidate's display zone (defaults to the plan's). */
  timeZone?: string;
}

/**
 * Books a slot for an application. Every rule is checked on the server: the slot exists on
 * the grid of real availability, respects notice/horizon/caps/deadline, and the application
 * has no other active booking for the stage (a unique `active_key` makes that a database fact).
 * The seat or interviewer time is claimed by a conditional UPDATE; of any number of
 * simultaneous requests for the last seat exactly one commits, the others get 409 `slot_full`
 * with a fresh list. Emits `booking.created`.
 */
export async function bookSlot(props: BookSlotProps): Promise<{ id: number }> {
  const { actor, now, startAt } = props;
  const { application, schedule } = await loadForBooking(props.em, actor, props.applicationId, props.kind);
  // A paused or closed job takes no new bookings (existing ones stay and can be moved).
  if (application.jobIntake === 'closed') throw conflict('job_closed', 'This job is closed: no new bookings');
  if (application.jobIntake === 'paused')
    throw conflict('job_paused', 'Hiring for this job is paused: no new bookings');
  if (!BOOKABLE_STAGES[props.kind].includes(application.stage))
    throw conflict(
      'wrong_stage',
      `The application is at stage ${application.stage}; ${props.kind} cannot be booked now`,
    );
  if (
    props.kind === 'ai_interview' &&
    application.deadlineAt !== null &&
    application.deadlineAt <= now.getTime()
  )
    throw conflict('deadline_passed', 'The invitation deadline has passed', {
      deadlineAt: new Date(application.deadlineAt).toISOString(),
    });
  if (startAt.getTime() <= now.getTime()) throw badRequest('slot_in_past', 'This slot has already started');
  if (!schedule) throw conflict('not_bookable', `This job has no ${props.kind} scheduling set up`);
  const end = new Date(startAt.getTime() + schedule.durationMinutes * MINUTE);
  if (
    props.kind === 'ai_interview' &&
    application.deadlineAt !== null &&
    end.getTime() > application.deadlineAt
  )
    throw badRequest(
      'after_deadline',
      `The session must end before the deadline ${new Date(application.deadlineAt).toISOString()}`,
    );
  const insert = (tx: Tx, member: PoolMember | null, seat?: SeatClaim) =>
    insertBooking(tx, props, application, schedule, member?.id ?? null, end, seat);
  // No pre-check for an existing active booking: the unique `active_key` decides (below).
  if (isReminderOnly(schedule)) {
    // "Remind me at…": the time must be on the window's grid (notice, horizon, hours) so the
    // reminder lands when the candidate said; no seat is counted or taken.
    const problem = aiStartProblem(schedule, now.getTime(), startAt.getTime());
    if (problem)
      throw await slotError(schedule, problem, startAt, () =>
        scheduleView(props.em.fork(), schedule, { now, calendar: props.calendar, withSeats: false }),
      );
    return inTransaction(props.em, (tx) => insert(tx, null));
  }
  if (schedule.sessionType === 'ai') return bookAiSeat(props, schedule, insert);
  return withRetries(props, schedule, {}, async (view) => {
    const problem = view.problem(startAt.getTime());
    if (problem) throw await slotError(schedule, problem, startAt, async () => view);
    const member = pickMember(view.freeMembers(startAt.getTime()));
    if (!member) throw slotFull(view);
    const dayIds = await prepareDays(props.em, schedule, member.id, startAt.getTime());
    return props.em.fork().transactional(async (tx) => {
      await claimInterviewer(tx, schedule, member.id, startAt.getTime(), dayIds, props);
      return insert(emTx(tx), member);
    });
  });
}

/** The application fields a booking needs, read as one plain row. */
export interface ApplicationRow {
  id: number;
  candidateId: number;
  jobId: number;
  stage: string;
  /** Epoch ms or null. */
  deadlineAt: number | null;
  /** The job's intake: open, or paused/closed (no new bookings). */
  jobIntake: 'open' | 'paused' | 'closed';
}

/** A row of the booking pre-read: the application and the job's active schedule of a kind. */
export interface BookingRow {
  application: ApplicationRow;
  schedule: IPlanSchedule | null;
}

const BOOKING_READS = new WeakMap<object, Map<BookingKind, Coalescer<number, BookingRow>>>();

/**
 * Reads applications with their job's active schedule of `kind`, many per statement: the
 * requests of one event-loop turn share one query (see `bookings/coalesce.ts`). Each distinct
 * schedule row becomes one read-only entity shared by the requests of the batch.
 */
function bookingReader(em: Em, kind: BookingKind): Coalescer<number, BookingRow> {
  const byKind = perDatabase(BOOKING_READS, em, () => new Map<BookingKind, Coalescer<number, BookingRow>>());
  let reader = byKind.get(kind);
  if (!reader) {
    reader = new Coalescer<number, BookingRow>(async (ids) => {
      // The schedule is only identified here (id, version, last update); its full row is read
      // once per state and shared (a rush reads the same plan stage a thousand times).
      const rows = await query<Record<string, unknown>>(
        em,
        `select a.id, a.candidate_id, a.job_id, a.stage, a.deadline_at,
           j.status as job_status, j.paused_at as job_paused_at,
           s.id as s_id, s.version as s_version, s.updated_at as s_updated_at
         from applications a
         join jobs j on j.id = a.job_id
         left join interview_plans p on p.job_id = a.job_id
         left join plan_schedules s on s.plan_id = p.id and s.kind = ? and s.active = 1
         where a.id in (${ids.map(() => '?').join(',')})`,
        [kind, ...ids],
      );
      const out = new Map<number, BookingRow>();
      for (const row of rows) {
        const application: ApplicationRow = {
          id: Number(row.id),
          candidateId: Number(row.candidate_id),
          jobId: Number(row.job_id),
          stage: String(row.stage),
          deadlineAt: row.deadline_at == null ? null : instantOf(row.deadline_at),
          jobIntake: row.job_status === 'closed' ? 'closed' : row.job_paused_at != null ? 'paused' : 'open',
        };
        const schedule =
          row.s_id == null
            ? null
            : await scheduleState(em, Number(row.s_id), `${row.s_version}|${instantOf(row.s_updated_at)}`);
        out.set(application.id, { application, schedule });
      }
      return out;
    });
    byKind.set(kind, reader);
  }
  return reader;
}

const SCHEDULE_STATES = new WeakMap<
  object,
  Map<number, { state: string; schedule: Promise<IPlanSchedule> }>
>();

/**
 * A plan stage as of `state` (its version and last update, both changed by every edit): read
 * once per state and shared read-only by the requests that saw that state.
 */
function scheduleState(em: Em, id: number, state: string): Promise<IPlanSchedule> {
  const byId = perDatabase(
    SCHEDULE_STATES,
    em,
    () => new Map<number, { state: string; schedule: Promise<IPlanSchedule> }>(),
  );
  const known = byId.get(id);
  if (known?.state === state) return known.schedule;
  const schedule = em
    .fork()
    .findOneOrFail(PlanSchedule, { id })
    .then((row) => {
      // Read after the batch: if it moved on meanwhile, use it but do not keep it for `state`.
      if (`${row.version}|${row.updatedAt.getTime()}` !== state) byId.delete(id);
      return row as IPlanSchedule;
    });
  schedule.catch(() => byId.delete(id));
  byId.set(id, { state, schedule });
  return schedule;
}

/**
 * The application and the job's active schedule of `kind` as the booking command reads them
 * (coalesced, the schedule shared read-only per state); undefined when there is no such
 * application. The slot listing reads the same, so a candidate's listing and booking see one
 * schedule row. No policy check here: the caller decides who may see it.
 */
export function readForBooking(
  em: Em,
  kind: BookingKind,
  applicationId: number,
): Promise<BookingRow | undefined> {
  return bookingReader(em, kind).load(applicationId);
}

/**
 * The application (policy: candidates book only their own; strangers get 404) and the job's
 * active schedule of `kind`, from a coalesced read.
 */
async function loadForBooking(
  em: Em,
  actor: Actor,
  applicationId: number,
  kind: BookingKind,
): Promise<BookingRow> {
  const row = await bookingReader(em, kind).load(applicationId);
  assertCan(
    actor,
    'booking.manage',
    { candidateId: row ? row.application.candidateId : -1, interviewerId: null },
    'Application',
  );
  if (!row) throw notFound('Application');
  return row;
}

/**
 * AI windows: the grid pre-check is pure; the seat gate (`bookings/seats.ts`) answers most of
 * a rush from one shared read per slot, and a request it lets through takes the seat with the
 * conditional UPDATE as the last statement of its booking transaction (see {@link SeatClaim}),
 * so the seat and the booking commit or roll back together. A request that loses the UPDATE to
 * another server process rolls back and goes back through the gate.
 */
async function bookAiSeat(
  props: BookSlotProps,
  schedule: IPlanSchedule,
  insert: (tx: Tx, member: null, seat: SeatClaim) => Promise<{ id: number }>,
): Promise<{ id: number }> {
  const { now, startAt } = props;
  const problem = aiStartProblem(schedule, now.getTime(), startAt.getTime());
  const lostView = () => freshViewAfterLoss(props.em.fork(), schedule, { now, calendar: props.calendar });
  if (problem) throw await slotError(schedule, problem, startAt, lostView);
  const gate = seatGate(props.em);
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const pass = await gate.enter(schedule, startAt.getTime(), now.getTime());
    // Full at a read made after this request arrived; that read is also the fresh list (one
    // view per read, shared by the requests it refused).
    if (!pass.go) throw slotFull(viewOfSnapshot(schedule, now.getTime(), pass.snapshot));
    try {
      // READ COMMITTED: the booking's analytics triggers (INSERT ... SELECT into the rollups)
      // took shared next-key locks under REPEATABLE READ, on the same gap at the end of the
      // rollup's booking index for every new booking: a rush's bookings queued behind each
      // other's row inserts and deadlocked (the loser retried through the gate), holding the
      // slot's seat row all along. Nothing here relies on a snapshot: the seat is a conditional
      // UPDATE (a locking read of the latest row), the application is read FOR UPDATE, the
      // rules version under a shared lock, and the rollups add to their counts under row locks.
      return await inTransaction(
        props.em,
        (tx) =>
          insert(tx, null, [
            'update slot_counters set taken = taken + 1 where id = ? and taken < ?',
            [pass.counterId, schedule.capacityPerSlot],
          ]),
        { readCommitted: true },
      );
    } catch (err) {
      if (!(err instanceof LostRace) && !isRetryableDbError(err)) throw err;
    } finally {
      pass.leave();
    }
  }
  throw slotFull(await lostView());
}

/**
 * Inside the booking transaction: the booking row (its unique `active_key` refuses a second
 * active booking of the stage), the domain event with its in-transaction handlers, and the
 * audit row. Plain SQL on a {@link Tx}, so the AI rush commits without ORM overhead; the event
 * data is built from what the command already read (no reload).
 */
async function insertBooking(
  tx: Tx,
  props: BookSlotProps,
  application: ApplicationRow,
  schedule: IPlanSchedule,
  interviewerId: number | null,
  end: Date,
  seat?: SeatClaim,
): Promise<{ id: number }> {
  const { actor } = props;
  const timeZone = props.timeZone ?? schedule.timeZone;
  const now = tx.date(new Date());
  // The schedule's version is re-checked below, so the mode read here is the one committed with.
  const reminderOnly = isReminderOnly(schedule);
  // A seat booking is inserted as not yet counted by the no-shows-by-reminder rollup (whose
  // triggers skip reminder-only rows) and turned into what it is by the last statement before
  // COMMIT. The rollup's count rows are shared by every booking of the job, and a trigger
  // locks them until COMMIT: fired by the INSERT, they stayed locked across the round trips of
  // the event handlers and the server's turns in between, and a rush's bookings of one job
  // queued behind each other. Fired with the last statements (the seat's round trip, then
  // COMMIT), they are held for those two round trips only. No one else sees the
  // interim row: it is uncommitted, and nothing in this transaction reads the column back.
  // Since the count rows are split into shards (migration `analytics_shards`) two bookings of a
  // job share one only when their ids agree modulo 16; this step stays until a bench shows it no
  // longer helps (BENCHMARKS.md, "analytics count rows split into shards": not shown yet).
  const countLater = seat !== undefined && !reminderOnly;
  let id: number;
  try {
    const insert: [string, unknown[]] = [
      `insert into bookings (application_id, schedule_id, kind, interviewer_id, start_at, end_at,
         buffer_before_minutes, buffer_after_minutes, time_zone, status, active_key, reschedule_count,
         reminder_only, version, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?, 0, ?, 1, ?, ?)`,
      [
        application.id,
        schedule.id,
        props.kind,
        interviewerId,
        tx.date(props.startAt),
        tx.date(end),
        schedule.bufferBeforeMinutes,
        schedule.bufferAfterMinutes,
        timeZone,
        `${application.id}:${props.kind}`,
        reminderOnly || countLater ? 1 : 0,
        now,
        now,
      ],
    ];
    // The reads of `booking.created`'s handlers ride along (they do not need the booking id).
    tx.prefetch([versionRead(tx.dialect, 'plan_schedules', 'id', schedule.id)]);
    prefetchHandlers(tx, {
      type: 'booking.created',
      data: {
        applicationId: application.id,
        candidateId: application.candidateId,
        jobId: application.jobId,
        kind: props.kind,
        interviewerId,
        ...(reminderOnly ? { reminderOnly } : {}),
      },
    });
    id = (await tx.runAll([insert]))[0].insertId;
    await assertScheduleVersion(tx, schedule);
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException)
      throw conflict(
        'already_booked',
        'You already have an active booking for this stage; reschedule it instead',
      );
    throw err;
  }
  const data = {
    bookingId: id,
    applicationId: application.id,
    candidateId: application.candidateId,
    jobId: application.jobId,
    kind: props.kind,
    interviewerId,
    startAt: props.startAt.toISOString(),
    endAt: end.toISOString(),
    timezone: timeZone,
    ...(reminderOnly ? { reminderOnly } : {}),
  };
  await emit(tx, {
    type: 'booking.created',
    key: `booking:${id}:created`,
    aggregate: `booking:${id}`,
    actor: actorRef(actor),
    data,
  });
  tx.audit(actor, 'booking.created', { type: 'booking', id }, data, props.context);
  if (countLater)
    // Sent with the last round trip on MySQL: this transaction inserted the row, so it cannot miss.
    await tx.runChecked(
      'update bookings set reminder_only = 0 where id = ?',
      [id],
      (r) => (r.affectedRows === 1 ? null : new Error(`booking ${id} not found in its own transaction`)),
      { lockedByRead: true },
    );
  // No seat, no booking: the seat goes last (see SeatClaim), judged before COMMIT is sent; a
  // lost seat rolls all of the above back.
  if (seat) await tx.runChecked(seat[0], seat[1], (r) => (r.affectedRows === 1 ? null : new LostRace()));
  return { id };
}

/**
 * Reloads the changed booking and announces it in the same transaction: the domain event
 * (`booking.<what>`, key `booking:<id>:<keySuffix>`) and the audit row.
 */
async function announce(
  tx: Em,
  props: BookingCommandBase,
  bookingId: number,
  what: 'rescheduled' | 'cancelled' | 'no_show' | 'completed',
  keySuffix: string,
  extra: Partial<BookingEventData> = {},
): Promise<IBooking> {
  const fresh = await tx.findOneOrFail(
    Booking,
    { id: bookingId },
    { populate: ['application'], refresh: true },
  );
  const data = eventData(fresh, extra);
  await emit(tx, {
    type: `booking.${what}`,
    key: `booking:${fresh.id}:${keySuffix}`,
    aggregate: `booking:${fresh.id}`,
    actor: actorRef(props.actor),
    data,
  });
  audit(tx, props.actor, `booking.${what}`, { type: 'booking', id: fresh.id }, data, props.context);
  await tx.flush();
  return fresh;
}

/** Loads a booking the actor may change; strangers get 404. */
async function loadBooking(
  em: Em,
  actor: Actor,
  bookingId: number,
  action: 'booking.manage' | 'booking.mark',
) {
  const booking = await em.findOne(Booking, { id: bookingId }, { populate: ['application', 'schedule'] });
  assertCan(
    actor,
    action,
    { candidateId: booking?.application.candidate.id ?? -1, interviewerId: booking?.interviewer?.id ?? null },
    'Booking',
  );
  if (!booking) throw notFound('Booking');
  return booking;
}

function assertActive(b: IBooking): void {
  if (b.status !== 'booked') throw conflict('booking_not_active', `This booking is ${b.status}`);
}

/** Props of {@link rescheduleBooking}. */
export interface RescheduleProps extends BookingCommandBase {
  bookingId: number;
  startAt: Date;
}

/**
 * Moves an active booking to another slot, before the reschedule cutoff and within the
 * reschedule limit (employees: HR may override the limits, never the availability). A live
 * session keeps its interviewer when they are free at the new time, else the least-loaded
 * free pool member takes it. The booking row is changed with a conditional UPDATE on its
 * version, so a cancel racing a reschedule applies exactly one. Emits `booking.rescheduled`.
 */
export async function rescheduleBooking(props: RescheduleProps): Promise<IBooking> {
  const { actor, now, startAt } = props;
  const em = props.em.fork();
  const booking = await loadBooking(em, actor, props.bookingId, 'booking.manage');
  assertActive(booking);
  const schedule = booking.schedule;
  // The cutoff and the limit protect seats and interviewers' time; a reminder holds neither, so
  // the candidate may move it until it is due (it is still only a reminder: they may start anyway).
  const limited = actor.kind !== 'employee' && !booking.reminderOnly;
  if (booking.reminderOnly && booking.startAt <= now)
    throw conflict('already_started', 'The session has already started');
  if (limited && booking.startAt.getTime() - now.getTime() < schedule.rescheduleCutoffHours * HOUR)
    throw conflict(
      'reschedule_cutoff_passed',
      `Bookings can be rescheduled up to ${schedule.rescheduleCutoffHours} hours before the start`,
      { rescheduleCutoffHours: schedule.rescheduleCutoffHours },
    );
  if (limited && booking.rescheduleCount >= schedule.maxReschedules)
    throw conflict(
      'reschedule_limit',
      `A booking can be rescheduled at most ${schedule.maxReschedules} times`,
      { maxReschedules: schedule.maxReschedules },
    );
  if (startAt.getTime() <= now.getTime()) throw badRequest('slot_in_past', 'This slot has already started');
  if (startAt.getTime() === booking.startAt.getTime())
    throw badRequest('same_slot', 'The booking is already at this time');
  const application = booking.application;
  const end = new Date(startAt.getTime() + schedule.durationMinutes * MINUTE);
  if (booking.kind === 'ai_interview' && application.deadlineAt && end > application.deadlineAt)
    throw badRequest(
      'after_deadline',
      `The session must end before the deadline ${application.deadlineAt.toISOString()}`,
    );
  const previous = { startAt: booking.startAt, interviewerId: booking.interviewer?.id ?? null };

  return withRetries(props, schedule, { excludeBookingId: booking.id }, async (seatView) => {
    // Seats do not limit where a reminder may move to; the grid still does.
    const view = booking.reminderOnly ? aiViewFromSeats(schedule, now.getTime(), new Map(), false) : seatView;
    const problem = view.problem(startAt.getTime());
    if (problem) throw await slotError(schedule, problem, startAt, async () => view);
    // A reminder-only booking moves its reminders, never a seat (it holds none).
    const seatCounter =
      schedule.sessionType === 'ai' && !booking.reminderOnly
        ? await counterIdOf(props.em, schedule, startAt.getTime())
        : null;
    const member =
      schedule.sessionType === 'live'
        ? pickMember(view.freeMembers(startAt.getTime()), previous.interviewerId)
        : null;
    if (schedule.sessionType === 'live' && !member) throw slotFull(view);
    const dayIds = member ? await prepareDays(props.em, schedule, member.id, startAt.getTime()) : [];
    return props.em.fork().transactional(async (tx) => {
      if (seatCounter !== null) {
        if (!(await takeSeat(tx, seatCounter, schedule.capacityPerSlot))) throw new LostRace();
        await releaseSeat(tx, schedule.id, previous.startAt);
      }
      if (member)
        await claimInterviewer(tx, schedule, member.id, startAt.getTime(), dayIds, {
          ...props,
          excludeBookingId: booking.id,
        });
      const n = await tx.nativeUpdate(
        Booking,
        { id: booking.id, version: booking.version, status: 'booked' },
        {
          startAt,
          endAt: end,
          interviewer: member?.id ?? null,
          rescheduleCount: booking.rescheduleCount + 1,
          version: booking.version + 1,
          bufferBeforeMinutes: schedule.bufferBeforeMinutes,
          bufferAfterMinutes: schedule.bufferAfterMinutes,
        },
      );
      if (n !== 1) throw conflict('booking_changed', 'The booking changed meanwhile; reload it');
      return announce(tx, props, booking.id, 'rescheduled', `rescheduled:${booking.rescheduleCount + 1}`, {
        previousStartAt: previous.startAt.toISOString(),
        previousInterviewerId: previous.interviewerId,
      });
    });
  });
}

/** Props of {@link cancelBooking}. */
export interface CancelProps extends BookingCommandBase {
  bookingId: number;
  reason: string;
}

/**
 * Cancels an active booking with a reason, before the cancel cutoff (HR any time before the
 * start). Frees the seat and the `active_key`, so the candidate may book again. Emits
 * `booking.cancelled`.
 */
export async function cancelBooking(props: CancelProps): Promise<IBooking> {
  const { actor, now } = props;
  const em = props.em.fork();
  const booking = await loadBooking(em, actor, props.bookingId, 'booking.manage');
  assertActive(booking);
  const schedule = booking.schedule;
  if (booking.startAt <= now) throw conflict('already_started', 'The session has already started');
  // A reminder may be dropped until it is due: it frees nothing anyone else could book.
  if (
    actor.kind === 'candidate' &&
    !booking.reminderOnly &&
    booking.startAt.getTime() - now.getTime() < schedule.cancelCutoffHours * HOUR
  )
    throw conflict(
      'cancel_cutoff_passed',
      `Bookings can be cancelled up to ${schedule.cancelCutoffHours} hours before the start`,
      { cancelCutoffHours: schedule.cancelCutoffHours },
    );
  // A deadlock with a concurrent reschedule is retried; the retry's conditional UPDATE then
  // sees the winner's version and fails as `booking_changed` instead of a 500.
  return retryOnDeadlock(() =>
    em.fork().transactional(async (tx) => {
      const n = await tx.nativeUpdate(
        Booking,
        { id: booking.id, version: booking.version, status: 'booked' },
        {
          status: 'cancelled',
          activeKey: null,
          cancelReason: props.reason,
          cancelledAt: now,
          version: booking.version + 1,
        },
      );
      if (n !== 1) throw conflict('booking_changed', 'The booking changed meanwhile; reload it');
      if (schedule.sessionType === 'ai' && !booking.reminderOnly)
        await releaseSeat(tx, schedule.id, booking.startAt);
      return announce(tx, props, booking.id, 'cancelled', 'cancelled', { reason: props.reason });
    }),
  );
}

/** Props of {@link closeBooking}. */
export interface CloseProps extends BookingCommandBase {
  bookingId: number;
  /** `no_show`: the candidate did not come; `completed`: the session took place. */
  outcome: 'no_show' | 'completed';
  reason?: string;
}

/**
 * The interviewer of the session or HR records how a started session ended: a no-show or
 * completed. Frees the `active_key`. Emits `booking.no_show` or `booking.completed`.
 */
export async function closeBooking(props: CloseProps): Promise<IBooking> {
  const { actor, now, outcome } = props;
  const em = props.em.fork();
  const booking = await loadBooking(em, actor, props.bookingId, 'booking.mark');
  assertActive(booking);
  // A reminder is not an appointment: the candidate may still start any time before the deadline.
  if (booking.reminderOnly && outcome === 'no_show')
    throw conflict('reminder_only_booking', 'This booking only sets a reminder; it cannot be a no-show');
  if (booking.startAt > now) throw conflict('not_started', 'The session has not started yet');
  return em.transactional(async (tx) => {
    const n = await tx.nativeUpdate(
      Booking,
      { id: booking.id, version: booking.version, status: 'booked' },
      {
        status: outcome,
        activeKey: null,
        ...(outcome === 'no_show' ? { noShowAt: now, noShowMarkedBy: actor.id } : {}),
        version: booking.version + 1,
      },
    );
    if (n !== 1) throw conflict('booking_changed', 'The booking changed meanwhile; reload it');
    return announce(tx, props, booking.id, outcome, outcome, props.reason ? { reason: props.reason } : {});
  });
}

export type { SlotInfo };
