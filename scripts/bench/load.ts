/**
 * `npm run bench -- load [--candidates=1000] [--web=2] [--hr=5] [--grants=200] [--pool=10]
 *   [--capacity=5] [--kb=50] [--profile=DIR] [--profile-interval=US] [--arrive=S] [--pace=S] [--think=S] [--record=S]
 *   [--duration=S] [--grace=S] [--workers=1] [--media-concurrency=N] [--media-batch=N] [--verdict-wait=MS]
 *   [--server-flags=a,b] [--routes=N] [--routes-concurrency=10] [--bundle=PATH] [--probe] [--no-settle]
 *   [--grant-rounds=3] [--upstream-idle=20] [--grant-client=undici]`
 *
 * Many candidates interviewing at once against the product started as production starts it,
 * on MariaDB (MYSQL_URL; a fresh database per run):
 *  - `node <flags> build/server.mjs` (compiled once, like `npm start`, with `npm start`'s Node
 *    flags, or `--server-flags`' instead: `--server-flags=` for none): `--web` processes with
 *    ROLES=web and `--workers` (1) with ROLES=worker, whose media check runs
 *    `--media-concurrency` ffmpeg runs at once of up to `--media-batch` recordings each (the
 *    product's MEDIA_CHECK_CONCURRENCY / MEDIA_CHECK_BATCH; unset: their defaults, or what the
 *    bench's own environment sets); the sandbox stands in for DingTalk and the ASR
 *    service; recordings go to local storage shared by the processes (a shared volume).
 *    `--web=1,2,3` repeats the whole run (fresh database) for each count.
 *  - The operator's settings behind a load balancer: TRUST_PROXY=true, TRUST_PROXY_HOPS=1,
 *    one SESSION_SECRET, default rate limits and pool size (`--pool` sets DB_POOL_MAX).
 *    The bench is the load balancer: requests go round robin over the web processes, each
 *    with `X-Forwarded-For: <the candidate's own IP>`.
 *  - Intake as HR does it: a CSV import of the candidates (confirmed), bulk invitations by
 *    link to a job with a practice and one real video question, and an AI interview window
 *    taken by booking (`takeMode: booked`, `--capacity` seats per 30-minute slot). Then the
 *    bench waits until the worker has sent the invitations (its sweep runs every minute) and
 *    delivered everything the setup queued (`settle_s`; `--no-settle` starts at once, with the
 *    sweep of every invitation inside the measured window), as on an interview day, when the
 *    candidates arrive through invitations that went out earlier. The grant burst waits the
 *    same way before its preparation.
 *  - Every candidate at once, through the HTTP API in the mini-app's order: invitation
 *    sign-in, home (me, my bookings), slot listing, booking (a random early slot; on `slot_full`
 *    another is picked from the fresh list the 409 carries, as the mini-app does), interview overview, consent, start; per
 *    question: next, start answer, upload grant, the recording (a real `--kb` KB VP8/Opus WebM
 *    made with espeak-ng and ffmpeg) PUT to the granted URL, complete (202: the worker runs the
 *    media check), polls of the verdict as the mini-app does (held by the server up to
 *    `--verdict-wait` ms, default 8000: `verdict_wait`, left out of the API p99 since it lasts as
 *    long as the check; `--verdict-wait=0`: quick polls backing off, `verdict_poll`; and
 *    `time_to_verdict` from complete to the verdict), accept; then next (done) and submit. Meanwhile `--hr` HR users loop over the
 *    pipeline (jobs, the job's board) and the reports (list, one report).
 *  - Pacing (all default 0: every candidate at once, as fast as the server answers, which measures
 *    saturation rather than a day of interviews): `--arrive` spreads the candidates' starts evenly
 *    over S seconds; `--pace` pauses S × U(0.5, 1.5) between the screens before the first
 *    question (reading the home, choosing a slot, reading the notice); `--think` pauses S ×
 *    U(0.5, 1.5) after a question is served (reading it) and `--record` S × U(0.5, 1) between
 *    starting an answer and asking for its upload grant (recording). Keep think + record inside
 *    the job's windows (10 s to read, 30 s to answer here) or the server rightly refuses late
 *    uploads. With pacing the run measures latency at a realistic request rate: every candidate
 *    is inside the interview at the same time when `arrive` is shorter than one interview.
 *  - Where the time goes (./serverProbe.mjs, loaded into every server process): per call kind
 *    the p99 of the time inside the server's handler (`server_p99_ms`, its DB waits included)
 *    and of the rest (`outside_p99_ms`: before the server read the request, or the bench's own
 *    loop after); per server process its event-loop delay, GC pauses, pool waits and query round
 *    trips, and its own CPU (a worker's without its ffmpeg runs); and the bench's own CPU and
 *    event-loop delay (`bench_cpu_s`, `bench_loop_p99_ms`), which every call it times includes.
 *  - Reported: every distinct error (the run fails on any), p50/p99/max per call kind,
 *    throughput (requests/s, candidates finished per minute), peak RSS and CPU per process,
 *    overbooked slots (must be 0), and the per-client sign-in limit checked across processes
 *    (one IP over its budget is refused whichever process it reaches; other IPs are not).
 *  - Stopping early: `--duration=S` stops new arrivals S seconds after the first, lets the
 *    candidates inside finish for `--grace` seconds (60), then reports what it measured; SIGINT
 *    or SIGTERM (Ctrl-C, or `kill`/`timeout` on npm: the bench script `exec`s node, so npm's
 *    forwarded signal reaches the bench) reports at once, as does the parent going away. Such a
 *    report says `partial` (with the reason), how many candidates arrived and finished, and the
 *    media-check queue (attempts by status); it is printed before the processes are stopped,
 *    and the bench then exits 3 (1: errors, overbooking or a broken limit). A second signal (a
 *    second apart) exits at once. The server processes run in process groups of their own
 *    (./children.ts): a terminal's Ctrl-C does not stop them mid-report, and every group (with
 *    a worker's ffmpeg) is stopped, or killed, before the bench exits.
 *  - Item 4: `--grants` candidates, each with a served question, ask for an upload grant at the
 *    same moment on one web process: p50/p99 (0 skips it). The baseline in the same run: the
 *    same candidates' grants from a bare Koa + mysql2 process sending the product's statements
 *    (./bareGrant.ts), warmed first. `--grant-rounds` (3) pairs of a product burst and a bare
 *    burst, back to back, the order flipped each round, each burst starting from
 *    `--upstream-idle` (20) open connections; the row has the medians over the rounds, every
 *    round's p99, and `p99_vs_bare` and `cpu_vs_bare`, the medians of the rounds' ratios.
 *    Both sides' bursts are sent with `--grant-client` (`undici`; `node` for Node's own HTTP
 *    client, which spends about a third more CPU per grant on the same cores).
 *  - `--routes=N` (instead of all the above): web CPU per call of each candidate route, N
 *    candidates one route at a time (`--routes-concurrency`, 10, in flight) on one web process.
 *  - `--bundle=PATH`: run a server bundle built elsewhere (e.g. `main`'s, to compare builds).
 *  - `--probe`: load ./serverProbe.mjs for `--grants` and `--routes` too (by default only the
 *    main run, which reports its figures, has it: its hooks are CPU in the process measured).
 */

