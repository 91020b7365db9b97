/**
 * The workflow's background work (worker role): starting requested approvals in DingTalk,
 * withdrawing moot ones, creating pre-entry records, and reconciling approvals whose result
 * event never arrived. Declared as data; the job registry runs them.
 */

import { Approval } from '../../kernel/db/entities/Approval';
import type { Deps } from '../../kernel/deps';
import { defineConsumer, defineJob } from '../../kernel/jobs/registry';
import { categoryLogger } from '../../kernel/logger';
import { ensureTemplates, START_APPROVAL_CONSUMER, startApproval } from './approvals';
import { createPreEntry, PREENTRY_CONSUMER, WITHDRAW_CONSUMER } from './decisions';

/** Slow DingTalk calls after the deciding transaction committed. */
export const workflowConsumers = [
  defineConsumer({
    name: START_APPROVAL_CONSUMER,
    events: ['approval.requested'],
    handle: (e, em, deps) =>
      startApproval(
        em,
        deps.dingtalk,
        deps.config,
        e.data.approvalId,
        categoryLogger(deps.logger, 'jobs'),
      ).then(() => undefined),
  }),
  defineConsumer({
    name: WITHDRAW_CONSUMER,
    events: ['approval.withdraw'],
    handle: async (e, _em, deps) => {
      await deps.dingtalk.workflow.terminateProcessInstance(
        e.data.processInstanceId,
        e.data.operator,
        e.data.remark ?? '',
      );
    },
  }),
  defineConsumer({
    name: PREENTRY_CONSUMER,
    events: ['onboarding.requested'],
    handle: async (e, em, deps) => {
      await createPreEntry(em, deps.dingtalk, e.data.applicationId);
    },
  }),
];

/**
 * Polls `getProcessInstance` for running approvals older than the threshold and feeds finished
 * ones through the same inbound dispatcher as real events (same dedupe keys, so a late real
 * event is a duplicate). Returns how many outcomes were applied.
 */
export async function reconcileApprovals(
  deps: Pick<Deps, 'config' | 'orm' | 'dingtalk' | 'inbound'>,
  now = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - deps.config.workflow.reconcileAfterMinutes * 60_000);
  const em = deps.orm.em.fork();
  const stale = await em.find(
    Approval,
    {
      status: 'running',
      processInstanceId: { $ne: null },
      startedAt: { $lt: cutoff },
      $or: [{ checkedAt: null }, { checkedAt: { $lt: cutoff } }],
    },
    { limit: 50, orderBy: { startedAt: 'asc' } },
  );
  let applied = 0;
  for (const a of stale) {
    const pid = a.processInstanceId as string;
    const info = await deps.dingtalk.workflow.getProcessInstance(pid);
    await em.nativeUpdate(Approval, { id: a.id }, { checkedAt: now });
    const status = info.status.toUpperCase();
    if (status !== 'COMPLETED' && status !== 'TERMINATED') continue;
    for (const t of info.tasks) {
      if (!['agree', 'refuse'].includes(t.result)) continue;
      const rec = info.operationRecords.find(
        (o) => o.userId === t.userId && o.result.toLowerCase().includes(t.result),
      );
      await deps.inbound.handle({
        eventType: 'bpms_task_change',
        eventId: null,
        source: 'reconcile',
        data: {
          processInstanceId: pid,
          taskId: t.taskId,
          type: 'finish',
          result: t.result,
          staffId: t.userId,
          remark: rec?.remark ?? '',
        },
      });
    }
    const outcome = await deps.inbound.handle({
      eventType: 'bpms_instance_change',
      eventId: null,
      source: 'reconcile',
      data: {
        processInstanceId: pid,
        type: status === 'TERMINATED' ? 'terminate' : 'finish',
        result: info.result ?? '',
        staffId: a.originatorUserId,
      },
    });
    if (outcome === 'applied') applied++;
  }
  return applied;
}

/** The workflow's scheduled jobs. */
export const workflowJobs = [
  // At :10 past, not on the hour (DingTalk's global throttling peaks there, reference §9).
  defineJob({
    name: 'workflow.reconcile',
    role: 'worker',
    schedule: { cron: '10 */10 * * * *' },
    run: (deps) => reconcileApprovals(deps),
  }),
  // Outside production the approval forms are (re)created at start: the sandbox forgets its
  // forms when it restarts, the database does not. Production uses configured process codes.
  defineJob({
    name: 'workflow.templates',
    role: 'worker',
    schedule: { once: 'start' },
    async run(deps) {
      if (deps.config.mode === 'production') return;
      await ensureTemplates(deps.orm.em.fork(), deps.dingtalk, deps.config, { push: true }).catch(
        (err: unknown) =>
          categoryLogger(deps.logger, 'jobs').warn(
            { err: (err as Error).message },
            'approval templates not ready yet; retried when an approval starts',
          ),
      );
    },
  }),
];
