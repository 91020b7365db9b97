/**
 * Child processes a benchmark starts (server processes, and through them ffmpeg), each in a
 * process group of its own, so the benchmark alone decides when they stop and can stop all of
 * them, grandchildren included:
 *  - a terminal's Ctrl-C reaches the benchmark (and `npm`), not the servers, which keep
 *    answering while the benchmark queries what it measured and prints its report;
 *  - stopping a child signals its whole group (a worker's running ffmpeg goes with it), and a
 *    group still alive after a grace is killed;
 *  - whatever way the benchmark's process exits (the end, an error, a second Ctrl-C that exits
 *    at once), every group still running is killed on the way out, so no server is left behind.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import fs from 'node:fs';

/** Process group ids (= the leader's pid) of children started here and not yet stopped. */
const groups = new Set<number>();

/** Sends `signal` to the process group `pgid`; false when the group is gone. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

let exitHook = false;

/** Starts `command` as the leader of a new process group, remembered until {@link stopChild}. */
export function spawnChild(command: string, args: string[], options: SpawnOptions): ChildProcess {
  if (!exitHook) {
    exitHook = true;
    // Synchronous, so it also runs on process.exit(): the last chance to leave nothing behind.
    process.on('exit', () => {
      for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
    });
  }
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid !== undefined) groups.add(child.pid);
  return child;
}

/**
 * Stops a child started by {@link spawnChild}: SIGTERM to its group (the server closes
 * gracefully), then SIGKILL to whatever of the group is left once the leader exited or
 * `graceMs` passed. Resolves when the leader has exited.
 */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(pgid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([exited, late]);
  clearTimeout(timer);
  // The leader's children (ffmpeg) do not die with it; nor does a leader that ignored SIGTERM.
  signalGroup(pgid, 'SIGKILL');
  await exited;
  groups.delete(pgid);
}

/** Pids of the live processes in process group `pgid` (from /proc; empty once all are gone). */
export function groupMembers(pgid: number): number[] {
  return liveProcesses()
    .filter((p) => p.pgid === pgid)
    .map((p) => p.pid);
}

/** Every live (not zombie) process on the machine with its parent and process group (Linux /proc). */
export function liveProcesses(): Array<{ pid: number; ppid: number; pgid: number }> {
  const out: Array<{ pid: number; ppid: number; pgid: number }> = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // State, ppid, pgrp; a zombie has exited and only waits for its parent to reap it.
      if (f[0] === 'Z') continue;
      out.push({ pid: Number(name), ppid: Number(f[1]), pgid: Number(f[2]) });
    } catch {
      // Gone between the listing and the read.
    }
  }
  return out;
}
