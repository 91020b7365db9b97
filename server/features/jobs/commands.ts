/**
 * HR's job set-up: create, edit (compare-and-swap on `version`), pause, reopen and close a job,
 * and its interviewer pool. Each write runs in one transaction with its audit row.
 */
import type { CreateJobBody, JobStateView, UpdateJobBody } from '../../../shared/api/jobs';
import { type AuditContext, audit } from '../../kernel/audit';
import { Department } from '../../kernel/db/entities/Department';
import { type IJob, Job, JobInterviewer, jobState } from '../../kernel/db/entities/Job';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { AppError, conflict, notFound, validationError } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { assertCan } from '../../kernel/policies';
import { checkInterviewers } from './reviewers';

/** Common props of the job commands. */
interface JobCommandProps {
  em: Em;
  actor: Actor;
  context: AuditContext;
}

/** Checks the department and hiring manager exist (400 naming the field otherwise). */
async function checkReferences(em: Em, b: CreateJobBody): Promise<void> {
  if (!(await em.findOne(Department, { id: b.departmentId })))
    throw validationError([{ field: 'body.departmentId', message: 'no such department', kind: 'invalid' }]);
  if (b.hiringManagerId !== null) {
    const m = await em.findOne(User, { id: b.hiringManagerId, active: true });
    if (!m)
      throw validationError([
        { field: 'body.hiringManagerId', message: 'no such active employee', kind: 'invalid' },
      ]);
  }
}

/**
 * Refuses a second live job (open or paused) with the same title in the same department: the
 * usual result of a double-tapped "save" or two HR people creating the same opening.
 */
async function refuseDuplicate(em: Em, b: CreateJobBody, exceptId?: number): Promise<void> {
  const same = await em.findOne(Job, {
    title: b.title,
    department: b.departmentId,
    status: 'open',
    ...(exceptId ? { id: { $ne: exceptId } } : {}),
  });
  if (same)
    throw conflict('duplicate', `An open job "${b.title}" already exists in this department`, {
      field: 'body.title',
      jobId: same.id,
    });
}

/** Loads a job with what its presenter needs (404 when missing). */
export async function loadJob(em: Em, id: number): Promise<IJob> {
  const job = await em.findOne(Job, { id }, { populate: ['department', 'hiringManager'] });
  if (!job) throw notFound('Job');
  return job;
}

/** Creates an open job (HR). */
export async function createJob(p: JobCommandProps & { body: CreateJobBody }): Promise<IJob> {
  assertCan(p.actor, 'job.manage', undefined);
  const id = await p.em.fork().transactional(async (em) => {
    await checkReferences(em, p.body);
    await refuseDuplicate(em, p.body);
    const { departmentId, hiringManagerId, ...fields } = p.body;
    const job = em.create(Job, {
      ...fields,
      // The slug is the seed's idempotency key; jobs made in the app get a random one.
      slug: `job-${crypto.randomUUID()}`,
      department: departmentId,
      hiringManager: hiringManagerId,
    } as never) as IJob;
    await em.flush();
    audit(em, p.actor, 'job.created', { type: 'job', id: job.id }, { ...p.body }, p.context);
    return job.id;
  });
  return loadJob(p.em.fork(), id);
}

/**
 * Applies `changes` only if the job is still at `version` (compare-and-swap in one UPDATE):
 * of two HR people saving the same version, exactly one wins; the other gets 409
 * `job_version_conflict` with the current version, and nothing of theirs is written.
 */
async function casUpdate(
  em: Em,
  id: number,
  version: number,
  changes: Record<string, unknown>,
): Promise<void> {
  const n = await em.nativeUpdate(Job, { id, version }, {
    ...changes,
    version: version + 1,
    updatedAt: new Date(),
  } as never);
  if (n === 1) return;
  if (!(await em.findOne(Job, { id }))) throw notFound('Job');
  // The current version is read after rollback (see withCas): this transaction's snapshot
  // (MySQL's repeatable read) predates the edit that won.
  throw new AppError('job_version_conflict', `The job is no longer at version ${version}`);
}

