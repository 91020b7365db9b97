/**
 * The company's question bank and competency library. Both are versioned: an edit adds a new
 * version (the old one stays, marked not latest), so a plan built from a question keeps the
 * exact version it used, and scoring reads the latest indicators of each competency.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { PlanResponse, QuestionInput } from '../../../shared/api/interviewPlans';
import type { BankQuestionBody, PlanFromBankBody } from '../../../shared/api/jobs';
import { type AuditContext, audit } from '../../kernel/audit';
import { InterviewPlan, InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { Job } from '../../kernel/db/entities/Job';
import {
  BankQuestion,
  Competency,
  type IBankQuestion,
  type ICompetency,
} from '../../kernel/db/entities/QuestionBank';
import type { Em } from '../../kernel/db/orm';
import { AppError, notFound, validationError } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { assertCan } from '../../kernel/policies';
import { presentQuestion, saveQuestions } from '../interview';
import { BUILT_IN_COMPETENCIES } from '../scoring';

/**
 * Writes the built-in rubrics as version 1 of the library the first time it is read. Two first
 * readers at once: the unique (name, version) lets one win; the other's insert is ignored.
 */
export async function ensureLibrary(em: Em): Promise<void> {
  if ((await em.count(Competency, {})) > 0) return;
  try {
    await em.fork().transactional(async (tx) => {
      for (const [name, ind] of Object.entries(BUILT_IN_COMPETENCIES))
        tx.create(Competency, {
          name,
          version: 1,
          latest: true,
          description: '',
          indicatorsZh: [...ind.zh],
          indicatorsEn: [...ind.en],
          createdBy: null,
        } as never);
    });
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
  }
}

/** The latest version of every competency, by name. */
export async function listCompetencies(em: Em): Promise<ICompetency[]> {
  await ensureLibrary(em);
  return em.find(Competency, { latest: true }, { orderBy: { id: 'asc' } });
}

/**
 * Adds a competency, or a new version of one with the same name (HR). With `version` (the one the
 * editor started from) a save over a newer version is refused with 409 `competency_stale`.
 */
export async function saveCompetency(p: {
  em: Em;
  actor: Actor;
  body: {
    name: string;
    description: string;
    indicatorsZh: string[];
    indicatorsEn: string[];
    version?: number;
  };
  context: AuditContext;
}): Promise<ICompetency> {
  assertCan(p.actor, 'job.manage', undefined);
  await ensureLibrary(p.em);
  const { version: base, ...fields } = p.body;
  return p.em.fork().transactional(async (em) => {
    const current = await em.findOne(Competency, { name: fields.name, latest: true });
    if (base !== undefined) {
      // Compare-and-swap on `latest`: of two HR users saving over the same version, one wins.
      const flipped = current
        ? await em.nativeUpdate(
            Competency,
            { id: current.id, version: base, latest: true },
            { latest: false },
          )
        : 0;
      if (flipped !== 1)
        throw new AppError('competency_stale', `Competency ${fields.name} is not at version ${base}`, {
          name: fields.name,
          latest: current?.version ?? null,
        });
    } else if (current) current.latest = false;
    const row = em.create(Competency, {
      ...fields,
      version: (current?.version ?? 0) + 1,
      latest: true,
      createdBy: p.actor.kind === 'employee' ? p.actor.id : null,
    } as never) as ICompetency;
    await em.flush();
    audit(
      em,
      p.actor,
      'competency.saved',
      { type: 'competency', id: row.id },
      {
        name: row.name,
        version: row.version,
      },
      p.context,
    );
    return row;
  });
}

/** The bank's latest, not archived questions, filtered by text and competency. */
export async function searchBank(em: Em, q?: string, competency?: string): Promise<IBankQuestion[]> {
  const rows = await em.find(
    BankQuestion,
    { latest: true, archived: false, ...(q ? { text: { $like: `%${q}%` } } : {}) },
    { orderBy: { id: 'asc' }, limit: 500 },
  );
  return competency ? rows.filter((r) => r.competencies.includes(competency)) : rows;
}

/** Every competency name of a question must be in the library (400 naming the entry). */
async function checkCompetencies(em: Em, names: string[]): Promise<void> {
  const known = new Set((await listCompetencies(em)).map((c) => c.name));
  for (const [i, n] of names.entries())
    if (!known.has(n))
      throw validationError([
        {
          field: `body.competencies.${i}`,
          message: `"${n}" is not in the competency library`,
          kind: 'invalid',
        },
      ]);
}

/** Adds a question to the bank as version 1 (HR). */
export async function createBankQuestion(p: {
  em: Em;
  actor: Actor;
  body: BankQuestionBody;
  context: AuditContext;
}): Promise<IBankQuestion> {
  assertCan(p.actor, 'job.manage', undefined);
  await checkCompetencies(p.em, p.body.competencies);
  return p.em.fork().transactional((tx) => insertBankQuestion(tx, p.actor, p.body, p.context));
}

/**
 * The insert of {@link createBankQuestion} inside the caller's transaction (409 `duplicate` when
 * the bank already has the text), for a caller whose own write must commit or fail with it (an
 * approved question draft). The caller has checked the permission and the competencies.
 */
