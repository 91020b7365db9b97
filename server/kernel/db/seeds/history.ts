/**
 * Generated hiring history, so the analytics dashboards have something believable to show in
 * the demo (`npm run demo -- --history`) and something large to be measured against
 * (`npm run bench -- analytics`). Candidates, applications, AI overall scores and the stage
 * events of plausible paths through the pipeline (`shared/pipeline.ts`), with waits drawn from
 * ranges per stage and decisions that depend on the score (so AI validity shows a relation).
 *
 * Deterministic for a given `seed`: the same options write the same rows. Written in plain
 * multi-row INSERTs with explicit ids (a generator is the only writer while it runs), which is
 * what makes a million events take seconds rather than hours.
 */
import { FUNNEL_RANK } from '../../../../shared/api/analytics';
import type { CandidateSource } from '../../../../shared/api/candidates';
import type { Stage } from '../../../../shared/stages';
import { emTx } from '../tx';
import type { Em } from '../types';

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
}

/** What {@link generateHistory} wrote. */
export interface HistoryResult {
  candidates: number;
  applications: number;
  reviews: number;
  events: number;
}

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
    const move = (s: Step): boolean => {
      const at = since + between(s.waitH);
      if (at > now) return false;
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
    result.candidates += 1;
    result.applications += 1;
    if (candidates.length >= batch) await flush();
  }
  await flush();
  return result;
}
