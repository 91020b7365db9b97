/**
 * Reviewer assignment (issue 14 item 4): HR names the interviewers who review an application,
 * or lets the job's interviewer pool take turns. Assigned interviewers may then open the
 * candidate's profile and report (`candidate.read` / `report.read`); nobody else can.
 */
import type { AssignReviewersBody, AssignReviewersResponse } from '../../../shared/api/jobs';
import { type AuditContext, audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import { Job, JobInterviewer } from '../../kernel/db/entities/Job';
import { ReviewAssignment } from '../../kernel/db/entities/Scoring';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { AppError, conflict, notFound } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { assertCan } from '../../kernel/policies';

/**
 * Takes the job's next round-robin turn inside the caller's transaction: one UPDATE bumps the
 * job's cursor (it takes the row's write lock on MySQL/MariaDB and the database write lock on
 * SQLite, so concurrent turns queue), and the value read back is this transaction's own. Two
 * applications assigned at once therefore get consecutive turns, i.e. different interviewers
 * whenever the pool has two or more.
 */
async function nextTurn(em: Em, jobId: number): Promise<number> {
  await em.execute('update jobs set reviewer_cursor = reviewer_cursor + 1 where id = ?', [jobId], 'run');
  const rows = await em.execute<Array<{ c: number | string }>>(
    'select reviewer_cursor as c from jobs where id = ?',
    [jobId],
    'all',
  );
  return Number(rows[0]?.c ?? 1);
}

/**
 * Every id must be an active employee holding the interviewer role: 400 `not_an_interviewer`
 * naming the first entry that is not.
 */
export async function checkInterviewers(em: Em, ids: number[]): Promise<void> {
  const users = await em.find(User, { id: { $in: ids }, active: true });
  for (const [i, id] of ids.entries())
    if (!users.find((x) => x.id === id)?.roles.includes('interviewer'))
      throw new AppError('not_an_interviewer', `userIds.${i}: not an active interviewer`, {
        field: `body.userIds.${i}`,
      });
}

/** Ids of the interviewers explicitly assigned to review `applicationId`. */
export async function assignedReviewerIds(em: Em, applicationIds: number[]): Promise<number[]> {
  if (!applicationIds.length) return [];
  const rows = await em.find(ReviewAssignment, { application: { $in: applicationIds } });
  return [...new Set(rows.map((r) => r.reviewer.id))];
}

/** Assigns reviewers to an application (HR): the named interviewers, or the pool's next turn. */
export async function assignReviewers(p: {
  em: Em;
  actor: Actor;
  applicationId: number;
  body: AssignReviewersBody;
  context: AuditContext;
}): Promise<AssignReviewersResponse> {
  assertCan(p.actor, 'application.assign_reviewers', undefined);
  const added = await p.em.fork().transactional(async (em) => {
    const app = await em.findOne(Application, { id: p.applicationId });
    if (!app) throw notFound('Application');
    const already = new Set(
      (await em.find(ReviewAssignment, { application: app })).map((r) => r.reviewer.id),
    );
    let chosen: number[];
    if ('userIds' in p.body) {
      const ids = p.body.userIds;
      await checkInterviewers(em, ids);
      chosen = [...new Set(ids)].filter((id) => !already.has(id));
    } else {
      const job = await em.findOneOrFail(Job, { id: app.job.id });
      const pool = (
        await em.find(JobInterviewer, { job }, { populate: ['user'], orderBy: { user: { id: 'asc' } } })
      ).filter((r) => r.user.active && r.user.roles.includes('interviewer'));
      if (!pool.length) throw conflict('reviewer_pool_empty', 'The job has no active interviewer pool');
      const turn = await nextTurn(em, job.id);
      // The turn's member, or the next one not already reviewing this application.
      const pick = [...pool.keys()]
        .map((k) => pool[(turn - 1 + k) % pool.length].user.id)
        .find((id) => !already.has(id));
      chosen = pick === undefined ? [] : [pick];
    }
    for (const id of chosen)
      em.create(ReviewAssignment, {
        application: app,
        reviewer: id,
        assignedById: p.actor.kind === 'employee' ? p.actor.id : null,
      } as never);
    await em.flush();
    if (chosen.length)
      audit(
        em,
        p.actor,
        'application.reviewers_assigned',
        { type: 'application', id: app.id },
        { userIds: chosen, roundRobin: !('userIds' in p.body) },
        p.context,
      );
    return chosen;
  });
  const rows = await p.em
    .fork()
    .find(
      ReviewAssignment,
      { application: p.applicationId },
      { populate: ['reviewer'], orderBy: { id: 'asc' } },
    );
  return {
    applicationId: p.applicationId,
    reviewers: rows.map((r) => ({ id: r.reviewer.id, name: r.reviewer.name })),
    added,
  };
}
