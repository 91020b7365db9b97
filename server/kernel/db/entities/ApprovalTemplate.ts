import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { APPROVAL_KINDS } from '../../../../shared/api/workflow';

/**
 * The DingTalk approval form (process code) used for each approval kind, created once with
 * `formCreate` (or taken from configuration). `formVersion` lets a changed form definition be
 * pushed again as an update of the same process code.
 */
export const ApprovalTemplate = defineEntity({
  name: 'ApprovalTemplate',
  tableName: 'approval_templates',
  properties: {
    id: p.integer().primary(),
    kind: p.enum(APPROVAL_KINDS).unique(),
    processCode: p.string().length(64),
    formVersion: p.integer().default(1),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** ApprovalTemplate row. */
export type IApprovalTemplate = InferEntity<typeof ApprovalTemplate>;