/** Runs a CAS write; a lost race is answered with the job's current version in `details`. */
async function withCas(em: Em, id: number, fn: (tx: Em) => Promise<void>): Promise<void> {
  try {
    await em.fork().transactional(fn);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'job_version_conflict') throw err;
    const current = await em.fork().findOne(Job, { id });
    if (!current) throw notFound('Job');
    throw new AppError('job_version_conflict', err.message, { currentVersion: current.version });
  }
}

/** Edits a job's fields (HR), compare-and-swap on the version the editor read. */
export async function updateJob(p: JobCommandProps & { id: number; body: UpdateJobBody }): Promise<IJob> {
  assertCan(p.actor, 'job.manage', undefined);
  await withCas(p.em, p.id, async (em) => {
    const before = await em.findOne(Job, { id: p.id });
    if (!before) throw notFound('Job');
    const { version, departmentId, hiringManagerId, ...fields } = p.body;
    await checkReferences(em, p.body);
    await refuseDuplicate(em, p.body, p.id);
    await casUpdate(em, p.id, version, {
      ...fields,
      department: departmentId,
      hiringManager: hiringManagerId,
    });
    audit(em, p.actor, 'job.updated', { type: 'job', id: p.id }, { ...p.body }, p.context);
  });
  return loadJob(p.em.fork(), p.id);
}

/**
 * Opens (or reopens), pauses or closes a job (HR), compare-and-swap like an edit. Paused and
 * closed jobs refuse new invitations and bookings; what already happened stays.
 */
export async function setJobStatus(
  p: JobCommandProps & { id: number; status: JobStateView; version: number; now: Date },
): Promise<IJob> {
  assertCan(p.actor, 'job.manage', undefined);
  await withCas(p.em, p.id, async (em) => {
    const job = await em.findOne(Job, { id: p.id });
    if (!job) throw notFound('Job');
    const from = jobState(job);
    if (from === p.status && job.version === p.version)
      throw conflict('job_status_unchanged', `The job is already ${from}`);
    const changes =
      p.status === 'closed'
        ? { status: 'closed', pausedAt: null }
        : p.status === 'paused'
          ? { status: 'open', pausedAt: p.now }
          : { status: 'open', pausedAt: null };
    await casUpdate(em, p.id, p.version, changes);
    audit(
      em,
      p.actor,
      `job.${p.status === 'open' ? 'opened' : p.status}`,
      { type: 'job', id: p.id },
      {
        from,
        to: p.status,
      },
      p.context,
    );
  });
  return loadJob(p.em.fork(), p.id);
}

/** The job's interviewer pool (for reviewer round-robin), by user id. */
export async function jobInterviewers(em: Em, jobId: number) {
  const rows = await em.find(
    JobInterviewer,
    { job: jobId },
    { populate: ['user'], orderBy: { user: { id: 'asc' } } },
  );
  return rows.map((r) => ({ id: r.user.id, name: r.user.name }));
}

/**
 * Replaces the job's interviewer pool (HR). Every member must be an active employee holding
 * the interviewer role (400 naming the entry otherwise).
 */
export async function setJobInterviewers(p: JobCommandProps & { jobId: number; userIds: number[] }) {
  assertCan(p.actor, 'job.manage', undefined);
  const ids = [...new Set(p.userIds)];
  await p.em.fork().transactional(async (em) => {
    const job = await em.findOne(Job, { id: p.jobId });
    if (!job) throw notFound('Job');
    await checkInterviewers(em, p.userIds);
    const existing = await em.find(JobInterviewer, { job });
    for (const row of existing) if (!ids.includes(row.user.id)) em.remove(row);
    for (const id of ids)
      if (!existing.some((r) => r.user.id === id)) em.create(JobInterviewer, { job, user: id } as never);
    await em.flush();
    audit(em, p.actor, 'job.interviewers_set', { type: 'job', id: job.id }, { userIds: ids }, p.context);
  });
  return jobInterviewers(p.em.fork(), p.jobId);
}
