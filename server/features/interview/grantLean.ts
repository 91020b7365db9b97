/**
 * The upload grant's usual case in plain SQL, in two round trips on MySQL: BEGIN, the read of the
 * candidate's session row (the request's authentication, see `requireAuthDeferred`), the request's
 * rate-limit hit, a lock on the answer row and one read that joins everything the grant decides
 * on; then the two writes with COMMIT (the lock guarantees the compare-and-swap, so COMMIT need
 * not wait for its result). The grant is the hottest write of an interview (every
 * candidate asks for one per question at about the same moment), and the ORM path spent most of
 * its CPU building queries, hydrating six entities and diffing them (BENCHMARKS.md, load). Any
 * case this path does not handle (resume, no consent, closed session, past the deadline, an
 * answer that cannot start, another candidate's answer) returns null, and the caller runs the
 * ORM path, which answers it with its usual error; so both paths share one set of rules.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Actor } from '../../kernel/actor';
import type { Em } from '../../kernel/db/orm';
import { sqlBool, sqlDate } from '../../kernel/db/raw';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { inTransaction, type Tx } from '../../kernel/db/tx';
import { type AppError, conflict } from '../../kernel/errors';
import type { DeferredSession } from '../../kernel/http/auth';
import type { DeferredHit } from '../../kernel/http/rateLimit';
import { type AnswerRules, type AnswerSnapshot, effectiveRules, transition } from './stateMachine';

/** Application stages the interview routes act on (as in `applicationOf`). */
const INTERVIEW_STAGES = ['invited', 'booked', 'interviewing', 'submitted'];

interface Row extends AnswerRuleColumns {
  id: number;
  attempts: number;
  version: number;
  session_id: number;
  session_status: string;
  audio_only: unknown;
  question_id: number;
  answer_type: string;
  deadline_at: unknown;
  consent_action: string | null;
  consent_scopes: unknown;
}

/**
 * The application the actor acts on, as a scalar subquery per way the actor signed in (mirrors
 * `applicationOf`); parameters from {@link applicationSql}.
 */
export const APPLICATION_SQL = {
  invitation: '(select x.id from applications x where x.candidate_id = ? and x.job_id = ?)',
  latest: `coalesce(
       (select x.id from applications x where x.candidate_id = ? and x.stage in (${INTERVIEW_STAGES.map(() => '?').join(', ')})
        order by x.id desc limit 1),
       (select x.id from applications x where x.candidate_id = ? order by x.id desc limit 1))`,
};

/** The application the actor acts on, as a scalar subquery and its parameters (mirrors `applicationOf`). */
export function applicationSql(actor: Extract<Actor, { kind: 'candidate' }>): [string, unknown[]] {
  if (actor.invitationJobId !== null) return [APPLICATION_SQL.invitation, [actor.id, actor.invitationJobId]];
  return [APPLICATION_SQL.latest, [actor.id, ...INTERVIEW_STAGES, actor.id]];
}

/**
 * The joins of a candidate's answer read (`ans`: answer, `s`: session, `a`: application, `q`:
 * question, `acc`: accommodation), ending in `a.id = ` for the application subquery: only the
 * actor's own answer is found.
 */
export const ANSWER_FROM_SQL = `from interview_answers ans
       join interview_sessions s on s.id = ans.session_id
       join applications a on a.id = s.application_id
       join interview_questions q on q.id = ans.question_id
       left join interview_accommodations acc on acc.application_id = a.id
      where ans.id = ? and a.id = `;

/** The application `a`'s latest consent: its action and scopes (`consent_action`, `consent_scopes`). */
export const LATEST_CONSENT_SQL = `(select c.action from interview_consents c where c.application_id = a.id
              order by c.id desc limit 1) as consent_action,
            (select c.scopes from interview_consents c where c.application_id = a.id
              order by c.id desc limit 1) as consent_scopes`;

