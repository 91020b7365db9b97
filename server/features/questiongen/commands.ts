/**
 * Drafts of questions from a job: generated (rules, or the LLM when configured and its output
 * holds up), edited by HR while proposed, then approved into the question bank (version 1,
 * through the bank's own code, so it is audited and duplicate-checked) or discarded. A draft
 * leaves `proposed` once: the status flip is a compare-and-swap, so of two approvals (or an
 * approval and a discard) exactly one wins and the other gets 409 `question_draft_decided`.
 */
import type { EditDraftBody } from '../../../shared/api/questionDrafts';
import { type AuditContext, audit } from '../../kernel/audit';
import { Job } from '../../kernel/db/entities/Job';
import type { IBankQuestion } from '../../kernel/db/entities/QuestionBank';
import { type IQuestionDraft, QuestionDraft } from '../../kernel/db/entities/QuestionDraft';
import type { Em } from '../../kernel/db/orm';
import { conflict, notFound, validationError } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import type { ChatEndpoint } from '../../kernel/integrations/llm/chat';
import { assertCan } from '../../kernel/policies';
import { insertBankQuestion, listCompetencies } from '../jobs';
import { proposeByLlm, type QgenLlmRecord } from './llm';
import { type JdLanguage, type LibraryCompetency, proposeByRules, QGEN_RULES_VERSION } from './rules';

/** The library's entries for these names, in the given order; 400 naming the first unknown one. */
async function libraryEntries(em: Em, names: string[]): Promise<LibraryCompetency[]> {
  const library = await listCompetencies(em);
  return names.map((name, i) => {
    const c = library.find((x) => x.name === name);
    if (!c)
      throw validationError([
        {
          field: `body.competencies.${i}`,
          message: `"${name}" is not in the competency library`,
          kind: 'invalid',
        },
      ]);
    return { name: c.name, indicatorsZh: c.indicatorsZh, indicatorsEn: c.indicatorsEn };
  });
}

const employeeId = (actor: Actor) => (actor.kind === 'employee' ? actor.id : null);

/** What one generation stored. */
export interface Generated {
  source: 'rules' | 'llm';
  language: JdLanguage;
  fallbackReason: string | null;
  drafts: IQuestionDraft[];
}

/**
 * Proposes questions for a job from its description and the chosen competencies, and stores
 * them as drafts of one batch. With `llm`, the LLM writes them when its output validates; else
 * (or when it does not) the rules do, and the reason is kept with every draft of the batch.
 * The LLM is asked before the transaction opens, so a slow endpoint holds no locks.
 */
export async function generateDrafts(p: {
  em: Em;
  actor: Actor;
  jobId: number;
  body: { competencies: string[]; perKind: number; language?: JdLanguage };
  llm: ChatEndpoint | null;
  context: AuditContext;
}): Promise<Generated> {
  assertCan(p.actor, 'job.manage', undefined);
  const job = await p.em.fork().findOne(Job, { id: p.jobId });
  if (!job) throw notFound('Job');
  const competencies = await libraryEntries(p.em, p.body.competencies);
  const jobText = { title: job.title, description: job.description, requirements: job.requirements };
  const rules = proposeByRules({
    job: jobText,
    competencies,
    perKind: p.body.perKind,
    language: p.body.language,
  });
  let record: QgenLlmRecord | null = null;
  let questions = rules.questions;
  if (p.llm) {
    const out = await proposeByLlm(p.llm, {
      job: jobText,
      competencies,
      perKind: p.body.perKind,
      language: rules.language,
    });
    record = out.record;
    if (out.questions) questions = out.questions;
  }
  const source = record && !record.discarded ? 'llm' : 'rules';
  const batch = crypto.randomUUID();
  const drafts = await p.em.fork().transactional(async (em) => {
    const seen = new Set<string>();
    const rows = questions
      .filter((q) => !seen.has(q.text) && seen.add(q.text))
      .map(
        (q) =>
          em.create(QuestionDraft, {
            job: job.id,
            batch,
            kind: q.kind,
            text: q.text,
            referenceAnswers: q.referenceAnswers,
            competencies: q.competencies,
            indicators: q.indicators,
            language: rules.language,
            source,
            rulesVersion: QGEN_RULES_VERSION,
            llm: record as Record<string, unknown> | null,
            status: 'proposed',
            edited: false,
            bankQuestion: null,
            createdBy: employeeId(p.actor),
          } as never) as IQuestionDraft,
      );
    await em.flush();
    audit(
      em,
      p.actor,
      'question_drafts.generated',
      { type: 'job', id: job.id },
      {
        batch,
        count: rows.length,
        source,
        competencies: p.body.competencies,
        ...(record ? { model: record.model, promptVersion: record.promptVersion } : {}),
        ...(record?.discarded ? { fallbackReason: record.discarded } : {}),
      },
      p.context,
    );
    return rows;
  });
  return { source, language: rules.language, fallbackReason: record?.discarded ?? null, drafts };
}

