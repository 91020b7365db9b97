/**
 * The `scoring` consumer of `interview.submitted`: loads the submitted answers (interview
 * feature), transcribes, scores and reports (scoring/pipeline.ts). node-cron wakes the worker.
 *
 * Rows are claimed exactly like `consumeEvents` does (SKIP LOCKED / atomic UPDATE plus a lease,
 * so several workers never score the same session twice), but the handler runs OUTSIDE a
 * transaction: transcription takes minutes, and on SQLite an open transaction holds the only
 * connection. `scoreSession` opens its own short transaction for the report and its event.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import cron from 'node-cron';
import { interviewSubmittedData } from '../../../shared/api/workflow';
import type { Config } from '../../kernel/config';
import type { Em, Orm } from '../../kernel/db/orm';
import { consumeEvents, PermanentError } from '../../kernel/events/consume';
import type { DomainEvent } from '../../kernel/events/types';
import { createAsr } from '../../kernel/integrations/asr';
import { categoryLogger, type Logger } from '../../kernel/logger';
import type { SubmittedSession } from '../interview/contract';
import { loadSubmittedAnswers, SessionNotSubmittedError } from '../interview/submitted';
import { type MediaStore, type ScoringDeps, scoreSession } from './pipeline';

/** Consumer name in `SUBSCRIPTIONS['interview.submitted']`. */
export const SCORING_CONSUMER = 'scoring';

/** Loads a submitted session (the interview feature's `loadSubmittedAnswers`; tests inject their own). */
export type SessionLoader = (em: Em, sessionId: number) => Promise<SubmittedSession>;

/** Scoring dependencies from the configuration. */
export function scoringDeps(config: Config, orm: Orm, storage: MediaStore, logger?: Logger): ScoringDeps {
  return {
    asr: createAsr(config.asr),
    storage,
    llm: config.llm.enabled && config.llm.url ? { ...config.llm, url: config.llm.url } : null,
    fork: () => orm.em.fork(),
    publicUrl: config.publicUrl,
    log: logger ? categoryLogger(logger, 'scoring') : undefined,
  };
}

/** Handles one `interview.submitted` event (no transaction held; see the module comment). */
export async function handleScoringEvent(
  deps: ScoringDeps,
  event: DomainEvent,
  load: SessionLoader = loadSubmittedAnswers,
): Promise<void> {
  const parsed = interviewSubmittedData.safeParse(event.data);
  if (!parsed.success) throw new PermanentError(`interview.submitted: ${parsed.error.issues[0]?.message}`);
  let session: SubmittedSession;
  try {
    session = await load(deps.fork(), parsed.data.sessionId);
  } catch (err) {
    if (err instanceof SessionNotSubmittedError) throw new PermanentError(err.message);
    throw err;
  }
  await scoreSession(deps, session);
}

/** Options of {@link runScoringOnce}. */
export interface ScoringRunOptions {
  workerId: string;
  /** How long a claim is held; longer than a whole transcription. */
  leaseMs: number;
  limit?: number;
  maxAttempts?: number;
  load?: SessionLoader;
  log?: Logger;
  now?: () => Date;
}

/**
 * Claims due scoring events and handles them; returns how many were handled. Uses the shared
 * event consumer without a wrapping transaction: transcription is slow outside work, and the
 * pipeline writes its results in its own short transaction.
 */
export async function runScoringOnce(orm: Orm, deps: ScoringDeps, o: ScoringRunOptions): Promise<number> {
  return consumeEvents(orm.em, {
    consumer: SCORING_CONSUMER,
    workerId: o.workerId,
    leaseMs: o.leaseMs,
    limit: o.limit ?? 5,
    maxAttempts: o.maxAttempts,
    now: o.now,
    log: o.log,
    transactional: false,
    handle: (event) => handleScoringEvent(deps, event, o.load),
  });
}

/** Starts the worker (every 5 s); returns a stop function. */
export function startScoringWorker(d: {
  config: Config;
  orm: Orm;
  storage: MediaStore;
  logger: Logger;
}): () => Promise<void> {
  const log = categoryLogger(d.logger, 'scoring');
  const deps = scoringDeps(d.config, d.orm, d.storage, d.logger);
  const opts: ScoringRunOptions = {
    workerId: `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseMs: d.config.asr.timeoutMs + 5 * 60_000,
    log,
  };
  let running: Promise<unknown> = Promise.resolve();
  const task = cron.schedule(
    '*/5 * * * * *',
    async () => {
      running = runScoringOnce(d.orm, deps, opts).catch((err) =>
        log.error({ err: (err as Error).message }, 'scoring tick failed'),
      );
      await running;
    },
    { noOverlap: true },
  );
  return async () => {
    await task.stop();
    await running;
  };
}
