/**
 * Shares ffmpeg runs among the recordings one worker process is checking at the same moment.
 * Starting ffmpeg costs about 0.2 s of CPU on Debian (it links some 200 libraries), more than
 * measuring a short answer; under load the checks queue here and each run takes every waiting
 * recording up to the batch size ({@link checkMediaBatch}), while an idle worker still starts a
 * lone recording's run at once (no added wait). Process memory only: it coordinates this
 * process's own ffmpeg runs, never work another instance needs (leases live in the database).
 */
import type { Config } from '../config';
import { checkMediaBatch, type MediaReport } from './checks';

interface Waiting {
  input: string;
  resolve: (r: MediaReport) => void;
  reject: (err: unknown) => void;
}

/** Limits of a {@link MediaProber}. */
export interface ProberLimits {
  /** ffmpeg runs at once. */
  processes: number;
  /** Recordings one run checks at most. */
  batch: number;
}

/** A queue of media checks run `batch` recordings to an ffmpeg run, `processes` runs at once. */
export class MediaProber {
  private readonly waiting: Waiting[] = [];
  private running = 0;
  /** ffmpeg runs started and the recordings they were given (logs, benchmarks, tests). */
  readonly stats = { runs: 0, recordings: 0 };

  constructor(
    private readonly limits: ProberLimits,
    private readonly checkBatch: (inputs: string[]) => Promise<MediaReport[]> = checkMediaBatch,
  ) {}

  /** Checks one recording (path or URL), sharing a run with whatever else is waiting. */
  probe(input: string): Promise<MediaReport> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.running < this.limits.processes && this.waiting.length) {
      const group = this.waiting.splice(0, Math.max(1, this.limits.batch));
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
 * `MEDIA_CHECK_BATCH` recordings a run), shared by every kind of recording the worker checks.
 */
export function mediaProberOf(config: Config): MediaProber {
  let p = probers.get(config);
  if (!p) {
    const { concurrency, batch } = config.interview.mediaCheck;
    p = new MediaProber({ processes: concurrency, batch });
    probers.set(config, p);
  }
  return p;
}
