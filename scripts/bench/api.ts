/**
 * `npm run bench -- api [--applicants=300] [--seconds=6] [--rounds=3] [--connections=32]
 *   [--server-flags=a,b] [--base-flags=a,b]`
 *
 * Server cost per request on a hot read, against MariaDB (MYSQL_URL, a fresh database):
 * HR's pipeline board `GET /api/pipeline/jobs/:id` (first page) of a job with `applicants`
 * applications spread over the stages, half of them with a review.
 *
 * Web processes (ROLES=web), each in its own process:
 *   - `npm start`: the compiled bundle `node <npm start's flags> build/server.mjs`
 *     (scripts/build/server.mjs), and the bundle with `npm start`'s flags before its heap flags
 *     (`--experimental-async-context-frame` only);
 *   - the same with the memory flags `npm start` used to carry (`--max-semi-space-size=2`,
 *     `MALLOC_ARENA_MAX=2`), and with `MALLOC_ARENA_MAX=2` alone, to see what each earns;
 *   - tsx: `node --import tsx server/main.ts`, as the demo and the tests start it;
 *   - bare: Koa + mysql2 with hand-written SQL and JSON (scripts/bench/bareApi.ts).
 * With `--server-flags=a,b` the product processes are only two, to weigh those Node flags: the
 * bundle with no flags at all and the bundle with them (plus bare). `--server-flags=` (empty)
 * starts the same process twice: an A/A run, to see what the second start and the position cost.
 * `--base-flags=a,b` gives the first of the two its own flags instead of none (e.g. `npm start`'s
 * against a candidate for it), so a change of start flags is weighed against what runs today.
 * Before timing, the bench checks that the product's and the bare body are byte-identical.
 * Then `rounds` rounds, each timing every process back to back for `seconds` with
 * `connections` keep-alive connections, in the reverse order every other round (a machine
 * shared with other work drifts; a fixed order would hand one process the drift). Reported per process: req/s (median of the rounds),
 * p50/p99 latency, CPU milliseconds per request of the server process, RSS peak and after
 * the load. Ratio = product req/s / bare req/s in the same round (median over rounds).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/kernel/config';
import { Application } from '../../server/kernel/db/entities/Application';
import { ApplicationReview } from '../../server/kernel/db/entities/ApplicationReview';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { Job } from '../../server/kernel/db/entities/Job';
import { User } from '../../server/kernel/db/entities/User';
import { openOrm } from '../../server/kernel/db/orm';
import { seedDemoCompany } from '../../server/kernel/db/seeds/seed';
import { issueSessionToken } from '../../server/kernel/http/tokens';
import { createTestDatabase, migrateDb } from '../../server/testing/harness';
import { STAGES } from '../../shared/stages';
import { freePort } from '../ports';
import {
  arg,
  buildServer,
  cpuMsOf,
  httpRequest,
  median,
  npmStartFlags,
  percentile,
  REPO,
  report,
  rssOf,
  serverFlagsArg,
  waitUp,
} from './report';

const MB = 1024 * 1024;

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  proc: ChildProcess;
}

function get(agent: http.Agent, url: string, headers: Record<string, string>) {
  return httpRequest(agent, 'GET', url, headers);
}

/** `connections` loops hitting the target for `seconds`. */
async function load(t: Target, seconds: number, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const pid = t.proc.pid as number;
  const latencies: number[] = [];
  let errors = 0;
  let peak = rssOf(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
  }, 100);
  const cpu0 = cpuMsOf(pid);
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const res = await get(agent, t.url, t.headers).catch(() => ({ status: 0, body: '' }));
        latencies.push(performance.now() - t0);
        if (res.status !== 200) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const cpu = cpuMsOf(pid) - cpu0;
  agent.destroy();
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMsPerReq: cpu / Math.max(1, latencies.length),
    errors,
    peakRss: peak,
  };
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const applicants = arg(args, 'applicants', 300);
  const seconds = arg(args, 'seconds', 6);
  const rounds = arg(args, 'rounds', 3);
  const connections = arg(args, 'connections', 32);
  process.env.MYSQL_URL ??= 'mysql://root@127.0.0.1:3306/test';
  const dbase = await createTestDatabase('mysql');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-bench-api-'));
  const procs: ChildProcess[] = [];
  try {
    const productPort = await freePort();
    const baseEnv: Record<string, string> = {
      APP_MODE: 'development',
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      DATABASE_URL: dbase.db.url,
      STORAGE_LOCAL_DIR: path.join(dir, 'objects'),
      ROLES: 'web',
      DINGTALK_EVENT_MODE: 'off',
      LOG_LEVEL: 'warn',
    };
    const config = loadConfig({ ...baseEnv, PORT: String(productPort) });

    // Data: the demo company plus one job with `applicants` applications.
    const orm = await openOrm(config.database);
    await migrateDb(orm);
    await seedDemoCompany(orm.em.fork());
    const em = orm.em.fork();
    const job = await em.findOneOrFail(Job, { slug: 'sales' });
    const now = Date.now();
    for (let i = 0; i < applicants; i++) {
      const candidate = em.create(Candidate, {
        name: `压测候选人${i}`,
        mobile: `1710000${String(i).padStart(4, '0')}`,
      });
      const stage = STAGES[i % STAGES.length];
      const app = em.create(Application, {
        candidate,
        job,
        stage,
        stageChangedAt: new Date(now - i * 60_000),
      });
      if (i % 2 === 0)
        em.create(ApplicationReview, {
          application: app,
          overall: 40 + (i % 60),
          suggestion: (['pass', 'review', 'reject'] as const)[i % 3],
          reason: 'between_thresholds',
        });
    }
    await em.flush();
    const hr = await em.findOneOrFail(User, { dingtalkUserId: 'hr01' });
    const { token } = await issueSessionToken(
      config.session.secret,
      { kind: 'employee', id: hr.id, invitationJobId: null, generation: hr.sessionGeneration },
      120,
    );
    await orm.close(true);

    const startProduct = async (name: string, argv: string[], extraEnv: Record<string, string>) => {
      const port = await freePort();
      const proc = spawn(process.execPath, argv, {
        cwd: REPO,
        env: { ...process.env, ...baseEnv, ...extraEnv, PORT: String(port) },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      procs.push(proc);
      await waitUp(`http://127.0.0.1:${port}/healthz`);
      return {
        name,
        url: `http://127.0.0.1:${port}/api/pipeline/jobs/${job.id}`,
        headers: { authorization: `Bearer ${token}` },
        proc,
      } satisfies Target;
    };
    // --profile=DIR: a CPU profile of the `npm start` process (written when it exits).
    const profileDir = args.find((a) => a.startsWith('--profile='))?.split('=')[1];
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    // As `npm start` runs it (`prestart` compiles the bundle first).
    const bundle = buildServer();
    const flagged = serverFlagsArg(args);
    const baseFlags = args.find((a) => a.startsWith('--base-flags='));
    const based = baseFlags?.slice('--base-flags='.length).split(',').filter(Boolean) ?? [];
    const products = flagged
      ? [
          await startProduct(
            based.length ? `compiled + ${based.join(' ')}` : 'compiled, no flags',
            [...profile, ...based, bundle],
            {},
          ),
          await startProduct(
            `compiled + ${flagged.join(' ') || 'nothing (A/A: same as above)'}`,
            [...profile, ...flagged, bundle],
            {},
          ),
        ]
      : await defaultProducts();
    async function defaultProducts() {
      return [
        await startProduct('npm start (compiled)', [...profile, ...npmStartFlags(), bundle], {}),
        // `npm start` before its heap flags (2026-12-05): what they cost and what they save.
        await startProduct(
          'compiled + --experimental-async-context-frame only',
          ['--experimental-async-context-frame', bundle],
          {},
        ),
        // The memory flags `npm start` used to carry, to see whether they earn their place.
        await startProduct(
          'compiled + --max-semi-space-size=2, MALLOC_ARENA_MAX=2',
          ['--max-semi-space-size=2', bundle],
          {
            MALLOC_ARENA_MAX: '2',
          },
        ),
        await startProduct('compiled + MALLOC_ARENA_MAX=2', [bundle], { MALLOC_ARENA_MAX: '2' }),
        // Smaller young generations: less idle memory (start-up garbage is held in it), more scavenges.
        await startProduct('compiled + --max-semi-space-size=4', ['--max-semi-space-size=4', bundle], {}),
        await startProduct('compiled + --max-semi-space-size=8', ['--max-semi-space-size=8', bundle], {}),
        // How the demo and the tests start it (TypeScript through the tsx loader).
        await startProduct('tsx (npm run demo)', ['--import', 'tsx', path.join(REPO, 'server/main.ts')], {}),
      ];
    }
    const barePort = await freePort();
    const bareProc = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'scripts/bench/bareApi.ts')],
      {
        cwd: REPO,
        env: {
          ...process.env,
          MYSQL_URL: dbase.db.url,
          PORT: String(barePort),
          POOL: String(config.database.dialect === 'mysql' ? config.database.poolMax : 20),
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    procs.push(bareProc);
    await waitUp(`http://127.0.0.1:${barePort}/healthz`);
    const bare: Target = {
      name: 'bare Koa + mysql2',
      url: `http://127.0.0.1:${barePort}/api/pipeline/jobs/${job.id}`,
      headers: {},
      proc: bareProc,
    };
    const targets = [...products, bare];
    const idle = Object.fromEntries(targets.map((t) => [t.name, rssOf(t.proc.pid as number)]));

    // Same data: byte-identical bodies, or the comparison means nothing.
    const agent = new http.Agent({ keepAlive: true });
    const bodies = await Promise.all(targets.map((t) => get(agent, t.url, t.headers)));
    const bareBody = bodies[bodies.length - 1].body;
    agent.destroy();
    for (const [i, b] of bodies.entries())
      if (b.status !== 200 || b.body !== bareBody)
        throw new Error(
          `${targets[i].name}: body differs from the bare handler's (status ${b.status})\n${b.body.slice(0, 400)}\nvs\n${bareBody.slice(0, 400)}`,
        );
    const items = (JSON.parse(bareBody) as { items: unknown[] }).items.length;

    // Warm-up, then alternating rounds.
    for (const t of targets) await load(t, 2, connections);
    const results: Record<string, Array<Awaited<ReturnType<typeof load>>>> = Object.fromEntries(
      targets.map((t) => [t.name, []]),
    );
    const ratios: Record<string, number[]> = Object.fromEntries(products.map((p) => [p.name, []]));
    for (let r = 0; r < rounds; r++) {
      const round: Record<string, Awaited<ReturnType<typeof load>>> = {};
      for (const t of r % 2 ? [...targets].reverse() : targets) {
        round[t.name] = await load(t, seconds, connections);
        results[t.name].push(round[t.name]);
      }
      for (const p of products) ratios[p.name].push(round[p.name].rps / round[bare.name].rps);
    }
    const rows = targets.map((t) => {
      const rs = results[t.name];
      return {
        process: t.name,
        req_per_s: Math.round(median(rs.map((x) => x.rps))),
        p50_ms: Number(median(rs.map((x) => x.p50)).toFixed(1)),
        p99_ms: Number(median(rs.map((x) => x.p99)).toFixed(1)),
        cpu_ms_per_req: Number(median(rs.map((x) => x.cpuMsPerReq)).toFixed(2)),
        errors: rs.reduce((a, x) => a + x.errors, 0),
        idle_rss_MB: Math.round(idle[t.name] / MB),
        peak_rss_MB: Math.round(Math.max(...rs.map((x) => x.peakRss)) / MB),
        after_rss_MB: Math.round(rssOf(t.proc.pid as number) / MB),
        ratio_to_bare: t === bare ? 1 : Number(median(ratios[t.name]).toFixed(3)),
      };
    });
    report('api', rows, {
      endpoint: 'GET /api/pipeline/jobs/:id (first page)',
      applicants,
      itemsPerPage: items,
      seconds,
      rounds,
      connections,
      perRound: ratios,
      // Each round's figures per process, for pairing rounds (same round = same machine state).
      rounds_raw: Object.fromEntries(
        targets.map((t) => [
          t.name,
          results[t.name].map((x) => ({
            rps: Math.round(x.rps),
            cpu: Number(x.cpuMsPerReq.toFixed(3)),
            p99: Number(x.p99.toFixed(1)),
          })),
        ]),
      ),
    });
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    await dbase.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
