/**
 * Generated hiring history, so the analytics dashboards have something believable to show in
 * the demo (`npm run demo -- --history`) and something large to be measured against
 * (`npm run bench -- analytics`). Candidates, applications, AI overall scores and the stage
 * events of plausible paths through the pipeline (`shared/pipeline.ts`), with waits drawn from
 * ranges per stage and decisions that depend on the score (so AI validity shows a relation).
 *
 * With `surroundings`, also what the no-shows-by-reminder and closed-loop validity reports read:
 * the bookings behind the book/unbook/start events with the candidate reminders the outbox sent
 * for them, an AI report for every scored application, and DingTalk HR's outcome for most hires.
 *
 * Deterministic for a given `seed`: the same options write the same rows. Written in plain
 * multi-row INSERTs with explicit ids (a generator is the only writer while it runs). Large runs
 * go through `bulkLoad` (kernel/db/bulk.ts: the analytics triggers off, the rollups rebuilt once
 * afterwards), which is what makes a million events take minutes rather than half an hour: with
 * the triggers on, every row runs its rollup upserts one at a time. Inside a plain transaction
 * the triggers keep the rollups as for any other write (tests do that on small runs).
 */
import { FUNNEL_RANK, PERFORMANCE_GRADE_SCALE } from '../../../../shared/api/analytics';
import type { CandidateSource } from '../../../../shared/api/candidates';
import type { Stage } from '../../../../shared/stages';
import { emTx } from '../tx';
import type { Em } from '../types';
import { GENERATED_SESSION_BASE, hireFate, reportCompetencies } from './hireOutcomes';

/** Options of {@link generateHistory}. */
export interface HistoryOptions {
  /** Applications to write (spread over `jobIds` round-robin). */
  applications: number;
  /** Jobs they apply to (must exist). */
  jobIds: number[];
  /** The newest application is created before this; nothing happens after it. */
  now: Date;
  /** Applications are created over this many days before `now`. */
  days: number;
  /** PRNG seed. */
  seed?: number;
  /** Rows per INSERT statement. */
  batch?: number;
  /**
   * Extra unbook/book cycles of every application that books (a candidate moving their slot
   * again and again), two events each. 0 (default): about 6 events per application; 2 gives
   * about 9, 3 about 10.5 (the benchmark's million events from 100,000 applications).
   */
  rebooks?: number;
  /**
   * Also write bookings (with their candidate reminders in the outbox), AI reports and hire
   * outcomes ({@link SurroundingsOptions}). The stage events are the same with or without.
   */
  surroundings?: SurroundingsOptions;
}

/**
 * What {@link generateHistory} writes around the stage events, from its own PRNG stream (so the
 * events, scores and stages are those of the same seed without it):
 * - a booking per `book` (AI interview; the job's `ai_interview` schedule) and `book_second_round`
 *   (its `second_round` schedule; jobs without the schedule get no bookings of that kind). The
 *   next event says what became of it: `start_interview` / `complete_second_round`: completed;
 *   `unbook`: a no-show or a cancellation (rescheduling); none yet: still booked.
 * - the candidate reminders of each booking: one outbox row per reminder time (the schedule's
 *   `reminder_offsets_minutes`, else `defaultReminderMinutes`) and channel (the candidate's: the
 *   in-app inbox, plus SMS/e-mail through the gateway, or the robot for DingTalk members), `sent`
 *   when due while the booking was on, `cancelled` when it was cancelled first, `pending` when
 *   still ahead; plus the booking confirmation. Reminders due before the booking was made are not
 *   written (the product does not schedule them).
 * - No-shows depend on what the candidate was reminded of (none: about one in four missed
 *   bookings is a no-show; a day-before reminder, an hour-before one and a DingTalk message each
 *   lower that), so the dashboard has an effect to find; about one cancellation in six comes
 *   inside the schedule's cancellation notice.
 * - An interview report for every scored application (overall = the AI score, competencies near
 *   it), and for hires a `hire_outcomes` row as the sync writes it ({@link hireFate}): most found
 *   in DingTalk's HR (probation, regular with a grade, or left), `notFoundShare` not found.
 */