/**
 * The joined read of the grant (see `reserveAttemptLean`), up to its `where`. Cheaper for MariaDB
 * than the answer routes' shared read (`ANSWER_FROM_SQL` with `LATEST_CONSENT_SQL`): the latest
 * consent is one join on its id instead of two ordered subqueries, and an invitation's
 * application is matched by its unique (candidate, job) columns instead of a scalar subquery
 * (about a tenth less database CPU per grant; BENCHMARKS.md, load). Same rows: the latest consent
 * is the one with the highest id, and none gives nulls.
 */
const READ_SQL = `select ans.id, ans.state, ans.served_at, ans.window_started_at, ans.retakes_used, ans.attempts,
            ans.late, ans.version,
            s.id as session_id, s.status as session_status, s.audio_only,
            q.id as question_id, q.think_seconds, q.answer_seconds, q.retakes, q.answer_type, q.practice,
            a.deadline_at, acc.extra_time_percent, acc.extra_retakes,
            c.action as consent_action, c.scopes as consent_scopes
       from interview_answers ans
       join interview_sessions s on s.id = ans.session_id
       join applications a on a.id = s.application_id
       join interview_questions q on q.id = ans.question_id
       left join interview_accommodations acc on acc.application_id = a.id
       left join interview_consents c
         on c.id = (select max(c2.id) from interview_consents c2 where c2.application_id = a.id)
      where ans.id = ? and `;

/**
 * The read's text per way the actor signed in, made once with its whitespace collapsed: the
 * driver scans the whole text for `?` on every grant, and the transaction keys prefetched reads
 * by it (BENCHMARKS.md, load). Only the actor's own application is found (as `applicationOf`).
 * Exported for the grant bench's bare baseline, which sends the same statements.
 */
export const READ_BY_APPLICATION = {
  // (candidate_id, job_id) is unique: the row `APPLICATION_SQL.invitation` would select.
  invitation: `${READ_SQL}a.candidate_id = ? and a.job_id = ?`.replace(/\s+/g, ' '),
  latest: `${READ_SQL}a.id = ${APPLICATION_SQL.latest}`.replace(/\s+/g, ' '),
};

/** The grant's joined read of `answerId` for the actor's application. */
function readOf(actor: Extract<Actor, { kind: 'candidate' }>, answerId: number): [string, unknown[]] {
  if (actor.invitationJobId !== null)
    return [READ_BY_APPLICATION.invitation, [answerId, actor.id, actor.invitationJobId]];
  return [READ_BY_APPLICATION.latest, [answerId, actor.id, ...INTERVIEW_STAGES, actor.id]];
}

/** A JSON array column (consent scopes) from either dialect: parsed already, or its text. */
export function scopesOf(v: unknown): string[] {
  if (Array.isArray(v)) return v as string[];
  if (typeof v === 'string') {
    try {
      const parsed = JSON.parse(v) as unknown;
      return Array.isArray(parsed) ? (parsed as string[]) : [];
    } catch {
      return [];
    }
  }
  return [];
}

/**
 * Reserves the next upload attempt of an answer when the grant is the usual case: the answer
 * moves to `answering` if it was served or a retake, its attempt count goes up (compare-and-swap
 * on its version) and the attempt row is written. Returns null when the ORM path must decide.
 * `hit`, the request's upload-grant rate-limit hit, is counted in the same transaction (and
 * stays counted when the ORM path must decide); over the budget this throws 429.
 */
