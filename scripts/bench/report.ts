import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/** The repository root (benchmarks start the product from here). */
export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** Percentile of a sorted or unsorted sample (nearest-rank). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** The median of `values` (the mean of the middle two when their count is even); NaN when empty. */
export function median(values: number[]): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The machine a result was measured on (for BENCHMARKS.md). */
export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
  };
}

/** Prints a benchmark result as one JSON line and as a table. */
export function report(
  name: string,
  rows: Array<Record<string, string | number | boolean>>,
  extra: Record<string, unknown> = {},
): void {
  const result = { bench: name, machine: machine(), ...extra, rows };
  console.log(JSON.stringify(result));
  console.table(rows);
}

/** A numeric `--name=value` option of a benchmark, or `def`. */
export function arg(args: string[], name: string, def: number): number {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
}

/** Resident memory of a process in bytes (0 once it has gone). */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * User + system CPU of a process so far, in ms, including its finished child processes (e.g.
 * the ffmpeg a media check runs). `/proc/<pid>/stat` counts clock ticks of 10 ms.
 */
export function cpuMsOf(pid: number): number {
  const { user, system } = cpuSplitOf(pid);
  return user + system;
}

/**
 * CPU time of a live process in ms, user and kernel apart (children waited for included in
 * each): the kernel share of a network-bound process is its socket system calls.
 */
export function cpuSplitOf(pid: number): { user: number; system: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, then cutime, cstime (children waited for); clock ticks of 10 ms.
    return { user: (Number(f[11]) + Number(f[13])) * 10, system: (Number(f[12]) + Number(f[14])) * 10 };
  } catch {
    return { user: 0, system: 0 };
  }
}

/**
 * The pid of the database server on this machine (MariaDB's `mariadbd`, or `mysqld`), found by
 * its process name, or null (a remote database, or none): its CPU over a measured burst is the
 * database's share of the same cores. Other clients of the same server count too, so the figure
 * is only the burst's own on a machine where nothing else queries it.
 */
export function databasePid(): number | null {
  for (const dir of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(dir)) continue;
    try {
      const comm = fs.readFileSync(`/proc/${dir}/comm`, 'utf8').trim();
      if (comm === 'mariadbd' || comm === 'mysqld') return Number(dir);
    } catch {
      // Gone between the listing and the read.
    }
  }
  return null;
}

/**
 * Compiles `build/server.mjs` as `npm start` does (its `prestart` step), so a benchmark runs
 * the product the way production starts it: `node build/server.mjs`. Returns the bundle's path.
 */
export function buildServer(): string {
  const built = spawnSync(process.execPath, [path.join(REPO, 'scripts/build/server.mjs')], {
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('could not build the server bundle');
  return path.join(REPO, 'build/server.mjs');
}

/**
 * The environment of one compiled web process on this machine (no DingTalk events, its data and
 * recordings under `dir`), with `extra` on top; the caller adds `process.env` when it spawns.
 */
export function webServerEnv(
  port: number,
  dir: string,
  databaseUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    APP_MODE: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    STORAGE_LOCAL_DIR: path.join(dir, 'objects'),
    ROLES: 'web',
    DINGTALK_EVENT_MODE: 'off',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/**
 * The Node flags `npm start` puts before the bundle (`node <flags> build/server.mjs` in
 * package.json), so benchmarks and tests start the server with exactly production's flags.
 */
export function npmStartFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const words = pkg.scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'build/server.mjs')
    throw new Error(
      `package.json start: expected "node [flags] build/server.mjs", got "${pkg.scripts.start}"`,
    );
  return words.slice(1, -1);
}

/**
 * `--server-flags=a,b` of a benchmark: Node flags for the server processes it starts, or null
 * when not given. `--server-flags=` (empty) means none at all, e.g. to compare against
 * `npm start`'s own flags.
 */
export function serverFlagsArg(args: string[]): string[] | null {
  const a = args.find((x) => x.startsWith('--server-flags='));
  if (a === undefined) return null;
  return a.slice('--server-flags='.length).split(',').filter(Boolean);
}

/** One HTTP exchange: status, headers and the body as text. */
export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request through `agent` (keep-alive connections reused as a load balancer or a
 * browser would); the body is sent as is. Network errors reject, except one: a reused idle
 * connection that the server closed at the moment it was reused (its keep-alive timeout) is
 * reset before the server read anything, so the request is sent once more on a fresh one, as
 * Node's documentation advises and nginx does for a dead upstream connection.
 */
export function httpRequest(
  agent: http.Agent,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string | Buffer,
  retried = false,
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && err.code === 'ECONNRESET')
        resolve(httpRequest(agent, method, url, headers, body, true));
      else reject(err);
    });
    req.end(body);
  });
}

/** Waits until `url` answers below 500 (a server process has started), up to a minute. */
export async function waitUp(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not start`);
}