export interface SurroundingsOptions {
  /** Candidate reminder times (minutes before) of schedules that set none. Default 1440, 60. */
  defaultReminderMinutes?: number[];
  /** Share of hires DingTalk's HR does not know (no employee with the mobile). Default 0.05. */
  notFoundShare?: number;
}

/** What {@link generateHistory} wrote. */
export interface HistoryResult {
  candidates: number;
  applications: number;
  reviews: number;
  events: number;
  /** With `surroundings`: bookings, outbox rows (reminders and confirmations), reports, outcomes. */
  bookings?: number;
  outbox?: number;
  reports?: number;
  outcomes?: number;
}

/** A job's schedule, as the surroundings need it. */
interface ScheduleInfo {
  id: number;
  reminders: number[];
  cancelHours: number;
}

/** The channels a generated candidate is reached on (recipients.ts: members get the robot only). */
const CHANNEL_SETS: Array<[string[], number]> = [
  [['inbox'], 0.5],
  [['gateway', 'inbox'], 0.4],
  [['robot_oto'], 0.1],
];

/** mulberry32: a small, good-enough seeded PRNG. */
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

const H = 3_600_000;
const SOURCES: Array<[CandidateSource, number]> = [
  ['job_site', 0.4],
  ['referral', 0.2],
  ['campus', 0.2],
  ['dingtalk_recruit', 0.15],
  ['other', 0.05],
];

type Step = { to: Stage; name: string; waitH: [number, number] };

/**
 * Writes the history. Returns the counts. Safe to run on a database with other data (ids
 * continue after the current maximum); not idempotent (the caller decides when to run it).
 */
