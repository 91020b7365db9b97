/**
 * `npm run bench -- homereads [--rounds=20] [--baseline=PATH]`
 *
 * Server time of a returning candidate's first reads (the six that `index.html`'s inline script
 * sends: auth config, me, and the home's four, see `miniapp/src/earlyReads.ts`) on the demo
 * database the frontend benchmark uses (demo mode, embedded SQLite, web role), as the demo
 * candidate 张三. Each round times every read alone (one after another) and then all six sent
 * together, as the page sends them; the table gives the median and p90 of each read's time to
 * its last byte (ms, on this machine, without network throttling).
 *
 * `--baseline=PATH` starts a second server from another checkout (e.g. a worktree of `main`) on
 * its own copy of the demo database and alternates rounds between the two, so both are measured
 * under the same machine load.
 *
 * A server that answers `GET /api/home/first` gets the reads a page of this checkout sends: the
 * auth config and that one combined read; one without it (an older checkout), the separate six.
 * The `(all)` rows compare the two: the slowest of the reads sent together (when the last answer
 * is in) and the sum of their times alone (the server's work for one load).
 */
import os from 'node:os';
import path from 'node:path';
import { candidateFirstReadPath, candidateHomeReads } from '../../miniapp/src/earlyReads';
import { type DemoServer, startDemoServer } from './demoServer';
import { arg, percentile, REPO, report } from './report';

/** A demo server under a name for the table. */
type Server = DemoServer & { name: string };

/** Starts `repo`'s demo server (see demoServer.ts). */
async function start(name: string, repo: string): Promise<Server> {
  return { name, ...(await startDemoServer(repo)) };
}

/** A returning candidate's first reads as a page sent them to `s`, with whether each carries the session. */
async function reads(s: Server): Promise<Array<{ path: string; auth: boolean }>> {
  const config = { path: '/api/auth/config', auth: false };
  const first = { path: candidateFirstReadPath('zh-CN'), auth: true };
  const probe = await fetch(`${s.base}${first.path}`, {
    headers: { authorization: `Bearer ${s.session.token}` },
  });
  await probe.arrayBuffer();
  if (probe.status === 200) return [config, first];
  return [
    config,
    { path: '/api/me', auth: true },
    ...candidateHomeReads('zh-CN').map((p) => ({ path: p, auth: true })),
  ];
}

/** The row of a whole load's reads: alone, their times' sum; together, the last one's. */
const ALL = '(all)';

/** Time to the last byte of one read, in ms; throws on a status other than 200. */
async function timed(s: Server, read: { path: string; auth: boolean }): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${s.base}${read.path}`, {
    headers: read.auth ? { authorization: `Bearer ${s.session.token}` } : {},
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${s.name} ${read.path}: ${res.status}`);
  return performance.now() - t0;
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const loadAtStart = os.loadavg().map((x) => +x.toFixed(2));
  const rounds = arg(args, 'rounds', 20);
  const baselineRepo = args.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);
  const servers: Server[] = [];
  try {
    servers.push(await start('this checkout', REPO));
    if (baselineRepo) servers.push(await start(`baseline (${baselineRepo})`, path.resolve(baselineRepo)));
    const lists = await Promise.all(servers.map((s) => reads(s)));
    // samples[server][mode][path] = ms; ALL: the slowest together, the sum alone
    const samples = servers.map(() => ({
      alone: new Map<string, number[]>(),
      together: new Map<string, number[]>(),
    }));
    const push = (m: Map<string, number[]>, k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v]);
    // Two warm-up rounds (first requests compile queries, fill the metadata caches).
    for (let r = -2; r < rounds; r++)
      for (let i = 0; i < servers.length; i++) {
        // Alternate which server goes first, so neither always follows the other's work.
        const k = (i + Math.max(r, 0)) % servers.length;
        const s = servers[k];
        const list = lists[k];
        let sum = 0;
        for (const read of list) {
          const ms = await timed(s, read);
          sum += ms;
          if (r >= 0) push(samples[k].alone, read.path, ms);
        }
        const all = await Promise.all(list.map((read) => timed(s, read)));
        if (r >= 0) {
          for (const [j, read] of list.entries()) push(samples[k].together, read.path, all[j]);
          push(samples[k].alone, ALL, sum);
          push(samples[k].together, ALL, Math.max(...all));
        }
      }
    const rows: Array<Record<string, string | number>> = [];
    servers.forEach((s, k) => {
      for (const read of [...lists[k], { path: ALL }]) {
        const alone = samples[k].alone.get(read.path) ?? [];
        const together = samples[k].together.get(read.path) ?? [];
        rows.push({
          server: s.name,
          read: read.path,
          alone_p50: +percentile(alone, 50).toFixed(1),
          alone_p90: +percentile(alone, 90).toFixed(1),
          together_p50: +percentile(together, 50).toFixed(1),
          together_p90: +percentile(together, 90).toFixed(1),
        });
      }
    });
    report('homereads', rows, {
      rounds,
      loadAverage: { start: loadAtStart, end: os.loadavg().map((x) => +x.toFixed(2)) },
    });
  } finally {
    for (const s of servers) await s.stop();
  }
}
