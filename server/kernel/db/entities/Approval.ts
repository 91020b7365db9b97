import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { APPROVAL_KINDS } from '../../../../shared/api/workflow';
import { Application } from './Application';
import { User } from './User';

/**
 * Lifecycle of an approval: `requested` (row written with the decision to ask, instance not yet
 * created in DingTalk), `running` (instance id known), then `agreed`, `refused`, `terminated`,
 * or `failed` (DingTalk refused to start it; HR sees why).
 */
export const APPROVAL_STATUSES = [
  'requested',
  'running',
  'agreed',
  'refused',
  'terminated',
  'failed',
] as const;
/** Approval status. */
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/**
 * One DingTalk OA approval (复试审批 / 录用审批) about an application. `activeKey` is
 * `<applicationId>:<kind>` while the approval is open and null afterwards: the unique index makes
 * a second open approval for the same stage impossible, even under concurrent requests.
 */
export const Approval = defineEntity({
  name: 'Approval',
  tableName: 'approvals',
  indexes: [{ properties: ['status', 'startedAt'] }],
  properties: {
    id: p.integer().primary(),
    application: () => p.manyToOne(Application),
    kind: p.enum(APPROVAL_KINDS),
    status: p.enum(APPROVAL_STATUSES).default('requested'),
    activeKey: p.string().length(64).nullable().unique(),
    processCode: p.string().length(64).nullable(),
    processInstanceId: p.string().length(100).nullable().unique(),
    /** DingTalk userid that originates the instance. */
    originatorUserId: p.string().length(64),
    approverUserIds: p.json<string[]>(),
    approvalMode: p.string().length(8),
    ccUserIds: p.json<string[]>(),
    /** The form exactly as sent (`formComponentValues`), for the record. */
    form: p.json<Array<{ name: string; value: string }>>(),
    /** Offer terms (salary, level, start date) for offer approvals. */
    offer: p.json<Record<string, string>>().nullable(),
    requestedBy: () => p.manyToOne(User).nullable(),
    /** DingTalk userid of the approver whose action decided it (last agree, or the refuser). */
    decidedByUserId: p.string().length(64).nullable(),
    remark: p.text().nullable(),
    lastError: p.text().nullable(),
    startedAt: p.datetime(3).onCreate(() => new Date()),
    decidedAt: p.datetime(3).nullable(),
    /** Last time the reconciliation job asked DingTalk about it. */
    checkedAt: p.datetime(3).nullable(),
  },
});
/** Approval row. */
export type IApproval = InferEntity<typeof Approval>;
