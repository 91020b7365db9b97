import type {
  FeedbackBand,
  FeedbackView,
  ReportDetail,
  ReportSummary,
  ReviewTaskView,
} from '../../../shared/api/reports';
import type {
  IAnswerTranscript,
  IInterviewReport,
  IReportRating,
  IReviewTask,
} from '../../kernel/db/entities/Scoring';

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
  },
): ReportDetail {
  return {
    ...presentReportSummary(r, {
      candidateName: d.candidateName,
      jobTitle: d.jobTitle,
      ratedByMe: d.ratings.some((x) => x.reviewer.id === d.myId),
    }),
    jobMatch: r.jobMatch ?? null,
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

/** What the candidate sees: bands with reasons and suggestions; no scores, no ranking. */
export function presentFeedback(
  r: IInterviewReport,
  jobTitle: string,
  requests: IReviewTask[],
): FeedbackView {
  return {
    id: r.id,
    jobTitle,
    releasedAt: r.releasedAt?.toISOString() ?? null,
    personOnly: r.status === 'person_only',
    competencies: r.competencies.map((c) => ({
      name: c.name,
      band: bandOf(c.score),
      reasons: c.matched,
      suggestions: r.gaps
        .filter((g) => g.competency === c.name)
        .map((g) => ({ text: g.text, suggestion: g.suggestion })),
    })),
    general: r.gaps
      .filter((g) => !r.competencies.some((c) => c.name === g.competency))
      .map((g) => ({ text: g.text, suggestion: g.suggestion })),
    strengths: r.strengths,
    requests: requests.map((t) => ({
      id: t.id,
      kind: t.kind,
      status: t.status,
      dueAt: t.dueAt.toISOString(),
    })),
  };
}
