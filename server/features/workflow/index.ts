/**
 * The hiring workflow: the pipeline (stages moved only by the rules in shared/pipeline), HR's
 * decisions, DingTalk approvals (复试, 录用 and 便利安排, started, withdrawn, reconciled, applied as
 * DingTalk reports them), offers and pre-entry (待入职) records.
 */
import type { Feature } from '../../kernel/feature';
import { accommodationApprovalRoutes } from './accommodationApproval';
import { workflowReactions } from './handlers';
import { approvalEvents } from './inbound';
import { workflowConsumers, workflowJobs } from './jobs';
import { pipelineRoutes } from './pipeline.routes';

/** The one way an application's stage changes (other features' tests drive histories with it). */
export { transition, type WorkflowActor } from './transition';

export const workflow: Feature = {
  name: 'workflow',
  routes: () => [pipelineRoutes(), accommodationApprovalRoutes()],
  reactions: workflowReactions,
  consumers: workflowConsumers,
  jobs: workflowJobs,
  dingtalkEvents: [approvalEvents],
};
