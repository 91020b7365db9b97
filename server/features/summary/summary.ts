/**
 * The 面试总结报告 of one candidate's interview: the AI's scores with evidence, every rater's
 * scores and notes (all of them for HR and the hiring manager, only one's own for anyone else),
 * the combined score with its rule written out, disagreement flags, a suggestion with reasons
 * and what to follow up before deciding. Read-only: it decides nothing.
 */
import type {
  SummaryFollowUpItem,
  SummaryRater,
  SummaryReportResponse,
  SummaryRulesResponse,
} from '../../../shared/api/summary';
import type { Actor } from '../../kernel/actor';
import { audit } from '../../kernel/audit';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { FollowUp } from '../../kernel/db/entities/FollowUp';
import { Job } from '../../kernel/db/entities/Job';
import { JobRules } from '../../kernel/db/entities/JobRules';
import { Resume } from '../../kernel/db/entities/Resume';
import { ReportRating } from '../../kernel/db/entities/Scoring';
import { SummaryRules } from '../../kernel/db/entities/SummaryRules';
import type { Em } from '../../kernel/db/orm';
import { notFound } from '../../kernel/errors';
import { loadReadableReport } from '../scoring';
import { DEFAULT_SUMMARY_RULES, summarise } from './combine';

/** A follow-up answer scoring below this is still an open question. */
const WEAK_FOLLOW_UP_SCORE = 50;

/** The job's combination rule, or the default. */
export async function summaryRulesOf(em: Em, jobId: number): Promise<SummaryRulesResponse> {
  const row = await em.findOne(SummaryRules, { jobId });
  return row
    ? { jobId, aiWeight: row.aiWeight, disagreementPoints: row.disagreementPoints, custom: true }
    : { jobId, ...DEFAULT_SUMMARY_RULES, custom: false };
}

/** Sets a job's combination rule (HR); audited with the values before and after. */
export async function setSummaryRules(
  em: Em,
  p: { actor: Actor & { kind: 'employee' }; jobId: number; aiWeight: number; disagreementPoints: number },
): Promise<SummaryRulesResponse> {
  return em.transactional(async (tx) => {
    if (!(await tx.findOne(Job, { id: p.jobId }))) throw notFound('Job');
    const before = await summaryRulesOf(tx, p.jobId);
    const row = await tx.findOne(SummaryRules, { jobId: p.jobId });
    if (row)
      Object.assign(row, {
        aiWeight: p.aiWeight,
        disagreementPoints: p.disagreementPoints,
        updatedById: p.actor.id,
      });
    else
      tx.create(SummaryRules, {
        jobId: p.jobId,
        aiWeight: p.aiWeight,
        disagreementPoints: p.disagreementPoints,
        updatedById: p.actor.id,
      } as never);
    audit(
      tx,
      p.actor,
      'summary.rules_set',
      { type: 'job', id: p.jobId },
      {
        before: { aiWeight: before.aiWeight, disagreementPoints: before.disagreementPoints },
        after: { aiWeight: p.aiWeight, disagreementPoints: p.disagreementPoints },
      },
    );
    await tx.flush();
    return { jobId: p.jobId, aiWeight: p.aiWeight, disagreementPoints: p.disagreementPoints, custom: true };
  });
}

/** Whether the actor sees every rater: HR, admins, managers (of the job's department, whom `report.read` admits) and the job's hiring manager. */
function seesAllRaters(actor: Actor, hiringManagerId: number | null): boolean {
  if (actor.kind !== 'employee') return false;
  if (actor.roles.some((r) => r === 'hr' || r === 'admin' || r === 'manager')) return true;
  return hiringManagerId === actor.id;
}

/**
 * Builds the summary report for a reader of the report (`report.read`: 404 for anyone else,
 * candidates included). Reading it is audited (who saw whose ratings).
 */
