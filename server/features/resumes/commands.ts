/**
 * Résumé writes: storing an upload (checked first, the extraction queued through the outbox),
 * the worker's extraction + parsing, HR's field corrections (audited), the candidate's
 * talent-pool consent, HR's screening decisions, and erasure.
 */
import { randomUUID } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type {
  CorrectFieldBody,
  ProfileField,
  ResumeKind,
  ResumeProfile,
  ScreeningDecision,
} from '../../../shared/api/resumes';
import { parseResume } from '../../../shared/resumes/parse';
import { type AuditContext, audit } from '../../kernel/audit';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { CandidateTag, type IResume, Resume, ScreeningDecisionRow } from '../../kernel/db/entities/Resume';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { AppError, conflict, notFound } from '../../kernel/errors';
import { emit } from '../../kernel/events';
import { PermanentError } from '../../kernel/events/consume';
import type { Actor } from '../../kernel/http/context';
import type { ObjectStore } from '../../kernel/integrations/storage';
import type { LlmOptions } from '../scoring';
import { ExtractError, extractText } from './extract';
import { fillGaps } from './gapfill';
import type { CheckedFile } from './intake';
import { refreshPoolRecords } from './poolGroups';
import { dropTagsOutsidePool } from './tags';

/** Content types the stored objects are given, by kind. */
export const CONTENT_TYPES: Record<ResumeKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/** Props of {@link storeResume}. */
export interface StoreResumeProps {
  em: Em;
  storage: ObjectStore;
  actor: Actor;
  candidateId: number;
  jobId: number | null;
  fileName: string;
  bytes: Buffer;
  checked: CheckedFile;
  now: Date;
  context: AuditContext;
}

/**
 * Stores a checked résumé file and queues its extraction: the object first (a crash after it
 * leaves an orphan object, never a row without its file), then the row, the
 * `resume.uploaded` event and the audit entry in one transaction.
 */
export async function storeResume(p: StoreResumeProps): Promise<IResume> {
  const candidate = await p.em.findOne(Candidate, { id: p.candidateId });
  if (!candidate) throw notFound('Candidate');
  const job = p.jobId === null ? null : await p.em.findOne(Job, { id: p.jobId });
  if (p.jobId !== null && !job) throw notFound('Job');
  if (job && job.status !== 'open') throw conflict('job_closed', 'This job is closed and takes no résumés');
  const key = `resumes/${candidate.id}/${randomUUID()}.${p.checked.kind}`;
  await p.storage.put(key, p.bytes, { contentType: CONTENT_TYPES[p.checked.kind] });
  return p.em.transactional(async (tx) => {
    const row = tx.create(Resume, {
      candidate: candidate.id,
      job: job?.id ?? null,
      uploadedBy: p.actor.kind === 'employee' ? p.actor.id : null,
      objectKey: key,
      fileName: p.fileName.slice(0, 200) || `resume.${p.checked.kind}`,
      kind: p.checked.kind,
      size: p.bytes.length,
      pages: p.checked.pages,
      consentAt: p.now,
      // A candidate consents in the upload form; HR's upload rests on the application itself.
      consentBasis: p.actor.kind === 'candidate' ? 'candidate' : 'hr_upload',
    });
    await tx.flush();
    await emit(tx, {
      type: 'resume.uploaded',
      key: `resume:${row.id}:uploaded`,
      aggregate: `resume:${row.id}`,
      actor: { kind: p.actor.kind, id: p.actor.id },
      data: { resumeId: row.id, candidateId: candidate.id },
    });
    audit(
      tx,
      p.actor,
      'resume.uploaded',
      { type: 'resume', id: row.id },
      { candidateId: candidate.id, jobId: job?.id ?? null, kind: row.kind, size: row.size, pages: row.pages },
      p.context,
    );
    return row;
  });
}

