/**
 * The composition root: turns the features' declarations into the registries a process runs
 * with (event reactions and consumers, jobs, DingTalk inbound handlers, Stream callbacks) and
 * wires them to the database. Used by `startServer`, the test harness and the benchmarks, so
 * they all run the same wiring.
 */

import { FEATURES } from './features';
import type { Deps } from './kernel/deps';
import { InboundDispatcher } from './kernel/events/inbound';
import { buildEventRegistry, type EventRegistry, wireEvents } from './kernel/events/registry';
import type { Feature, StreamCallback } from './kernel/feature';
import { rateLimitCleanupJob } from './kernel/http/rateLimit';
import { createStream, type StreamConnection } from './kernel/integrations/dingtalk/stream';
import { consumerJob, type JobDefinition, type ProcessRole } from './kernel/jobs/registry';
import { categoryLogger } from './kernel/logger';

/** A process's assembled registries and its complete dependencies. */
export interface Runtime {
  deps: Deps;
  registry: EventRegistry;
  /** Scheduled jobs and consumer jobs of every feature (each runs in its declared role). */
  jobs: JobDefinition[];
  streamCallbacks: StreamCallback[];
}

/**
 * Builds the runtime from the process's clients and the features. `features` defaults to the
 * product's; tests may pass a subset.
 */
export function createRuntime(base: Omit<Deps, 'inbound'>, features: readonly Feature[] = FEATURES): Runtime {
  const inbound = new InboundDispatcher({
    orm: base.orm,
    handlers: features.flatMap((f) => f.dingtalkEvents ?? []),
    deps: base,
    log: categoryLogger(base.logger, 'dingtalk'),
  });
  const deps: Deps = { ...base, inbound };
  const registry = buildEventRegistry(features);
  wireEvents(deps.orm, { registry, deps });
  // The kernel's own upkeep, then each feature's jobs and consumers.
  const jobs = [
    rateLimitCleanupJob,
    ...features.flatMap((f) => [
      ...(f.jobs ?? []),
      ...(f.consumers ?? []).flatMap((c) => consumerJob(c) ?? []),
    ]),
  ];
  return {
    deps,
    registry,
    jobs,
    streamCallbacks: features.flatMap((f) => f.streamCallbacks ?? []),
  };
}

/**
 * Opens the Stream-mode connection when events arrive by Stream and this process has a role
 * that listens: the worker role takes DingTalk's event frames (handed to the inbound dispatcher,
 * acknowledged once committed), and each feature's callback topics go to the role it names.
 * `afterEvent` runs after each committed event (the follow-up work it queued starts at once
 * rather than at the next tick). Returns null when there is nothing to listen for.
 */
export function startStream(
  runtime: Runtime,
  roles: readonly ProcessRole[],
  afterEvent: () => void,
): StreamConnection | null {
  const { config, logger, inbound } = runtime.deps;
  if (config.dingtalk.eventMode !== 'stream') return null;
  const takesEvents = roles.includes('worker');
  const callbacks = runtime.streamCallbacks.filter((c) => roles.includes(c.role));
  if (!takesEvents && !callbacks.length) return null;
  const log = categoryLogger(logger, 'dingtalk');
  const stream = createStream(
    {
      clientId: config.dingtalk.appKey,
      clientSecret: config.dingtalk.appSecret,
      gatewayUrl: config.dingtalk.streamGatewayUrl,
    },
    takesEvents
      ? async (e) => {
          await inbound.handle({
            eventType: e.eventType,
            eventId: e.eventId,
            data: e.data,
            source: 'stream',
          });
          afterEvent();
        }
      : null,
    log,
  );
  for (const c of callbacks) stream.onCallback(c.topic, (frame) => c.handle(frame.data, runtime.deps));
  void stream.connect();
  log.info({ events: takesEvents, callbacks: callbacks.map((c) => c.topic) }, 'Stream connection started');
  return stream;
}
