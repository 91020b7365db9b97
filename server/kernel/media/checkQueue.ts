/**
 * The worker-side media check of stored recordings (issue 18), shared by interview answers and
 * follow-up recordings: the web request that completes an upload only marks the row `checking`;
 * a worker job claims such rows with a lease, checks the stored object (size, type, magic bytes,
 * then ffmpeg) and lets the owning feature write the verdict. ffmpeg costs a few hundred ms of
 * CPU per recording, which then never queues behind (or in front of) the web tier's API calls.
 *
 * Claims follow the kernel's rule ({@link claimDue}): `SELECT … FOR UPDATE SKIP LOCKED` plus a
 * lease on MySQL, an atomic UPDATE on SQLite, so two workers never check the same row at once,
 * and a row whose lease expired (its worker crashed mid-check) is claimed and checked again.
 * The feature writes its verdict only as the lease holder (compare-and-swap on `checkClaimedBy`),
 * which makes a late writer (the crashed worker coming back) harmless.
 */
import type { EntityName } from '@mikro-orm/core';
import type { Deps } from '../deps';
import { claimDue } from '../jobs/claim';
import { defineJob, type JobDefinition } from '../jobs/registry';
import { categoryLogger } from '../logger';
import type { MediaReport } from './checks';
import { mediaProberOf } from './prober';
import {
  probeStoredRecording,
  type RecordingProblem,
  recordingProblemOf,
  type ScreenLimits,
  screenStoredRecording,
} from './stored';

/** What a check needs from the app. */
export type CheckDeps = Pick<Deps, 'orm' | 'config' | 'storage' | 'logger' | 'now'>;

/** A row that can wait for a media check: the lease columns have these names on every table. */
interface Checkable {
  id: number;
  checkClaimedBy?: string | null;
  checkLeaseUntil?: Date | null;
}

/** One kind of recording checked in the worker (interview attempts, follow-up recordings). */
export interface MediaCheckQueue<T extends Checkable = Checkable> {
  /** For logs: what is checked. */
  what: string;
  entity: EntityName<T>;
  /** The rows waiting for their check (e.g. `{ status: 'checking' }`); leases are added here. */
  waiting: Record<string, unknown>;
  /**
   * Checks one claimed row and writes its verdict (only while `workerId` holds the lease).
   * Returns false when nothing was written (lease lost, row no longer waiting).
   */
  check(deps: CheckDeps, id: number, workerId: string): Promise<boolean>;
}

/** What {@link checkStoredObject} found: the first problem, and ffmpeg's report once it ran. */
export interface StoredCheck {
  problem: RecordingProblem | null;
  report: MediaReport | null;
}

const nowOf = (deps: Pick<Deps, 'now'>) => deps.now?.() ?? new Date();

/**
 * Every check of one stored recording, from what its row says (key, declared type): the object
 * is still there (`upload_missing` when it went, e.g. consent withdrawn), its size and magic
 * bytes ({@link screenStoredRecording}), then ffmpeg ({@link probeStoredRecording}) in a run
 * shared with the other recordings this process is checking ({@link mediaProberOf}).
 */
export async function checkStoredObject(
  deps: Pick<CheckDeps, 'storage' | 'config'>,
  key: string,
  contentType: string,
  limits: ScreenLimits,
): Promise<StoredCheck> {
  const { storage } = deps;
  const info = await storage.head(key);
  if (!info) return { problem: recordingProblemOf('upload_missing', contentType), report: null };
  const problem = await screenStoredRecording(storage, key, contentType, info, limits);
  if (problem) return { problem, report: null };
  const prober = mediaProberOf(deps.config);
  return probeStoredRecording(storage, key, (input) => prober.probe(input));
}

/**
 * Claims up to `limit` rows of `queue` waiting for their check (or whose check's lease expired)
 * for `workerId`: rows never claimed first, oldest first, then lapsed leases, earliest lapse first.
 * Returns the claimed ids.
 *
 * That order is the waiting index's own (`(status, check_lease_until)`, then the id InnoDB appends,
 * NULL leases first), so MariaDB reads the index in order and stops after `limit` rows. Ordered
 * by id alone, it read every waiting row, sorted them, and kept all of them locked to the end of
 * the claim: one lane claiming one row made every other lane's claim come back empty (SKIP
 * LOCKED) and made verdict writes of other rows wait (BENCHMARKS.md, load: a lock census).
 */
export async function claimMediaChecks<T extends Checkable>(
  deps: CheckDeps,
  queue: MediaCheckQueue<T>,
  workerId: string,
  limit: number,
): Promise<number[]> {
  const now = nowOf(deps);
  return claimDue(deps.orm.em.fork(), queue.entity, {
    where: {
      ...queue.waiting,
      $or: [{ checkLeaseUntil: null }, { checkLeaseUntil: { $lt: now } }],
    },
    claim: {
      checkClaimedBy: workerId,
      checkLeaseUntil: new Date(now.getTime() + deps.config.interview.mediaCheck.leaseMs),
    } as Partial<T>,
    limit,
    orderBy: { checkLeaseUntil: 'asc', id: 'asc' },
  });
}

