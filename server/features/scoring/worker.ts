/**
 * The `scoring` consumer of `interview.submitted`: loads the submitted answers (interview
 * feature), transcribes, scores and reports (scoring/pipeline.ts). node-cron wakes the worker.
 *
 * Rows are claimed exactly like `consumeEvents` does (SKIP LOCKED / atomic UPDATE plus a lease,
 * so several workers never score the same session twice), but the handler runs OUTSIDE a
 * transaction: transcription takes minutes, and on SQLite an open transaction holds the only
 * connection. `scoreSession` opens its own short transaction for the report and its event.
 */
import { interviewSessionData } from '../../../shared/events';
import type { Config } from '../../kernel/config';
import type { Em, Orm } from '../../kernel/db/orm';
import { consumeEvents, PermanentError } from '../../kernel/events/consume';
import type { DomainEvent } from '../../kernel/events/types';
import { createAsr } from '../../kernel/integrations/asr';
import { defineConsumer } from '../../kernel/jobs/registry';
import { categoryLogger, type Logger } from '../../kernel/logger';
import type { SubmittedSession } from '../interview';
import { loadSubmittedAnswers, SessionNotSubmittedError } from '../interview';
import { type MediaStore, type ScoringDeps, scoreSession } from './pipeline';

/** Name of the consumer. */
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
  event: DomainEvent<'interview.submitted'>,
  load: SessionLoader = loadSubmittedAnswers,
): Promise<void> {
  // A row written by another version of the code: check the shape scoring depends on.
  const parsed = interviewSessionData.safeParse(event.data);
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
    handle: (event) => handleScoringEvent(deps, event as DomainEvent<'interview.submitted'>, o.load),
  });
}

/** The consumer, declared in the feature's index: every 5 s, a lease longer than a transcription. */
export const scoringConsumer = defineConsumer({
  name: SCORING_CONSUMER,
  events: ['interview.submitted'],
  category: 'scoring',
  schedule: { everyMs: 5000 },
  transactional: false,
  leaseMs: (config) => config.asr.timeoutMs + 5 * 60_000,
  handle: (event, _em, deps) =>
    handleScoringEvent(scoringDeps(deps.config, deps.orm, deps.storage, deps.logger), event),
});