export async function generateHistory(em: Em, opts: HistoryOptions): Promise<HistoryResult> {
  if (!opts.jobIds.length) throw new Error('generateHistory needs at least one job');
  const rnd = prng(opts.seed ?? 17);
  const tx = emTx(em);
  const batch = opts.batch ?? 1000;
  const maxId = async (table: string) =>
    Number((await tx.all<{ m: number | null }>(`select max(id) as m from ${table}`))[0]?.m ?? 0);
  let candidateId = await maxId('candidates');
  let applicationId = await maxId('applications');
  const now = opts.now.getTime();
  const between = ([lo, hi]: [number, number]) => (lo + (hi - lo) * rnd()) * H;
  const pick = (): CandidateSource => {
    let x = rnd();
    for (const [s, w] of SOURCES) {
      x -= w;
      if (x < 0) return s;
    }
    return 'other';
  };

  const candidates: unknown[][] = [];
  const applications: unknown[][] = [];
  const reviews: unknown[][] = [];
  const events: unknown[][] = [];
  const result: HistoryResult = { candidates: 0, applications: 0, reviews: 0, events: 0 };
  const sur = opts.surroundings ? await surroundingsWriter(em, opts, result) : null;

  const flush = async () => {
    const write = async (rows: unknown[][], table: string, cols: string[]) => {
      if (!rows.length) return;
      for (let i = 0; i < rows.length; i += batch) {
        const part = rows.slice(i, i + batch);
        const marks = `(${cols.map(() => '?').join(',')})`;
        await tx.run(
          `insert into ${table} (${cols.join(',')}) values ${part.map(() => marks).join(',')}`,
          part.flat(),
        );
      }
      rows.length = 0;
    };
    // Parents first (foreign keys).
    await write(candidates, 'candidates', [
      'id',
      'name',
      'locale',
      'source',
      'session_generation',
      'created_at',
      'updated_at',
    ]);
    await write(applications, 'applications', [
      'id',
      'candidate_id',
      'job_id',
      'stage',
      'stage_changed_at',
      'person_only',
      'deadline_at',
      'version',
      'funnel_reach',
      'created_at',
      'updated_at',
    ]);
    await write(reviews, 'application_reviews', [
      'application_id',
      'overall',
      'suggestion',
      'reason',
      'updated_at',
    ]);
    await write(events, 'application_stage_events', [
      'application_id',
      'job_id',
      'from_stage',
      'to_stage',
      'transition',
      'at',
      'from_since',
      'actor_kind',
      'actor_id',
    ]);
    if (sur) for (const [table, cols, rows] of sur.tables) await write(rows, table, cols);
  };

  for (let i = 0; i < opts.applications; i++) {
    const jobId = opts.jobIds[i % opts.jobIds.length];
    const created = now - rnd() * opts.days * 24 * H;
    const source = pick();
    candidateId += 1;
    applicationId += 1;
    candidates.push([
      candidateId,
      `历史候选人${candidateId}`,
      'zh-CN',
      source,
      0,
      tx.date(created),
      tx.date(created),
    ]);
    const personOnly = rnd() < 0.05;
    // Scores: roughly normal around 65; referrals a little higher (they are screened by a person).
    const noise = (rnd() + rnd() + rnd() - 1.5) * 30;
    const score = Math.max(0, Math.min(100, Math.round(65 + noise + (source === 'referral' ? 6 : 0))));

    // The path, step by step; each step happens with a probability and after a wait.
    let stage: Stage = 'invited';
    let since = created;
    let version = 1;
    let scored = false;
    let reach = 0;
    const path: Array<{ name: string; at: number }> = [];
    const move = (s: Step): boolean => {
      const at = since + between(s.waitH);
      if (at > now) return false;
      path.push({ name: s.name, at });
      events.push([
        applicationId,
        jobId,
        stage,
        s.to,
        s.name,
        tx.date(at),
        tx.date(since),
        ['advance_second_round', 'reject', 'request_offer', 'hire'].includes(s.name) ? 'employee' : 'system',
        null,
      ]);
      result.events += 1;
      stage = s.to;
      scored ||= s.to === 'scored';
      reach = Math.max(reach, FUNNEL_RANK[s.to]);
      since = at;
      version += 1;
      return true;
    };
    const walk = (): void => {
      // Booking (some rebook once), then the interview.
      if (rnd() < 0.15) return void move({ to: 'withdrawn', name: 'withdraw', waitH: [2, 200] });
      if (rnd() < 0.12) return; // never answered: stays invited
      if (!move({ to: 'booked', name: 'book', waitH: [1, 72] })) return;
      if (rnd() < 0.2) {
        if (!move({ to: 'invited', name: 'unbook', waitH: [1, 48] })) return;
        if (!move({ to: 'booked', name: 'book', waitH: [1, 48] })) return;
      }
      for (let k = 0; k < (opts.rebooks ?? 0); k++) {
        if (!move({ to: 'invited', name: 'unbook', waitH: [0.5, 12] })) return;
        if (!move({ to: 'booked', name: 'book', waitH: [0.5, 12] })) return;
      }
      if (!move({ to: 'interviewing', name: 'start_interview', waitH: [4, 96] })) return;
      if (!move({ to: 'submitted', name: 'submit', waitH: [0.2, 0.8] })) return;
      if (!personOnly && !move({ to: 'scored', name: 'score', waitH: [0.05, 2] })) return;
      if (!move({ to: 'in_review', name: 'review', waitH: [0.01, 1] })) return;
      // People advance high scores far more often than low ones.
      const pAdvance = 0.05 + 0.75 / (1 + Math.exp(-(score - 72) / 6));
      if (rnd() >= pAdvance) return void move({ to: 'rejected', name: 'reject', waitH: [4, 120] });
      if (!move({ to: 'second_round', name: 'advance_second_round', waitH: [4, 96] })) return;
      if (!move({ to: 'second_round_booked', name: 'book_second_round', waitH: [2, 72] })) return;
      if (!move({ to: 'second_round_done', name: 'complete_second_round', waitH: [24, 168] })) return;
      if (rnd() < 0.45 + (score - 70) / 100) {
        if (!move({ to: 'offer_approval', name: 'request_offer', waitH: [4, 72] })) return;
      } else return void move({ to: 'rejected', name: 'reject', waitH: [4, 72] });
      if (rnd() < 0.1) {
        if (!move({ to: 'second_round_done', name: 'offer_refused', waitH: [4, 48] })) return;
        if (!move({ to: 'offer_approval', name: 'request_offer', waitH: [4, 48] })) return;
      }
      if (!move({ to: 'offer_sent', name: 'send_offer', waitH: [4, 72] })) return;
      if (rnd() < 0.2) return void move({ to: 'withdrawn', name: 'withdraw', waitH: [12, 120] });
      if (!move({ to: 'accepted', name: 'accept_offer', waitH: [2, 96] })) return;
      if (!move({ to: 'onboarding', name: 'onboard', waitH: [1, 24] })) return;
      move({ to: 'hired', name: 'hire', waitH: [72, 500] });
    };
    walk();
    applications.push([
      applicationId,
      candidateId,
      jobId,
      stage,
      tx.date(since),
      personOnly ? 1 : 0,
      tx.date(created + 14 * 24 * H),
      version,
      reach,
      tx.date(created),
      tx.date(since),
    ]);
    if (scored) {
      reviews.push([
        applicationId,
        score,
        score >= 80 ? 'pass' : score < 50 ? 'reject' : 'review',
        'generated_history',
        tx.date(since),
      ]);
      result.reviews += 1;
    }
    sur?.add({
      applicationId,
      candidateId,
      jobId,
      created,
      path,
      score: scored ? score : null,
      stage,
      since,
    });
    result.candidates += 1;
    result.applications += 1;
    if (candidates.length >= batch) await flush();
  }
  await flush();
  return result;
}

