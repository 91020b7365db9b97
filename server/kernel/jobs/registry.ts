/**
 * Scheduled work, declared as data by the features (`jobs` and `consumers` in each feature's
 * `index.ts`) and started here for the roles a process runs. node-cron (or a plain interval for
 * sub-second ticks) only wakes a job; the database decides who does the work (leased claims
 * with SKIP LOCKED, see `claim.ts` and `events/consume.ts`), so any number of processes may run
 * the same jobs and every row is still handled once.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Config } from '../config';
import type { Em } from '../db/orm';
import type { Deps } from '../deps';
import { consumeEvents } from '../events/consume';
import type { Subscription } from '../events/registry';
import type { DomainEvent, EventType } from '../events/types';
import { categoryLogger, type LogCategory } from '../logger';

/** A process role (`ROLES`). */
export type ProcessRole = Config['roles'][number];

/**
 * When a job wakes: a node-cron expression (six fields = with seconds), a fixed interval, or
 * once when the process starts.
 */
export type Schedule = { cron: string; timezone?: string } | { everyMs: number } | { once: 'start' };

/** A scheduled job. `S` is state the job keeps for the life of the process. */
export interface JobDefinition<S = unknown> {
  /** Unique, dotted: `<feature>.<what>`. */
  name: string;
  /** The role whose processes run it. */
  role: ProcessRole;
  /** When it wakes (a function of the configuration when a setting decides). */
  schedule: Schedule | ((config: Config) => Schedule);
  /** Log category of its failures. */
  category?: LogCategory;
  /** Makes the per-process state once, when the job starts. */
  init?(deps: Deps, id: string): S;
  /** One wake. Errors are logged; the next wake tries again. */
  run(deps: Deps, state: S): Promise<unknown>;
  /** Releases the state when the process stops. */
  stop?(state: S): Promise<void> | void;
}

/** An asynchronous event consumer (its rows are written by `emit`, see events/registry.ts). */
export interface EventConsumer<K extends EventType = EventType> extends Subscription {
  events: readonly K[];
  /** Role that runs it; default `worker`. */
  role?: ProcessRole;
  /**
   * How often it looks for due rows (default every 5 s). `null`: it has no timer of its own
   * because one of its feature's jobs drains it (see {@link drainConsumer}).
   */
  schedule?: Schedule | ((config: Config) => Schedule) | null;
  category?: LogCategory;
  /** See {@link ConsumeOptions.transactional}. Default true. */
  transactional?: boolean;
  /** How long a claim is held (default 60 s); longer for handlers that call slow providers. */
  leaseMs?(config: Config): number;
  /** Handles one event; throw to retry later, `PermanentError` to give up now. */
  handle(event: DomainEvent<K>, em: Em, deps: Deps): Promise<void>;
}

/** Declares a consumer with its event types checked against its handler. */
export function defineConsumer<K extends EventType>(c: EventConsumer<K>): EventConsumer {
  return c as unknown as EventConsumer;
}

/** Declares a job, keeping its state type. */
export function defineJob<S>(job: JobDefinition<S>): JobDefinition {
  return job as unknown as JobDefinition;
}

/** A unique id for this process's claims (host:pid:random), recorded as the lease owner. */
export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Runs a consumer until no due rows are left (at most `rounds` batches); returns how many it handled. */
export async function drainConsumer(
  consumer: EventConsumer,
  deps: Deps,
  workerId: string,
  opts: { limit?: number; rounds?: number; now?: () => Date } = {},
): Promise<number> {
  const limit = opts.limit ?? 20;
  const log = categoryLogger(deps.logger, consumer.category ?? 'jobs');
  let total = 0;
  for (let round = 0; round < (opts.rounds ?? 1); round++) {
    const n = await consumeEvents(deps.orm.em, {
      consumer: consumer.name,
      workerId,
      log,
      limit,
      now: opts.now ?? deps.now,
      transactional: consumer.transactional,
      leaseMs: consumer.leaseMs?.(deps.config),
      handle: (event, em) => consumer.handle(event, em, deps),
    });
    total += n;
    if (n < limit) break;
  }
  return total;
}

/** The job that runs a consumer on its own schedule. */
export function consumerJob(c: EventConsumer): JobDefinition<string> | null {
  if (c.schedule === null) return null;
  return {
    name: `consumer.${c.name}`,
    role: c.role ?? 'worker',
    schedule: c.schedule ?? { everyMs: 5000 },
    category: c.category,
    init: (_deps, id) => id,
    run: (deps, workerId) => drainConsumer(c, deps, workerId),
  };
}

