/**
 * What happened after hiring, for the generated history (`npm run demo -- --history`): each
 * hired history application gets an interview report (overall and competency scores near its AI
 * score), a mobile, and an HR record for the sandbox's 智能人事 (probation passed or left,
 * performance grades) in which higher scores pass probation and get better grades more often, so
 * the closed-loop validity report has a relation to show. The product then reads the records
 * through DingTalk's APIs like any others; nothing here writes `hire_outcomes`.
 *
 * Deterministic for a given seed.
 */
import { Application } from '../entities/Application';
import { Candidate } from '../entities/Candidate';
import { InterviewReport, type ReportCompetency } from '../entities/Scoring';
import { sqlDate } from '../raw';
import type { Em } from '../types';

/** An HR record for the sandbox (`POST /api/sandbox/hrm/employees`). */
export interface SeededHrRecord {
  userId: string;
  mobile: string;
  name: string;
  status: 'probation' | 'regular' | 'left';
  regularDate?: string;
  lastWorkDay?: number;
  preStatus?: 2 | 3;
  performance: Array<{ period: string; grade: string }>;
}

const DAY = 86_400_000;
/** Report session ids of generated reports: far above any real session's. */
export const GENERATED_SESSION_BASE = 1_900_000_000;

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

const clamp = (x: number) => Math.max(0, Math.min(100, Math.round(x)));
const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/** Competency scores of a generated report, as the report stores them. */
export function reportCompetencies(scores: Record<string, number>): ReportCompetency[] {
  return Object.entries(scores).map(([name, score]) => ({
    name,
    score,
    evidence: [],
    matched: [],
    missing: [],
  }));
}

/**
 * What became of one generated hire: the report's competency scores (near the AI score), and
 * what DingTalk's HR says now. Probation of one, two or three months (contracts differ); who is
 * still in it has no outcome; higher scores pass it and get better grades more often, so the
 * closed-loop validity report has a relation to show. One PRNG stream per application, so the
 * same application gets the same fate from every caller.
 */
export function hireFate(o: {
  seed: number;
  applicationId: number;
  overall: number;
  hiredAt: number;
  now: number;
}):
  | { status: 'probation'; scores: Record<string, number> }
  | { status: 'failed'; scores: Record<string, number>; leftAt: number }
  | {
      status: 'regular';
      scores: Record<string, number>;
      regularAt: number;
      period: string;
      grade: string;
      /** Left after passing probation (null: still there). */
      leftAt: number | null;
    } {
  const rnd = prng(o.seed * 1_000_003 + o.applicationId);
  const noise = (w: number) => (rnd() + rnd() + rnd() - 1.5) * w;
  const scores: Record<string, number> = {
    沟通协作: clamp(o.overall + noise(20)),
    问题解决: clamp(o.overall + noise(20)),
    // Unrelated to the outcome on purpose: its correlation should come out near zero.
    学习意愿: clamp(65 + noise(40)),
  };
  const probationDays = 30 * (1 + Math.floor(rnd() * 3));
  if (o.now - o.hiredAt < probationDays * DAY) return { status: 'probation', scores };
  // Hires are already the higher scores, so the slope is steep enough to show within them.
  const pass = rnd() < Math.max(0.1, Math.min(0.97, 0.15 + (o.overall - 55) * 0.025));
  if (!pass)
    return {
      status: 'failed',
      scores,
      leftAt: Math.min(o.now - DAY, o.hiredAt + (0.3 + rnd() * 0.65) * probationDays * DAY),
    };
  const g = 3 + (o.overall - 65) / 15 + noise(1.6);
  const grade = g >= 4.6 ? 'S' : g >= 3.9 ? 'A' : g >= 3.3 ? 'B+' : g >= 2.5 ? 'B' : 'C';
  return {
    status: 'regular',
    scores,
    regularAt: o.hiredAt + probationDays * DAY,
    period: `${new Date(o.now).getUTCFullYear()} H2`,
    grade,
    leftAt: rnd() < 0.08 ? o.now - 5 * DAY : null,
  };
}

/**
 * Reports, mobiles and HR records for the hired applications of candidates named `namePrefix…`
 * (the history generator's). Reports are written once (an application that has one keeps it); the
 * records come out the same on every call, for a sandbox that starts empty each time.
 * Returns the records to give the sandbox: members as they are now, and (`left`) the ones who
 * have left since, which the sandbox must first know as members so the product learns their
 * userid (DingTalk no longer finds a former employee by mobile).
 */
export async function generateHireOutcomes(
  em: Em,
  opts: { now: Date; namePrefix: string; seed?: number },
): Promise<{ members: SeededHrRecord[]; left: SeededHrRecord[] }> {
  const hired = await em.execute<
    Array<{ id: number; candidate_id: number; job_id: number; hired_at: unknown; overall: number | null }>
  >(
    `select a.id, a.candidate_id, a.job_id, a.stage_changed_at as hired_at, rv.overall
       from applications a join candidates c on c.id = a.candidate_id
       left join application_reviews rv on rv.application_id = a.id
      where a.stage = 'hired' and c.name like ?
      order by a.id`,
    [`${opts.namePrefix}%`],
  );
  const members: SeededHrRecord[] = [];
  const left: SeededHrRecord[] = [];
  const reported = new Set(
    (
      await em.execute<Array<{ application_id: number }>>(
        `select distinct r.application_id from interview_reports r join applications a on a.id = r.application_id
          join candidates c on c.id = a.candidate_id where a.stage = 'hired' and c.name like ?`,
        [`${opts.namePrefix}%`],
      )
    ).map((r) => Number(r.application_id)),
  );
  for (const h of hired) {
    const appId = Number(h.id);
    const overall = h.overall === null ? 60 : Number(h.overall);
    const candidate = await em.findOneOrFail(Candidate, { id: Number(h.candidate_id) });
    candidate.mobile ??= `199${String(appId).padStart(8, '0')}`;
    const fate = hireFate({
      seed: opts.seed ?? 23,
      applicationId: appId,
      overall,
      hiredAt: (sqlDate(h.hired_at) as Date).getTime(),
      now: opts.now.getTime(),
    });
    if (!reported.has(appId))
      em.create(InterviewReport, {
        application: em.getReference(Application, appId),
        sessionId: GENERATED_SESSION_BASE + appId,
        candidateId: Number(h.candidate_id),
        jobId: Number(h.job_id),
        status: 'ready',
        overall,
        competencies: reportCompetencies(fate.scores),
        strengths: [],
        gaps: [],
        flags: [],
        recommendation: 'consider',
      });
    const base: SeededHrRecord = {
      userId: `hist-${appId}`,
      mobile: candidate.mobile,
      name: candidate.name,
      status: 'probation',
      performance: [],
    };
    if (fate.status === 'probation') {
      members.push(base);
      continue;
    }
    if (fate.status === 'failed') {
      members.push(base);
      left.push({ ...base, status: 'left', preStatus: 2, lastWorkDay: fate.leftAt });
      continue;
    }
    const regular: SeededHrRecord = {
      ...base,
      status: 'regular',
      regularDate: day(fate.regularAt),
      performance: [{ period: fate.period, grade: fate.grade }],
    };
    members.push(regular);
    if (fate.leftAt !== null)
      left.push({ ...regular, status: 'left', preStatus: 3, lastWorkDay: fate.leftAt });
  }
  await em.flush();
  return { members, left };
}