import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { type Dispatcher, Agent as UndiciAgent, request as undiciRequest } from 'undici';
import { Department } from '../../server/kernel/db/entities/Department';
import { InterviewPlan } from '../../server/kernel/db/entities/InterviewPlan';
import { User } from '../../server/kernel/db/entities/User';
import { openOrm } from '../../server/kernel/db/orm';
import { DEMO_EMPLOYEES, type DemoEmployee } from '../../server/kernel/db/seeds/demoCompany';
import { seedDemoCompany } from '../../server/kernel/db/seeds/seed';
import { invitationTokenOf } from '../../server/kernel/http/tokens';
import { makeJob, makeSchedule } from '../../server/testing/factories';
import { createTestDatabase, migrateDb } from '../../server/testing/harness';
import { recording, speechWav } from '../../server/testing/media';
import { SandboxClient } from '../../server/testing/sandboxClient';
import { freshSlotsOf, type SlotsResponse, type SlotView } from '../../shared/api/bookings';
import { VERDICT_WAIT_MS, verdictPollDelayMs } from '../../shared/api/interview';
import { freePort } from '../ports';
import { startSandbox } from '../sandbox/server';
import { spawnChild, stopChild } from './children';
import {
  arg,
  buildServer,
  cpuMsOf,
  cpuSplitOf,
  databasePid,
  type HttpReply,
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
/** Sign-in budget per client per minute (the product's default, kept: the point is that it holds per client). */
const SIGNIN_PER_MINUTE = 20;

/** Latencies per call kind and every distinct error, for one run. */
class Tally {
  readonly ms = new Map<string, number[]>();
  /**
   * Per kind, of each timed request whose server said (`x-bench-server-ms`, ./serverProbe.mjs):
   * the time inside the server's handler, and the rest (the bench's total minus it).
   */
  readonly split = new Map<string, { server: number[]; outside: number[] }>();
  readonly errors = new Map<string, { count: number; example: string }>();
  requests = 0;

  /** Times one call under `kind`; `request: false` times a wait that is not an HTTP request. */
  add(kind: string, ms: number, request = true) {
    if (request) this.requests++;
    const xs = this.ms.get(kind);
    if (xs) xs.push(ms);
    else this.ms.set(kind, [ms]);
  }

  /** An unexpected answer: counted under kind + status + error code, with the first body kept. */
  fail(kind: string, reply: HttpReply | null, err?: unknown) {
    let code = 'network';
    if (reply) {
      try {
        code = `${reply.status} ${(JSON.parse(reply.body) as { error?: { code?: string } }).error?.code ?? ''}`;
      } catch {
        code = String(reply.status);
      }
    }
    const key = `${kind}: ${code}`.trim();
    const e = this.errors.get(key);
    if (e) e.count++;
    else
      this.errors.set(key, {
        count: 1,
        example: reply ? reply.body.slice(0, 300) : String((err as Error)?.message ?? err),
      });
  }

  get errorCount() {
    return [...this.errors.values()].reduce((s, e) => s + e.count, 0);
  }
}

/** A call that did not get the status it expected (already counted in the tally). */
class CallFailed extends Error {}

/**
 * The load balancer, in the client: each request goes to the next web process (round robin,
 * nginx's default), over keep-alive upstream connections, with the client's address alone in
 * `X-Forwarded-For`, as the README's nginx example sets it (`$remote_addr`, one trusted hop).
 */
class Balancer {
  private next = 0;
  /** The client's connection pool: Node's agent or undici's, as the constructor chose. */
  private pool: { agent: http.Agent } | { dispatcher: UndiciAgent };

  private static newAgent() {
    return new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  }

  private static newDispatcher() {
    // One connection per request in flight, no pipelining: a phone's request each.
    return new UndiciAgent({ connections: null, pipelining: 1 });
  }

  /**
   * `client`: Node's own HTTP client (`node`), or undici (`undici`), which spent about a
   * quarter less CPU per grant (0.32-0.36 ms against 0.46, new connections included): in a
   * 200-grant burst the bench's clients share the two cores with the processes measured
   * (BENCHMARKS.md, load).
   */
  constructor(
    private readonly bases: string[],
    readonly tally: Tally,
    client: LoadClient = 'node',
  ) {
    this.pool =
      client === 'undici' ? { dispatcher: Balancer.newDispatcher() } : { agent: Balancer.newAgent() };
  }

  /** Closes the pool's connections; `reopen` puts a new pool of the same kind in its place. */
  private async closePool(reopen: boolean): Promise<void> {
    if ('agent' in this.pool) {
      this.pool.agent.destroy();
      if (reopen) this.pool = { agent: Balancer.newAgent() };
    } else {
      await this.pool.dispatcher.destroy();
      if (reopen) this.pool = { dispatcher: Balancer.newDispatcher() };
    }
  }

  private send(method: string, url: string, headers: Record<string, string>, body?: string | Buffer) {
    return 'agent' in this.pool
      ? httpRequest(this.pool.agent, method, url, headers, body)
      : undiciSend(this.pool.dispatcher, method, url, headers, body);
  }

  /**
   * Sends one request and times it under `kind`. Statuses in `ok` are success; `soft` ones are
   * returned to the caller (e.g. 409 slot_full, which it retries) without counting as errors.
   */
  async call(
    kind: string,
    method: string,
    p: string,
    o: {
      ip: string;
      token?: string;
      json?: unknown;
      raw?: Buffer;
      headers?: Record<string, string>;
      ok?: number[];
      soft?: number[];
      base?: string;
    },
  ): Promise<HttpReply> {
    const base = o.base ?? this.bases[this.next++ % this.bases.length];
    const headers: Record<string, string> = { 'x-forwarded-for': o.ip, ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | Buffer | undefined;
    if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.json);
    } else if (o.raw) body = o.raw;
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const t0 = performance.now();
    let reply: HttpReply;
    try {
      reply = await this.send(method, `${base}${p}`, headers, body);
    } catch (err) {
      this.tally.fail(kind, null, err);
      throw new CallFailed(kind);
    }
    const total = performance.now() - t0;
    this.tally.add(kind, total);
    const server = Number(reply.headers['x-bench-server-ms']);
    if (reply.headers['x-bench-server-ms'] !== undefined && Number.isFinite(server)) {
      const s = this.tally.split.get(kind) ?? { server: [], outside: [] };
      s.server.push(server);
      s.outside.push(Math.max(0, total - server));
      this.tally.split.set(kind, s);
    }
    if ((o.ok ?? [200, 201]).includes(reply.status) || o.soft?.includes(reply.status)) return reply;
    this.tally.fail(kind, reply);
    throw new CallFailed(kind);
  }

  /**
   * Closes every upstream connection and opens `n` new ones (one `GET /healthz` each, at once,
   * on the first web process): the state before a burst, whatever the one before it left open.
   */
  async reconnect(n: number): Promise<void> {
    await this.closePool(true);
    const url = `${this.bases[0]}/healthz`;
    await Promise.all(Array.from({ length: n }, () => this.send('GET', url, {})));
  }

  close() {
    void this.closePool(false);
  }
}

/** The HTTP client of a {@link Balancer}. */
type LoadClient = 'node' | 'undici';

