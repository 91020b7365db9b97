/**
 * Shares ffmpeg runs among the recordings one worker process is checking at the same moment.
 * Starting ffmpeg costs about 0.2 s of CPU on Debian (it links some 200 libraries), more than
 * measuring a short answer; under load the checks queue here and each run takes every waiting
 * recording up to the batch size ({@link checkMediaBatch}), while an idle worker still starts a
 * lone recording's run at once (no added wait).
 *
 * With `gatherMs` (`MEDIA_CHECK_GATHER_MS`, off by default), a run beside a busy one waits that
 * long for a fuller batch. Without the wait, lanes coming back one by one from writing their
 * verdicts each find a free run and start it with one or two recordings: in a thousand-candidate
 * run a third of the runs had one recording and the average was 3.7 of 8, so most of ffmpeg's CPU
 * went on starting it. With 500 ms the runs fell by a quarter and the worker's CPU by about a
 * fifth, but verdicts came eight at a time and the API's p99 on cores shared with the web
 * processes was no better, so it is for workers on cores of their own (BENCHMARKS.md, load).
 * The wait counts from the oldest waiting recording's arrival, so none waits longer than
 * `gatherMs` for a free run, and a worker with no run going never waits. Process memory only: it coordinates this
 * process's own ffmpeg runs, never work another instance needs (leases live in the database).
 */
import type { Config } from '../config';
import { checkMediaBatch, type MediaReport } from './checks';

interface Waiting {
  input: string;
  /** When it arrived (`Date.now()`). */
  since: number;
  resolve: (r: MediaReport) => void;
  reject: (err: unknown) => void;
}

/** Limits of a {@link MediaProber}. */
export interface ProberLimits {
  /** ffmpeg runs at once. */
  processes: number;
  /** Recordings one run checks at most. */
  batch: number;
  /**
   * How long a run that would start beside a busy one waits for a fuller batch, from the oldest
   * waiting recording's arrival (ms). 0: it starts at once with whatever is waiting.
   */
  gatherMs?: number;
}

/** A queue of media checks run `batch` recordings to an ffmpeg run, `processes` runs at once. */
export class MediaProber {
  private readonly waiting: Waiting[] = [];
  private running = 0;
  /** The wake-up of a run held back for a fuller batch (at most one is pending). */
  private gather: ReturnType<typeof setTimeout> | null = null;
  /** ffmpeg runs started and the recordings they were given (logs, benchmarks, tests). */
  readonly stats = { runs: 0, recordings: 0 };

  constructor(
    private readonly limits: ProberLimits,
    private readonly checkBatch: (inputs: string[]) => Promise<MediaReport[]> = checkMediaBatch,
  ) {}

  /** Checks one recording (path or URL), sharing a run with whatever else is waiting. */
  probe(input: string): Promise<MediaReport> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, since: Date.now(), resolve, reject });
      this.pump();
    });
  }

  private pump() {
    const batch = Math.max(1, this.limits.batch);
    const gatherMs = this.limits.gatherMs ?? 0;
    while (this.running < this.limits.processes && this.waiting.length) {
      if (this.running > 0 && this.waiting.length < batch && gatherMs > 0) {
        const left = this.waiting[0].since + gatherMs - Date.now();
        if (left > 0) {
          this.gather ??= setTimeout(() => {
            this.gather = null;
            this.pump();
          }, left);
          return;
        }
      }
      const group = this.waiting.splice(0, batch);
      this.running++;
      this.stats.runs++;
      this.stats.recordings += group.length;
      this.checkBatch(group.map((g) => g.input))
        .then(
          (reports) => {
            for (const [i, g] of group.entries()) g.resolve(reports[i]);
          },
          (err) => {
            for (const g of group) g.reject(err);
          },
        )
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}

const probers = new WeakMap<Config, MediaProber>();

/**
 * The process's prober for an app's configuration (`MEDIA_CHECK_CONCURRENCY` runs at once,
 * `MEDIA_CHECK_BATCH` recordings a run, `MEDIA_CHECK_GATHER_MS` of waiting for a fuller one), shared by every kind of recording the worker checks.
 */
export function mediaProberOf(config: Config): MediaProber {
  let p = probers.get(config);
  if (!p) {
    const { concurrency, batch, gatherMs } = config.interview.mediaCheck;
    p = new MediaProber({ processes: concurrency, batch, gatherMs });
    probers.set(config, p);
  }
  return p;
}
