/**
 * Follow-up writes: create them when a session's transcripts are scored, phrase them with the
 * LLM when one is configured, take the candidate's answer (scored on the question's own rubric),
 * and switch follow-ups on or off per plan.
 */
import type { CandidateFollowUpView } from '../../../shared/api/followups';
import type { Actor } from '../../kernel/actor';
import { audit } from '../../kernel/audit';
import { FollowUp, type IFollowUp } from '../../kernel/db/entities/FollowUp';
import { InterviewPlan, InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { InterviewSession } from '../../kernel/db/entities/InterviewSession';
import { AnswerScore, AnswerTranscript } from '../../kernel/db/entities/Scoring';
import type { Em } from '../../kernel/db/orm';
import { badRequest, conflict, notFound } from '../../kernel/errors';
import { type CompetencySpec, type Lang, type LlmOptions, scoreAnswer } from '../scoring';
import { phraseFollowUp } from './phrase';
import { presentCandidateFollowUp } from './present';
import { chooseFollowUp } from './rules';

/** The question as it was scored (stored with every answer score by the scoring pipeline). */
interface ScoredQuestion {
  questionId: number;
  question: string;
  language: Lang;
  competencies: CompetencySpec[];
  referenceAnswers?: string[];
}

function scoredQuestion(score: { result: Record<string, unknown> }): ScoredQuestion | null {
  const input = score.result.input as Partial<ScoredQuestion> | undefined;
  if (!input?.question || !Array.isArray(input.competencies) || !input.language) return null;
  return input as ScoredQuestion;
}

/** Props of {@link createFollowUps}. */
export interface CreateFollowUpsProps {
  sessionId: number;
  reportId: number | null;
  candidateId: number;
  applicationId: number;
}

/**
 * Chooses, by rules, at most one follow-up per scored answer of a session and stores them with
 * the rules' wording, ready at once (no LLM call inside: this runs in the report's transaction).
 * Nothing when the plan has follow-ups switched off. Idempotent: an answer never gets a second.
 */
export async function createFollowUps(em: Em, p: CreateFollowUpsProps): Promise<IFollowUp[]> {
  const session = await em.findOne(InterviewSession, { id: p.sessionId }, { populate: ['plan'] });
  if (!session?.plan.followUps) return [];
  const [transcripts, scores, existing] = await Promise.all([
    em.find(AnswerTranscript, { sessionId: p.sessionId }),
    em.find(AnswerScore, { sessionId: p.sessionId }),
    em.find(FollowUp, { sessionId: p.sessionId }, { fields: ['answerId'] }),
  ]);
  if (!transcripts.length) return [];
  const done = new Set(existing.map((f) => f.answerId));
  const questionIds = scores.map((s) => scoredQuestion(s)?.questionId).filter((x): x is number => !!x);
  const questions = questionIds.length ? await em.find(InterviewQuestion, { id: { $in: questionIds } }) : [];
  /** A follow-up is answered the way its question is: typed, or recorded (audio for audio-only sessions). */
  const modeOf = (questionId: number) => {
    const type = questions.find((x) => x.id === questionId)?.answerType ?? 'video';
    if (type === 'text') return 'text';
    return type === 'audio' || session.audioOnly ? 'audio' : 'video';
  };
  // The moment the last transcript was stored: what "time to follow-up" is measured from.
  const transcriptAt = new Date(Math.max(...transcripts.map((t) => t.createdAt.getTime())));
  const created: IFollowUp[] = [];
  for (const score of scores) {
    if (done.has(score.answerId)) continue;
    const t = transcripts.find((x) => x.answerId === score.answerId);
    const q = scoredQuestion(score);
    if (!t?.text?.trim() || !q) continue;
    const choice = chooseFollowUp({
      question: q.question,
      competencies: q.competencies,
      transcript: t.text,
      language: q.language,
    });
    if (!choice) continue;
    created.push(
      em.create(FollowUp, {
        answerId: score.answerId,
        sessionId: p.sessionId,
        applicationId: p.applicationId,
        candidateId: p.candidateId,
        reportId: p.reportId,
        questionId: q.questionId,
        position: t.position,
        questionText: q.question,
        language: choice.language,
        gap: choice.gap,
        indicator: choice.indicator ?? null,
        competency: choice.competency ?? null,
        reason: choice.reason.slice(0, 500),
        ruleText: choice.text,
        text: choice.text,
        phrasedBy: 'rules',
        rulesVersion: choice.rulesVersion,
        llm: null,
        status: 'pending',
        answerMode: modeOf(q.questionId),
        transcriptAt,
        // Wall-clock time on purpose: this is the latency the candidate experiences.
        availableAt: new Date(),
      } as never),
    );
  }
  if (created.length) {
    await em.flush();
    audit(
      em,
      null,
      'followups.created',
      { type: 'interview_session', id: p.sessionId },
      {
        followUps: created.map((f) => ({ id: f.id, answerId: f.answerId, gap: f.gap })),
      },
    );
  }
  return created;
}

/**
 * Asks the LLM to phrase a session's follow-ups that still carry the rules' wording and are
 * unanswered. Kept only when the output passes the quote check; every attempt (prompt version,
 * model, messages, why discarded) is recorded on the row.
 */
export async function phraseSessionFollowUps(em: Em, llm: LlmOptions, sessionId: number): Promise<number> {
  const rows = await em.find(FollowUp, { sessionId, status: 'pending', phrasedBy: 'rules', llm: null });
  let phrased = 0;
  for (const f of rows) {
    const t = await em.findOne(AnswerTranscript, { answerId: f.answerId });
    if (!t?.text) continue;
    const out = await phraseFollowUp(llm, {
      question: f.questionText,
      transcript: t.text,
      choice: {
        gap: f.gap,
        language: f.language as Lang,
        text: f.ruleText,
        indicator: f.indicator ?? undefined,
        competency: f.competency ?? undefined,
        reason: f.reason,
        rulesVersion: f.rulesVersion,
      },
    });
    f.llm = out.llm as unknown as Record<string, unknown>;
    if (out.source === 'llm') {
      f.text = out.text;
      f.phrasedBy = 'llm';
      phrased++;
    }
  }
  await em.flush();
  return phrased;
}

/** Props of {@link answerFollowUp}. */
export interface AnswerFollowUpProps {
  actor: Actor & { kind: 'candidate' };
  id: number;
  text: string;
  now: Date;
}

/**
 * Stores the candidate's answer to their own pending follow-up and scores it on the rubric of
 * the question it follows (the same scorer and indicators as the original answer). Another
 * candidate's id is 404; an answered or withdrawn follow-up is 409 and nothing changes.
 */
export async function answerFollowUp(em: Em, p: AnswerFollowUpProps): Promise<CandidateFollowUpView> {
  return em.transactional(async (tx) => {
    const f = await tx.findOne(FollowUp, { id: p.id, candidateId: p.actor.id });
    if (!f) throw notFound('Follow-up');
    if (f.status === 'answered') throw conflict('follow_up_answered', 'This follow-up was already answered');
    if (f.status === 'withdrawn') throw conflict('follow_up_withdrawn', 'This follow-up was withdrawn');
    // Typed only where the question it follows takes text; otherwise it is recorded like it.
    if (f.answerMode !== 'text') throw badRequest('recorded_answer', 'This follow-up takes a recording');
    await scoreFollowUpAnswer(tx, f, p.text, p.now, p.actor);
    return presentCandidateFollowUp(f);
  });
}

/**
 * Stores a follow-up's answer (typed, or the transcript of its recording) and scores it on the
 * rubric of the question it follows: the same scorer, indicators and reference answers as the
 * original answer. Call inside a transaction; flushes.
 */
export async function scoreFollowUpAnswer(
  tx: Em,
  f: IFollowUp,
  text: string,
  now: Date,
  actor: Actor | null = null,
): Promise<void> {
  const score = await tx.findOne(AnswerScore, { answerId: f.answerId });
  const q = score ? scoredQuestion(score) : null;
  const result = q
    ? scoreAnswer({
        question: q.question,
        competencies: q.competencies,
        referenceAnswers: q.referenceAnswers,
        language: q.language,
        transcript: text,
      })
    : null;
  Object.assign(f, {
    status: 'answered',
    answerText: text,
    answeredAt: now,
    answerScore: result?.overall ?? null,
    answerResult: result as unknown as Record<string, unknown> | null,
  });
  audit(
    tx,
    actor,
    'followup.answered',
    { type: 'follow_up', id: f.id },
    { score: result?.overall ?? null, mode: f.answerMode },
  );
  await tx.flush();
}

/** Props of {@link setPlanFollowUps}. */
export interface SetPlanFollowUpsProps {
  actor: Actor;
  jobId: number;
  enabled: boolean;
}

/**
 * Switches follow-ups on or off for a job's plan. Switching off withdraws the follow-ups still
 * waiting for an answer in that plan's sessions (candidates are no longer asked them).
 */
export async function setPlanFollowUps(
  em: Em,
  p: SetPlanFollowUpsProps,
): Promise<{ jobId: number; enabled: boolean }> {
  return em.transactional(async (tx) => {
    const plan = await tx.findOne(InterviewPlan, { job: p.jobId });
    if (!plan) throw notFound('Interview plan');
    const before = plan.followUps;
    plan.followUps = p.enabled;
    let withdrawn = 0;
    if (!p.enabled) {
      const sessions = await tx.find(InterviewSession, { plan: plan.id }, { fields: ['id'] });
      const pending = sessions.length
        ? await tx.find(FollowUp, { sessionId: { $in: sessions.map((s) => s.id) }, status: 'pending' })
        : [];
      for (const f of pending) f.status = 'withdrawn';
      withdrawn = pending.length;
    }
    if (before !== p.enabled)
      audit(
        tx,
        p.actor,
        'plan.followups_set',
        { type: 'interview_plan', id: plan.id },
        {
          enabled: p.enabled,
          withdrawn,
        },
      );
    await tx.flush();
    return { jobId: p.jobId, enabled: plan.followUps };
  });
}