/** One request through undici, read whole (as {@link httpRequest}). */
async function undiciSend(
  dispatcher: UndiciAgent,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<HttpReply> {
  const res = await undiciRequest(url, {
    dispatcher,
    method: method as Dispatcher.HttpMethod,
    headers,
    body,
  });
  return {
    status: res.statusCode,
    headers: res.headers as http.IncomingHttpHeaders,
    body: await res.body.text(),
  };
}

const json = <T>(r: HttpReply) => JSON.parse(r.body) as T;

/** How a simulated candidate spends time between calls (seconds; 0: no pause). */
interface Pacing {
  pace: number;
  think: number;
  record: number;
  /** ms a verdict poll asks the server to hold it (`?wait=`; 0: quick polls, backing off). */
  verdictWait: number;
}

/** As fast as the server answers. */
const NO_PACING: Pacing = { pace: 0, think: 0, record: 0, verdictWait: VERDICT_WAIT_MS };

/** The verdict poll's path: held up to `waitMs` by the server when not 0. */
const verdictPath = (answerId: number, attempt: number, waitMs: number) =>
  `/api/interview/answers/${answerId}/attempts/${attempt}${waitMs > 0 ? `?wait=${waitMs}` : ''}`;

/** The tally's name of a verdict poll: a held one is a wait, not a response time. */
const verdictKind = (waitMs: number) => (waitMs > 0 ? 'verdict_wait' : 'verdict_poll');

/** Waits `s` seconds × a uniform factor in [lo, hi) (nothing when `s` is 0). */
const pause = (s: number, lo = 0.5, hi = 1.5) =>
  s > 0
    ? new Promise<void>((r) => setTimeout(r, s * 1000 * (lo + Math.random() * (hi - lo))))
    : Promise.resolve();

/**
 * Latencies of every HTTP call of a run. Left out: the waits timed with `request: false`, and
 * held verdict polls (`verdict_wait`), which last as long as the worker's check by design (the
 * server holds them until the verdict is in); they are reported in their own row.
 */
const apiMs = (tally: Tally) =>
  [...tally.ms].filter(([k]) => k !== 'time_to_verdict' && k !== 'verdict_wait').flatMap(([, xs]) => xs);

/** A distinct client address per candidate (documentation and private ranges only). */
const ipOf = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** A running product: database, sandbox, web and worker processes. */
interface Stack {
  web: Array<{ url: string; proc: ChildProcess }>;
  workers: ChildProcess[];
  dbUrl: string;
  jobId: number;
  capacity: number;
  sandbox: SandboxClient;
  hrUserIds: string[];
  /** Every server process's ./serverProbe.mjs figures; read once close() has stopped them. */
  probe: () => Array<Record<string, unknown>>;
  /** SIGUSR2 to every server process: the probe starts measuring afresh. */
  resetProbe(): void;
  /** Starts the grant burst's bare baseline (./bareGrant.ts) on this stack's database and secret. */
  startBareGrant(): Promise<{ url: string; proc: ChildProcess }>;
  close(): Promise<void>;
}

/** How the started worker processes check recordings (unset: the product's defaults). */
interface WorkerOptions {
  workers: number;
  mediaConcurrency?: number;
  mediaBatch?: number;
  /** Wait for the worker to finish what the setup left it before measuring ({@link settle}; `--no-settle`: not). */
  settle?: boolean;
}

/** Starts a fresh database, the sandbox, `webCount` web processes and `workers` workers. */
async function startStack(
  webCount: number,
  o: {
    bundle: string;
    /** Node flags before the bundle (`npm start`'s unless `--server-flags`). */
    nodeFlags: string[];
    hr: number;
    pool: number;
    capacity: number;
    profile?: string;
    /** Sampling interval of `--profile`, microseconds (Node's default: 1000). */
    profileIntervalUs?: number;
    /**
     * Load ./serverProbe.mjs into the server processes (default true). The one-web measurements
     * (`--grants`, `--routes`) report none of its figures, and its hooks (a wrapped `writeHead`
     * per response, a traced callback per query and per pooled connection) are CPU in the very
     * process they measure.
     */
    probe?: boolean;
  } & Partial<WorkerOptions>,
): Promise<Stack> {
  const { db, drop } = await createTestDatabase('mysql');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-bench-load-'));
  const hrPeople: DemoEmployee[] = Array.from({ length: o.hr }, (_, i) => ({
    userid: `benchhr${i}`,
    unionid: `uid-benchhr-${i}`,
    name: `招聘专员${i}`,
    mobile: `1360000${String(i).padStart(4, '0')}`,
    title: 'HR',
    deptId: 10,
    roles: ['hr'],
  }));
  const ports: number[] = [];
  for (let i = 0; i < webCount; i++) ports.push(await freePort());
  const publicUrl = `http://localhost:${ports[0]}`;
  const sb = await startSandbox({ appUrl: publicUrl, org: { employees: [...DEMO_EMPLOYEES, ...hrPeople] } });
  const procs: ChildProcess[] = [];
  const close = async () => {
    // Every process group (a worker's ffmpeg included), killed if it outlives the grace.
    await Promise.all(procs.map((p) => stopChild(p)));
    // Neither may keep the report's caller waiting: a connection the sandbox still holds, or a
    // DROP waiting for a lock, is reported and left (the database has a throw-away name).
    await bounded('sandbox close', sb.close());
    await bounded('database drop', drop());
    fs.rmSync(dir, { recursive: true, force: true });
    probed = probeRows(probeDir);
    fs.rmSync(probeDir, { recursive: true, force: true });
  };
  // The probe's files outlive `dir`: they are written as the processes exit, read after.
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-bench-probe-'));
  let probed: Array<Record<string, unknown>> = [];
  try {
    // Schema, the demo company, the HR team and the job: written before any process starts,
    // as `npm run db:migrate` and an admin would have done.
    const orm = await openOrm(db);
    await migrateDb(orm);
    await seedDemoCompany(orm.em.fork());
    const em = orm.em.fork();
    const dept = await em.findOneOrFail(Department, { dingtalkId: 10 });
    for (const p of hrPeople)
      em.create(User, {
        dingtalkUserId: p.userid,
        unionId: p.unionid,
        name: p.name,
        mobile: p.mobile,
        title: p.title,
        department: dept,
        roles: ['hr'],
      });
    await em.flush();
    const base = { competencies: ['沟通协作'], thinkSeconds: 10, answerSeconds: 30 };
    const job = await makeJob(em, {
      title: '压测岗位',
      department: dept,
      questions: [
        { ...base, text: '练习：请介绍一下你自己。', practice: true },
        { ...base, text: '请讲一次你解决难题的经历。', retakes: 1 },
      ],
    });
    const schedule = await makeSchedule(em, {
      plan: await em.findOneOrFail(InterviewPlan, { job }),
      kind: 'ai_interview',
      capacityPerSlot: o.capacity,
    });
    // Booked windows (seats count), bookable from an hour ahead, as the seed's AI windows.
    schedule.takeMode = 'booked';
    schedule.minNoticeMinutes = 60;
    await em.flush();
    await orm.close(true);
    // Recordings of every answer transcribe to this text (the sandbox never listens).
    const sandbox = new SandboxClient(sb.url);
    await sandbox.registerTranscript({
      match: 'interviews/',
      text: '我负责过一个订单系统，我们把延迟降低了一半，用户满意度也提高了。',
      durationMs: 3000,
    });

    const env: Record<string, string> = {
      APP_MODE: 'development',
      HOST: '127.0.0.1',
      PUBLIC_URL: publicUrl,
      DATA_DIR: dir,
      DATABASE_URL: db.url,
      DB_POOL_MAX: String(o.pool),
      STORAGE_LOCAL_DIR: path.join(dir, 'objects'),
      SANDBOX_URL: sb.url,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      TRUST_PROXY: 'true',
      TRUST_PROXY_HOPS: '1',
      RATE_LIMIT_SIGNIN_PER_MINUTE: String(SIGNIN_PER_MINUTE),
      DINGTALK_EVENT_MODE: 'off',
      LOG_LEVEL: 'warn',
      BENCH_PROBE_DIR: probeDir,
    };
    if (o.mediaConcurrency) env.MEDIA_CHECK_CONCURRENCY = String(o.mediaConcurrency);
    if (o.mediaBatch) env.MEDIA_CHECK_BATCH = String(o.mediaBatch);
    const start = (extra: Record<string, string>) => {
      // --profile=DIR: CPU profiles of every process (written when it exits; Chrome DevTools).
      // --profile-interval=US: a finer sampler; a 200-grant burst is only a few hundred samples
      // at the default interval.
      const flags = [
        ...o.nodeFlags,
        // Where a slow call's time goes (./serverProbe.mjs): not part of the product.
        ...(o.probe === false
          ? []
          : [`--import=${pathToFileURL(path.join(REPO, 'scripts/bench/serverProbe.mjs')).href}`]),
        ...(o.profile
          ? [
              '--cpu-prof',
              `--cpu-prof-dir=${o.profile}`,
              ...(o.profileIntervalUs ? [`--cpu-prof-interval=${o.profileIntervalUs}`] : []),
            ]
          : []),
      ];
      const proc = spawnChild(process.execPath, [...flags, o.bundle], {
        cwd: REPO,
        env: { ...process.env, ...env, ...extra },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      procs.push(proc);
      return proc;
    };
    const web = ports.map((port) => ({
      url: `http://127.0.0.1:${port}`,
      proc: start({ ROLES: 'web', PORT: String(port) }),
    }));
    const workers: ChildProcess[] = [];
    for (let i = 0; i < (o.workers ?? 1); i++)
      workers.push(start({ ROLES: 'worker', PORT: String(await freePort()) }));
    await Promise.all(web.map((w) => waitUp(`${w.url}/healthz`)));
    return {
      web,
      workers,
      dbUrl: db.url,
      jobId: job.id,
      capacity: o.capacity,
      sandbox,
      hrUserIds: hrPeople.map((p) => p.userid),
      probe: () => probed,
      resetProbe: () => {
        for (const p of procs) if (p.pid && p.exitCode === null) process.kill(p.pid, 'SIGUSR2');
      },
      startBareGrant: async () => {
        const port = await freePort();
        // npm start's flags (or --server-flags), as the product's process.
        const proc = spawnChild(
          process.execPath,
          [...o.nodeFlags, '--import', 'tsx', path.join(REPO, 'scripts/bench/bareGrant.ts')],
          {
            cwd: REPO,
            env: {
              ...process.env,
              MYSQL_URL: db.url,
              PORT: String(port),
              POOL: String(o.pool),
              SESSION_SECRET: env.SESSION_SECRET,
            },
            stdio: ['ignore', 'inherit', 'inherit'],
          },
        );
        procs.push(proc);
        const url = `http://127.0.0.1:${port}`;
        await waitUp(`${url}/healthz`);
        return { url, proc };
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** HR signs in by DingTalk 免登 (a sandbox auth code) through the balancer. */
async function hrSignIn(lb: Balancer, stack: Stack, userid: string, ip: string): Promise<string> {
  const code = await stack.sandbox.issueAuthCode(userid);
  const r = await lb.call('hr_signin', 'POST', '/api/auth/dingtalk', { ip, json: { code } });
  return json<{ token: string }>(r).token;
}

/**
 * The product's intake: HR imports the candidates from a CSV file (up to 1,000 rows per file),
 * confirms, and invites them by link in bulk. Returns one invitation token per candidate.
 */
async function invite(lb: Balancer, stack: Stack, n: number, tag: string): Promise<string[]> {
  const ip = '192.0.2.10';
  const hr = await hrSignIn(lb, stack, stack.hrUserIds[0] ?? 'hr01', ip);
  const tokens: string[] = [];
  for (let from = 0; from < n; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, n - from) }, (_, k) => {
      const i = from + k;
      // 147/145 numbers: none of the demo company's candidates (138/139) is merged into them.
      return `压测${tag}${i},1${tag === 'g' ? 45 : 47}${String(i).padStart(8, '0')},job_site`;
    });
    const csv = `姓名,手机,来源\n${rows.join('\n')}\n`;
    const preview = await lb.call('hr_import', 'POST', '/api/candidates/imports', {
      ip,
      token: hr,
      json: { fileName: `bench-${from}.csv`, contentBase64: Buffer.from(csv).toString('base64') },
    });
    const imp = json<{ import: { id: number; errors: unknown[] } }>(preview).import;
    if (imp.errors.length) throw new Error(`import errors: ${JSON.stringify(imp.errors.slice(0, 3))}`);
    await lb.call('hr_import', 'POST', `/api/candidates/imports/${imp.id}/confirm`, { ip, token: hr });
    const inv = await lb.call('hr_invite', 'POST', '/api/invitations/bulk', {
      ip,
      token: hr,
      json: { jobId: stack.jobId, importId: imp.id, channel: 'link' },
    });
    for (const x of json<{ invitations: Array<{ url: string }> }>(inv).invitations)
      tokens.push(invitationTokenOf(x.url));
  }
  if (tokens.length !== n) throw new Error(`invited ${tokens.length} of ${n}`);
  return tokens;
}

/**
 * One candidate up to a served question (sign-in, home, slots, booking with retries,
 * overview, consent, start, next). Returns the token and the first served answer.
 */
async function prepare(
  lb: Balancer,
  jobId: number,
  invitation: string,
  ip: string,
  stats: { slotFull: number },
  pacing: Pacing,
) {
  const signIn = await lb.call('signin', 'POST', '/api/auth/invitation', { ip, json: { token: invitation } });
  const token = json<{ token: string }>(signIn).token;
  // The candidate's home: who am I, my bookings (and the interview overview, read below).
  await lb.call('me', 'GET', '/api/me', { ip, token });
  const mine = json<{ applications: Array<{ id: number; job: { id: number }; bookable: string[] }> }>(
    await lb.call('bookings_mine', 'GET', '/api/bookings/mine', { ip, token }),
  );
  const app = mine.applications.find((a) => a.job.id === jobId && a.bookable.includes('ai_interview'));
  if (!app) throw new Error('no bookable application');
  await pause(pacing.pace);
  const readSlots = async () =>
    json<SlotsResponse>(
      await lb.call(
        'slots',
        'GET',
        `/api/bookings/slots?applicationId=${app.id}&kind=ai_interview&tz=Asia%2FShanghai`,
        { ip, token },
      ),
    );
  const screen = await readSlots();
  const free = (list: SlotView[]) => list.filter((s) => s.remaining > 0);
  let slots = free(screen.slots);
  for (let tries = 0; ; tries++) {
    // People pick among the earliest times: contention on purpose.
    const pick = slots[Math.floor(Math.random() * Math.min(slots.length, 12))];
    if (!pick) throw new Error('no free slot left');
    const r = await lb.call('book', 'POST', '/api/bookings', {
      ip,
      token,
      json: { applicationId: app.id, kind: 'ai_interview', startAt: pick.startAt, timeZone: 'Asia/Shanghai' },
      soft: [409],
    });
    if (r.status === 201) break;
    const { code, details } = json<{ error: { code: string; details?: unknown } }>(r).error;
    if ((code !== 'slot_full' && code !== 'schedule_changed') || tries >= 20) {
      lb.tally.fail('book', r);
      throw new CallFailed('book');
    }
    stats.slotFull++;
    // As the mini-app does: a lost seat's 409 carries the fresh list; read again only without it.
    const fresh = code === 'slot_full' ? freshSlotsOf(details, screen) : null;
    slots = free(fresh ?? (await readSlots()).slots);
  }
  await pause(pacing.pace);
  const overview = json<{ notice: { hash: string } }>(
    await lb.call('overview', 'GET', '/api/interview?locale=zh-CN', { ip, token }),
  );
  await pause(pacing.pace);
  await lb.call('consent', 'POST', '/api/interview/consent', {
    ip,
    token,
    json: {
      noticeHash: overview.notice.hash,
      locale: 'zh-CN',
      videoProcessing: true,
      aiEvaluation: true,
      personOnly: false,
    },
  });
  await lb.call('start', 'POST', '/api/interview/start', {
    ip,
    token,
    json: { recorderMime: 'video/webm;codecs=vp8,opus' },
  });
  return { token, next: await next(lb, ip, token) };
}

type Next = { done: true } | { done: false; answer: { id: number } };

const next = async (lb: Balancer, ip: string, token: string) =>
  json<Next>(await lb.call('next', 'POST', '/api/interview/next', { ip, token }));

/** One answer as the mini-app sends it: start, grant, upload, complete, accept. */
async function answer(lb: Balancer, ip: string, token: string, id: number, file: Buffer, pacing: Pacing) {
  await pause(pacing.think);
  await lb.call('answer_start', 'POST', `/api/interview/answers/${id}/start`, { ip, token });
  await pause(pacing.record, 0.5, 1);
  const { grant } = json<{ grant: { url: string; attempt: number; mode: string } }>(
    await lb.call('grant', 'POST', `/api/interview/answers/${id}/grant`, {
      ip,
      token,
      json: { contentType: 'video/webm', bytes: file.length },
    }),
  );
  if (grant.mode !== 'local') throw new Error(`grant mode ${grant.mode}`);
  await lb.call('upload', 'PUT', grant.url, {
    ip,
    raw: file,
    headers: {
      'content-type': 'video/webm',
      'upload-offset': '0',
      'upload-length': String(file.length),
    },
  });
  // complete queues the media check (202); the worker runs ffmpeg and the candidate polls the
  // verdict as the mini-app does (held by the server up to `verdictWait` ms, asked again after
  // verdictPollDelayMs). Both the call and the wait are reported.
  const checkStarted = performance.now();
  let v = json<{ status: string; ok?: boolean }>(
    await lb.call('complete', 'POST', `/api/interview/answers/${id}/complete`, {
      ip,
      token,
      json: { attempt: grant.attempt },
      ok: [200, 202],
    }),
  );
  for (let polls = 0; v.status === 'checking'; polls++) {
    await new Promise((r) => setTimeout(r, verdictPollDelayMs(polls)));
    v = json(
      await lb.call(
        verdictKind(pacing.verdictWait),
        'GET',
        verdictPath(id, grant.attempt, pacing.verdictWait),
        {
          ip,
          token,
        },
      ),
    );
  }
  lb.tally.add('time_to_verdict', performance.now() - checkStarted, false);
  if (!v.ok) throw new Error(`recording refused: ${JSON.stringify(v).slice(0, 200)}`);
  await lb.call('accept', 'POST', `/api/interview/answers/${id}/accept`, { ip, token });
}

/** A recording like a phone's: a few seconds of VP8/Opus WebM with speech, about `kb` KB. */
async function makeRecording(dir: string, kb: number): Promise<Buffer> {
  const wav = await speechWav(
    path.join(dir, 'answer.wav'),
    '我负责过一个订单系统，我们把延迟降低了一半，用户满意度也提高了。',
  );
  // testsrc at 160x120 and 200 kbit/s is about 25 KB a second.
  const file = await recording(dir, 'answer', { seconds: Math.max(2, Math.round(kb / 25)), wav });
  return fs.readFileSync(file);
}

/** Waits for `p` up to `ms`; a failure or a timeout is reported on stderr, not thrown. */
async function bounded(what: string, p: Promise<unknown>, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => {
    timer = setTimeout(() => r('late'), ms);
  });
  try {
    if ((await Promise.race([p, late])) === 'late') console.error(`load: ${what} took over ${ms} ms; left`);
  } catch (err) {
    console.error(`load: ${what} failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Samples RSS of the processes every 200 ms; peak per pid. */
function rssSampler(pids: number[]) {
  const peak = new Map(pids.map((p) => [p, rssOf(p)]));
  const t = setInterval(() => {
    for (const p of pids) peak.set(p, Math.max(peak.get(p) ?? 0, rssOf(p)));
  }, 200);
  return { peak, stop: () => clearInterval(t) };
}

/** Rows of latency per call kind. */
function latencyRows(tally: Tally) {
  return [...tally.ms.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, xs]) => ({
      call: kind,
      count: xs.length,
      p50_ms: Math.round(percentile(xs, 50)),
      p99_ms: Math.round(percentile(xs, 99)),
      max_ms: Math.round(Math.max(...xs)),
      // Where the tail is: inside the server's handler (its DB waits included), or outside it
      // (the server's event loop before it read the request, the bench's own loop after).
      server_p99_ms: splitP99(tally, kind, 'server'),
      outside_p99_ms: splitP99(tally, kind, 'outside'),
    }));
}

function splitP99(tally: Tally, kind: string, part: 'server' | 'outside'): number | '-' {
  const xs = tally.split.get(kind)?.[part];
  return xs?.length ? Math.round(percentile(xs, 99)) : '-';
}

/**
 * What ./serverProbe.mjs wrote for each server process when it exited (event-loop delay, GC,
 * its own CPU without children), as rows for a table; none when a process was killed.
 */
function probeRows(dir: string): Array<Record<string, unknown>> {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('probe-'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>);
}

function printErrors(tally: Tally) {
  for (const [key, e] of tally.errors) console.error(`ERROR x${e.count} ${key}\n  ${e.example}`);
}

/**
 * Waits until the worker has done what the setup left it (the default; `--no-settle` skips
 * it): every one of the `invited` invitations has its message queued by the invitation sweep
 * (it runs every minute) and no outbox row is due and undelivered. A candidate opens the link their invitation
 * brought, so on an interview day the invitations went out before anyone arrives; without this,
 * the sweep over all of them (a transaction and three outbox rows each) and their delivery ran
 * inside the measured window, an artefact of creating the invitations a second before the rush.
 * Returns the seconds waited (at once when `stop` has stopped the run); throws after `timeoutMs`.
 */
async function settle(stack: Stack, invited: number, stop?: RunStop, timeoutMs = 240_000): Promise<number> {
  const mysql = await import('mysql2/promise');
  const c = await mysql.createConnection(stack.dbUrl);
  const t0 = performance.now();
  try {
    for (;;) {
      // Dates are stored in UTC (the ORM's `timezone: '+00:00'`).
      const [rows] = await c.query(
        `select (select count(*) from outbox where topic = 'invitation.message') as queued,
                (select count(*) from outbox where status in ('pending', 'sending')
                  and due_at <= utc_timestamp(3)) as due`,
      );
      const r = (rows as Array<{ queued: number; due: number }>)[0];
      // Stopped (a signal) while waiting: nobody arrives, and the report says so.
      if ((Number(r.queued) >= invited && Number(r.due) === 0) || stop?.reason)
        return (performance.now() - t0) / 1000;
      if (performance.now() - t0 > timeoutMs)
        throw new Error(
          `settle: ${r.queued} of ${invited} invitation messages queued, ${r.due} due after ${timeoutMs} ms`,
        );
      await new Promise((res) => setTimeout(res, 500));
    }
  } finally {
    await c.end();
  }
}

/** Slots holding more bookings than seats (must be none). */
async function overbooked(stack: Stack): Promise<number> {
  const mysql = await import('mysql2/promise');
  const c = await mysql.createConnection(stack.dbUrl);
  try {
    const [rows] = await c.query(
      `select start_at, count(*) as n from bookings where status = 'booked' and kind = 'ai_interview'
       group by start_at having count(*) > ?`,
      [stack.capacity],
    );
    return (rows as unknown[]).length;
  } finally {
    await c.end();
  }
}

/**
 * A 409 `concurrent_update` is a lock race the server did not retry: the database's own account
 * of its latest deadlock (both transactions, their statements and locks) names the writers.
 */
async function printLastDeadlock(stack: Stack): Promise<void> {
  const mysql = await import('mysql2/promise');
  const c = await mysql.createConnection(stack.dbUrl);
  try {
    const [rows] = await c.query('show engine innodb status');
    const status = String((rows as Array<{ Status: string }>)[0]?.Status ?? '');
    const m = /LATEST DETECTED DEADLOCK\n-+\n([\s\S]*?)\n-{10,}\n[A-Z]/.exec(status);
    console.error(`load: latest deadlock:\n${m ? m[1] : '(none recorded)'}`);
  } catch (err) {
    console.error(`load: no deadlock report: ${(err as Error).message}`);
  } finally {
    await c.end();
  }
}

/** Interview attempts by status (`checking`: waiting for, or in, the media check). */
async function attemptsByStatus(stack: Stack): Promise<Record<string, number>> {
  const mysql = await import('mysql2/promise');
  const c = await mysql.createConnection(stack.dbUrl);
  try {
    const [rows] = await c.query('select status, count(*) as n from interview_attempts group by status');
    return Object.fromEntries(
      (rows as Array<{ status: string; n: number }>).map((r) => [r.status, Number(r.n)]),
    );
  } finally {
    await c.end();
  }
}

/**
 * When a run stops early: `--duration` (arrivals stop, then a grace for those inside) or a
 * signal (at once). `reason` is null while the run goes on.
 */
export class RunStop {
  reason: string | null = null;
  private wake: Array<() => void> = [];
  private wakeNow: Array<() => void> = [];
  /** Resolves when the run is told to stop (never, if it is not). */
  readonly stopped = new Promise<void>((resolve) => this.wake.push(resolve));
  /** Resolves when the run must report at once (a signal, also during `--duration`'s grace). */
  readonly stoppedNow = new Promise<void>((resolve) => this.wakeNow.push(resolve));
  /** Set for a signal: no grace, report now. */
  now = false;

  /**
   * Stops the run for `reason`; `now` skips the grace. A signal during the grace of an earlier
   * `--duration` stop ends the grace (the reason then names both).
   */
  stop(reason: string, now: boolean) {
    if (this.reason && (this.now || !now)) return;
    this.reason = this.reason ? `${this.reason}, then ${reason}` : reason;
    for (const w of this.wake) w();
    if (now) {
      this.now = true;
      for (const w of this.wakeNow) w();
    }
  }
}

/**
 * The per-client sign-in limit behind the balancer: one address sends its budget plus one bad
 * sign-in, spread round robin over the processes; the last must be refused (429) while a fresh
 * address still gets the ordinary answer (401/400). Returns what happened.
 */
async function checkRateLimit(bases: string[]) {
  const agent = new http.Agent({ keepAlive: true });
  const post = (base: string, ip: string) =>
    httpRequest(
      agent,
      'POST',
      `${base}/api/auth/invitation`,
      { 'content-type': 'application/json', 'x-forwarded-for': ip },
      JSON.stringify({ token: 'not-a-real-invitation-token' }),
    );
  const attempt = async (round: number) => {
    const statuses: number[] = [];
    for (let i = 0; i <= SIGNIN_PER_MINUTE; i++)
      statuses.push((await post(bases[i % bases.length], `198.51.100.${2 * round + 1}`)).status);
    const other = (await post(bases[bases.length - 1], `198.51.100.${2 * round + 2}`)).status;
    const limited = statuses.filter((s) => s === 429).length;
    return { ok: limited === 1 && statuses.at(-1) === 429 && other !== 429, limited, other };
  };
  // The window is a fixed minute: a burst that straddles its edge is tried once more.
  let r = await attempt(0);
  if (!r.ok) r = await attempt(1);
  agent.destroy();
  return r;
}

/** One run with `webCount` web processes. */
async function runLoad(
  webCount: number,
  o: {
    bundle: string;
    /** Node flags before the bundle (`npm start`'s unless `--server-flags`). */
    nodeFlags: string[];
    candidates: number;
    hr: number;
    pool: number;
    capacity: number;
    file: Buffer;
    profile?: string;
    profileIntervalUs?: number;
    /** Seconds over which the candidates' starts are spread (0: all at once). */
    arrive: number;
    pacing: Pacing;
    /** Stop arrivals after this many seconds (0: never), then wait `graceS` for those inside. */
    durationS: number;
    graceS: number;
    stop: RunStop;
  } & WorkerOptions,
) {
  const stack = await startStack(webCount, o);
  const tally = new Tally();
  const lb = new Balancer(
    stack.web.map((w) => w.url),
    tally,
  );
  try {
    const invitations = await invite(lb, stack, o.candidates, 'c');
    const settleS = o.settle === false ? null : await settle(stack, o.candidates, o.stop);
    // Setup traffic is not part of the measurement.
    tally.ms.clear();
    tally.split.clear();
    tally.requests = 0;
    stack.resetProbe();
    // The bench is one process (every candidate and the balancer): its own event loop's delay
    // is added to every call it times, so it is reported, not hidden.
    const ownLoop = monitorEventLoopDelay({ resolution: 10 });
    ownLoop.enable();
    const ownCpu0 = process.cpuUsage();
    const workerPids = stack.workers.map((w) => w.pid as number);
    const pids = [...stack.web.map((w) => w.proc.pid as number), ...workerPids];
    const rss = rssSampler(pids);
    const cpu0 = pids.map(cpuMsOf);
    // The database's CPU too, when it runs here: the triggers and locks of every call are spent there.
    const dbPid = databasePid();
    const db0 = dbPid ? cpuMsOf(dbPid) : 0;
    const stats = { slotFull: 0, finished: 0, hrLoops: 0, active: 0, peakActive: 0, arrived: 0 };
    let running = true;
    const started = performance.now();
    console.error(`load: ${o.candidates} candidates arriving at ${webCount} web process(es)`);
    const cap =
      o.durationS > 0
        ? setTimeout(() => o.stop.stop(`--duration=${o.durationS}`, false), o.durationS * 1000)
        : null;
    // Waits of the run itself (arrivals, the grace), cleared when it reports: a pending timer
    // would keep a stopped bench alive for up to --arrive or --grace seconds after its report.
    const timers = new Set<NodeJS.Timeout>();
    const wait = (ms: number) =>
      new Promise<void>((r) => {
        const t = setTimeout(() => {
          timers.delete(t);
          r();
        }, ms);
        timers.add(t);
      });
    const hrLoops = stack.hrUserIds.map(async (userid, h) => {
      const ip = `192.0.2.${20 + h}`;
      const token = await hrSignIn(lb, stack, userid, ip).catch((err) => {
        if (!(err instanceof CallFailed)) tally.fail('hr_signin', null, err);
        return null;
      });
      if (!token) return;
      while (running) {
        try {
          const jobs = json<{ items: Array<{ id: number }> }>(
            await lb.call('hr_pipeline_jobs', 'GET', '/api/pipeline/jobs', { ip, token }),
          );
          await lb.call('hr_pipeline_board', 'GET', `/api/pipeline/jobs/${stack.jobId}`, { ip, token });
          const reports = json<{ items: Array<{ id: number }> }>(
            await lb.call('hr_reports', 'GET', '/api/reports?limit=50', { ip, token }),
          );
          const first = reports.items[0];
          if (first) await lb.call('hr_report', 'GET', `/api/reports/${first.id}`, { ip, token });
          if (!jobs.items.length) throw new Error('HR sees no jobs');
          stats.hrLoops++;
          // A person reads what they opened before the next click.
          await pause(o.pacing.pace);
        } catch (err) {
          if (!(err instanceof CallFailed)) tally.fail('hr_loop', null, err);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    });
    const candidateMs: number[] = [];
    const everyone = Promise.all(
      invitations.map(async (inv, i) => {
        const ip = ipOf(i + 1);
        if (o.arrive > 0)
          await Promise.race([wait((o.arrive * 1000 * i) / invitations.length), o.stop.stopped]);
        // Once stopped, nobody new arrives; those inside go on.
        if (o.stop.reason) return;
        stats.arrived++;
        const t0 = performance.now();
        stats.active++;
        stats.peakActive = Math.max(stats.peakActive, stats.active);
        try {
          const p = await prepare(lb, stack.jobId, inv, ip, stats, o.pacing);
          let step: Next = p.next;
          while (!step.done) {
            await answer(lb, ip, p.token, step.answer.id, o.file, o.pacing);
            step = await next(lb, ip, p.token);
          }
          await lb.call('submit', 'POST', '/api/interview/submit', { ip, token: p.token });
          stats.finished++;
          candidateMs.push(performance.now() - t0);
        } catch (err) {
          if (!(err instanceof CallFailed)) tally.fail('candidate', null, err);
        } finally {
          stats.active--;
        }
      }),
    );
    // The whole run, or: stopped, then a grace for the candidates inside (none after a signal).
    await Promise.race([
      everyone,
      o.stop.stopped.then(() => Promise.race([everyone, wait(o.graceS * 1000), o.stop.stoppedNow])),
    ]);
    if (cap) clearTimeout(cap);
    for (const t of timers) clearTimeout(t);
    const partial = o.stop.reason;
    const wallS = (performance.now() - started) / 1000;
    running = false;
    // HR loops end after their current round (a signal: not waited for).
    if (!partial) await Promise.all(hrLoops);
    rss.stop();
    ownLoop.disable();
    const ownCpu = process.cpuUsage(ownCpu0);
    const cpu = pids.map((p, i) => cpuMsOf(p) - cpu0[i]);
    const dbCpu = dbPid ? cpuMsOf(dbPid) - db0 : null;
    // What was measured up to here; calls still in flight are left out.
    const errors = tally.errorCount;
    const latency = latencyRows(tally);
    const apiAll = apiMs(tally);
    const requests = tally.requests;
    const queue = await attemptsByStatus(stack);
    const over = await overbooked(stack);
    // The limit check needs live web processes: skipped when stopped by a signal.
    const limit = o.stop.now ? null : await checkRateLimit(stack.web.map((w) => w.url));
    const webCpu = cpu.slice(0, stack.web.length).reduce((a, b) => a + b, 0);
    const result = {
      web: webCount,
      workers: stack.workers.length,
      media_concurrency: o.mediaConcurrency ?? 'default',
      media_batch: o.mediaBatch ?? 'default',
      partial: partial ?? 'no',
      // Seconds the invitations took to go out before the first arrival (null: `--no-settle`).
      settle_s: settleS === null ? 'no' : Number(settleS.toFixed(1)),
      candidates: o.candidates,
      arrived: stats.arrived,
      finished: stats.finished,
      still_inside: stats.active,
      attempts_checking: queue.checking ?? 0,
      attempts_by_status: Object.entries(queue)
        .map(([k, v]) => `${k}:${v}`)
        .join(' '),
      errors,
      wall_s: Number(wallS.toFixed(1)),
      req_per_s: Math.round(requests / wallS),
      candidates_per_min: Math.round((stats.finished / wallS) * 60),
      // Every API call of the run together (not the verdict wait): the issue's "p99 under 300 ms
      // per API call".
      api_p50_ms: Math.round(percentile(apiAll, 50)),
      api_p99_ms: Math.round(percentile(apiAll, 99)),
      arrive_s: o.arrive,
      // Most candidates between sign-in and submit at the same moment.
      peak_concurrent: stats.peakActive,
      pacing_s: `${o.pacing.pace}/${o.pacing.think}/${o.pacing.record}`,
      verdict_wait_ms: o.pacing.verdictWait,
      candidate_p50_s: Number((percentile(candidateMs, 50) / 1000).toFixed(2)),
      candidate_p99_s: Number((percentile(candidateMs, 99) / 1000).toFixed(2)),
      slot_full_retries: stats.slotFull,
      overbooked_slots: over,
      hr_loops: stats.hrLoops,
      web_peak_rss_MB: stack.web
        .map((w) => Math.round((rss.peak.get(w.proc.pid as number) ?? 0) / MB))
        .join('/'),
      web_cpu_s: stack.web.map((_, i) => (cpu[i] / 1000).toFixed(1)).join('/'),
      // CPU the web processes (and their ffmpeg checks) spent per request: the figure that
      // does not depend on what else the machine was doing.
      web_cpu_ms_per_req: Number((webCpu / Math.max(1, requests)).toFixed(1)),
      // Per candidate (2 recorded answers each): comparable across versions whatever the
      // number of requests (the verdict polls add cheap requests, the ffmpeg checks left).
      web_cpu_ms_per_candidate: Math.round(webCpu / Math.max(1, stats.finished)),
      // MariaDB's CPU per finished candidate, when it runs on this machine ('-' otherwise).
      db_cpu_ms_per_candidate: dbCpu === null ? '-' : Math.round(dbCpu / Math.max(1, stats.finished)),
      worker_peak_rss_MB: workerPids.map((p) => Math.round((rss.peak.get(p) ?? 0) / MB)).join('/'),
      worker_cpu_s: cpu
        .slice(stack.web.length)
        .map((c) => (c / 1000).toFixed(1))
        .join('/'),
      signin_limit_per_client: !limit
        ? 'not checked (stopped)'
        : limit.ok
          ? 'holds'
          : `BROKEN (${limit.limited} refused, other ${limit.other})`,
      bench_cpu_s: Number(((ownCpu.user + ownCpu.system) / 1e6).toFixed(1)),
      // The histogram holds the intervals between its 10 ms ticks: the delay is the excess.
      bench_loop_p99_ms: Math.max(0, Math.round(ownLoop.percentile(99) / 1e6) - 10),
      bench_loop_max_ms: Math.max(0, Math.round(ownLoop.max / 1e6) - 10),
      load_average: os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' '),
    };
    printErrors(tally);
    if ([...tally.errors.keys()].some((k) => k.includes('concurrent_update'))) await printLastDeadlock(stack);
    // Printed before the stack closes: stopping the processes must never cost the report.
    report('load', latency, {
      summary: result,
      recordingBytes: o.file.length,
      pool: o.pool,
      capacity: o.capacity,
    });
    console.table([result]);
    return {
      result,
      latency,
      partial,
      ok: errors === 0 && over === 0 && (limit?.ok ?? true),
    };
  } finally {
    lb.close();
    await stack.close();
    // Each server process's event loop, GC and own CPU (the worker's without its ffmpeg runs).
    const probe = stack.probe();
    if (probe.length) console.table(probe);
  }
}

/** Item 4: `grants` candidates with a served question ask for an upload grant at once, one web process. */
/** Options of the measurements on one web process (`--grants`, `--routes`). */
interface OneWebOptions {
  bundle: string;
  /** Node flags before the bundle (`npm start`'s unless `--server-flags`). */
  nodeFlags: string[];
  pool: number;
  capacity: number;
  file: Buffer;
  profile?: string;
  profileIntervalUs?: number;
  /** Load ./serverProbe.mjs into the server processes (`--probe`; off unless given). */
  probe?: boolean;
  /** Wait for the worker to finish what the setup left it before measuring ({@link settle}). */
  settle?: boolean;
  /** `--grant-rounds`: pairs of product and bare grant bursts (3). */
  rounds?: number;
  /** `--upstream-idle`: upstream connections open at the start of each grant burst (20). */
  idle?: number;
  /** `--grant-client`: the HTTP client of the grant bursts, both sides (`undici`). */
  client?: LoadClient;
}

/** A stack with one web process, and a balancer with its tally in front of it. */
async function oneWeb(o: OneWebOptions) {
  // No probe unless asked: nothing here reports its figures, and its hooks would count as server CPU.
  const stack = await startStack(1, { ...o, hr: 1, probe: o.probe === true });
  const tally = new Tally();
  return { stack, tally, lb: new Balancer([stack.web[0].url], tally) };
}

/** One candidate's upload grant through `lb` (failures are tallied by the balancer). */
function grantCall(lb: Balancer, r: { ip: string; token: string; id: number }, file: Buffer) {
  return lb
    .call('grant', 'POST', `/api/interview/answers/${r.id}/grant`, {
      ip: r.ip,
      token: r.token,
      json: { contentType: 'video/webm', bytes: file.length },
    })
    .catch(() => undefined);
}

/**
 * Every candidate of `ready` asks `server` (through `lb`) for an upload grant at the same
 * moment: latencies, and the CPU the server process, the database server and this bench spent.
 */
async function burst(
  lb: Balancer,
  server: { proc: ChildProcess },
  ready: Array<{ ip: string; token: string; id: number }>,
  file: Buffer,
) {
  const ms: number[] = [];
  const pid = server.proc.pid as number;
  const dbPid = databasePid();
  const cpu0 = cpuSplitOf(pid);
  const db0 = dbPid ? cpuMsOf(dbPid) : 0;
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    ready.map(async (r) => {
      const s = performance.now();
      await grantCall(lb, r, file);
      ms.push(performance.now() - s);
    }),
  );
  const wall = performance.now() - t0;
  const cpu1 = cpuSplitOf(pid);
  const own = process.cpuUsage(own0);
  const dbMs = dbPid ? cpuMsOf(dbPid) - db0 : null;
  const userMs = cpu1.user - cpu0.user;
  const systemMs = cpu1.system - cpu0.system;
  const n = Math.max(1, ms.length);
  return {
    p50_ms: Math.round(percentile(ms, 50)),
    p99_ms: Math.round(percentile(ms, 99)),
    max_ms: Math.round(Math.max(...ms)),
    wall_ms: Math.round(wall),
    // Two decimals: 200 grants read in 10 ms ticks are good to +-0.05 ms per grant.
    cpu_ms_per_grant: Number(((userMs + systemMs) / n).toFixed(2)),
    // Of which in the kernel (socket reads and writes); 10 ms ticks, so +-0.05 ms per grant.
    kernel_ms_per_grant: Number((systemMs / n).toFixed(2)),
    // The other processes on the same cores during the burst: the database server (every
    // client's queries; null when it is not on this machine) and this bench (its clients and
    // the balancer in front of the web process).
    db_cpu_ms_per_grant: dbMs === null ? '-' : Number((dbMs / n).toFixed(2)),
    bench_cpu_ms_per_grant: Number(((own.user + own.system) / 1000 / n).toFixed(2)),
  };
}

async function runGrants(grants: number, o: OneWebOptions) {
  const { stack, tally, lb } = await oneWeb(o);
  try {
    const invitations = await invite(lb, stack, grants, 'g');
    // The invitations go out first (not inside the burst). Waited for before the preparation,
    // not after it: a web process left idle for a minute has had its heap shrunk and code
    // dropped by V8 and spends about twice the CPU on its next burst (BENCHMARKS.md, load), and
    // the burst measures 200 candidates mid-interview, on a process their earlier calls warmed.
    const settleS = o.settle === false ? null : await settle(stack, grants);
    const stats = { slotFull: 0 };
    // Preparation in small batches (not measured): each candidate ends with a served question.
    const ready: Array<{ ip: string; token: string; id: number }> = [];
    for (let i = 0; i < invitations.length; i += 20)
      await Promise.all(
        invitations.slice(i, i + 20).map(async (inv, k) => {
          const ip = ipOf(5000 + i + k);
          try {
            const p = await prepare(lb, stack.jobId, inv, ip, stats, NO_PACING);
            if (p.next.done) throw new Error('nothing served');
            ready.push({ ip, token: p.token, id: p.next.answer.id });
          } catch (err) {
            if (!(err instanceof CallFailed)) tally.fail('prepare', null, err);
          }
        }),
      );
    if (tally.errorCount) {
      printErrors(tally);
      throw new Error('grant preparation failed');
    }
    // The baseline: the same statements from a bare Koa + mysql2 process (./bareGrant.ts) on the
    // same candidates, each grant the answer's next attempt. Warmed first, as the product's
    // process was by the preparation's calls: one grant per candidate in batches of 20 through
    // its own balancer, so it has verified every session token once (the product remembers
    // tokens it verified).
    const bare = await stack.startBareGrant();
    // The bursts' own clients, the same kind for both sides (the preparation's does not matter).
    const productLb = new Balancer([stack.web[0].url], tally, o.client ?? 'undici');
    const bareLb = new Balancer([bare.url], tally, o.client ?? 'undici');
    type Burst = Awaited<ReturnType<typeof burst>>;
    const rounds: Array<{ product: Burst; bare: Burst }> = [];
    let productErrors = 0;
    try {
      for (let i = 0; i < ready.length; i += 20)
        await Promise.all(ready.slice(i, i + 20).map((r) => grantCall(bareLb, r, o.file)));
      // Rounds of one product burst and one bare burst back to back, the order flipped each
      // round: this host's CPU per request moves by a third between runs minutes apart, so a
      // single pair can favour either side; the medians of the rounds and of their ratios do
      // not depend on one lucky or unlucky burst. The product's first burst is every candidate's
      // first grant (the answer starts); later bursts, and all the bare ones, grant the next
      // attempt of a started answer, which sends the same statements.
      for (let round = 0; round < (o.rounds ?? 3); round++) {
        const pair: Partial<{ product: Burst; bare: Burst }> = {};
        for (const side of round % 2 === 0
          ? (['product', 'bare'] as const)
          : (['bare', 'product'] as const)) {
          // Each burst starts from `--upstream-idle` (20) open upstream connections, as the
          // first did after the preparation: the other candidates' connections are opened
          // inside the burst, not left over from the burst before it.
          await (side === 'product' ? productLb : bareLb).reconnect(o.idle ?? 20);
          await new Promise((r) => setTimeout(r, 500));
          const before = tally.errorCount;
          pair[side] =
            side === 'product'
              ? await burst(productLb, stack.web[0], ready, o.file)
              : await burst(bareLb, bare, ready, o.file);
          if (side === 'product') productErrors += tally.errorCount - before;
        }
        rounds.push(pair as { product: Burst; bare: Burst });
      }
    } finally {
      productLb.close();
      bareLb.close();
    }
    printErrors(tally);
    const ratio = (a: number, b: number) => (b > 0 ? Number((a / b).toFixed(2)) : '-');
    /** The median over the rounds of one figure of one side. */
    const med = (side: 'product' | 'bare', key: keyof Burst) => {
      const xs = rounds.map((r) => r[side][key]).filter((x): x is number => typeof x === 'number');
      return xs.length ? Number(median(xs).toFixed(2)) : '-';
    };
    const medRatio = (key: 'p99_ms' | 'cpu_ms_per_grant') => {
      const xs = rounds
        .map((r) => ratio(r.product[key], r.bare[key]))
        .filter((x): x is number => typeof x === 'number');
      return xs.length ? Number(median(xs).toFixed(2)) : '-';
    };
    console.table(
      rounds.map((r, i) => ({
        round: i + 1,
        first: i % 2 === 0 ? 'product' : 'bare',
        p99_ms: r.product.p99_ms,
        bare_p99_ms: r.bare.p99_ms,
        cpu_ms_per_grant: r.product.cpu_ms_per_grant,
        bare_cpu_ms_per_grant: r.bare.cpu_ms_per_grant,
        db_cpu_ms_per_grant: r.product.db_cpu_ms_per_grant,
        bare_db_cpu_ms_per_grant: r.bare.db_cpu_ms_per_grant,
      })),
    );
    return {
      row: {
        step: `${grants} concurrent upload grants, 1 web process`,
        settle_s: settleS === null ? 'no' : Number(settleS.toFixed(1)),
        rounds: rounds.length,
        // The bursts' HTTP client (`--grant-client`): its CPU shares the cores with both sides.
        client: o.client ?? 'undici',
        errors: productErrors,
        p50_ms: med('product', 'p50_ms'),
        p99_ms: med('product', 'p99_ms'),
        // Every round's product p99, in order (the first is the candidates' first grants).
        p99_rounds_ms: rounds.map((r) => r.product.p99_ms).join(' / '),
        cpu_ms_per_grant: med('product', 'cpu_ms_per_grant'),
        kernel_ms_per_grant: med('product', 'kernel_ms_per_grant'),
        db_cpu_ms_per_grant: med('product', 'db_cpu_ms_per_grant'),
        bench_cpu_ms_per_grant: med('product', 'bench_cpu_ms_per_grant'),
        bare_errors: tally.errorCount - productErrors,
        bare_p50_ms: med('bare', 'p50_ms'),
        bare_p99_ms: med('bare', 'p99_ms'),
        bare_p99_rounds_ms: rounds.map((r) => r.bare.p99_ms).join(' / '),
        bare_cpu_ms_per_grant: med('bare', 'cpu_ms_per_grant'),
        bare_db_cpu_ms_per_grant: med('bare', 'db_cpu_ms_per_grant'),
        // Medians of the ratios within each round (the pairs ran back to back).
        p99_vs_bare: medRatio('p99_ms'),
        cpu_vs_bare: medRatio('cpu_ms_per_grant'),
      },
      ok: tally.errorCount === 0,
    };
  } finally {
    lb.close();
    await stack.close();
  }
}

/**
 * `--routes=N`: web CPU per call of each route of a candidate's interview. N candidates go
 * through the mini-app's calls one route at a time (every candidate's sign-in, then every
 * overview, ...; `--routes-concurrency` calls in flight), on one web process, and the process's
 * CPU (/proc utime + stime) is read before and after each route's batch. The booking steps are
 * the product's own calls, made the simple way (a random early slot, again on 409).
 */
async function runRoutes(n: number, o: OneWebOptions & { concurrency: number; verdictWait: number }) {
  const { stack, tally, lb } = await oneWeb(o);
  const pid = stack.web[0].proc.pid as number;
  const rows: Array<Record<string, string | number>> = [];
  try {
    const invitations = await invite(lb, stack, n, 'r');
    type Cand = {
      ip: string;
      inv: string;
      token: string;
      appId: number;
      hash: string;
      answerId: number;
      attempt: number;
      done: boolean;
    };
    const cands: Cand[] = invitations.map((inv, i) => ({
      ip: ipOf(9000 + i),
      inv,
      token: '',
      appId: 0,
      hash: '',
      answerId: 0,
      attempt: 0,
      done: false,
    }));
    /** Runs `fn` for every candidate, `o.concurrency` at a time, and records the web CPU. */
    const phase = async (name: string, fn: (c: Cand) => Promise<void>) => {
      const requests0 = tally.requests;
      const cpu0 = cpuSplitOf(pid);
      const t0 = performance.now();
      let i = 0;
      await Promise.all(
        Array.from({ length: o.concurrency }, async () => {
          while (i < cands.length) {
            const c = cands[i++];
            await fn(c).catch((err) => {
              if (!(err instanceof CallFailed)) tally.fail(name, null, err);
            });
          }
        }),
      );
      const cpu1 = cpuSplitOf(pid);
      const calls = tally.requests - requests0;
      const cpuMs = cpu1.user - cpu0.user + cpu1.system - cpu0.system;
      const ms = tally.ms.get(name) ?? [];
      rows.push({
        route: name,
        calls,
        wall_ms: Math.round(performance.now() - t0),
        web_cpu_ms: cpuMs,
        cpu_ms_per_call: Number((cpuMs / Math.max(1, calls)).toFixed(2)),
        cpu_ms_per_candidate: Number((cpuMs / cands.length).toFixed(2)),
        p50_ms: Math.round(percentile(ms, 50)),
      });
    };
    const call = (
      c: Cand,
      kind: string,
      method: string,
      p: string,
      extra: { json?: unknown; ok?: number[] } = {},
    ) => lb.call(kind, method, p, { ip: c.ip, token: c.token, ...extra });
    await phase('signin', async (c) => {
      const r = await lb.call('signin', 'POST', '/api/auth/invitation', { ip: c.ip, json: { token: c.inv } });
      c.token = json<{ token: string }>(r).token;
    });
    await phase('me', async (c) => {
      await call(c, 'me', 'GET', '/api/me');
    });
    await phase('bookings_mine', async (c) => {
      const mine = json<{ applications: Array<{ id: number; job: { id: number } }> }>(
        await call(c, 'bookings_mine', 'GET', '/api/bookings/mine'),
      );
      c.appId = mine.applications.find((a) => a.job.id === stack.jobId)?.id ?? 0;
    });
    await phase('book', async (c) => {
      for (let tries = 0; tries < 20; tries++) {
        const slots = json<{ slots: SlotView[] }>(
          await call(
            c,
            'slots',
            'GET',
            `/api/bookings/slots?applicationId=${c.appId}&kind=ai_interview&tz=Asia%2FShanghai`,
          ),
        ).slots.filter((s) => s.remaining > 0);
        const pick = slots[Math.floor(Math.random() * Math.min(slots.length, 12))];
        if (!pick) throw new Error('no free slot left');
        const r = await lb.call('book', 'POST', '/api/bookings', {
          ip: c.ip,
          token: c.token,
          json: {
            applicationId: c.appId,
            kind: 'ai_interview',
            startAt: pick.startAt,
            timeZone: 'Asia/Shanghai',
          },
          soft: [409],
        });
        if (r.status === 201) return;
      }
      throw new Error('could not book');
    });
    await phase('overview', async (c) => {
      c.hash = json<{ notice: { hash: string } }>(
        await call(c, 'overview', 'GET', '/api/interview?locale=zh-CN'),
      ).notice.hash;
    });
    await phase('consent', async (c) => {
      await call(c, 'consent', 'POST', '/api/interview/consent', {
        json: {
          noticeHash: c.hash,
          locale: 'zh-CN',
          videoProcessing: true,
          aiEvaluation: true,
          personOnly: false,
        },
      });
    });
    await phase('start', async (c) => {
      await call(c, 'start', 'POST', '/api/interview/start', {
        json: { recorderMime: 'video/webm;codecs=vp8,opus' },
      });
    });
    // The job has a practice question and one real one: two rounds, then next says done.
    for (let round = 1; round <= 3; round++) {
      await phase('next', async (c) => {
        const r = json<Next>(await call(c, 'next', 'POST', '/api/interview/next'));
        c.done = r.done;
        if (!r.done) c.answerId = r.answer.id;
      });
      if (cands.every((c) => c.done)) break;
      await phase('answer_start', async (c) => {
        await call(c, 'answer_start', 'POST', `/api/interview/answers/${c.answerId}/start`);
      });
      await phase('grant', async (c) => {
        const r = await call(c, 'grant', 'POST', `/api/interview/answers/${c.answerId}/grant`, {
          json: { contentType: 'video/webm', bytes: o.file.length },
        });
        c.attempt = json<{ grant: { attempt: number; url: string } }>(r).grant.attempt;
        (c as Cand & { url?: string }).url = json<{ grant: { url: string } }>(r).grant.url;
      });
      await phase('upload', async (c) => {
        await lb.call('upload', 'PUT', (c as Cand & { url: string }).url, {
          ip: c.ip,
          raw: o.file,
          headers: {
            'content-type': 'video/webm',
            'upload-offset': '0',
            'upload-length': String(o.file.length),
          },
        });
      });
      await phase('complete', async (c) => {
        await call(c, 'complete', 'POST', `/api/interview/answers/${c.answerId}/complete`, {
          json: { attempt: c.attempt },
          ok: [200, 202],
        });
      });
      await phase(verdictKind(o.verdictWait), async (c) => {
        for (let polls = 0; ; polls++) {
          const v = json<{ status: string }>(
            await call(
              c,
              verdictKind(o.verdictWait),
              'GET',
              verdictPath(c.answerId, c.attempt, o.verdictWait),
            ),
          );
          if (v.status !== 'checking') return;
          await new Promise((r) => setTimeout(r, verdictPollDelayMs(polls)));
        }
      });
      await phase('accept', async (c) => {
        await call(c, 'accept', 'POST', `/api/interview/answers/${c.answerId}/accept`);
      });
    }
    await phase('submit', async (c) => {
      await call(c, 'submit', 'POST', '/api/interview/submit');
    });
    printErrors(tally);
    // The same route in several rounds (next, the answer steps) summed into one row.
    const byRoute = new Map<string, Record<string, string | number>>();
    for (const r of rows) {
      const x = byRoute.get(String(r.route));
      if (!x) byRoute.set(String(r.route), { ...r });
      else
        for (const k of ['calls', 'wall_ms', 'web_cpu_ms', 'cpu_ms_per_candidate'] as const)
          x[k] = Number((Number(x[k]) + Number(r[k])).toFixed(2));
    }
    const out: Array<Record<string, string | number>> = [...byRoute.values()].map((r) => ({
      ...r,
      cpu_ms_per_call: Number((Number(r.web_cpu_ms) / Math.max(1, Number(r.calls))).toFixed(2)),
    }));
    const total = out.reduce((s, r) => s + Number(r.web_cpu_ms), 0);
    out.push({
      route: 'total',
      calls: out.reduce((s, r) => s + Number(r.calls), 0),
      wall_ms: 0,
      web_cpu_ms: total,
      cpu_ms_per_call: 0,
      cpu_ms_per_candidate: Number((total / n).toFixed(2)),
      p50_ms: 0,
    });
    return { rows: out, ok: tally.errorCount === 0 };
  } finally {
    lb.close();
    await stack.close();
  }
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const candidates = arg(args, 'candidates', 1000);
  const hr = arg(args, 'hr', 5);
  const grants = arg(args, 'grants', 200);
  const grantClient =
    args.find((a) => a.startsWith('--grant-client='))?.slice('--grant-client='.length) ?? 'undici';
  if (grantClient !== 'undici' && grantClient !== 'node') throw new Error('--grant-client: undici or node');
  const pool = arg(args, 'pool', 10);
  const capacity = arg(args, 'capacity', 5);
  const kb = arg(args, 'kb', 50);
  const arrive = arg(args, 'arrive', 0);
  const pacing: Pacing = {
    pace: arg(args, 'pace', 0),
    think: arg(args, 'think', 0),
    record: arg(args, 'record', 0),
    verdictWait: arg(args, 'verdict-wait', VERDICT_WAIT_MS),
  };
  const profile = args.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
  const profileIntervalUs = arg(args, 'profile-interval', 0) || undefined;
  const durationS = arg(args, 'duration', 0);
  const graceS = arg(args, 'grace', 60);
  const workerOptions: WorkerOptions = {
    workers: Math.max(1, arg(args, 'workers', 1)),
    mediaConcurrency: arg(args, 'media-concurrency', 0) || undefined,
    mediaBatch: arg(args, 'media-batch', 0) || undefined,
    settle: !args.includes('--no-settle'),
  };
  // Ctrl-C or a SIGTERM: report what was measured, then close the stack; a second one exits.
  const stop = new RunStop();
  let firstSignalAt = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    // A second signal exits now (the exit hook of ./children kills every server's group). One
    // within a second of the first is the same Ctrl-C again: the terminal signals npm and the
    // bench together, and npm passes its copy on.
    if (stop.now) {
      if (Date.now() - firstSignalAt > 1000) process.exit(130);
      return;
    }
    firstSignalAt = Date.now();
    console.error(`load: ${sig}: stopping, reporting what was measured`);
    stop.stop(sig, true);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The parent (npm, a shell, `timeout`) went away without passing a signal on: the bench was
  // orphaned and nobody waits for it any more; stop and report as for a signal.
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphaned);
    console.error('load: the parent process exited: stopping, reporting what was measured');
    stop.stop('parent exited', true);
  }, 500);
  orphaned.unref();
  const webCounts = (args.find((a) => a.startsWith('--web='))?.slice(6) ?? '2')
    .split(',')
    .map(Number)
    .filter((n) => n >= 1);
  process.env.MYSQL_URL ??= 'mysql://root@127.0.0.1:3306/test';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-bench-load-media-'));
  let ok = true;
  try {
    const file = await makeRecording(tmp, kb);
    // --bundle=PATH: a server bundle built elsewhere (an older build to compare against).
    const bundle = args.find((a) => a.startsWith('--bundle='))?.slice('--bundle='.length) ?? buildServer();
    const nodeFlags = serverFlagsArg(args) ?? npmStartFlags();
    console.error(`load: server processes: node ${[...nodeFlags, 'build/server.mjs'].join(' ')}`);
    const routes = arg(args, 'routes', 0);
    if (routes > 0) {
      const r = await runRoutes(routes, {
        bundle,
        nodeFlags,
        pool,
        capacity,
        file,
        concurrency: arg(args, 'routes-concurrency', 10),
        verdictWait: pacing.verdictWait,
        profile,
        profileIntervalUs,
        probe: args.includes('--probe'),
      });
      ok &&= r.ok;
      report('load-routes', r.rows, { candidates: routes, bundle, nodeFlags });
      if (!r.ok) process.exitCode = 1;
      return;
    }
    const runs: Array<Awaited<ReturnType<typeof runLoad>>> = [];
    // `--candidates=0` runs only the grant measurement.
    for (const w of candidates > 0 ? webCounts : []) {
      const r = await runLoad(w, {
        bundle,
        nodeFlags,
        candidates,
        hr,
        pool,
        capacity,
        file,
        profile,
        profileIntervalUs,
        arrive,
        pacing,
        durationS,
        graceS,
        stop,
        ...workerOptions,
      });
      runs.push(r);
      ok &&= r.ok;
      if (r.partial) break;
    }
    // Each run printed its own report; several web counts are compared side by side.
    if (runs.length > 1) console.table(runs.map((r) => r.result));
    if (grants > 0 && !stop.reason) {
      const g = await runGrants(grants, {
        bundle,
        nodeFlags,
        pool,
        capacity,
        file,
        profile,
        profileIntervalUs,
        probe: args.includes('--probe'),
        settle: workerOptions.settle,
        rounds: Math.max(1, arg(args, 'grant-rounds', 3)),
        idle: Math.max(1, arg(args, 'upstream-idle', 20)),
        client: grantClient,
      });
      ok &&= g.ok;
      report('load-grants', [g.row], { pool, target_p99_ms: 200, nodeFlags });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  clearInterval(orphaned);
  if (!ok) {
    console.error('load: errors, overbooking or a broken per-client limit (see above)');
    process.exitCode = 1;
  } else if (stop.reason) {
    console.error(`load: partial report (${stop.reason})`);
    process.exitCode = 3;
  }
}
