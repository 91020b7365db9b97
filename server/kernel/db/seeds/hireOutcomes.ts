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
import { InterviewReport } from '../entities/Scoring';
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
const SESSION_BASE = 1_900_000_000;

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
    // One stream per application: the same records on every start (the sandbox forgets them).
    const rnd = prng((opts.seed ?? 23) * 1_000_003 + appId);
    const noise = (w: number) => (rnd() + rnd() + rnd() - 1.5) * w;
    const overall = h.overall === null ? 60 : Number(h.overall);
    const candidate = await em.findOneOrFail(Candidate, { id: Number(h.candidate_id) });
    candidate.mobile ??= `199${String(appId).padStart(8, '0')}`;
    const scores: Record<string, number> = {
      沟通协作: clamp(overall + noise(20)),
      问题解决: clamp(overall + noise(20)),
      // Unrelated to the outcome on purpose: its correlation should come out near zero.
      学习意愿: clamp(65 + noise(40)),
    };
    if (!reported.has(appId))
      em.create(InterviewReport, {
        application: em.getReference(Application, appId),
        sessionId: SESSION_BASE + appId,
        candidateId: Number(h.candidate_id),
        jobId: Number(h.job_id),
        status: 'ready',
        overall,
        competencies: Object.entries(scores).map(([name, score]) => ({
          name,
          score,
          evidence: [],
          matched: [],
          missing: [],
        })),
        strengths: [],
        gaps: [],
        flags: [],
        recommendation: 'consider',
      });

    const hiredAt = (sqlDate(h.hired_at) as Date).getTime();
    const base: SeededHrRecord = {
      userId: `hist-${appId}`,
      mobile: candidate.mobile,
      name: candidate.name,
      status: 'probation',
      performance: [],
    };
    const since = opts.now.getTime() - hiredAt;
    // Probation of one, two or three months (contracts differ); who is still in it has no outcome.
    const probationDays = 30 * (1 + Math.floor(rnd() * 3));
    if (since < probationDays * DAY) {
      members.push(base);
      continue;
    }
    // Hires are already the higher scores, so the slope is steep enough to show within them.
    const pass = rnd() < Math.max(0.1, Math.min(0.97, 0.15 + (overall - 55) * 0.025));
    if (!pass) {
      members.push(base);
      left.push({
        ...base,
        status: 'left',
        preStatus: 2,
        lastWorkDay: Math.min(opts.now.getTime() - DAY, hiredAt + (0.3 + rnd() * 0.65) * probationDays * DAY),
      });
      continue;
    }
    const g = 3 + (overall - 65) / 15 + noise(1.6);
    const grade = g >= 4.6 ? 'S' : g >= 3.9 ? 'A' : g >= 3.3 ? 'B+' : g >= 2.5 ? 'B' : 'C';
    const regular: SeededHrRecord = {
      ...base,
      status: 'regular',
      regularDate: day(hiredAt + probationDays * DAY),
      performance: [{ period: `${new Date(opts.now).getUTCFullYear()} H2`, grade }],
    };
    members.push(regular);
    if (rnd() < 0.08)
      left.push({ ...regular, status: 'left', preStatus: 3, lastWorkDay: opts.now.getTime() - 5 * DAY });
  }
  await em.flush();
  return { members, left };
}