/** A job's drafts, newest batch first, optionally of one status. */
export async function listDrafts(
  em: Em,
  actor: Actor,
  jobId: number,
  status?: IQuestionDraft['status'],
): Promise<IQuestionDraft[]> {
  assertCan(actor, 'job.manage', undefined);
  if (!(await em.count(Job, { id: jobId }))) throw notFound('Job');
  return em.find(
    QuestionDraft,
    { job: jobId, ...(status ? { status } : {}) },
    { populate: ['bankQuestion'], orderBy: { id: 'desc' }, limit: 200 },
  );
}

/** The draft, or 404. */
async function loadDraft(em: Em, id: number): Promise<IQuestionDraft> {
  const d = await em.findOne(QuestionDraft, { id }, { populate: ['bankQuestion'], refresh: true });
  if (!d) throw notFound('QuestionDraft');
  return d;
}

/** 409 for a draft that is no longer proposed (approved or discarded meanwhile). */
const decided = (id: number) =>
  conflict('question_draft_decided', `Question draft ${id} was already approved or discarded`, { id });

/**
 * HR's edit of a proposed draft (text, reference points, competencies, kind). The write is
 * conditional on the draft still being proposed, so an edit never lands after an approval.
 */
export async function editDraft(p: {
  em: Em;
  actor: Actor;
  id: number;
  body: EditDraftBody;
  context: AuditContext;
}): Promise<IQuestionDraft> {
  assertCan(p.actor, 'job.manage', undefined);
  await libraryEntries(p.em, p.body.competencies);
  const em = p.em.fork();
  const before = await loadDraft(em, p.id);
  const sameCompetencies = JSON.stringify(before.competencies) === JSON.stringify(p.body.competencies);
  await em.transactional(async (tx) => {
    const changed = await tx.nativeUpdate(
      QuestionDraft,
      { id: p.id, status: 'proposed' },
      {
        ...p.body,
        // The targeted indicators belong to the competencies they were written for.
        indicators: sameCompetencies ? before.indicators : [],
        edited: true,
        updatedAt: new Date(),
      },
    );
    if (changed !== 1) throw decided(p.id);
    audit(
      tx,
      p.actor,
      'question_draft.edited',
      { type: 'question_draft', id: p.id },
      { kind: p.body.kind },
      p.context,
    );
  });
  return loadDraft(em, p.id);
}

/**
 * Moves a proposed draft to approved or discarded, or 409 when it is not proposed any more.
 * Of two concurrent calls exactly one flips it.
 */
async function decide(em: Em, actor: Actor, id: number, status: 'approved' | 'discarded'): Promise<void> {
  await loadDraft(em, id);
  const flipped = await em.nativeUpdate(
    QuestionDraft,
    { id, status: 'proposed' },
    { status, decidedBy: employeeId(actor), decidedAt: new Date() },
  );
  if (flipped !== 1) throw decided(id);
}

/**
 * Approves a draft: it becomes a bank question (version 1, through the bank's own insert: the
 * duplicate check and its audit) and the draft links to it, all in one transaction. The claim
 * (proposed -> approved) comes first, so of two concurrent approvals one waits on the row and then
 * gets 409 without creating anything; when the bank refuses the question (the same text is
 * already there), the whole transaction rolls back and the draft stays proposed for HR to edit.
 */
export async function approveDraft(p: {
  em: Em;
  actor: Actor;
  id: number;
  context: AuditContext;
}): Promise<{ draft: IQuestionDraft; question: IBankQuestion }> {
  assertCan(p.actor, 'job.manage', undefined);
  const em = p.em.fork();
  const before = await loadDraft(em, p.id);
  // Competencies may have left the library since the draft was written: 400 naming the entry.
  await libraryEntries(em, before.competencies);
  const question = await em.transactional(async (tx) => {
    await decide(tx, p.actor, p.id, 'approved');
    const draft = await loadDraft(tx, p.id);
    const row = await insertBankQuestion(
      tx,
      p.actor,
      {
        text: draft.text,
        competencies: draft.competencies,
        referenceAnswers: draft.referenceAnswers,
        answerType: 'video',
        thinkSeconds: 30,
        // A scenario takes a little longer to reason through aloud than a story one already has.
        answerSeconds: draft.kind === 'situational' ? 150 : 120,
        retakes: 1,
      },
      p.context,
    );
    await tx.nativeUpdate(QuestionDraft, { id: p.id }, { bankQuestion: row.id });
    audit(
      tx,
      p.actor,
      'question_draft.approved',
      { type: 'question_draft', id: p.id },
      { bankQuestionId: row.id, key: row.key, version: row.version, source: draft.source },
      p.context,
    );
    return row;
  });
  return { draft: await loadDraft(em, p.id), question };
}

/** Discards a proposed draft (audited); 409 when it was approved or discarded already. */
export async function discardDraft(p: {
  em: Em;
  actor: Actor;
  id: number;
  context: AuditContext;
}): Promise<IQuestionDraft> {
  assertCan(p.actor, 'job.manage', undefined);
  const em = p.em.fork();
  await em.transactional(async (tx) => {
    await decide(tx, p.actor, p.id, 'discarded');
    audit(tx, p.actor, 'question_draft.discarded', { type: 'question_draft', id: p.id }, null, p.context);
  });
  return loadDraft(em, p.id);
}
