import type {
  FeedbackBand,
  FeedbackView,
  ReportDetail,
  ReportResumeMatch,
  ReportSummary,
  ReviewTaskView,
  ScoreBasis,
} from '../../../shared/api/reports';
import type {
  IAnswerTranscript,
  IInterviewReport,
  IReportRating,
  IReviewTask,
} from '../../kernel/db/entities/Scoring';
import { competencyWords } from './competencyWords';

/** Feedback bands a candidate sees instead of numbers (no ranking against others). */
export type { FeedbackBand };

/** Maps a 0-100 competency score to a band. */
export function bandOf(score: number): FeedbackBand {
  return score >= 80 ? 'strong' : score >= 65 ? 'good' : score >= 50 ? 'fair' : 'developing';
}

/** A report row in the review list. */
export function presentReportSummary(
  r: IInterviewReport,
  extra: { candidateName: string; jobTitle: string; ratedByMe: boolean },
): ReportSummary {
  return {
    id: r.id,
    applicationId: r.application.id,
    candidateId: r.candidateId,
    candidateName: extra.candidateName,
    jobTitle: extra.jobTitle,
    status: r.status,
    overall: r.overall ?? null,
    recommendation: r.recommendation,
    flags: r.flags,
    released: r.releasedAt !== null,
    ratedByMe: extra.ratedByMe,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The HR / reviewer view: scores, evidence highlighted in each answer's transcript, ratings. */
export function presentReport(
  r: IInterviewReport,
  d: {
    candidateName: string;
    jobTitle: string;
    transcripts: IAnswerTranscript[];
    ratings: IReportRating[];
    myId: number;
    tasks: IReviewTask[];
    /** What each answer's score rests on (`ScoreResult.basis`), by answer id. */
    basis?: Map<number, ScoreBasis | null>;
    /** The résumé's match with the job (the 岗位匹配 line), when the candidate has a parsed résumé. */
    resumeMatch?: ReportResumeMatch | null;
  },
): ReportDetail {
  return {
    ...presentReportSummary(r, {
      candidateName: d.candidateName,
      jobTitle: d.jobTitle,
      ratedByMe: d.ratings.some((x) => x.reviewer.id === d.myId),
    }),
    jobMatch: r.jobMatch ?? null,
    resumeMatch: d.resumeMatch ?? null,
    competencies: r.competencies,
    strengths: r.strengths,
    gaps: r.gaps,
    scorerVersion: r.scorerVersion ?? null,
    weightsSource: r.weightsSource ?? null,
    /** The AI only suggests; people decide (TRUST.md). */
    recommendationIsSuggestion: true as const,
    answers: d.transcripts.map((t) => ({
      answerId: t.answerId,
      position: t.position,
      question: t.questionText,
      status: t.status,
      transcript: t.text ?? '',
      sentences: t.sentences,
      hasMedia: t.objectKey !== null,
      basis: d.basis?.get(t.answerId) ?? null,
      highlights: r.competencies.flatMap((c) =>
        c.evidence
          .filter((e) => e.answerId === t.answerId)
          .map((e) => ({
            start: e.start,
            end: e.end,
            competency: c.name,
            indicator: e.indicator,
            atMs: e.atMs ?? null,
          })),
      ),
    })),
    ratings: d.ratings.map((x) => ({
      reviewerId: x.reviewer.id,
      reviewerName: x.reviewer.name,
      competency: x.competency,
      score: x.score,
      comment: x.comment ?? null,
      mine: x.reviewer.id === d.myId,
    })),
    tasks: d.tasks.map(presentTask),
  };
}

/** A review task (HR's queue). */
export function presentTask(t: IReviewTask): ReviewTaskView {
  return {
    id: t.id,
    kind: t.kind,
    reason: t.reason,
    status: t.status,
    dueAt: t.dueAt.toISOString(),
    applicationId: t.application.id,
    reportId: t.report?.id ?? null,
  };
}

/** What a competency looks at, in plain words (never its indicator phrases). */
export function explainCompetency(name: string): string {
  const zh = /\p{Script=Han}/u.test(name);
  const known = competencyWords(name);
  if (known) return zh ? known.plain.zh : known.plain.en;
  return zh
    ? `「${name}」看的是你在回答中讲到的具体做法和结果。`
    : `"${name}" looks at the concrete things you did and what came of them, as told in your answers.`;
}

/**
 * What the candidate sees: per competency a band, what the competency looks at in plain words,
 * the candidate's own words that supported it (quoted), and concrete suggestions. Never the
 * rubric's indicator phrases (they would teach the rubric to the next candidate), no scores, no
 * ranking.
 */
export function presentFeedback(
  r: IInterviewReport,
  jobTitle: string,
  requests: IReviewTask[],
  answers: ReadonlyMap<number, string> = new Map(),
): FeedbackView {
  // A step about how the answers are told (an example, one's own part, the result) comes out the
  // same for every competency they were scored on; said once under "delivery" it reads as advice,
  // repeated under each competency it reads as a form letter.
  const seenIn = new Map<string, number>();
  for (const c of r.competencies)
    for (const s of new Set(r.gaps.filter((g) => g.competency === c.name).map((g) => g.suggestion)))
      seenIn.set(s, (seenIn.get(s) ?? 0) + 1);
  const shared = (suggestion: string) => (seenIn.get(suggestion) ?? 0) > 1;
  const general: FeedbackView['general'] = [];
  for (const g of r.gaps)
    if (
      (!r.competencies.some((c) => c.name === g.competency) || shared(g.suggestion)) &&
      !general.some((x) => x.suggestion === g.suggestion)
    )
      general.push({ text: g.text, suggestion: g.suggestion });
  return {
    id: r.id,
    jobTitle,
    releasedAt: r.releasedAt?.toISOString() ?? null,
    personOnly: r.status === 'person_only',
    competencies: r.competencies.map((c) => ({
      name: c.name,
      band: bandOf(c.score),
      explanation: explainCompetency(c.name),
      /** The candidate's own words (verbatim quotes of their answers), at most two. */
      quotes: [...new Set(c.evidence.map((e) => e.quote))].slice(0, 2),
      suggestions: r.gaps
        .filter((g) => g.competency === c.name && !shared(g.suggestion))
        .map((g) => ({ text: g.text, suggestion: g.suggestion })),
    })),
    general,
    requests: requests.map((t) => ({
      id: t.id,
      kind: t.kind,
      status: t.status,
      dueAt: t.dueAt.toISOString(),
      answer: t.status === 'done' ? (answers.get(t.id) ?? null) : null,
    })),
  };
}
