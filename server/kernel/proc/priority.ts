/**
 * CPU priority of the external tools the product starts (ffmpeg for media checks; pdfinfo,
 * pdftotext, pdftoppm and tesseract for résumés). They are background work: a candidate waits
 * on an API call, nobody waits on a media check to the millisecond. On a host whose cores are
 * shared with web processes (one machine, or a worker next to a web process), a full-speed
 * ffmpeg run takes a core away from request handling for a tenth of a second at a time; with a
 * higher nice value the kernel gives the web processes the CPU first, and the tools still get
 * every cycle nobody else wants (on a worker's own machine nothing changes).
 *
 * The value is a process-wide setting because the tools are started from deep inside the media
 * and résumé code, which has no configuration at hand; `startServer` sets it from
 * `TOOL_NICENESS`, and anything else (tests, benchmarks) gets the default.
 */
import fs from 'node:fs';
import os from 'node:os';

/** The nice value tools get unless `TOOL_NICENESS` says otherwise (0 = the process's own). */
export const DEFAULT_TOOL_NICENESS = 10;

let niceness = DEFAULT_TOOL_NICENESS;

/** Sets the nice value given to tools started from now on (0-19; 0 leaves them as they are). */
export function setToolNiceness(value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 19)
    throw new RangeError(`tool niceness must be a whole number from 0 to 19, got ${value}`);
  niceness = value;
}

/** The nice value tools started now get. */
export function toolNiceness(): number {
  return niceness;
}

/**
 * Lowers a just-started tool's CPU priority to the configured nice value. Call it right after
 * spawning: the tool runs its first instants at the parent's priority, which is nothing next to
 * a run of a tenth of a second or more, and threads it starts later inherit the value. Raising
 * niceness never needs privileges; if the platform refuses anyway, the tool keeps running at
 * the parent's priority (slower web responses are not worth failing a check for).
 */
export function lowerToolPriority(pid: number | undefined): void {
  if (pid === undefined || niceness === 0) return;
  try {
    // Relative to the parent's own value, as `nice -n` would: never raise a niced parent's tools.
    os.setPriority(pid, Math.min(19, os.getPriority() + niceness));
  } catch {
    // See above: best effort.
  }
}

/**
 * The nice value a process without the web role gives itself unless `WORKER_NICENESS` says
 * otherwise: none. Chosen by measurement (BENCHMARKS.md, load, "the worker's own priority"): on
 * two cores saturated by the load bench and other work, a worker at +10 fell behind on media
 * checks (the verdict gates a candidate's next question), candidates stayed inside longer and the
 * web calls' p99 did not improve; its tools are niced already (`TOOL_NICENESS`). Worth setting
 * where a worker shares cores with web processes and spare CPU is the rule, not the exception.
 */
export const DEFAULT_WORKER_NICENESS = 0;

/**
 * Lowers this process's own CPU priority when it serves no HTTP requests (its roles have no
 * `web`): workers and bots do background work (media check orchestration, scoring, sweeps,
 * the outbox) that nobody waits on to the millisecond, while a candidate waits on every web
 * call. On a machine where they share cores with web processes (or with the database), the
 * kernel then runs request handling first; alone on their own machine nothing changes.
 *
 * Linux keeps a nice value per thread, and `setpriority` on the process id changes only the
 * main thread, so every thread already running (V8's GC and compiler helpers, libuv's pool) is
 * lowered one by one from /proc/self/task; threads started later inherit the value. Raising a
 * nice value needs no privilege; if the platform refuses anyway the process keeps its priority
 * (a slower worker is not worth refusing to start). Returns the process's nice value afterwards,
 * or null when it was left alone (web role, or `niceness` 0).
 */
export function lowerOwnPriority(roles: readonly string[], niceness: number): number | null {
  if (roles.includes('web') || niceness === 0) return null;
  const target = Math.min(19, os.getPriority() + niceness);
  let threads: string[] = [];
  try {
    threads = fs.readdirSync('/proc/self/task');
  } catch {
    // Not Linux (or no /proc): the process-wide call below is all there is.
  }
  for (const tid of threads) {
    try {
      os.setPriority(Number(tid), target);
    } catch {
      // A thread that ended between the listing and the call; best effort, see above.
    }
  }
  try {
    os.setPriority(target);
  } catch {
    // See above.
  }
  return os.getPriority();
}
