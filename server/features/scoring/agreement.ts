/**
 * AI-vs-human agreement per job and competency (TRUST.md "Fairness"), computed from what is on
 * file: the competency scores of each AI report and the interviewers' 1-5 ratings of the same
 * report and competency. Each rating is one pair (two interviewers rating one report give two).
 * Pearson compares the 0-100 score with the rating; quadratic weighted kappa compares the
 * score's 20-point band with the rating. Drift: agreement on the ratings of the last
 * `recentDays` against everything before, flagged when it dropped by `driftDrop` or more.
 * Person-only reports carry no AI score and are left out.
 */
import type {
  AgreementFlag,
  AgreementReport,
  AgreementStats,
  CompetencyAgreement,
  JobAgreement,
} from '../../../shared/api/agreement';
import type { Em } from '../../kernel/db/orm';
import { instantOf, query } from '../../kernel/db/tx';
import { agreement, scoreToBand } from './calibrate';

/** Thresholds of the flags (see `AgreementReport.thresholds`). */
export const AGREEMENT_THRESHOLDS = { minPairs: 10, lowQwk: 0.4, driftDrop: 0.2 } as const;

const DAY = 86_400_000;

interface Pair {
  ai: number;
  human: number;
  at: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Agreement numbers of a set of pairs. */
export function agreementStats(pairs: readonly Pair[]): AgreementStats {
  const n = pairs.length;
  if (n < 3) return { n, pearson: null, qwk: null, bias: null };
  const human = pairs.map((p) => p.human);
  // The same numbers calibration reports (calibrate.ts), plus which side rates higher.
  const a = agreement(
    pairs.map((p) => p.ai),
    human,
  );
  const bands = pairs.map((p) => scoreToBand(p.ai));
  return {
    n,
    pearson: Number.isNaN(a.pearson) ? null : round(a.pearson),
    qwk: Number.isNaN(a.qwk) ? null : round(a.qwk),
    bias: round(bands.reduce((s, b) => s + b, 0) / n - human.reduce((s, h) => s + h, 0) / n),
  };
}

/** The flags of a row from its recent and earlier numbers. */
function flagsOf(all: AgreementStats, recent: AgreementStats, earlier: AgreementStats): AgreementFlag[] {
  const t = AGREEMENT_THRESHOLDS;
  const flags: AgreementFlag[] = [];
  const current = recent.n >= t.minPairs ? recent : all;
  if (current.n >= t.minPairs && current.qwk !== null && current.qwk < t.lowQwk) flags.push('low_agreement');
  if (
    recent.n >= t.minPairs &&
    earlier.n >= t.minPairs &&
    recent.qwk !== null &&
    earlier.qwk !== null &&
    earlier.qwk - recent.qwk >= t.driftDrop
  )
    flags.push('drift');
  return flags;
}

function split(pairs: readonly Pair[], since: number) {
  const recent = pairs.filter((p) => p.at >= since);
  const earlier = pairs.filter((p) => p.at < since);
  const all = agreementStats(pairs);
  const r = agreementStats(recent);
  const e = agreementStats(earlier);
  return { all, recent: r, earlier: e, flags: flagsOf(all, r, e) };
}

/** Computes the agreement report, for one job or all jobs with ratings. */
export async function agreementReport(
  em: Em,
  opts: { jobId?: number; now?: Date; recentDays?: number } = {},
): Promise<AgreementReport> {
  const now = (opts.now ?? new Date()).getTime();
  const recentDays = opts.recentDays ?? 30;
  const since = now - recentDays * DAY;
  const rows = await query<{
    job_id: number;
    title: string;
    competency: string;
    score: number;
    created_at: unknown;
    competencies: unknown;
  }>(
    em,
    `select rep.job_id, j.title, r.competency, r.score, r.created_at, rep.competencies
     from report_ratings r
     join interview_reports rep on rep.id = r.report_id
     join jobs j on j.id = rep.job_id
     where rep.status <> 'person_only'${opts.jobId ? ' and rep.job_id = ?' : ''}
     order by rep.job_id, r.id`,
    opts.jobId ? [opts.jobId] : [],
  );
  const byJob = new Map<number, { title: string; byCompetency: Map<string, Pair[]> }>();
  const everything: Pair[] = [];
  for (const row of rows) {
    const competencies = (
      typeof row.competencies === 'string' ? JSON.parse(row.competencies) : row.competencies
    ) as Array<{ name: string; score: number }>;
    const ai = competencies.find((c) => c.name === row.competency)?.score;
    // A rating of a competency the AI did not score (e.g. added to the rubric later) pairs with nothing.
    if (typeof ai !== 'number') continue;
    const pair = { ai, human: Number(row.score), at: instantOf(row.created_at) };
    const job = byJob.get(Number(row.job_id)) ?? { title: row.title, byCompetency: new Map() };
    byJob.set(Number(row.job_id), job);
    job.byCompetency.set(row.competency, [...(job.byCompetency.get(row.competency) ?? []), pair]);
    everything.push(pair);
  }
  const jobs: JobAgreement[] = [];
  for (const [jobId, job] of byJob) {
    const competencies: CompetencyAgreement[] = [];
    for (const [competency, pairs] of job.byCompetency) {
      const s = split(pairs, since);
      competencies.push({ competency, ...s.all, recent: s.recent, earlier: s.earlier, flags: s.flags });
    }
    competencies.sort((a, b) => b.flags.length - a.flags.length || b.n - a.n);
    const all = agreementStats([...job.byCompetency.values()].flat());
    jobs.push({
      jobId,
      jobTitle: job.title,
      ...all,
      competencies,
      flags: [...new Set(competencies.flatMap((c) => c.flags))],
    });
  }
  jobs.sort((a, b) => b.flags.length - a.flags.length || b.n - a.n);
  return {
    generatedAt: new Date(now).toISOString(),
    recentDays,
    thresholds: { ...AGREEMENT_THRESHOLDS },
    overall: agreementStats(everything),
    jobs,
  };
}
