/**
 * HR's side of the interview content: the questions of a job's plan (text, answer type, prompt,
 * timing, retakes, competencies with behavioural indicators and reference answers, weight,
 * practice) and per-candidate accommodations.
 */
import type {
  AccommodationBody,
  AccommodationResponse,
  PlanResponse,
  QuestionsBody,
  QuestionView,
} from '../../../shared/api/interviewPlans';
import { type AuditContext, audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import { InterviewAccommodation } from '../../kernel/db/entities/InterviewAccommodation';
import {
  type IInterviewQuestion,
  InterviewPlan,
  InterviewQuestion,
} from '../../kernel/db/entities/InterviewPlan';
import { InterviewAnswer } from '../../kernel/db/entities/InterviewSession';
import { Job } from '../../kernel/db/entities/Job';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { badRequest, conflict, notFound } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';

/** JSON of a question for the editor and scoring review. */
export function presentQuestion(q: IInterviewQuestion): QuestionView {
  return {
    id: q.id,
    position: q.position,
    text: q.text,
    answerType: q.answerType,
    promptMediaKind: q.promptMediaKind ?? null,
    promptMediaUrl: q.promptMediaUrl ?? null,
    thinkSeconds: q.thinkSeconds,
    answerSeconds: q.answerSeconds,
    retakes: q.retakes,
    competencies: q.competencies,
    indicators: q.indicators ?? {},
    referenceAnswers: q.referenceAnswers ?? [],
    // A double column: the driver may hand back a string.
    weight: Number(q.weight),
    practice: q.practice,
    maxChars: q.maxChars,
    bankQuestionId: q.bankQuestion?.id ?? null,
  };
}

/** The plan of a job with its questions (HR). Creates an empty plan the first time. */
export async function loadPlan(em: Em, jobId: number): Promise<PlanResponse> {
  const job = await em.findOne(Job, { id: jobId });
  if (!job) throw notFound('Job');
  let plan = await em.findOne(InterviewPlan, { job });
  if (!plan) {
    plan = em.create(InterviewPlan, { job, name: `${job.title} · AI 初面` });
    await em.flush();
  }
  const questions = await em.find(InterviewQuestion, { plan }, { orderBy: { position: 'asc' } });
  return {
    job: { id: job.id, title: job.title },
    plan: { id: plan.id, name: plan.name },
    questions: questions.map(presentQuestion),
  };
}

/**
 * Replaces the questions of a plan with the list HR saved: existing ids are updated, new ones
 * created, missing ones deleted. A question somebody already answered cannot be deleted (its
 * answers would lose their text); edit it or start a new job instead.
 */
export async function saveQuestions(props: {
  em: Em;
  actor: Actor;
  jobId: number;
  body: QuestionsBody;
  context: AuditContext;
}): Promise<PlanResponse> {
  await props.em.transactional(async (em) => {
    const { plan } = await loadPlan(em, props.jobId);
    const existing = await em.find(InterviewQuestion, { plan: plan.id });
    const byId = new Map(existing.map((q) => [q.id, q]));
    for (const q of props.body.questions)
      if (q.id !== undefined && !byId.has(q.id))
        throw badRequest('question_unknown', `Question ${q.id} is not part of this plan`);
    const kept = new Set(
      props.body.questions.map((q) => q.id).filter((id): id is number => id !== undefined),
    );
    const removed = existing.filter((q) => !kept.has(q.id));
    if (removed.length) {
      const used = await em.count(InterviewAnswer, { question: { $in: removed.map((q) => q.id) } });
      if (used)
        throw conflict('question_in_use', 'A question that candidates already answered cannot be removed');
      for (const q of removed) em.remove(q);
    }
    // Positions are unique per plan: park the kept rows out of the way before renumbering.
    for (const q of existing) if (kept.has(q.id)) q.position += 10_000;
    await em.flush();
    for (const [i, input] of props.body.questions.entries()) {
      const { id, bankQuestionId, ...fields } = input;
      const values = {
        ...fields,
        // Absent keeps the link to the bank version (editors that don't know the field).
        ...(bankQuestionId !== undefined ? { bankQuestion: bankQuestionId } : {}),
        position: i + 1,
        promptMediaKind: fields.promptMediaKind ?? null,
        promptMediaUrl: fields.promptMediaUrl ?? null,
      };
      if (id !== undefined) em.assign(byId.get(id) as IInterviewQuestion, values);
      else em.create(InterviewQuestion, { plan: plan.id, ...values });
    }
    await em.flush();
    audit(
      em,
      props.actor,
      'interview_plan.questions_saved',
      { type: 'interview_plan', id: plan.id },
      {
        count: props.body.questions.length,
        removed: removed.map((q) => q.id),
      },
      props.context,
    );
  });
  return loadPlan(props.em, props.jobId);
}

/** Sets a candidate's accommodations for one application (HR). */
export async function saveAccommodation(props: {
  em: Em;
  actor: Actor;
  applicationId: number;
  body: AccommodationBody;
  context: AuditContext;
}): Promise<AccommodationResponse['accommodation']> {
  return props.em.transactional(async (em) => {
    const app = await em.findOne(Application, { id: props.applicationId });
    if (!app) throw notFound('Application');
    let row = await em.findOne(InterviewAccommodation, { application: app });
    if (!row) row = em.create(InterviewAccommodation, { application: app, ...props.body });
    else em.assign(row, props.body);
    row.updatedBy = props.actor.kind === 'employee' ? em.getReference(User, props.actor.id) : null;
    await em.flush();
    audit(
      em,
      props.actor,
      'interview.accommodation_saved',
      { type: 'application', id: app.id },
      props.body,
      props.context,
    );
    return { applicationId: app.id, ...props.body };
  });
}