export async function summaryReport(em: Em, actor: Actor, reportId: number): Promise<SummaryReportResponse> {
  const report = await loadReadableReport(em, actor, reportId);
  const [job, candidate, ratings, followUps, resume, jobRules, rules] = await Promise.all([
    em.findOneOrFail(Job, { id: report.jobId }),
    em.findOneOrFail(Candidate, { id: report.candidateId }),
    em.find(ReportRating, { report: report.id }, { populate: ['reviewer'], orderBy: { id: 'asc' } }),
    em.find(FollowUp, { sessionId: report.sessionId }, { orderBy: { position: 'asc' } }),
    em.findOne(Resume, { candidate: report.candidateId, status: 'parsed' }, { orderBy: { id: 'desc' } }),
    em.findOne(JobRules, { job: report.jobId }),
    summaryRulesOf(em, report.jobId),
  ]);
  const byRater = new Map<number, SummaryRater>();
  for (const r of ratings) {
    const entry = byRater.get(r.reviewer.id) ?? {
      reviewerId: r.reviewer.id,
      name: r.reviewer.name,
      ratings: [],
      comment: null,
      score: 0,
      mine: actor.kind === 'employee' && actor.id === r.reviewer.id,
    };
    entry.ratings.push({ competency: r.competency, score: r.score });
    entry.comment = r.comment ?? entry.comment;
    byRater.set(r.reviewer.id, entry);
  }
  const allRaters = [...byRater.values()];
  const personOnly = report.status === 'person_only';
  const s = summarise({
    ai: personOnly ? null : (report.overall ?? null),
    raters: allRaters,
    aiWeight: rules.aiWeight,
    disagreementPoints: rules.disagreementPoints,
    passThreshold: jobRules?.passThreshold ?? 75,
    rejectThreshold: jobRules?.rejectThreshold ?? 50,
    needsReview: report.status === 'needs_review',
    personOnly,
  });
  for (const r of allRaters) r.score = s.raterScores.get(r.reviewerId) ?? 0;
  const all = seesAllRaters(actor, job.hiringManager?.id ?? null);

  const items: SummaryFollowUpItem[] = [];
  for (const f of followUps) {
    if (f.status === 'pending') items.push({ kind: 'open_question', text: f.text, detail: 'unanswered' });
    else if (f.status === 'withdrawn')
      items.push({ kind: 'open_question', text: f.text, detail: 'withdrawn' });
    else if ((f.answerScore ?? 0) < WEAK_FOLLOW_UP_SCORE)
      items.push({ kind: 'open_question', text: f.text, detail: 'weak_answer' });
  }
  for (const c of resume?.profile?.certificates ?? [])
    items.push({ kind: 'certificate', text: c.value, detail: null });
  if (s.suggestion !== 'reject') items.push({ kind: 'reference', text: null, detail: null });

  audit(em, actor, 'summary.viewed', { type: 'interview_report', id: report.id }, { allRaters: all });
  await em.flush();
  return {
    reportId: report.id,
    applicationId: report.application.id,
    candidateName: candidate.name,
    jobTitle: job.title,
    status: report.status,
    ai: {
      overall: personOnly ? null : (report.overall ?? null),
      competencies: personOnly
        ? []
        : report.competencies.map((c) => ({
            name: c.name,
            score: c.score,
            evidence: c.evidence.slice(0, 3).map((e) => ({ quote: e.quote, indicator: e.indicator })),
          })),
    },
    raters: all ? allRaters : allRaters.filter((r) => r.mine),
    allRaters: all,
    raterCount: allRaters.length,
    // The people's average is other raters' numbers: only those who see every rater get it.
    combined: {
      score: s.combined,
      ai: personOnly ? null : (report.overall ?? null),
      people: all ? s.people : null,
      aiWeight: rules.aiWeight,
      custom: rules.custom,
      formula: all ? s.formula : `AI ${rules.aiWeight}% + 人工 ${100 - rules.aiWeight}%`,
    },
    // Someone who sees only their own rating sees no other rater's numbers through the flags either.
    disagreement: {
      threshold: rules.disagreementPoints,
      flagged: s.disagreements.length > 0,
      items: all ? s.disagreements : [],
    },
    suggestion: { value: s.suggestion, reasons: s.reasons },
    followUps: items,
  };
}
