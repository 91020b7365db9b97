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

/** Plain-words explanation of the competencies the product knows (others get a generic one). */
const PLAIN: Record<string, { zh: string; en: string }> = {
  问题解决: {
    zh: '遇到问题时，你怎样弄清原因、权衡做法，并确认问题真的解决了。',
    en: 'How you find out what causes a problem, weigh what to do, and check that it is really solved.',
  },
  技术深度: {
    zh: '你能否讲清楚自己做过的技术方案，以及为什么这样取舍。',
    en: 'Whether you can explain the technical work you did and why you made its trade-offs.',
  },
  沟通协作: {
    zh: '和别人意见不同或需要配合时，你怎样理解对方、说明自己的想法并一起往前推进。',
    en: 'How you understand others, explain your view and move forward together when you need to work with them.',
  },
  用户洞察: {
    zh: '你怎样发现用户真正需要的东西，并确认做出来的东西帮到了他们。',
    en: 'How you find out what users really need and check that what was built helped them.',
  },
  结果导向: {
    zh: '你怎样定下目标、把事情推进到完成，并用结果说明做成了什么。',
    en: 'How you set goals, see work through to the end, and show what it achieved.',
  },
  客户导向: {
    zh: '你怎样了解客户的需要、建立信任并为客户带来价值。',
    en: 'How you learn what customers need, earn their trust and bring them value.',
  },
  谈判能力: {
    zh: '你在谈判中怎样了解对方的诉求、守住自己的底线并达成协议。',
    en: 'How you learn what the other side wants, hold your limits and reach an agreement.',
  },
};
const ALIAS: Record<string, string> = {
  'problem solving': '问题解决',
  'technical depth': '技术深度',
  communication: '沟通协作',
  collaboration: '沟通协作',
  'user insight': '用户洞察',
  'results orientation': '结果导向',
  'customer focus': '客户导向',
  negotiation: '谈判能力',
};

/** What a competency looks at, in plain words (never its indicator phrases). */
export function explainCompetency(name: string): string {
  const zh = /\p{Script=Han}/u.test(name);
  const known = PLAIN[name] ?? PLAIN[ALIAS[name.toLowerCase()] ?? ''];
  if (known) return zh ? known.zh : known.en;
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
        .filter((g) => g.competency === c.name)
        .map((g) => ({ text: g.text, suggestion: g.suggestion })),
    })),
    general: r.gaps
      .filter((g) => !r.competencies.some((c) => c.name === g.competency))
      .map((g) => ({ text: g.text, suggestion: g.suggestion })),
    requests: requests.map((t) => ({
      id: t.id,
      kind: t.kind,
      status: t.status,
      dueAt: t.dueAt.toISOString(),
      answer: t.status === 'done' ? (answers.get(t.id) ?? null) : null,
    })),
  };
}