/**
 * The writer of {@link SurroundingsOptions}: `add` turns one generated application into rows,
 * `tables` are the row buffers the generator's flush writes (after their parents).
 */
async function surroundingsWriter(
  em: Em,
  opts: HistoryOptions,
  result: HistoryResult,
): Promise<{
  tables: Array<[string, string[], unknown[][]]>;
  add(a: {
    applicationId: number;
    candidateId: number;
    jobId: number;
    created: number;
    path: Array<{ name: string; at: number }>;
    score: number | null;
    stage: Stage;
    since: number;
  }): void;
}> {
  const o = opts.surroundings ?? {};
  const tx = emTx(em);
  const seed = opts.seed ?? 17;
  const rnd = prng(seed ^ 0x5bd1e995);
  const now = opts.now.getTime();
  const MIN = 60_000;
  const maxId = async (table: string) =>
    Number((await tx.all<{ m: number | null }>(`select max(id) as m from ${table}`))[0]?.m ?? 0);
  let bookingId = await maxId('bookings');
  const rows = await tx.all<{
    job_id: number;
    id: number;
    kind: string;
    reminders: unknown;
    cancel: number | null;
  }>(
    `select p.job_id, ps.id, ps.kind, ps.reminder_offsets_minutes as reminders, ps.cancel_cutoff_hours as cancel
       from plan_schedules ps join interview_plans p on p.id = ps.plan_id`,
  );
  const schedules = new Map<string, ScheduleInfo>();
  for (const r of rows) {
    const own = (typeof r.reminders === 'string' ? JSON.parse(r.reminders) : r.reminders) as {
      candidate?: number[];
    } | null;
    const key = `${Number(r.job_id)}:${r.kind}`;
    // A job with several plans: its first schedule of the kind.
    if (!schedules.has(key))
      schedules.set(key, {
        id: Number(r.id),
        reminders: own?.candidate ?? o.defaultReminderMinutes ?? [1440, 60],
        cancelHours: r.cancel && r.cancel > 0 ? Number(r.cancel) : 24,
      });
  }
  const bookings: unknown[][] = [];
  const outbox: unknown[][] = [];
  const reports: unknown[][] = [];
  const outcomes: unknown[][] = [];
  const pickChannels = (): string[] => {
    let x = rnd();
    for (const [set, w] of CHANNEL_SETS) {
      x -= w;
      if (x < 0) return set;
    }
    return ['inbox'];
  };
  const notFoundShare = o.notFoundShare ?? 0.05;
  const date = (ms: number | null) => (ms === null ? null : tx.date(ms));

  const message = (
    key: string,
    topic: string,
    aggregate: string,
    channel: string,
    candidateId: number,
    due: number,
    status: 'sent' | 'cancelled' | 'pending',
    created: number,
  ) => {
    outbox.push([
      key,
      topic,
      aggregate,
      channel === 'robot_oto' ? 'employee' : 'candidate',
      String(candidateId),
      channel,
      '{}',
      tx.date(due),
      status,
      status === 'sent' ? 1 : 0,
      status === 'sent' ? tx.date(due) : null,
      tx.date(created),
    ]);
    result.outbox = (result.outbox ?? 0) + 1;
  };

  const book = (
    a: { applicationId: number; candidateId: number; jobId: number },
    kind: string,
    madeAt: number,
    end: { name: string; at: number } | undefined,
    channels: string[],
    rebooked: number,
  ) => {
    const s = schedules.get(`${a.jobId}:${kind}`);
    if (!s) return;
    bookingId += 1;
    const aggregate = `booking:${bookingId}`;
    // The outcome, from the next event: it took place, it was missed or moved, or it is ahead.
    let status: 'completed' | 'no_show' | 'cancelled' | 'booked' = 'booked';
    let start: number;
    let cancelledAt: number | null = null;
    let noShowAt: number | null = null;
    const remindedBefore = (startAt: number, until: number) =>
      s.reminders.filter((m) => startAt - m * MIN > madeAt && startAt - m * MIN <= until);
    if (!end) {
      // Still booked: the slot a day or two after booking (it may have passed, not yet marked).
      start = madeAt + (4 + rnd() * 44) * 3_600_000;
    } else if (end.name === 'unbook') {
      // Missed, or moved/cancelled by the candidate: a missed slot was before the unbook; the
      // chance of missing it falls with each reminder the candidate got.
      const missedStart = madeAt + (end.at - madeAt) * (0.3 + 0.5 * rnd());
      const got = remindedBefore(missedStart, missedStart);
      let p = 0.25;
      if (got.some((m) => m >= 720)) p *= 0.7;
      if (got.some((m) => m < 720)) p *= 0.6;
      if (got.length && channels.includes('robot_oto')) p *= 0.8;
      if (rnd() < p) {
        status = 'no_show';
        start = missedStart;
        noShowAt = end.at;
      } else {
        status = 'cancelled';
        cancelledAt = end.at;
        // One in six inside the notice period; the rest well before.
        const lead = rnd() < 1 / 6 ? rnd() * s.cancelHours : s.cancelHours + rnd() * 72;
        start = end.at + lead * 3_600_000;
      }
    } else {
      status = 'completed';
      start = Math.max(madeAt + 30 * MIN, end.at - rnd() * 20 * MIN);
      if (start > end.at) start = end.at;
    }
    bookings.push([
      bookingId,
      a.applicationId,
      s.id,
      kind,
      tx.date(start),
      tx.date(start + (kind === 'second_round' ? 45 : 30) * MIN),
      'Asia/Shanghai',
      status,
      status === 'booked' ? `${a.applicationId}:${kind}` : null,
      rebooked,
      status === 'cancelled' ? 'candidate_cancelled' : null,
      date(cancelledAt),
      date(noShowAt),
      tx.date(madeAt),
      tx.date(cancelledAt ?? noShowAt ?? madeAt),
    ]);
    result.bookings = (result.bookings ?? 0) + 1;
    for (const ch of channels)
      message(
        `gen:${aggregate}:confirmation:${ch}`,
        'booking.confirmation',
        aggregate,
        ch,
        a.candidateId,
        madeAt,
        'sent',
        madeAt,
      );
    // Each reminder: sent if due while the booking was on (and by now), else cancelled or ahead.
    const off = cancelledAt ?? (status === 'booked' ? Number.POSITIVE_INFINITY : start);
    for (const m of s.reminders) {
      const due = start - m * MIN;
      if (due <= madeAt) continue;
      const st = due > off ? 'cancelled' : due > now ? 'pending' : 'sent';
      for (const ch of channels)
        message(
          `gen:${aggregate}:reminder:candidate:${m}m:${ch}`,
          `reminder.candidate.${m}m`,
          aggregate,
          ch,
          a.candidateId,
          due,
          st,
          madeAt,
        );
    }
  };

  return {
    tables: [
      [
        'bookings',
        [
          'id',
          'application_id',
          'schedule_id',
          'kind',
          'start_at',
          'end_at',
          'time_zone',
          'status',
          'active_key',
          'reschedule_count',
          'cancel_reason',
          'cancelled_at',
          'no_show_at',
          'created_at',
          'updated_at',
        ],
        bookings,
      ],
      [
        'outbox',
        [
          'idempotency_key',
          'topic',
          'aggregate',
          'recipient_kind',
          'recipient_id',
          'channel',
          'payload',
          'due_at',
          'status',
          'attempts',
          'sent_at',
          'created_at',
        ],
        outbox,
      ],
      [
        'interview_reports',
        [
          'application_id',
          'session_id',
          'candidate_id',
          'job_id',
          'status',
          'overall',
          'competencies',
          'strengths',
          'gaps',
          'flags',
          'recommendation',
          'created_at',
          'updated_at',
        ],
        reports,
      ],
      [
        'hire_outcomes',
        [
          'application_id',
          'dingtalk_user_id',
          'status',
          'probation_passed',
          'regular_at',
          'left_at',
          'performance_grade',
          'performance_period',
          'performance_score',
          'synced_at',
        ],
        outcomes,
      ],
    ],
    add(a) {
      const channels = pickChannels();
      let rebooked = 0;
      for (const [i, e] of a.path.entries()) {
        if (e.name === 'book') book(a, 'ai_interview', e.at, a.path[i + 1], channels, rebooked++);
        if (e.name === 'book_second_round') book(a, 'second_round', e.at, a.path[i + 1], channels, 0);
      }
      // A person-only application has no AI score: its fate is drawn as the demo's (from 60).
      const fate = hireFate({
        seed,
        applicationId: a.applicationId,
        overall: a.score ?? 60,
        hiredAt: a.since,
        now,
      });
      if (a.score !== null) {
        const scoredAt = a.path.find((e) => e.name === 'score')?.at ?? a.since;
        reports.push([
          a.applicationId,
          GENERATED_SESSION_BASE + a.applicationId,
          a.candidateId,
          a.jobId,
          'ready',
          a.score,
          JSON.stringify(reportCompetencies(fate.scores)),
          '[]',
          '[]',
          '[]',
          a.score >= 80 ? 'advance' : a.score < 50 ? 'reject' : 'consider',
          tx.date(scoredAt),
          tx.date(scoredAt),
        ]);
        result.reports = (result.reports ?? 0) + 1;
      }
      if (a.stage === 'hired') {
        const synced = now - rnd() * 86_400_000;
        if (rnd() < notFoundShare)
          outcomes.push([
            a.applicationId,
            null,
            'not_found',
            null,
            null,
            null,
            null,
            null,
            null,
            tx.date(synced),
          ]);
        else {
          const uid = `hist-${a.applicationId}`;
          const row =
            fate.status === 'probation'
              ? [uid, 'probation', null, null, null, null, null, null]
              : fate.status === 'failed'
                ? [uid, 'left', 0, null, tx.date(fate.leftAt), null, null, null]
                : [
                    uid,
                    fate.leftAt === null ? 'regular' : 'left',
                    1,
                    tx.date(fate.regularAt),
                    date(fate.leftAt),
                    fate.grade,
                    fate.period,
                    PERFORMANCE_GRADE_SCALE[fate.grade] ?? null,
                  ];
          outcomes.push([a.applicationId, ...row, tx.date(synced)]);
        }
        result.outcomes = (result.outcomes ?? 0) + 1;
      }
    },
  };
}