export async function insertBankQuestion(
  em: Em,
  actor: Actor,
  body: BankQuestionBody,
  context: AuditContext,
): Promise<IBankQuestion> {
  const same = await em.findOne(BankQuestion, { text: body.text, latest: true, archived: false });
  if (same)
    throw new AppError('duplicate', 'The bank already has this question', {
      field: 'body.text',
      id: same.id,
    });
  const row = em.create(BankQuestion, {
    ...body,
    key: crypto.randomUUID(),
    version: 1,
    latest: true,
    archived: false,
    createdBy: actor.kind === 'employee' ? actor.id : null,
  } as never) as IBankQuestion;
  await em.flush();
  audit(em, actor, 'bank_question.created', { type: 'bank_question', id: row.id }, { key: row.key }, context);
  return row;
}

/**
 * Edits a bank question: a new version of the question whose latest version is `id`. Editing
 * an older version (someone saved meanwhile) is refused with 409 `bank_question_stale`; the
 * flip of `latest` is a compare-and-swap, so of two simultaneous edits exactly one wins.
 */
export async function editBankQuestion(p: {
  em: Em;
  actor: Actor;
  id: number;
  body: BankQuestionBody & { archived: boolean };
  context: AuditContext;
}): Promise<IBankQuestion> {
  assertCan(p.actor, 'job.manage', undefined);
  await checkCompetencies(p.em, p.body.competencies);
  return p.em.fork().transactional(async (em) => {
    const prev = await em.findOne(BankQuestion, { id: p.id });
    if (!prev) throw notFound('BankQuestion');
    const flipped = await em.nativeUpdate(BankQuestion, { id: prev.id, latest: true }, { latest: false });
    if (flipped !== 1)
      throw new AppError('bank_question_stale', `Question ${p.id} is not the latest version`, {
        key: prev.key,
      });
    const row = em.create(BankQuestion, {
      ...p.body,
      key: prev.key,
      version: prev.version + 1,
      latest: true,
      createdBy: p.actor.kind === 'employee' ? p.actor.id : null,
    } as never) as IBankQuestion;
    await em.flush();
    audit(
      em,
      p.actor,
      'bank_question.versioned',
      { type: 'bank_question', id: row.id },
      {
        key: row.key,
        version: row.version,
        archived: row.archived,
      },
      p.context,
    );
    return row;
  });
}

/** Every version of the question `id` belongs to, oldest first. */
export async function bankVersions(em: Em, id: number): Promise<IBankQuestion[]> {
  const row = await em.findOne(BankQuestion, { id });
  if (!row) throw notFound('BankQuestion');
  return em.find(BankQuestion, { key: row.key }, { orderBy: { version: 'asc' } });
}

/**
 * Builds a job's interview plan from bank questions, in the given order, with optional timing
 * per question: the plan's questions become exactly these (a practice question is kept first).
 * A bank version already in the plan keeps its plan question (and any answers to it); the text
 * is copied, so later edits of the bank never change this plan.
 */
export async function buildPlanFromBank(p: {
  em: Em;
  actor: Actor;
  jobId: number;
  body: PlanFromBankBody;
  context: AuditContext;
}): Promise<PlanResponse> {
  assertCan(p.actor, 'job.manage', undefined);
  const em = p.em.fork();
  const job = await em.findOne(Job, { id: p.jobId });
  if (!job) throw notFound('Job');
  const ids = p.body.items.map((i) => i.bankQuestionId);
  const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (dup >= 0)
    throw validationError([
      { field: `body.items.${dup}.bankQuestionId`, message: 'picked twice', kind: 'invalid' },
    ]);
  const bank = await em.find(BankQuestion, { id: { $in: ids } });
  for (const [i, id] of ids.entries()) {
    const b = bank.find((x) => x.id === id);
    if (!b || b.archived)
      throw validationError([
        { field: `body.items.${i}.bankQuestionId`, message: 'no such question in the bank', kind: 'invalid' },
      ]);
  }
  const plan = await em.findOne(InterviewPlan, { job });
  const existing = plan ? await em.find(InterviewQuestion, { plan }, { orderBy: { position: 'asc' } }) : [];
  const practice = existing.filter((q) => q.practice);
  // A kept (practice) question goes back as it is: the editor's own view of it, without its
  // position (the list's order sets that) or its bank link (absent = unchanged).
  const keep = (q: (typeof existing)[number]): QuestionInput => {
    const { position: _position, bankQuestionId: _bank, ...input } = presentQuestion(q);
    return input;
  };
  const questions: QuestionInput[] = [
    ...practice.slice(0, 1).map(keep),
    ...p.body.items.map((item): QuestionInput => {
      const b = bank.find((x) => x.id === item.bankQuestionId) as IBankQuestion;
      const inPlan = existing.find((q) => !q.practice && q.bankQuestion?.id === b.id);
      return {
        ...(inPlan ? { id: inPlan.id } : {}),
        text: b.text,
        answerType: b.answerType,
        promptMediaKind: null,
        promptMediaUrl: null,
        thinkSeconds: item.thinkSeconds ?? b.thinkSeconds,
        answerSeconds: item.answerSeconds ?? b.answerSeconds,
        retakes: item.retakes ?? b.retakes,
        competencies: b.competencies,
        // Indicators come from the library at scoring time (latest version of each competency).
        indicators: {},
        referenceAnswers: b.referenceAnswers,
        weight: inPlan ? Number(inPlan.weight) : 1,
        practice: false,
        maxChars: inPlan?.maxChars ?? 2000,
        bankQuestionId: b.id,
      };
    }),
  ];
  return saveQuestions({ em: p.em, actor: p.actor, jobId: p.jobId, body: { questions }, context: p.context });
}
