/**
 * The outbox sender. Any number of processes run it; the database decides who sends what:
 * each claim is `SELECT … FOR UPDATE SKIP LOCKED` + a lease (atomic UPDATE on SQLite), so a row
 * is held by one worker at a time, and a row whose lease lapsed (its worker was killed) is due
 * again for everybody. A row is marked sent only by the worker that still holds its lease.
 *
 * Exactly-once on the wire depends on the provider: the inbox and the candidate gateway dedupe
 * by the row's key, so re-sending is harmless; DingTalk's robot APIs have no idempotency key,
 * so a worker killed between "sent" and "marked sent" causes one duplicate per in-flight row
 * when another worker takes the row over (at most `concurrency` rows per killed worker).
 */

import { DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';
import type { Config } from '../../kernel/config';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import type { Em } from '../../kernel/db/orm';
import { backoffMs } from '../../kernel/events/consume';
import { EVENT_CHANNEL } from '../../kernel/events/emit';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import { newWorkerId } from '../../kernel/jobs/registry';
import type { Logger } from '../../kernel/logger';
import {
  claimDueOutbox,
  claimOutbox,
  OUTBOX_INDEX,
  type OutboxClaim,
  type OutboxRow,
} from '../../kernel/outbox/claim';
import { CHANNELS, DeliveryError, type SendOutcome, sendRow } from './channels';
import type { MessagePayload } from './render';

/** What the worker needs. */
export interface DeliveryDeps {
  config: Config;
  em: Em;
  dingtalk: DingTalk;
  log?: Logger;
  now?: () => Date;
}

/** Tuning, defaults from `config.delivery`. */
export interface DeliveryOptions {
  workerId: string;
  batch: number;
  concurrency: number;
  leaseMs: number;
  maxAttempts: number;
  /** DingTalk calls per second from this process (per-app QPS). */
  appQps: number;
  /** Group robot messages per minute per group. */
  groupPerMinute: number;
}

/** Counts of one pass. */
export interface PassResult {
  claimed: number;
  sent: number;
  skipped: number;
  retried: number;
  failed: number;
  /** Rows whose lease this worker lost before marking them (another worker took them over). */
  lostLease: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Spaces calls so this process stays under `perSecond` (a token bucket of size 1, FIFO). */
export class Pace {
  private next = 0;
  constructor(private readonly perSecond: number) {}
  async take(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await sleep(at - now);
  }
}

const DINGTALK_CHANNELS = new Set<string>([CHANNELS.robotOto, CHANNELS.workNotice, CHANNELS.group]);

/** Claims due message rows and delivers them. */
export class DeliveryWorker {
  readonly opts: DeliveryOptions;
  private readonly pace: Pace;
  /** Per group: times this process sent to it in the last minute, and a queue serialising its sends. */
  private readonly groups = new Map<string, { sent: number[]; queue: Promise<unknown> }>();

  constructor(
    private readonly deps: DeliveryDeps,
    opts: Partial<DeliveryOptions> = {},
  ) {
    const d = deps.config.delivery;
    this.opts = {
      workerId: opts.workerId ?? newWorkerId(),
      batch: opts.batch ?? d.batch,
      concurrency: opts.concurrency ?? d.concurrency,
      leaseMs: opts.leaseMs ?? d.leaseSeconds * 1000,
      maxAttempts: opts.maxAttempts ?? d.maxAttempts,
      appQps: opts.appQps ?? d.appQps,
      groupPerMinute: opts.groupPerMinute ?? d.groupPerMinute,
    };
    this.pace = new Pace(this.opts.appQps);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * Delivers everything due: passes until a claim comes back short (nothing more due) or
   * `budgetMs` is spent. Returns the summed counts.
   */
  async drain(budgetMs = 60_000): Promise<PassResult> {
    const total: PassResult = { claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0, lostLease: 0 };
    const started = Date.now();
    for (;;) {
      const r = await this.pass();
      for (const k of Object.keys(total) as Array<keyof PassResult>) total[k] += r[k];
      if (r.claimed < this.opts.batch || Date.now() - started > budgetMs) return total;
    }
  }

  /**
   * Drains, and while messages keep arriving (a drain sent or claimed something) polls again
   * every `pollMs` instead of waiting for the next tick, until a claim finds nothing or
   * `budgetMs` is spent. A steady stream is then picked up within `pollMs` of its due time
   * rather than within a whole tick; an idle outbox costs one empty claim per tick as before.
   */
  async drainWhileBusy(budgetMs = 30_000, pollMs = 100): Promise<PassResult> {
    const total: PassResult = { claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0, lostLease: 0 };
    const started = Date.now();
    for (;;) {
      const r = await this.drain(Math.max(0, budgetMs - (Date.now() - started)));
      for (const k of Object.keys(total) as Array<keyof PassResult>) total[k] += r[k];
      if (!r.claimed || pollMs <= 0 || Date.now() - started + pollMs > budgetMs) return total;
      await sleep(pollMs);
    }
  }

  /** One claim and its sends. */
  async pass(): Promise<PassResult> {
    const result: PassResult = { claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0, lostLease: 0 };
    const now = this.now();
    const leaseUntil = new Date(now.getTime() + this.opts.leaseMs);
    const rows = await claimDueOutbox(
      this.deps.em,
      {
        scope: 'channel != ?',
        params: [EVENT_CHANNEL],
        owner: this.opts.workerId,
        now,
        leaseUntil,
        limit: this.opts.batch,
        index: OUTBOX_INDEX.byStatus,
      },
      (em, claim) => this.claim(em, claim),
    );
    result.claimed = rows.length;
    if (!rows.length) return result;
    // Chunks of `concurrency` sends, each recorded (one UPDATE for the plain ones) before the next
    // starts: at most `concurrency` rows are ever sent but not yet marked, which is what a killed
    // worker can duplicate (see the file comment). A pool without the barrier between chunks was
    // tried and measured slower at 1,000 messages/s (BENCHMARKS.md, reminders).
    for (let i = 0; i < rows.length; i += this.opts.concurrency) {
      // Close to the end of our lease another worker may take the rest over: leave them to it
      // (they were not sent, so nothing repeats).
      if (this.now().getTime() + 1000 > leaseUntil.getTime()) break;
      const chunk = rows.slice(i, i + this.opts.concurrency);
      const outcomes = await Promise.all(chunk.map((row) => this.sendOne(row)));
      await this.record(chunk, outcomes, result);
    }
    return result;
  }

  /**
   * One claim; a deadlock or lock timeout between concurrent claimers (MariaDB may pick either
   * as the victim) is retried a few times, then treated as "nothing claimed this time".
   */
  private async claim(em: Em, claim: OutboxClaim): Promise<OutboxRow[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await claimOutbox(em, claim);
      } catch (err) {
        if (!(err instanceof DeadlockException || err instanceof LockWaitTimeoutException)) throw err;
        if (attempt >= 3) return [];
        await sleep(10 + Math.random() * 40 * (attempt + 1));
      }
    }
  }

  private async sendOne(row: OutboxRow): Promise<SendOutcome | DeliveryError> {
    if (row.channel !== CHANNELS.group) return this.send(row);
    // One group's messages go one at a time so the per-minute count sees each of them.
    const g = this.groups.get(row.recipientId ?? '') ?? { sent: [], queue: Promise.resolve() };
    this.groups.set(row.recipientId ?? '', g);
    const run = g.queue.then(async () => {
      const wait = await this.groupWait(row, g.sent);
      if (wait > 0) return new DeliveryError('group robot limit reached; deferred', true, wait, true);
      const out = await this.send(row);
      if (!(out instanceof DeliveryError)) g.sent.push(this.now().getTime());
      return out;
    });
    g.queue = run.catch(() => undefined);
    return run;
  }

  private async send(row: OutboxRow): Promise<SendOutcome | DeliveryError> {
    try {
      if (DINGTALK_CHANNELS.has(row.channel)) await this.pace.take();
      return await sendRow(row, {
        config: this.deps.config,
        dingtalk: this.deps.dingtalk,
        em: this.deps.em,
        now: () => this.now(),
      });
    } catch (err) {
      return err instanceof DeliveryError ? err : new DeliveryError(String(err), true);
    }
  }

  /**
   * Milliseconds until the group may take one more message: DingTalk throttles a group robot
   * for 10 minutes after 20 messages in a minute, so we count what we sent to the group in the
   * last minute (in the database, across all workers, and this process's own sends not yet
   * marked) and defer instead of tripping it.
   */
  private async groupWait(row: OutboxRow, local: number[]): Promise<number> {
    const now = this.now().getTime();
    while (local.length && local[0] <= now - 60_000) local.shift();
    const recent = await this.deps.em.fork().find(
      OutboxMessage,
      {
        channel: CHANNELS.group,
        recipientId: row.recipientId,
        sentAt: { $gt: new Date(now - 60_000) },
      },
      { fields: ['sentAt'], orderBy: { sentAt: 'asc' } },
    );
    const times = recent.length >= local.length ? recent.map((r) => r.sentAt?.getTime() ?? now) : local;
    if (times.length < this.opts.groupPerMinute) return 0;
    const oldest = times[times.length - this.opts.groupPerMinute];
    return Math.max(1000, oldest + 60_000 - now);
  }

  private async record(chunk: OutboxRow[], outcomes: Array<SendOutcome | DeliveryError>, result: PassResult) {
    const em = this.deps.em.fork();
    const now = this.now();
    const me = this.opts.workerId;
    const plainSent: number[] = [];
    for (let j = 0; j < chunk.length; j++) {
      const row = chunk[j];
      const out = outcomes[j];
      if (out instanceof DeliveryError) {
        const deferred = out.deferred;
        const attempts = deferred ? row.attempts : row.attempts + 1;
        const give = !out.retryable || attempts >= this.opts.maxAttempts;
        const wait = Math.max(out.retryAfterMs ?? 0, deferred ? 0 : backoffMs(attempts));
        const n = await em.nativeUpdate(
          OutboxMessage,
          { id: row.id, leaseOwner: me },
          {
            status: give ? 'failed' : 'pending',
            attempts,
            lastError: out.message.slice(0, 2000),
            dueAt: new Date(now.getTime() + wait),
            leaseOwner: null,
            leaseUntil: null,
          },
        );
        if (!n) result.lostLease++;
        else if (give) result.failed++;
        else result.retried++;
        this.deps.log?.warn(
          { id: row.id, key: row.idempotencyKey, attempts, err: out.message, giveUp: give },
          'delivery failed',
        );
        continue;
      }
      if (out.status === 'skipped') {
        const n = await em.nativeUpdate(
          OutboxMessage,
          { id: row.id, leaseOwner: me },
          { status: 'cancelled', lastError: `skipped: ${out.note}`, leaseOwner: null, leaseUntil: null },
        );
        if (n) result.skipped++;
        else result.lostLease++;
        continue;
      }
      if ((row.payload as MessagePayload).trackRead && out.ref) {
        const n = await em.nativeUpdate(
          OutboxMessage,
          { id: row.id, leaseOwner: me },
          {
            status: 'sent',
            sentAt: now,
            attempts: row.attempts + 1,
            payload: { ...row.payload, providerRef: out.ref },
            leaseOwner: null,
            leaseUntil: null,
            lastError: null,
          },
        );
        if (n) result.sent++;
        else result.lostLease++;
        continue;
      }
      plainSent.push(row.id);
    }
    if (plainSent.length) {
      // One UPDATE for the chunk; `attempts` is not bumped here (saves a statement per row).
      const n = await em.nativeUpdate(
        OutboxMessage,
        { id: { $in: plainSent }, leaseOwner: me },
        { status: 'sent', sentAt: now, leaseOwner: null, leaseUntil: null, lastError: null },
      );
      result.sent += n;
      result.lostLease += plainSent.length - n;
    }
  }
}