async function readAll(storage: ObjectStore, key: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await storage.openRead(key)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/**
 * The worker's handler of `resume.uploaded`: extracts the text (child processes with time
 * limits), parses the profile and stores both. A file the tools cannot read is marked failed
 * with the reason's code (the candidate sees it and can upload another); a timeout is not
 * retried, since the same file would time out again.
 */
export async function processResume(
  em: Em,
  storage: ObjectStore,
  resumeId: number,
  llm: LlmOptions | null = null,
): Promise<void> {
  const row = await em.findOne(Resume, { id: resumeId });
  if (!row) throw new PermanentError(`résumé ${resumeId} does not exist`);
  if (row.status !== 'pending' || !row.objectKey) return;
  const bytes = await readAll(storage, row.objectKey);
  try {
    const out = await extractText(bytes, row.kind, row.pages ?? null);
    // The parser first; the LLM (when configured) only fills what it left empty, checked against the text.
    const profile = await fillGaps(llm, out.text, parseResume(out.text).profile);
    row.text = out.text;
    row.method = out.method;
    row.extractMs = out.ms;
    row.profile = profile;
    row.status = 'parsed';
    row.errorCode = null;
  } catch (err) {
    if (!(err instanceof ExtractError)) throw err;
    row.status = 'failed';
    row.errorCode = err.code;
  }
  // Erased meanwhile: nothing of the file may come back.
  const fresh = await em.fork().findOne(Resume, { id: resumeId }, { fields: ['status'] });
  if (fresh?.status !== 'pending') return;
  await em.flush();
  // Parsed under a pool consent (given before or during the extraction): the record joins the
  // pool and its person's group; without one this finds nothing to do.
  if (row.status === 'parsed') await refreshPoolRecords(em, [row.candidate.id], new Date());
  audit(
    em,
    null,
    row.status === 'parsed' ? 'resume.parsed' : 'resume.failed',
    { type: 'resume', id: row.id },
    {
      method: row.method,
      errorCode: row.errorCode,
      ms: row.extractMs,
      llmFilled: row.profile?.llm?.filled.length ?? null,
    },
  );
  await em.flush();
}

/** The field a correction path names, creating nothing. */
function fieldAt(
  profile: ResumeProfile,
  path: string,
): { get(): ProfileField | null; set(f: ProfileField): void } | null {
  const parts = path.split('.');
  if (parts[0] === 'contact') {
    const k = parts[1] as 'email' | 'mobile';
    return { get: () => profile.contact[k], set: (f) => (profile.contact[k] = f) };
  }
  if (parts[0] === 'education' || parts[0] === 'experience') {
    const list = profile[parts[0]] as unknown as Array<Record<string, ProfileField | null>>;
    const entry = list[Number(parts[1])];
    if (!entry) return null;
    return { get: () => entry[parts[2]] ?? null, set: (f) => (entry[parts[2]] = f) };
  }
  const list = profile[parts[0] as 'skills' | 'certificates' | 'languages'];
  const i = Number(parts[1]);
  // One past the end adds an item HR found that the parser missed.
  if (i > list.length) return null;
  return { get: () => list[i] ?? null, set: (f) => (list[i] = f) };
}

/**
 * HR corrects one field of a parsed profile. The corrected value has no source span any more
 * (it is HR's word, not the résumé's) and is marked `corrected`; the old and new values and the
 * reason go to the audit log.
 */
export async function correctField(props: {
  em: Em;
  actor: Actor;
  resumeId: number;
  body: CorrectFieldBody;
  context: AuditContext;
}): Promise<IResume> {
  return props.em.transactional(async (tx) => {
    const row = await tx.findOne(Resume, { id: props.resumeId });
    if (!row) throw notFound('Résumé');
    if (row.status !== 'parsed' || !row.profile)
      throw conflict('resume_not_parsed', 'The résumé has no parsed profile to correct');
    const profile = structuredClone(row.profile);
    const at = fieldAt(profile, props.body.path);
    if (!at)
      throw new AppError('resume_field_missing', `No field at ${props.body.path} (field "path")`, {
        field: 'body.path',
      });
    const before = at.get()?.value ?? null;
    at.set({ value: props.body.value, span: null, corrected: true });
    row.profile = profile;
    audit(
      tx,
      props.actor,
      'resume.field_corrected',
      { type: 'resume', id: row.id },
      { path: props.body.path, before, after: props.body.value, reason: props.body.reason },
      props.context,
    );
    await tx.flush();
    // A corrected contact, school or skill changes who the record is grouped with and what finds it.
    await refreshPoolRecords(tx, [row.candidate.id], new Date());
    return row;
  });
}

/** Talent-pool retention granted by the candidate's separate consent (days). */
export const POOL_RETENTION_DAYS = 365;

/** The candidate keeps (or withdraws) their résumé in the talent pool: its own consent and retention. */
export async function setPoolConsent(props: {
  em: Em;
  actor: Actor;
  resumeId: number;
  keep: boolean;
  now: Date;
  context: AuditContext;
}): Promise<IResume> {
  return props.em.transactional(async (tx) => {
    const row = await tx.findOne(Resume, { id: props.resumeId });
    if (!row) throw notFound('Résumé');
    // The person's row is locked as HR's tag changes lock it: a tag added while the consent is
    // withdrawn either lands before the tags are dropped or sees the pool left.
    if (!props.keep)
      await tx.findOne(Candidate, { id: row.candidate.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    row.poolUntil = props.keep ? new Date(props.now.getTime() + POOL_RETENTION_DAYS * 86_400_000) : null;
    await tx.flush();
    await refreshPoolRecords(tx, [row.candidate.id], props.now);
    // Withdrawn: HR's tags on the person go with it, unless another résumé of theirs stays pooled.
    const tagsDeleted = props.keep ? 0 : await dropTagsOutsidePool(tx, [row.candidate.id], props.now);
    audit(
      tx,
      props.actor,
      props.keep ? 'resume.pool_consented' : 'resume.pool_withdrawn',
      { type: 'resume', id: row.id },
      { poolUntil: row.poolUntil?.toISOString() ?? null, ...(props.keep ? {} : { tagsDeleted }) },
      props.context,
    );
    await tx.flush();
    return row;
  });
}

/**
 * Records HR's decision on a screened résumé for a job. One decision per candidate and job
 * (a second, even a simultaneous one, is 409). The score HR saw is kept with it.
 */
export async function recordDecision(props: {
  em: Em;
  actor: Actor;
  jobId: number;
  resume: IResume;
  decision: ScreeningDecision;
  feedback: string;
  score: number;
  context: AuditContext;
}): Promise<void> {
  if (props.actor.kind !== 'employee') throw new PermanentError('only employees decide');
  try {
    await props.em.transactional(async (tx) => {
      tx.create(ScreeningDecisionRow, {
        job: props.jobId,
        candidate: props.resume.candidate.id,
        resume: props.resume.id,
        decision: props.decision,
        feedback: props.feedback || null,
        score: props.score,
        decidedBy: tx.getReference(User, props.actor.id),
      });
      audit(
        tx,
        props.actor,
        `screening.${props.decision}`,
        { type: 'resume', id: props.resume.id },
        { jobId: props.jobId, candidateId: props.resume.candidate.id, score: props.score },
        props.context,
      );
      await tx.flush();
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException)
      throw conflict('screening_decided', 'This candidate was already decided for this job');
    throw err;
  }
}

/** Deletes one résumé's file and clears its text, profile and file name (erasure and retention). */
export async function eraseRow(storage: ObjectStore, r: IResume): Promise<boolean> {
  const had = r.objectKey !== null && r.objectKey !== undefined;
  if (had) await storage.delete(r.objectKey as string);
  r.objectKey = null;
  r.text = null;
  r.profile = null;
  r.fileName = 'erased';
  r.status = 'erased';
  r.poolUntil = null;
  return had;
}

/**
 * Erases a candidate's résumés (deletion requests): the files are deleted from the object
 * store first, then text, profile and file name are cleared, HR's feedback texts on them and
 * HR's talent-pool tags on the person, and the record leaves the pool's groups. Returns how many
 * files went.
 */
export async function eraseResumes(em: Em, storage: ObjectStore, candidateId: number): Promise<number> {
  const rows = await em.find(Resume, { candidate: candidateId });
  let files = 0;
  for (const r of rows) if (await eraseRow(storage, r)) files++;
  await em.nativeUpdate(ScreeningDecisionRow, { candidate: candidateId }, { feedback: null });
  await em.nativeDelete(CandidateTag, { candidate: candidateId });
  await em.flush();
  // Out of the pool: the people it linked may part.
  await refreshPoolRecords(em, [candidateId], new Date());
  return files;
}
