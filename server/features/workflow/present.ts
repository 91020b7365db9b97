import type { ApprovalView, PipelineCard, StageChange } from '../../../shared/api/workflow';
import { allowedTransitions, type TransitionActor } from '../../../shared/pipeline';
import type { IApplication } from '../../kernel/db/entities/Application';
import type { IApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import type { IApproval } from '../../kernel/db/entities/Approval';
import type { IAuditLog } from '../../kernel/db/entities/AuditLog';

/** A pipeline card. */
export function presentApplicationCard(
  app: Pick<IApplication, 'id' | 'stage' | 'version' | 'stageChangedAt' | 'personOnly'> & {
    candidate: { id: number };
    job: { id: number };
  },
  extra: {
    candidateName: string;
    review: Pick<IApplicationReview, 'overall' | 'suggestion' | 'reason'> | null;
    openApproval: Pick<IApproval, 'kind' | 'status'> | null;
  },
): PipelineCard {
  return {
    id: app.id,
    candidateId: app.candidate.id,
    candidateName: extra.candidateName,
    jobId: app.job.id,
    stage: app.stage,
    version: app.version,
    stageChangedAt: app.stageChangedAt.toISOString(),
    personOnly: app.personOnly,
    overall: extra.review?.overall ?? null,
    suggestion: extra.review?.suggestion ?? null,
    suggestionReason: extra.review?.reason ?? null,
    openApproval: extra.openApproval
      ? { kind: extra.openApproval.kind, status: extra.openApproval.status }
      : null,
  };
}

/** An approval as HR sees it. */
export function presentApproval(a: IApproval): ApprovalView {
  return {
    id: a.id,
    kind: a.kind,
    status: a.status,
    processInstanceId: a.processInstanceId ?? null,
    approverUserIds: a.approverUserIds,
    // Written only from `jobRulesBody` (zod enum AND | OR); the column is a plain string.
    approvalMode: a.approvalMode as ApprovalView['approvalMode'],
    decidedByUserId: a.decidedByUserId ?? null,
    remark: a.remark ?? null,
    lastError: a.lastError ?? null,
    offer: a.offer ?? null,
    startedAt: a.startedAt.toISOString(),
    decidedAt: a.decidedAt?.toISOString() ?? null,
  };
}

/** What `transition.ts` records in the audit details of a stage change. */
interface StageChangeDetails {
  from?: StageChange['from'];
  to?: StageChange['to'];
  transition?: string;
  by?: StageChange['by'];
  dingtalkUserId?: string;
  reason?: string;
}

/** One stage-history entry from the audit log. */
export function presentStageChange(row: IAuditLog): StageChange {
  // The details `transition.ts` writes with every `application.stage_changed` row.
  const d = (row.details ?? {}) as StageChangeDetails;
  return {
    at: row.at.toISOString(),
    from: d.from ?? null,
    to: d.to ?? null,
    transition: d.transition ?? null,
    by: d.by ?? null,
    actorKind: row.actorKind,
    actorId: row.actorId ?? null,
    approver: d.dingtalkUserId ?? null,
    reason: d.reason ?? '',
  };
}

/** Actions the actor may take now (the buttons a screen shows). */
export function actionsFor(app: IApplication, as: TransitionActor | null) {
  return as ? allowedTransitions(app.stage, as) : [];
}