/**
 * Checks every waiting row of `queue`: up to `concurrency × batch` lanes (config), each claiming
 * one row at a time until none is left, so a long recording does not hold up the others; rows
 * that arrive while the lanes run start more lanes up to that number. The lanes
 * outnumber the ffmpeg runs on purpose: while `concurrency` runs are busy, up to `batch`
 * recordings per run wait for the next one and share its start-up (kernel/media/prober.ts). An idle wake costs
 * one claim query. A failed check is logged and left under its lease, so it is redone (here or
 * by another worker) once the lease expires. Returns how many verdicts were written.
 */
export async function runMediaCheckQueue<T extends Checkable>(
  deps: CheckDeps,
  queue: MediaCheckQueue<T>,
  workerId: string,
): Promise<number> {
  const { concurrency, batch } = deps.config.interview.mediaCheck;
  const log = categoryLogger(deps.logger, 'jobs');
  return runLanes(concurrency * batch, {
    claim: (limit) => claimMediaChecks(deps, queue, workerId, limit),
    check: (id) => queue.check(deps, id, workerId),
    checkFailed: (id, err) =>
      log.error({ what: queue.what, id, err: err.message }, 'media check failed; redone after its lease'),
    laneStopped: (err) => log.error({ what: queue.what, err: err.message }, 'media check lane stopped'),
  });
}

/** What {@link runLanes} does with a queue: claim up to `limit` ids, check one, report failures. */
export interface LaneSteps {
  claim(limit: number): Promise<number[]>;
  check(id: number): Promise<boolean>;
  checkFailed(id: number, err: Error): void;
  laneStopped(err: Error): void;
}

/**
 * The lanes of {@link runMediaCheckQueue}, apart from the database so their counting can be tested
 * against a simulated queue: at most `most` lanes at once, each checking one row at a time, every
 * claimed row checked once. Resolves with the number of checks that wrote a verdict when the last
 * lane finds nothing more to claim.
 */
export async function runLanes(most: number, steps: LaneSteps): Promise<number> {
  const first = await steps.claim(most);
  if (!first.length) return 0;
  let written = 0;
  let lanes = 0;
  // Places promised to claims in flight (see the lane's claim).
  let reserved = 0;
  return new Promise<number>((resolve) => {
    const lane = async (claimed: number) => {
      let id: number | undefined = claimed;
      try {
        while (id !== undefined) {
          try {
            if (await steps.check(id)) written++;
          } catch (err) {
            steps.checkFailed(id, err as Error);
          }
          // This lane's next row, plus one for each lane not running: rows that arrived after the
          // wake would otherwise wait for the lanes it started (the job does not wake again while
          // they run, so a queue that never empties kept the first wake's lane count). Lanes claim
          // concurrently, so the spare places are reserved before the claim's await: two lanes
          // must not both hand out the same free places (which once made the limit negative and
          // stopped the lanes with a SQL error).
          const spare = Math.max(0, most - lanes - reserved);
          reserved += spare;
          let ids: number[];
          try {
            ids = await steps.claim(1 + spare);
          } finally {
            reserved -= spare;
          }
          id = ids[0];
          for (const more of ids.slice(1)) start(more);
        }
      } catch (err) {
        steps.laneStopped(err as Error);
      } finally {
        lanes--;
        if (lanes === 0) resolve(written);
      }
    };
    const start = (id: number) => {
      lanes++;
      void lane(id);
    };
    for (const id of first) start(id);
  });
}

/** One queue's worker job and its two steps, bound to the queue (what features export). */
export interface MediaCheck {
  /** The worker job: wakes every `MEDIA_CHECK_POLL_MS` in each worker process (embedded: the one process). */
  job: JobDefinition;
  /** {@link claimMediaChecks} on this queue. */
  claim(deps: CheckDeps, workerId: string, limit: number): Promise<number[]>;
  /** {@link runMediaCheckQueue} on this queue: checks every waiting row, returns the verdicts written. */
  run(deps: CheckDeps, workerId: string): Promise<number>;
}

/**
 * Declares the media check of one kind of recording: job `name` with the same schedule,
 * concurrency and lease settings as every other queue, and its claim and run steps.
 */
export function defineMediaCheck<T extends Checkable>(name: string, queue: MediaCheckQueue<T>): MediaCheck {
  const run = (deps: CheckDeps, workerId: string) => runMediaCheckQueue(deps, queue, workerId);
  return {
    job: defineJob<string>({
      name,
      role: 'worker',
      schedule: (config) => ({ everyMs: config.interview.mediaCheck.pollMs }),
      category: 'jobs',
      init: (_deps, id) => id,
      run,
    }),
    claim: (deps, workerId, limit) => claimMediaChecks(deps, queue, workerId, limit),
    run,
  };
}