/** Jobs started for a process. */
export interface RunningJobs {
  /** Names of the jobs this process runs. */
  readonly names: string[];
  /** Runs one job now (its next wake, or waits for the one in progress). Unknown names throw. */
  run(name: string): Promise<unknown>;
  /** Wakes every event consumer now (after something likely queued events). */
  wakeConsumers(): void;
  /**
   * Stops the schedules and waits for the runs in progress, at most `graceMs` in all
   * ({@link STOP_GRACE_MS} by default); a run still going then is logged and left behind.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * How long a stopping process waits for its jobs' runs in progress. Why a bound: a run can wait
 * minutes on an outside service (a speech-recognition task being polled), and a process told to
 * stop must exit (a deploy, a scale-down: the orchestrator kills it soon after anyway). Leaving
 * a run behind loses nothing: every claimed piece of work carries a lease or stays in the outbox,
 * so another worker redoes it once the lease expires.
 */
export const STOP_GRACE_MS = 10_000;

interface Started {
  def: JobDefinition;
  state: unknown;
  busy: Promise<unknown> | null;
  timer: { stop(): void | Promise<void> } | null;
}

/**
 * Starts the jobs of the given roles. `timers: false` starts them without timers (tests call
 * `run(name)` with their own clock instead).
 */
export function startJobs(
  defs: readonly JobDefinition[],
  deps: Deps,
  roles: readonly ProcessRole[],
  opts: { timers?: boolean } = {},
): RunningJobs {
  const workerId = newWorkerId();
  const started = new Map<string, Started>();
  let stopped = false;
  // Set when a stop's grace ran out: the process is closing its connections under the runs still
  // going, so what they throw from then on is the stop's doing, not the job's.
  let abandoned = false;
  for (const def of defs) {
    if (!roles.includes(def.role)) continue;
    if (started.has(def.name)) throw new Error(`two jobs are named ${def.name}`);
    started.set(def.name, {
      def,
      state: def.init ? def.init(deps, workerId) : undefined,
      busy: null,
      timer: null,
    });
  }
  const wake = (s: Started): Promise<unknown> => {
    if (stopped) return Promise.resolve();
    if (s.busy) return s.busy;
    const log = categoryLogger(deps.logger, s.def.category ?? 'jobs');
    s.busy = s.def
      .run(deps, s.state)
      .catch((err: unknown) => {
        if (abandoned)
          log.warn(
            { job: s.def.name, err: (err as Error).message },
            'job run cut short by the stop (redone after its lease)',
          );
        else log.error({ job: s.def.name, err: (err as Error).message }, 'job failed');
      })
      .finally(() => {
        s.busy = null;
      });
    return s.busy;
  };
  if (opts.timers !== false) {
    for (const s of started.values()) {
      const schedule = typeof s.def.schedule === 'function' ? s.def.schedule(deps.config) : s.def.schedule;
      if ('once' in schedule) {
        void wake(s);
      } else if ('cron' in schedule) {
        // node-cron loads only in a process that has a cron job (workers): web processes never
        // need it (issue 18, idle memory). A stop before it loaded cancels the schedule.
        let task: { stop(): void | Promise<void> } | null = null;
        let cancelled = false;
        const { cron: expression, timezone } = schedule;
        const loaded = import('node-cron')
          .then(({ default: cron }) => {
            if (cancelled) return;
            const log = categoryLogger(deps.logger, s.def.category ?? 'jobs');
            // A tick while the job runs joins that run (`wake`), so node-cron is not told when
            // a run ends: its own overlap guard would print a console line on every tick of a
            // long run. What it still has to say goes to our structured log, never the console.
            task = cron.schedule(
              expression,
              () => {
                void wake(s);
              },
              {
                name: s.def.name,
                ...(timezone ? { timezone } : {}),
                logger: {
                  info: (message) => log.debug({ job: s.def.name }, `node-cron: ${message}`),
                  debug: (message) => log.debug({ job: s.def.name }, `node-cron: ${String(message)}`),
                  // "missed execution": a tick came while the event loop was busy; the next one
                  // runs the job, which drains everything due, so nothing is lost.
                  warn: (message) => log.debug({ job: s.def.name }, `node-cron: ${message}`),
                  error: (message, err) =>
                    log.error(
                      { job: s.def.name, err: err?.message ?? String(message) },
                      'node-cron: schedule failed',
                    ),
                },
              },
            );
          })
          .catch((err: unknown) => {
            const log = categoryLogger(deps.logger, s.def.category ?? 'jobs');
            log.error({ job: s.def.name, err: (err as Error).message }, 'job schedule failed to start');
          });
        s.timer = {
          stop: async () => {
            cancelled = true;
            await loaded;
            await task?.stop();
          },
        };
      } else {
        const h = setInterval(() => void wake(s), schedule.everyMs);
        h.unref();
        s.timer = { stop: () => clearInterval(h) };
      }
    }
  }
  return {
    names: [...started.keys()],
    run(name) {
      const s = started.get(name);
      if (!s) throw new Error(`no job ${name} in this process`);
      return wake(s);
    },
    wakeConsumers() {
      for (const s of started.values()) if (s.def.name.startsWith('consumer.')) void wake(s);
    },
    async stop(graceMs = STOP_GRACE_MS) {
      stopped = true;
      for (const s of started.values()) await s.timer?.stop();
      const running = [...started.values()].flatMap((s) => (s.busy ? [s.busy] : []));
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((r) => {
        timer = setTimeout(() => r('expired'), graceMs);
        timer.unref();
      });
      const outcome = await Promise.race([Promise.all(running).then(() => 'done' as const), expired]);
      clearTimeout(timer);
      if (outcome === 'expired') {
        abandoned = true;
        const busy = [...started.values()].filter((s) => s.busy).map((s) => s.def.name);
        deps.logger.warn(
          { jobs: busy, graceMs },
          'stopping with job runs still in progress (redone after their leases)',
        );
      }
      for (const s of started.values()) await s.def.stop?.(s.state);
    },
  };
}
