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
 */
import os from 'node:os';
import path from 'node:path';
import { candidateHomeReads } from '../../miniapp/src/earlyReads';
import { type DemoServer, startDemoServer } from './demoServer';
import { arg, percentile, REPO, report } from './report';

/** A demo server under a name for the table. */
type Server = DemoServer & { name: string };

/** Starts `repo`'s demo server (see demoServer.ts). */
async function start(name: string, repo: string): Promise<Server> {
  return { name, ...(await startDemoServer(repo)) };
}

/** The six first reads of a returning candidate's load, with whether each carries the session. */
function reads(): Array<{ path: string; auth: boolean }> {
  return [
    { path: '/api/auth/config', auth: false },
    { path: '/api/me', auth: true },
    ...candidateHomeReads('zh-CN').map((p) => ({ path: p, auth: true })),
  ];
}

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
    const list = reads();
    // samples[server][mode][path] = ms
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
        for (const read of list) {
          const ms = await timed(s, read);
          if (r >= 0) push(samples[k].alone, read.path, ms);
        }
        const all = await Promise.all(list.map((read) => timed(s, read)));
        if (r >= 0) for (const [j, read] of list.entries()) push(samples[k].together, read.path, all[j]);
      }
    const rows: Array<Record<string, string | number>> = [];
    servers.forEach((s, k) => {
      for (const read of list) {
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