export async function reserveAttemptLean(props: {
  em: Em;
  actor: Actor;
  now: Date;
  graceSeconds: number;
  answerId: number;
  /** Normalised content type (already checked against the accepted types). */
  contentType: string;
  resume: boolean;
  /** The object key of attempt `number` (random, so the caller makes it). */
  keyOf: (sessionId: number, questionId: number, number: number) => string;
  hit?: DeferredHit;
  /**
   * The candidate's session check left to this transaction (`requireAuthDeferred`): read in its
   * first round trip and judged before anything else, so a revoked or erased candidate's grant
   * rolls back whole (no hit, no attempt) and answers 401.
   */
  session?: DeferredSession;
}): Promise<{ attempt: number; key: string } | null> {
  const { em, actor, now, contentType: ct, hit } = props;
  const session = props.session?.verified ? undefined : props.session;
  if (actor.kind !== 'candidate' || props.resume) return null;
  const read = readOf(actor, props.answerId);
  // Only the answer row is locked (a FOR UPDATE on the join would also lock the question, which
  // every candidate of the job shares). Taken before the join's consistent read, so that read sees
  // the row as it stands; an answer of someone else is locked for a moment and then not granted.
  // SQLite has one writer at a time and no FOR UPDATE.
  const lock: [string, unknown[]] = [
    'select version from interview_answers where id = ? for update',
    [props.answerId],
  ];
  type Outcome =
    | { kind: 'granted'; attempt: number; key: string }
    | { kind: 'declined' }
    | { kind: 'refused'; error: AppError };
  let out: Outcome;
  try {
    // A deadlock victim runs again from its first round trip: MariaDB rolled it back whole (hit
    // and attempt included). The grant's insert into interview_attempts can meet the worker's
    // media-check claim in that table's status index (gap locks), as the start and completion
    // can; seen once in 2,000 grants of the thousand-candidate bench as a 409.
    out = await retryOnDeadlock(() =>
      inTransaction(em, async (tx): Promise<Outcome> => {
        const locking = tx.dialect === 'mysql';
        let refused: AppError | null = null;
        const auth = session?.read();
        const reads = [...(auth ? [auth] : []), ...(locking ? [lock] : []), read];
        // BEGIN, the session read, the hit, the lock and the joined read in one round trip.
        tx.prefetch(reads);
        if (hit) refused = await hit.countIn(tx);
        if (session && auth) {
          // Thrown, not returned: the transaction rolls back, so the refused request keeps nothing.
          const gone = session.judge(await tx.all(auth[0], auth[1]));
          if (gone) throw gone;
        }
        if (refused) return { kind: 'refused', error: refused };
        const locked = locking ? (await tx.all<{ version: number }>(lock[0], lock[1]))[0] : undefined;
        const r = (await tx.all<Row>(read[0], read[1]))[0];
        const decision = decide(r, props);
        if (!decision || (locked && Number(locked.version) !== Number(r?.version)))
          return { kind: 'declined' };
        const { next } = decision;
        const number = Number(r.attempts) + 1;
        const key = props.keyOf(Number(r.session_id), Number(r.question_id), number);
        await queueAnswerMove(tx, r, next, now, { attempts: number }, locking);
        // Queued with the update and sent with COMMIT: the lock rules out another grant taking
        // this attempt number, so a failure here is a broken invariant, not a race.
        await tx.runChecked(
          `insert into interview_attempts (answer_id, number, object_key, content_type, kind, status, granted_at, late)
         values (?, ?, ?, ?, ?, 'granted', ?, 0)`,
          [r.id, number, key, ct, ct.startsWith('audio/') ? 'audio' : 'video', tx.date(now)],
          (res) =>
            res.affectedRows === 1 ? null : new Error(`attempt ${number} of answer ${r.id} not written`),
          { lockedByRead: locking },
        );
        return { kind: 'granted', attempt: number, key };
      }),
    );
  } catch (err) {
    // Another grant of the same answer took this attempt number first (two taps, two tabs).
    if (err instanceof UniqueConstraintViolationException)
      throw conflict('answer_changed', 'This answer changed in another window; reload to continue');
    throw err;
  }
  // Committed: the hit is counted whatever the outcome.
  if (hit) hit.committed();
  if (out.kind === 'refused') throw out.error;
  if (out.kind === 'declined') return null;
  return { attempt: out.attempt, key: out.key };
}

