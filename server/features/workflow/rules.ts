import { Job } from '../../kernel/db/entities/Job';
import { type IJobRules, JobRules } from '../../kernel/db/entities/JobRules';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';

/** The effective rules of a job (stored, or defaults). */
export interface EffectiveRules {
  passThreshold: number;
  rejectThreshold: number;
  approverUserIds: string[];
  approvalMode: 'AND' | 'OR';
  ccUserIds: string[];
  secondRoundProcessCode: string | null;
  offerProcessCode: string | null;
  /** The job's hiring-team group; null = the configured one. */
  hiringGroupConversationId: string | null;
}

/**
 * The job's rules; without a stored row: 75/50, approvers = the first HR person and the
 * hiring manager, all must agree.
 */
export async function rulesFor(em: Em, jobId: number): Promise<EffectiveRules> {
  const row: IJobRules | null = await em.findOne(JobRules, { job: jobId });
  // The group chosen on the job form; a group set in the rules (older clients) wins.
  const jobGroup = (await em.findOne(Job, { id: jobId }, { fields: ['hiringGroupConversationId'] }))
    ?.hiringGroupConversationId;
  if (row)
    return {
      passThreshold: row.passThreshold,
      rejectThreshold: row.rejectThreshold,
      approverUserIds: row.approverUserIds,
      approvalMode: row.approvalMode,
      ccUserIds: row.ccUserIds,
      secondRoundProcessCode: row.secondRoundProcessCode ?? null,
      offerProcessCode: row.offerProcessCode ?? null,
      hiringGroupConversationId: row.hiringGroupConversationId ?? jobGroup ?? null,
    };
  const job = await em.findOneOrFail(Job, { id: jobId }, { populate: ['hiringManager'] });
  const hr = (await em.find(User, { active: true }, { orderBy: { id: 'asc' } })).find((u) =>
    u.roles.includes('hr'),
  );
  const approvers = [hr?.dingtalkUserId, job.hiringManager?.dingtalkUserId].filter(
    (x, i, all): x is string => !!x && all.indexOf(x) === i,
  );
  return {
    passThreshold: 75,
    rejectThreshold: 50,
    approverUserIds: approvers,
    approvalMode: 'AND',
    ccUserIds: [],
    secondRoundProcessCode: null,
    offerProcessCode: null,
    hiringGroupConversationId: jobGroup ?? null,
  };
}
