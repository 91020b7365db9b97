import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveProcesses } from './children';
import { REPO } from './report';

/** The command line of a live process, or null once it is gone (or a zombie). */
function cmdlineOf(pid: number): string | null {
  if (!liveProcesses().some((p) => p.pid === pid)) return null;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return null;
  }
}

/**
 * `npm run bench -- load` at a tiny scale, started as a terminal starts a command (a process
 * group of its own, so a "Ctrl-C" reaches npm, the shell and the bench at once). Every process
 * it starts below it (server processes, their ffmpeg) is remembered with its command line while
 * it runs. `signal`: sent to the group (a terminal's Ctrl-C) or to npm alone (`kill`, `timeout`)
 * that long after the candidates began to arrive.
 */
async function runBench(
  extra: string[],
  signal?: { afterArrivalsMs: number; sig: NodeJS.Signals; to: 'group' | 'npm' },
) {
  const child: ChildProcess = spawn(
    'npm',
    [
      'run',
      'bench',
      '--',
      'load',
      // The bench reads the first of a repeated option: `extra` replaces a default of the same name.
      ...['--candidates=8', '--web=2', '--hr=1', '--grants=0', '--pace=0.5'].filter(
        (d) => !extra.some((e) => e.split('=')[0] === d.split('=')[0]),
      ),
      ...extra,
    ],
    { cwd: REPO, env: process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const root = child.pid as number;
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const seen = new Map<number, string>();
  const groups = new Set<number>();
  let signalled = false;
  let arrivingSince = 0;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => {
    done = true;
  });
  while (!done) {
    // Descendants of the npm process: the bench, and the servers it started (own groups).
    const all = liveProcesses();
    const mine = new Set([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of all)
        if (!mine.has(p.pid) && mine.has(p.ppid)) {
          mine.add(p.pid);
          grew = true;
        }
    }
    // The latest command line (one seen between fork and exec still shows its parent's; an
    // exiting process shows none, which is not kept).
    for (const pid of mine) {
      if (pid === root) continue;
      const cmd = cmdlineOf(pid);
      if (cmd || !seen.has(pid)) seen.set(pid, cmd ?? '');
    }
    // Leaders of their own groups: the servers (a worker's ffmpeg joins its group).
    for (const p of all) if (mine.has(p.pid) && p.pid === p.pgid && p.pid !== root) groups.add(p.pid);
    if (signal && !signalled && err.includes('candidates arriving')) {
      arrivingSince ||= Date.now();
      if (Date.now() - arrivingSince >= signal.afterArrivalsMs) {
        signalled = true;
        process.kill(signal.to === 'group' ? -root : root, signal.sig);
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const code = await exited;
  // Whatever it started and is still running (the same pid with the same command line).
  const survivors = [
    ...new Set([
      ...[...seen].filter(([pid, cmd]) => cmd && cmdlineOf(pid) === cmd).map(([pid]) => pid),
      ...liveProcesses()
        .filter((p) => groups.has(p.pgid))
        .map((p) => p.pid),
    ]),
  ].map((pid) => [pid, cmdlineOf(pid)] as const);
  for (const [pid] of survivors) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone meanwhile.
    }
  }
  return { code, out, err, seen, groups, survivors, signalled };
}

/**
 * The server processes the bench started (`node … build/server.mjs`, as `npm start`): leaders of
 * their own process groups (a worker's ffmpeg, seen between fork and exec, shows its parent's
 * command line for a moment).
 */
const servers = (r: { seen: Map<number, string>; groups: Set<number> }) =>
  [...r.groups].filter((pid) => r.seen.get(pid)?.trim().endsWith(path.join(REPO, 'build/server.mjs')));

/** The bench's JSON report line of the load run. */
const reportOf = (out: string) => {
  const line = out.split('\n').find((l) => l.startsWith('{"bench":"load"'));
  return line ? (JSON.parse(line) as { summary: Record<string, unknown>; rows: unknown[] }) : null;
};

describe.skipIf(!process.env.MYSQL_URL)('load bench: the grant burst', () => {
  it('times the product and its bare baseline on the same candidates, and leaves no process behind', async () => {
    const r = await runBench([
      '--candidates=0',
      '--grants=6',
      '--no-settle',
      '--grant-rounds=2',
      '--upstream-idle=4',
    ]);
    expect(r.code).toBe(0);
    const line = r.out.split('\n').find((l) => l.startsWith('{"bench":"load-grants"'));
    const row = (line ? JSON.parse(line) : { rows: [] }).rows[0] as Record<string, unknown> | undefined;
    // Every grant of every burst answered 201 (the bare one decides only the usual case, and
    // answers anything else with an error the bench counts): two rounds of a product burst
    // and a bare one, so each answer was granted attempts 1 to 5 (the bare warm-up's included).
    expect(row).toMatchObject({ errors: 0, bare_errors: 0, rounds: 2, client: 'undici' });
    expect(String(row?.p99_rounds_ms).split(' / ')).toHaveLength(2);
    expect(String(row?.bare_p99_rounds_ms).split(' / ')).toHaveLength(2);
    expect(row?.p99_ms).toEqual(expect.any(Number));
    expect(row?.bare_p99_ms).toEqual(expect.any(Number));
    expect(row?.cpu_vs_bare).toEqual(expect.any(Number));
    // The product's web process and worker, and the bare process, all started and all stopped.
    expect(servers(r)).toHaveLength(2);
    expect([...r.seen.values()].some((cmd) => cmd.includes('scripts/bench/bareGrant.ts'))).toBe(true);
    expect(r.survivors).toEqual([]);
  }, 180_000);
});

describe.skipIf(!process.env.MYSQL_URL)('load bench: stopping early', () => {
  it('--duration: reports the partial run (JSON and table) and leaves no process behind', async () => {
    // Each candidate reads each of the two questions for 3-9 s (--think=6), so none can finish
    // by the end of the grace (5 s after the first arrival), however fast the machine: a run on
    // a quiet machine once finished all 8 in 3.4 s and reported no partial run.
    const r = await runBench(['--duration=4', '--grace=1', '--think=6']);
    expect(r.err).toContain('partial report (--duration=4)');
    expect(r.code).toBe(3);
    const rep = reportOf(r.out);
    expect(rep?.summary.partial).toBe('--duration=4');
    expect(rep?.summary.arrived).toBe(8);
    expect(rep?.summary.still_inside).toBe(8);
    // The candidates came once the worker had sent their invitations (the sweep runs every minute).
    expect(rep?.summary.settle_s).toEqual(expect.any(Number));
    expect(r.out).toContain("'--duration=4'");
    // Two web processes and the worker were started, and none survives.
    expect(servers(r)).toHaveLength(3);
    expect(r.survivors).toEqual([]);
  }, 180_000);

  it.each([
    { sig: 'SIGINT' as const, to: 'group' as const, how: 'Ctrl-C (SIGINT to the whole terminal group)' },
    // npm forwards it to its child; before `exec` in the bench script that child was a shell,
    // which passed nothing on: no report, and the servers ran on.
    { sig: 'SIGTERM' as const, to: 'npm' as const, how: 'SIGTERM to npm alone (kill, timeout)' },
  ])(
    '$how: reports at once and leaves no process behind',
    async ({ sig, to }) => {
      const r = await runBench(['--arrive=20', '--no-settle'], { afterArrivalsMs: 5_000, sig, to });
      expect(r.signalled).toBe(true);
      expect(r.err).toContain(`${sig}: stopping, reporting what was measured`);
      const rep = reportOf(r.out);
      expect(rep?.summary.partial).toBe(sig);
      expect(rep?.summary.settle_s).toBe('no');
      // Arrivals were spread over 20 s and the signal came 5 s in: some came, not all.
      expect(rep?.summary.arrived).toBeGreaterThan(0);
      expect(rep?.summary.arrived).toBeLessThan(8);
      expect(r.out).toContain(`'${sig}'`);
      expect(r.code).toBe(3);
      expect(servers(r)).toHaveLength(3);
      expect(r.survivors).toEqual([]);
    },
    180_000,
  );
});
