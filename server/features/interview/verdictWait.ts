/**
 * Held verdict polls. While the worker checks a recording (`interview.media-check`), the
 * candidate's screen asks for the verdict; asked every 300 ms and then backing off, that was
 * about ten requests per recording on a busy worker, each a whole request's work for the web
 * process (~3 ms of CPU: BENCHMARKS.md, load), and the verdict reached the screen up to 3 s late.
 * A poll may now ask to be held (`?wait=`): it waits here until its attempt leaves `checking`
 * or the wait runs out. The worker runs in another process, so the watch asks the database: one
 * statement per tick for every held poll of this process, whatever their number.
 */
import type { Em } from '../../kernel/db/orm';
import { placeholders } from '../../kernel/db/raw';
import { perDatabase, query } from '../../kernel/db/tx';

/** How often the held polls' attempts are read (the worker's own poll is 200 ms). */
export const VERDICT_TICK_MS = 250;
/** Attempt ids per statement (well under any placeholder limit). */
const CHUNK = 500;

interface Held {
  until: number;
  resolve: (settled: boolean) => void;
}

/** The held polls of one database, and the timer that reads their attempts. */
export class VerdictWatch {
  private readonly held = new Map<number, Held[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly em: Em) {}

  /** Held polls now (for tests and the operations log). */
  get size(): number {
    let n = 0;
    for (const list of this.held.values()) n += list.length;
    return n;
  }

  /**
   * Resolves true when attempt `attemptId` is no longer `checking` (as a read after this call
   * saw it), false after about `ms` (at most one tick late). Never rejects: if the database
   * cannot be read (the process is stopping), the poll is let go with false, its caller answers
   * `checking` and the screen asks again.
   */
  wait(attemptId: number, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const list = this.held.get(attemptId);
      const entry = { until: Date.now() + ms, resolve };
      if (list) list.push(entry);
      else this.held.set(attemptId, [entry]);
      this.arm();
    });
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.tick(), VERDICT_TICK_MS);
    // A held poll never keeps a stopping process alive.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const ids = [...this.held.keys()];
    const settled = new Set<number>();
    let readable = true;
    try {
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const rows = await query<{ id: number }>(
          this.em,
          `select id from interview_attempts where id in (${placeholders(chunk.length)}) and status <> 'checking'`,
          chunk,
        );
        for (const r of rows) settled.add(Number(r.id));
      }
    } catch {
      // Every held poll is let go now (see `wait`).
      readable = false;
    }
    const now = Date.now();
    for (const id of ids) {
      const list = this.held.get(id) ?? [];
      const done = settled.has(id);
      const keep = done || !readable ? [] : list.filter((h) => h.until > now);
      for (const h of list) if (!keep.includes(h)) h.resolve(done);
      if (keep.length) this.held.set(id, keep);
      else this.held.delete(id);
    }
    this.timer = null;
    if (this.held.size) this.arm();
  }
}

const WATCHES = new WeakMap<object, VerdictWatch>();

/** The verdict watch of `em`'s database (one per driver: tests run several databases at once). */
export function verdictWatch(em: Em): VerdictWatch {
  return perDatabase(WATCHES, em, () => new VerdictWatch(em));
}
