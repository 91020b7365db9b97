/**
 * The workflow's background work (worker role): starting requested approvals in DingTalk,
 * withdrawing moot ones, creating pre-entry records, reconciling approvals whose result event
 * never arrived, and (when DINGTALK_EVENT_MODE=stream) the Stream connection that receives
 * approval events. node-cron only wakes the process; leased claims decide who works.
 */
import { hostname } from 'node:os';
import cron from 'node-cron';
import type { Config } from '../../kernel/config';
import { Approval } from '../../kernel/db/entities/Approval';
import type { Em, Orm } from '../../kernel/db/orm';
import { consumeEvents } from '../../kernel/events/consume';
import type { DomainEvent } from '../../kernel/events/types';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import { createStream, type StreamConnection } from '../../kernel/integrations/dingtalk/stream';
import { categoryLogger, type Logger } from '../../kernel/logger';
import { ensureTemplates, START_APPROVAL_CONSUMER, startApproval } from './approvals';
import { createPreEntry, PREENTRY_CONSUMER, WITHDRAW_CONSUMER } from './decisions';
import { InboundHandler } from './inbound';

/** Dependencies of the workflow jobs. */
export interface WorkflowJobDeps {
  config: Config;
  orm: Orm;
  dingtalk: DingTalk;
  logger: Logger;
  /** Shared with the HTTP callback route so both channels use one handler. */
  inbound?: InboundHandler;
}

/** Running workflow jobs. */
export interface WorkflowJobs {
  inbound: InboundHandler;
  stream: StreamConnection | null;
  /** Runs one round of every queue now (tests, and each cron wake). */
  wake(): Promise<void>;
  /** Asks DingTalk about approvals pending longer than the configured time. */
  reconcile(now?: Date): Promise<number>;
  stop(): Promise<void>;
}

/** Handles one workflow follow-up event (by consumer). */
function followUp(deps: WorkflowJobDeps, log: Logger) {
  return {
    [START_APPROVAL_CONSUMER]: async (e: DomainEvent, em: Em) => {
      await startApproval(em, deps.dingtalk, deps.config, Number(e.data.approvalId), log);
    },
    [WITHDRAW_CONSUMER]: async (e: DomainEvent) => {
      await deps.dingtalk.workflow.terminateProcessInstance(
        String(e.data.processInstanceId),
        String(e.data.operator),
        String(e.data.remark ?? ''),
      );
    },
    [PREENTRY_CONSUMER]: async (e: DomainEvent, em: Em) => {
      await createPreEntry(em, deps.dingtalk, Number(e.data.applicationId));
    },
  };
}

/**
 * Polls `getProcessInstance` for running approvals older than the threshold and feeds finished
 * ones through the same inbound handler as real events (same dedupe keys, so a late real event
 * is a duplicate). Returns how many outcomes were applied.
 */
export async function reconcileApprovals(
  deps: WorkflowJobDeps,
  inbound: InboundHandler,
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
      await inbound.handle({
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
    const outcome = await inbound.handle({
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

/** Starts the workflow jobs (and the Stream connection in stream mode). */
export function startWorkflowJobs(deps: WorkflowJobDeps, opts: { cron?: boolean } = {}): WorkflowJobs {
  const log = categoryLogger(deps.logger, 'jobs');
  const inbound = deps.inbound ?? new InboundHandler({ orm: deps.orm, log });
  const workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const handlers = followUp(deps, log);
  let busy: Promise<void> | null = null;
  let stopped = false;
  const round = async () => {
    for (const [consumer, handle] of Object.entries(handlers))
      await consumeEvents(deps.orm.em, { consumer, workerId, handle, log });
  };
  const wake = async () => {
    if (stopped) return;
    if (busy) return busy;
    busy = round()
      .catch((err: unknown) => log.error({ err: (err as Error).message }, 'workflow wake failed'))
      .finally(() => {
        busy = null;
      });
    return busy;
  };
  const reconcile = (now?: Date) => reconcileApprovals(deps, inbound, now);
  const tasks: Array<{ stop(): void | Promise<void> }> = [];
  if (opts.cron !== false) {
    tasks.push(cron.schedule('*/5 * * * * *', wake, { noOverlap: true }));
    // At :10 past, not on the hour (DingTalk's global throttling peaks there, reference §9).
    tasks.push(
      cron.schedule(
        '10 */10 * * * *',
        () =>
          void reconcile().catch((err: unknown) =>
            log.error({ err: (err as Error).message }, 'reconcile failed'),
          ),
        {
          noOverlap: true,
        },
      ),
    );
  }
  if (deps.config.mode !== 'production')
    ensureTemplates(deps.orm.em.fork(), deps.dingtalk, deps.config, { push: true }).catch((err: unknown) =>
      log.warn(
        { err: (err as Error).message },
        'approval templates not ready yet; retried when an approval starts',
      ),
    );
  let stream: StreamConnection | null = null;
  if (deps.config.dingtalk.eventMode === 'stream') {
    stream = createStream(
      {
        clientId: deps.config.dingtalk.appKey,
        clientSecret: deps.config.dingtalk.appSecret,
        gatewayUrl: deps.config.dingtalk.streamGatewayUrl,
      },
      async (e) => {
        await inbound.handle({ eventType: e.eventType, eventId: e.eventId, data: e.data, source: 'stream' });
        // Follow-up work (messages, DingTalk calls) right away rather than at the next tick.
        void wake();
      },
      log,
    );
  }
  log.info({ workerId, eventMode: deps.config.dingtalk.eventMode }, 'workflow jobs started');
  return {
    inbound,
    stream,
    wake,
    reconcile,
    async stop() {
      stopped = true;
      stream?.close();
      for (const t of tasks) await t.stop();
      if (busy) await busy;
    },
  };
}
