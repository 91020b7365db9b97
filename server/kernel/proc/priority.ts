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
