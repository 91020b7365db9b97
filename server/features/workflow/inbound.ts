/**
 * DingTalk's approval events (`bpms_instance_change`, `bpms_task_change`) as the workflow
 * applies them: as DingTalk reports the instance (read with `getProcessInstance`), never as the
 * event body claims, so a forged or replayed body decides nothing. The kernel's inbound dispatcher records each under the key below in the same
 * transaction as the change, so redeliveries, both channels and polling apply it once.
 */
import { LockMode } from '@mikro-orm/core';
import { audit } from '../../kernel/audit';
import type { Config } from '../../kernel/config';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { Approval } from '../../kernel/db/entities/Approval';
import type { Em } from '../../kernel/db/orm';
import type {
  InboundDeps,
  InboundDingTalkEvent,
  InboundEventHandler,
  InboundOutcome,
} from '../../kernel/events/inbound';
import { DingTalkError } from '../../kernel/integrations/dingtalk/errors';
import type { ProcessInstanceInfo } from '../../kernel/integrations/dingtalk/workflow';
import { type ApprovalOutcome, applyApprovalOutcome } from './approvals';

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The key under which an approval event is recorded once (same fact, same key, any channel). */
function approvalDedupeKey(e: InboundDingTalkEvent): string | null {
  const pid = str(e.data.processInstanceId);
  if (!pid) return null;
  if (e.eventType === 'bpms_instance_change') return `bpms_instance_change:${pid}:${str(e.data.type)}`;
  return `bpms_task_change:${pid}:${str(e.data.taskId)}:${str(e.data.type)}`;
}

/** What DingTalk itself says about the instance an event names (read before the transaction). */
interface ApprovalFacts {
  /** Null when DingTalk does not know the instance (a forged or foreign id). */
  instance: ProcessInstanceInfo | null;
}

/**
 * Reads the instance through the real API. An event body is only a hint that something
 * happened: whoever holds (or guessed) the callback secrets can write any body, and an old body
 * can be replayed. Only what `getProcessInstance` reports decides anything.
 */
async function readInstance(e: InboundDingTalkEvent, deps: InboundDeps): Promise<ApprovalFacts> {
  const pid = str(e.data.processInstanceId);
  if (!pid) return { instance: null };
  try {
    return { instance: await deps.dingtalk.workflow.getProcessInstance(pid) };
  } catch (err) {
    // Unknown to DingTalk: nothing to apply. Throttling, outages, token trouble: redeliver.
    if (err instanceof DingTalkError && (err.kind === 'other' || err.kind === 'not_found'))
      return { instance: null };
    throw err;
  }
}

const FINISHED = new Set(['COMPLETED']);
const WITHDRAWN = new Set(['TERMINATED', 'CANCELED', 'CANCELLED']);

/** The outcome DingTalk reports for a finished instance, or null while it runs. */
function reportedOutcome(inst: ProcessInstanceInfo): ApprovalOutcome | null {
  const status = inst.status.toUpperCase();
  if (WITHDRAWN.has(status)) {
    const by = inst.operationRecords.filter((o) => o.type === 'TERMINATE_PROCESS_INSTANCE').at(-1);
    return {
      result: 'terminated',
      deciders: [by?.userId || inst.originatorUserId].filter(Boolean),
      remark: by?.remark ?? null,
    };
  }
  if (!FINISHED.has(status)) return null;
  const result = inst.result?.toLowerCase();
  if (result !== 'agree' && result !== 'refuse')
    throw new Error(`instance finished without a result (${inst.result ?? 'none'})`);
  // Who decided: the approvers whose tasks DingTalk shows completed with that result.
  const deciders = [
    ...new Set(
      inst.tasks
        .filter((t) => t.status.toUpperCase() === 'COMPLETED' && t.result === result)
        .map((t) => t.userId),
    ),
  ].filter(Boolean);
  if (!deciders.length) throw new Error('instance finished but no task shows who decided');
  const remark =
    inst.operationRecords
      .filter((o) => deciders.includes(o.userId) && o.result.toLowerCase() === result && o.remark)
      .map((o) => o.remark)
      .join('；') || null;
  return { result, deciders, remark };
}

async function applyApprovalEvent(
  em: Em,
  e: InboundDingTalkEvent,
  facts: ApprovalFacts,
  config: Pick<Config, 'notifications'>,
): Promise<{ result: InboundOutcome; detail: string }> {
  const pid = str(e.data.processInstanceId);
  // Lock the approval: events of one instance are applied one after the other, so the second
  // sees the first (a refusal's task event and the instance result may race).
  const approval = await em.findOne(
    Approval,
    { processInstanceId: pid },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!approval) {
    // An instance we are still starting (its id not yet committed): fail, so it is redelivered.
    if (facts.instance && (await em.count(Approval, { status: 'requested' })))
      throw new Error(`process instance ${pid} not known yet`);
    return { result: 'ignored', detail: 'ignored: unknown process instance' };
  }
  const inst = facts.instance;
  if (!inst) return { result: 'ignored', detail: 'ignored: DingTalk does not know this instance' };
  const type = str(e.data.type);
  if (e.eventType === 'bpms_task_change') {
    if (type !== 'finish') return { result: 'recorded', detail: `task ${type}` };
    const task = inst.tasks.find((t) => String(t.taskId) === str(e.data.taskId));
    if (!task) return { result: 'ignored', detail: 'ignored: DingTalk shows no such task' };
    // Not finished at DingTalk: the body claims what has not happened (or DingTalk is a moment
    // behind). Nothing is recorded, so the genuine event, when it comes, is not a duplicate.
    if (task.status.toUpperCase() !== 'COMPLETED' || (task.result !== 'agree' && task.result !== 'refuse'))
      throw new Error(`task ${task.taskId} of ${pid} is not decided at DingTalk`);
    const remark =
      inst.operationRecords.filter((o) => o.userId === task.userId && o.result === task.result).at(-1)
        ?.remark ?? null;
    audit(
      em,
      null,
      'approval.task_decided',
      { type: 'approval', id: approval.id },
      { approver: task.userId, result: task.result, remark, taskId: String(task.taskId) },
    );
    // Events may arrive in any order: a refusal's remark that comes after the instance result
    // is filled in afterwards (approval and HR's review item).
    if (task.result === 'refuse' && approval.status === 'refused' && !approval.remark && remark) {
      await em.nativeUpdate(Approval, { id: approval.id, remark: null }, { remark });
      const review = await em.findOne(ApplicationReview, {
        application: approval.application.id,
        reason: 'approval_refused',
      });
      if (review && !review.remark) review.remark = remark;
    }
    return { result: 'recorded', detail: `task finish (${task.userId}: ${task.result})` };
  }
  const outcome = reportedOutcome(inst);
  if (!outcome) {
    // The body says it ended, DingTalk says it runs: apply nothing, record nothing.
    if (type === 'finish' || type === 'terminate')
      throw new Error(`instance ${pid} is ${inst.status} at DingTalk, not finished`);
    return { result: 'recorded', detail: `instance ${type}` };
  }
  const applied = await applyApprovalOutcome(em, approval, outcome, config);
  return applied
    ? { result: 'applied', detail: `applied: ${outcome.result}` }
    : { result: 'duplicate', detail: 'already decided' };
}

/** The workflow's handler of DingTalk approval events (declared in the feature's index). */
export const approvalEvents: InboundEventHandler = {
  eventTypes: ['bpms_instance_change', 'bpms_task_change'],
  dedupeKey: approvalDedupeKey,
  prepare: readInstance,
  apply: (em, e, deps, facts) => applyApprovalEvent(em, e, facts as ApprovalFacts, deps.config),
};