/**
 * What the usual grant does to the answer read by `reserveAttemptLean`, or null when it is not
 * the usual case (the ORM path then decides, and gives the error).
 */
function decide(
  r: Row | undefined,
  props: { now: Date; graceSeconds: number; contentType: string },
): { next: AnswerSnapshot } | null {
  const { now, contentType: ct } = props;
  if (r?.session_status !== 'open') return null;
  if (r.consent_action !== 'grant' || !scopesOf(r.consent_scopes).includes('video_processing')) return null;
  if (r.answer_type === 'text') return null;
  if (ct.startsWith('video/') && (r.answer_type === 'audio' || sqlBool(r.audio_only))) return null;
  const deadline = sqlDate(r.deadline_at);
  if (deadline && now.getTime() > deadline.getTime()) return null;
  const { rules, snap } = rulesAndSnapshotOf(r, props.graceSeconds);
  let next = snap;
  if (snap.state === 'served' || snap.state === 'retake') {
    const t = transition(snap, { type: 'start', at: now }, rules);
    if (!t.ok) return null;
    next = t.next;
  }
  if (next.state !== 'answering') return null;
  return { next };
}

/** The columns of a joined answer read that {@link rulesAndSnapshotOf} takes. */
export interface AnswerRuleColumns {
  state: AnswerSnapshot['state'];
  served_at: unknown;
  window_started_at: unknown;
  retakes_used: number;
  late: unknown;
  think_seconds: number;
  answer_seconds: number;
  retakes: number;
  practice: unknown;
  extra_time_percent: number | null;
  extra_retakes: number | null;
}

/** The answer's rules (accommodation applied) and state-machine snapshot from a plain row. */
export function rulesAndSnapshotOf(
  r: AnswerRuleColumns,
  graceSeconds: number,
): { rules: AnswerRules; snap: AnswerSnapshot } {
  const rules = effectiveRules(
    {
      thinkSeconds: Number(r.think_seconds),
      answerSeconds: Number(r.answer_seconds),
      retakes: Number(r.retakes),
      practice: sqlBool(r.practice),
    },
    r.extra_time_percent === null
      ? null
      : { extraTimePercent: Number(r.extra_time_percent), extraRetakes: Number(r.extra_retakes ?? 0) },
    graceSeconds,
  );
  const snap: AnswerSnapshot = {
    state: r.state,
    servedAt: sqlDate(r.served_at) as Date,
    windowStartedAt: sqlDate(r.window_started_at),
    retakesUsed: Number(r.retakes_used),
    late: sqlBool(r.late),
  };
  return { rules, snap };
}

/**
 * Queues the compare-and-swap move of answer `r` (at `r.version`) to `next`, with `extra`
 * columns (snake_case) in the same UPDATE: sent with the transaction's next round trip or its
 * COMMIT, which it fails with 409 `answer_changed` when another request moved the answer first.
 * `locked`: the transaction holds the row's lock (read FOR UPDATE), so the swap cannot fail.
 */
export async function queueAnswerMove(
  tx: Tx,
  r: { id: number; version: number },
  next: AnswerSnapshot,
  now: Date,
  extra: Record<string, string | number | null>,
  locked: boolean,
): Promise<void> {
  const cols = Object.keys(extra);
  await tx.runChecked(
    `update interview_answers set state = ?, window_started_at = ?, retakes_used = ?, late = ?,${cols
      .map((c) => ` ${c} = ?,`)
      .join('')} version = version + 1, updated_at = ? where id = ? and version = ?`,
    [
      next.state,
      next.windowStartedAt ? tx.date(next.windowStartedAt) : null,
      next.retakesUsed,
      next.late ? 1 : 0,
      ...Object.values(extra),
      tx.date(now),
      r.id,
      r.version,
    ],
    (res) =>
      res.affectedRows === 1
        ? null
        : conflict('answer_changed', 'This answer changed in another window; reload to continue'),
    { lockedByRead: locked },
  );
}
