import { Application } from '../../kernel/db/entities/Application';
import { InterviewConsent } from '../../kernel/db/entities/InterviewConsent';
import { InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import {
  InterviewAnswer,
  InterviewAttempt,
  InterviewSession,
} from '../../kernel/db/entities/InterviewSession';
import type { Em } from '../../kernel/db/orm';
import type { AnswerKind, SubmittedAnswer, SubmittedSession } from './contract';

/** Thrown when the session does not exist or is not submitted. */
export class SessionNotSubmittedError extends Error {}

/**
 * The final answers of a submitted session, as scoring receives them (see `contract.ts`).
 * Practice questions are left out; each answer is its kept (verified) attempt or its text.
 * `flags` carry the media checks plus `late`, so flagged answers can go to a person.
 */
export async function loadSubmittedAnswers(em: Em, sessionId: number): Promise<SubmittedSession> {
  const session = await em.findOne(InterviewSession, { id: sessionId });
  if (session?.status !== 'submitted')
    throw new SessionNotSubmittedError(`interview session ${sessionId} is not submitted`);
  const app = await em.findOneOrFail(Application, { id: session.application.id });
  const consent = await em.findOne(InterviewConsent, { application: app.id }, { orderBy: { id: 'desc' } });
  const aiConsent = consent?.action === 'grant' && consent.scopes.includes('ai_evaluation');
  const questions = await em.find(
    InterviewQuestion,
    { plan: session.plan.id, practice: false },
    { orderBy: { position: 'asc' } },
  );
  const answers = await em.find(InterviewAnswer, { session, state: 'submitted' });
  const byQ = new Map(answers.map((a) => [a.question.id, a]));
  const out: SubmittedAnswer[] = [];
  for (const [i, q] of questions.entries()) {
    const a = byQ.get(q.id);
    if (!a) continue;
    const attempt = a.finalAttempt
      ? await em.findOne(InterviewAttempt, { answer: a, number: a.finalAttempt, status: 'verified' })
      : null;
    const kind: AnswerKind = q.answerType === 'text' ? 'text' : (attempt?.kind ?? q.answerType);
    const flags = [...new Set([...(attempt?.flags ?? []), ...(a.late ? ['late'] : [])])];
    out.push({
      answerId: a.id,
      questionId: q.id,
      position: i + 1,
      questionText: q.text,
      competencies: q.competencies,
      indicators: q.indicators ?? {},
      referenceAnswers: q.referenceAnswers ?? [],
      expectedSeconds: q.answerSeconds,
      kind,
      objectKey: attempt?.objectKey ?? null,
      contentType: attempt?.contentType ?? null,
      text: a.text ?? null,
      durationMs: attempt?.durationMs ?? null,
      flags,
      language: /[\u4e00-\u9fff]/.test(q.text) ? 'zh' : 'en',
    });
  }
  return {
    applicationId: app.id,
    sessionId: session.id,
    candidateId: session.candidate.id,
    jobId: session.job.id,
    personOnly: app.personOnly || !aiConsent,
    aiConsent,
    answers: out,
  };
}
