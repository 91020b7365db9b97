/**
 * DingTalk's approval events (`bpms_instance_change`, `bpms_task_change`) as the workflow
 * applies them. The kernel's inbound dispatcher records each under the key below in the same
 * transaction as the change, so redeliveries, both channels and polling apply it once.
 */
import { LockMode } from '@mikro-orm/core';
import { audit } from '../../kernel/audit';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { Approval } from '../../kernel/db/entities/Approval';
import { InboundEvent } from '../../kernel/db/entities/InboundEvent';
import type { Em } from '../../kernel/db/orm';
import type { InboundDingTalkEvent, InboundEventHandler, InboundOutcome } from '../../kernel/events/inbound';
import { applyApprovalOutcome } from './approvals';

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The key under which an approval event is recorded once (same fact, same key, any channel). */
function approvalDedupeKey(e: InboundDingTalkEvent): string | null {
  const pid = str(e.data.processInstanceId);
  if (!pid) return null;
  if (e.eventType === 'bpms_instance_change') return `bpms_instance_change:${pid}:${str(e.data.type)}`;
  return `bpms_task_change:${pid}:${str(e.data.taskId)}:${str(e.data.type)}`;
}

async function applyApprovalEvent(
  em: Em,
  e: InboundDingTalkEvent,
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
    if (await em.count(Approval, { status: 'requested' }))
      throw new Error(`process instance ${pid} not known yet`);
    return { result: 'ignored', detail: 'ignored: unknown process instance' };
  }
  const type = str(e.data.type);
  if (e.eventType === 'bpms_task_change') {
    if (type === 'finish')
      audit(
        em,
        null,
        'approval.task_decided',
        { type: 'approval', id: approval.id },
        {
          approver: str(e.data.staffId),
          result: str(e.data.result),
          remark: str(e.data.remark) || null,
          taskId: str(e.data.taskId),
        },
      );
    // Events may arrive in any order: a refusal's remark that comes after the instance result
    // is filled in afterwards (approval and HR's review item).
    if (
      type === 'finish' &&
      str(e.data.result) === 'refuse' &&
      approval.status === 'refused' &&
      !approval.remark
    ) {
      const remark = str(e.data.remark) || null;
      await em.nativeUpdate(
        Approval,
        { id: approval.id, remark: null },
        { remark, decidedByUserId: str(e.data.staffId) },
      );
      const review = await em.findOne(ApplicationReview, {
        application: approval.application.id,
        reason: 'approval_refused',
      });
      if (review && !review.remark) review.remark = remark;
    }
    return { result: 'recorded', detail: `task ${type}` };
  }
  if (type !== 'finish' && type !== 'terminate') return { result: 'recorded', detail: `instance ${type}` };
  const result = type === 'terminate' ? 'terminated' : str(e.data.result) === 'agree' ? 'agree' : 'refuse';
  const { deciders, remark } = await decidersOf(
    em,
    pid,
    result,
    approval.approverUserIds,
    approval.approvalMode,
    str(e.data.staffId),
  );
  // Who decided travels on the task event; if it has not arrived yet, ask for redelivery
  // rather than record a decision without its decider (reconciliation covers a lost one).
  if (result !== 'terminated' && deciders.length === 0)
    throw new Error(`deciding task of ${pid} not seen yet`);
  const applied = await applyApprovalOutcome(em, approval, {
    result,
    deciders,
    remark: remark ?? (str(e.data.remark) || null),
  });
  return applied
    ? { result: 'applied', detail: `applied: ${result}` }
    : { result: 'duplicate', detail: 'already decided' };
}

/**
 * Who decided: every approver of an agreed AND approval; otherwise the task events recorded
 * for this instance (approver userids with their results and remarks); without them the single
 * approver of a NONE approval; the originator for a withdrawal.
 */
async function decidersOf(
  em: Em,
  pid: string,
  result: 'agree' | 'refuse' | 'terminated',
  approvers: string[],
  mode: string,
  staffId: string,
): Promise<{ deciders: string[]; remark: string | null }> {
  if (result === 'terminated') return { deciders: staffId ? [staffId] : [], remark: null };
  // 会签 agreed: by definition every approver agreed, whatever order the task events arrive in.
  if (result === 'agree' && mode === 'AND') return { deciders: approvers, remark: null };
  const tasks = await em.find(
    InboundEvent,
    { dedupeKey: { $like: `bpms_task_change:${pid}:%` } },
    { orderBy: { id: 'asc' } },
  );
  const matching = tasks.filter((t) => str(t.payload.type) === 'finish' && str(t.payload.result) === result);
  if (matching.length)
    return {
      deciders: [...new Set(matching.map((t) => str(t.payload.staffId)).filter(Boolean))],
      remark:
        matching
          .map((t) => str(t.payload.remark))
          .filter(Boolean)
          .join('；') || null,
    };
  if (mode === 'NONE') return { deciders: approvers, remark: null };
  return { deciders: [], remark: null };
}

/** The workflow's handler of DingTalk approval events (declared in the feature's index). */
export const approvalEvents: InboundEventHandler = {
  eventTypes: ['bpms_instance_change', 'bpms_task_change'],
  dedupeKey: approvalDedupeKey,
  apply: (em, e) => applyApprovalEvent(em, e),
};
