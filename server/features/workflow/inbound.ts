/**
 * The one handler for DingTalk approval events, whichever way they arrive (Stream, HTTP
 * callback, reconciliation). It records the event under a dedupe key in the same transaction as
 * the change it causes, so a duplicate (redelivery, both channels, polling) changes nothing, and
 * a crash before commit leaves nothing behind for the redelivery to trip over.
 */
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { audit } from '../../kernel/audit';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { Approval } from '../../kernel/db/entities/Approval';
import { InboundEvent } from '../../kernel/db/entities/InboundEvent';
import type { Em, Orm } from '../../kernel/db/orm';
import type { Logger } from '../../kernel/logger';
import { applyApprovalOutcome } from './approvals';

/** An event as received, normalised from either channel. */
export interface InboundDingTalkEvent {
  eventType: string;
  eventId: string | null;
  /** The flat event fields (`processInstanceId`, `type`, `result`, `staffId`, ...). */
  data: Record<string, unknown>;
  source: 'stream' | 'http' | 'reconcile' | 'sandbox';
}

/** What became of an event. */
export type InboundOutcome = 'applied' | 'recorded' | 'duplicate' | 'ignored';

/** Options of {@link InboundHandler}. */
export interface InboundHandlerOptions {
  orm: Orm;
  log?: Logger;
  /** Test seam: runs inside the transaction just before commit (throw to simulate a crash). */
  beforeCommit?: (event: InboundDingTalkEvent) => void | Promise<void>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The key under which an event is recorded once. */
export function dedupeKey(e: InboundDingTalkEvent): string | null {
  const pid = str(e.data.processInstanceId);
  if (e.eventType === 'bpms_instance_change' && pid) return `bpms_instance_change:${pid}:${str(e.data.type)}`;
  if (e.eventType === 'bpms_task_change' && pid)
    return `bpms_task_change:${pid}:${str(e.data.taskId)}:${str(e.data.type)}`;
  return e.eventId ? `${e.eventType}:${e.eventId}` : null;
}

/** Handles DingTalk events; one instance per process. */
export class InboundHandler {
  beforeCommit: InboundHandlerOptions['beforeCommit'];

  constructor(private readonly opts: InboundHandlerOptions) {
    this.beforeCommit = opts.beforeCommit;
  }

  /**
   * Handles one event. Resolves once the event and its effects are committed (or recognised as
   * a duplicate); rejects when nothing was committed, so the caller must not ack.
   */
  async handle(event: InboundDingTalkEvent): Promise<InboundOutcome> {
    const key = dedupeKey(event);
    if (!key || !event.eventType.startsWith('bpms_')) return 'ignored';
    const em = this.opts.orm.em.fork();
    if (await em.findOne(InboundEvent, { dedupeKey: key })) return 'duplicate';
    try {
      return await em.transactional(async (tx) => {
        const row = tx.create(InboundEvent, {
          dedupeKey: key,
          eventType: event.eventType,
          eventId: event.eventId,
          source: event.source,
          payload: event.data,
          outcome: 'pending',
        });
        // Claim the key first: a concurrent duplicate blocks here and then fails on the unique index.
        await tx.flush();
        const outcome = await this.apply(tx, event);
        row.outcome = outcome.detail.slice(0, 200);
        await this.beforeCommit?.(event);
        return outcome.result;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return 'duplicate';
      throw err;
    }
  }

  private async apply(em: Em, e: InboundDingTalkEvent): Promise<{ result: InboundOutcome; detail: string }> {
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
    const { deciders, remark } = await this.decidersOf(
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
  private async decidersOf(
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
    const matching = tasks.filter(
      (t) => str(t.payload.type) === 'finish' && str(t.payload.result) === result,
    );
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
}
