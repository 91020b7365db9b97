import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Job } from './Job';

/** How several approvers decide: all must agree (会签) or one is enough (或签). */
export const APPROVAL_MODES = ['AND', 'OR'] as const;

/**
 * The hiring rules of one job: what the AI report's overall score means for routing, and who
 * approves. The AI never decides alone: at or above `passThreshold` a second-round approval is
 * requested from the approvers; below `rejectThreshold` HR sees a suggested rejection to confirm
 * or override; in between (and for flagged or person-only interviews) HR reviews.
 */
export const JobRules = defineEntity({
  name: 'JobRules',
  tableName: 'job_rules',
  properties: {
    id: p.integer().primary(),
    job: () => p.manyToOne(Job).unique(),
    passThreshold: p.integer().default(75),
    rejectThreshold: p.integer().default(50),
    /** DingTalk userids of the approvers (HR and the hiring manager). */
    approverUserIds: p.json<string[]>(),
    approvalMode: p.enum(APPROVAL_MODES).default('AND'),
    /** DingTalk userids copied on approvals (抄送). */
    ccUserIds: p.json<string[]>(),
    /** Job-specific process codes; null uses the organisation's templates (ApprovalTemplate). */
    secondRoundProcessCode: p.string().length(64).nullable(),
    offerProcessCode: p.string().length(64).nullable(),
    /** The hiring team's DingTalk group of this job (high-score alerts); null = the configured group. */
    hiringGroupConversationId: p.string().length(64).nullable(),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** JobRules row. */
export type IJobRules = InferEntity<typeof JobRules>;
