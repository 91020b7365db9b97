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
import { Application } from '../../kernel/db/entities/Application';
import { Approval } from '../../kernel/db/entities/Approval';
import { Candidate, type ICandidate } from '../../kernel/db/entities/Candidate';
import { FollowUp } from '../../kernel/db/entities/FollowUp';
import { type IJob, Job } from '../../kernel/db/entities/Job';
import { JobRules } from '../../kernel/db/entities/JobRules';
import { LiveScorecard } from '../../kernel/db/entities/LiveScorecard';
import { Resume } from '../../kernel/db/entities/Resume';
import { type IInterviewReport, InterviewReport, ReportRating } from '../../kernel/db/entities/Scoring';
import { SummaryRules } from '../../kernel/db/entities/SummaryRules';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { notFound } from '../../kernel/errors';
import { can } from '../../kernel/policies';
import { loadReadableReport } from '../scoring';
import { DEFAULT_SUMMARY_RULES, type SummaryOutput, summarise } from './combine';
import { type SummaryFormValues, summaryFormText } from './formText';

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

/** Everything the summary is built from and its arithmetic, over every rater (no viewer filter). */
interface SummaryCore {
  report: IInterviewReport;
  job: IJob;
  candidate: ICandidate;
  raters: SummaryRater[];
  rules: SummaryRulesResponse;
  s: SummaryOutput;
  items: SummaryFollowUpItem[];
  personOnly: boolean;
}

/**
 * Loads and computes the summary of `report` for every rater: the report's ratings (one
 * assessment per reviewer) and the application's submitted live-round scorecards (one per
 * scorecard; drafts never count). `viewerId` marks the viewer's own assessments.
 */
async function summaryCore(em: Em, report: IInterviewReport, viewerId: number | null): Promise<SummaryCore> {
  const applicationId = report.application.id;
  const [job, candidate, ratings, scorecards, followUps, resume, jobRules, rules] = await Promise.all([
    em.findOneOrFail(Job, { id: report.jobId }),
    em.findOneOrFail(Candidate, { id: report.candidateId }),
    em.find(ReportRating, { report: report.id }, { populate: ['reviewer'], orderBy: { id: 'asc' } }),
    em.find(
      LiveScorecard,
      { applicationId, status: 'submitted' },
      { orderBy: { submittedAt: 'asc', id: 'asc' } },
    ),
    em.find(FollowUp, { sessionId: report.sessionId }, { orderBy: { position: 'asc' } }),
    em.findOne(Resume, { candidate: report.candidateId, status: 'parsed' }, { orderBy: { id: 'desc' } }),
    em.findOne(JobRules, { job: report.jobId }),
    summaryRulesOf(em, report.jobId),
  ]);
  const byRater = new Map<number, SummaryRater>();
  for (const r of ratings) {
    const entry = byRater.get(r.reviewer.id) ?? {
      key: `report:${r.reviewer.id}`,
      source: 'report' as const,
      bookingId: null,
      reviewerId: r.reviewer.id,
      name: r.reviewer.name,
      ratings: [],
      comment: null,
      score: 0,
      mine: viewerId === r.reviewer.id,
    };
    entry.ratings.push({ competency: r.competency, score: r.score });
    entry.comment = r.comment ?? entry.comment;
    byRater.set(r.reviewer.id, entry);
  }
  const names = new Map(
    (await em.find(User, { id: { $in: [...new Set(scorecards.map((c) => c.raterId))] } })).map((u) => [
      u.id,
      u.name,
    ]),
  );
  const live: SummaryRater[] = scorecards.map((c) => ({
    key: `live:${c.bookingId}:${c.raterId}`,
    source: 'live_round',
    bookingId: c.bookingId,
    reviewerId: c.raterId,
    name: names.get(c.raterId) ?? '—',
    // A submitted scorecard rates every competency; the filter only keeps the types honest.
    ratings: c.ratings.flatMap((x) =>
      x.score === null ? [] : [{ competency: x.competency, score: x.score }],
    ),
    comment: c.notes || null,
    score: 0,
    mine: viewerId === c.raterId,
  }));
  const raters = [...byRater.values(), ...live];
  const personOnly = report.status === 'person_only';
  const s = summarise({
    ai: personOnly ? null : (report.overall ?? null),
    raters,
    aiWeight: rules.aiWeight,
    disagreementPoints: rules.disagreementPoints,
    passThreshold: jobRules?.passThreshold ?? 75,
    rejectThreshold: jobRules?.rejectThreshold ?? 50,
    needsReview: report.status === 'needs_review',
    personOnly,
  });
  for (const r of raters) r.score = s.raterScores.get(r.key) ?? 0;

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
  return { report, job, candidate, raters, rules, s, items, personOnly };
}

/**
 * Builds the summary report for a reader of the report (`report.read`: 404 for anyone else,
 * candidates included). Reading it is audited (who saw whose ratings).
 */
export async function summaryReport(em: Em, actor: Actor, reportId: number): Promise<SummaryReportResponse> {
  const report = await loadReadableReport(em, actor, reportId);
  const { job, candidate, raters, rules, s, items, personOnly } = await summaryCore(
    em,
    report,
    actor.kind === 'employee' ? actor.id : null,
  );
  const all = seesAllRaters(actor, job.hiringManager?.id ?? null);
  const [application, offer] = await Promise.all([
    em.findOneOrFail(Application, { id: report.application.id }),
    em.findOne(Approval, { application: report.application.id, kind: 'offer' }, { orderBy: { id: 'desc' } }),
  ]);
  const offerOpen = offer?.status === 'requested' || offer?.status === 'running';

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
    raters: all ? raters : raters.filter((r) => r.mine),
    allRaters: all,
    raterCount: raters.length,
    // The people's average is other raters' numbers: only those who see every rater get it.
    combined: {
      score: s.combined,
      ai: personOnly ? null : (report.overall ?? null),
      people: all ? s.people : null,
      aiWeight: rules.aiWeight,
      custom: rules.custom,
      formula: all ? s.formula : `AI ${rules.aiWeight}% + 人工 ${100 - rules.aiWeight}%`,
      sources: all ? s.sources : null,
    },
    // Someone who sees only their own rating sees no other rater's numbers through the flags either.
    disagreement: {
      threshold: rules.disagreementPoints,
      flagged: s.disagreements.length > 0,
      items: all ? s.disagreements : [],
    },
    suggestion: { value: s.suggestion, reasons: s.reasons },
    followUps: items,
    application: { stage: application.stage, version: application.version },
    offerApproval: offer ? { id: offer.id, status: offer.status } : null,
    canRequestOffer:
      can(actor, 'application.decide', undefined) && application.stage === 'second_round_done' && !offerOpen,
  };
}

/**
 * The summary of an application's latest report as the 录用 approval form's fields (zh-CN, the
 * language of the approval forms), over every rater: the combined score, its rule (with how many
 * report ratings and live scorecards the people's part averages), each assessment's score, the
 * suggestion with its reasons and the follow-up items. Null when the application has no report.
 * Computed in the caller's transaction; not audited (the approval request is).
 */
export async function summaryForApproval(em: Em, applicationId: number): Promise<SummaryFormValues | null> {
  const report = await em.findOne(
    InterviewReport,
    { application: applicationId },
    { orderBy: { id: 'desc' } },
  );
  if (!report) return null;
  const c = await summaryCore(em, report, null);
  return summaryFormText(c.s, c.raters, c.items, c.rules, c.personOnly ? null : (report.overall ?? null));
}
