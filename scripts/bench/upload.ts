/**
 * `npm run bench -- upload [--grants=200] [--uploads=20] [--mb=50] [--chunk-mb=8] [--mysql]
 *  [--server-flags=--max-semi-space-size=2]` (MALLOC_ARENA_MAX etc. pass through the environment)
 *
 * The interview upload path of a real server process (web role, local storage, SQLite):
 *  1. `grants` candidates ask for an upload grant at the same moment: latency p50/p99/max.
 *  2. `uploads` candidates upload `mb` MB each at the same time through the resumable local
 *     upload route (`PUT /api/uploads/<token>`, `chunk-mb` per request): aggregate MB/s and the
 *     server's peak RSS (sampled from /proc every 50 ms; the goal is < 250 MB: nothing buffers
 *     whole files).
 * Baselines measured in the same run: the same bytes written by 20 concurrent file streams
 * (disk), and sent to a bare Node http server that streams them to disk (loopback + disk).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/kernel/config';
import { Application } from '../../server/kernel/db/entities/Application';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { InterviewConsent } from '../../server/kernel/db/entities/InterviewConsent';
import { InterviewQuestion } from '../../server/kernel/db/entities/InterviewPlan';
import { InterviewAnswer, InterviewSession } from '../../server/kernel/db/entities/InterviewSession';
import { openOrm } from '../../server/kernel/db/orm';
import { seedDemoCompany } from '../../server/kernel/db/seeds/seed';
import { issueSessionToken } from '../../server/kernel/http/tokens';
import { createTestDatabase, migrateDb } from '../../server/testing/harness';
import { createTestJob } from '../../server/testing/interview';
import { freePort } from '../ports';
import {
  arg,
  npmStartFlags,
  percentile,
  report,
  rssOf,
  serverFlagsArg,
  waitUp,
  webServerEnv,
} from './report';

const MB = 1024 * 1024;

/** Sends `count` uploads of `bytes` each in `chunk`-sized PUTs; returns MB/s. */
async function uploadAll(urls: string[], bytes: number, chunk: Buffer, headers: Record<string, string>) {
  const started = performance.now();
  await Promise.all(
    urls.map(async (url) => {
      for (let offset = 0; offset < bytes; offset += chunk.length) {
        const body = chunk.subarray(0, Math.min(chunk.length, bytes - offset));
        const res = await fetch(url, {
          method: 'PUT',
          headers: { ...headers, 'upload-offset': String(offset), 'upload-length': String(bytes) },
          // Node's fetch sends a Buffer as is (no copy); the DOM typings do not know that.
          body: body as unknown as BodyInit,
        });
        if (!res.ok) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { seconds, mbps: (urls.length * bytes) / MB / seconds };
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const nGrants = arg(args, 'grants', 200);
  const nUploads = arg(args, 'uploads', 20);
  const mb = arg(args, 'mb', 50);
  const chunkMb = arg(args, 'chunk-mb', 8);
  const bytes = mb * MB;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-bench-upload-'));
  const file = path.join(dir, 'app.db');
  // --mysql: MariaDB/MySQL (MYSQL_URL, a fresh database) instead of the embedded SQLite file.
  const mysql = args.includes('--mysql');
  let dropDb: (() => Promise<void>) | null = null;
  let databaseUrl = `sqlite:${file}`;
  if (mysql) {
    process.env.MYSQL_URL ??= 'mysql://root@127.0.0.1:3306/test';
    const t = await createTestDatabase('mysql');
    databaseUrl = t.db.url;
    dropDb = t.drop;
  }
  const port = await freePort();
  const env = webServerEnv(port, dir, databaseUrl, {
    RATE_LIMIT_UPLOAD_GRANTS_PER_MINUTE: '1000000',
    UPLOAD_MAX_MB: String(Math.max(300, mb * 2)),
  });
  const config = loadConfig(env);

  // Data: the demo company plus one candidate per grant, each consented with one served answer.
  process.env.TEST_SCHEMA_SYNC = '1';
  const orm = await openOrm(config.database);
  await migrateDb(orm);
  await seedDemoCompany(orm.em.fork());
  const jobId = await createTestJob({ orm }, 'bench-upload');
  const em = orm.em.fork();
  const question = await em.findOneOrFail(InterviewQuestion, { plan: { job: jobId }, practice: true });
  const now = new Date();
  const answers: Array<{ id: number; token: string }> = [];
  const rows = [];
  for (let i = 0; i < nGrants; i++) {
    const candidate = em.create(Candidate, {
      name: `压测候选人${i}`,
      mobile: `1700000${String(i).padStart(4, '0')}`,
    });
    const application = em.create(Application, {
      candidate,
      job: jobId,
      deadlineAt: new Date(now.getTime() + 86_400_000),
    });
    em.create(InterviewConsent, {
      application,
      candidate,
      action: 'grant',
      scopes: ['video_processing', 'ai_evaluation'],
      noticeVersion: 'v1',
      noticeHash: '0'.repeat(64),
      locale: 'zh-CN',
      ip: '127.0.0.1',
      userAgent: 'bench',
      createdAt: now,
    });
    const session = em.create(InterviewSession, {
      application,
      candidate,
      job: jobId,
      plan: question.plan,
      startedAt: now,
    });
    rows.push({
      candidate,
      answer: em.create(InterviewAnswer, { session, question, state: 'served', servedAt: now }),
    });
  }
  await em.flush();
  for (const r of rows) {
    const { token } = await issueSessionToken(
      config.session.secret,
      { kind: 'candidate', id: r.candidate.id, invitationJobId: jobId },
      120,
    );
    answers.push({ id: r.answer.id, token });
  }
  await orm.close(true);

  const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  // --server-flags=a,b: the server process's Node flags (e.g. --max-semi-space-size=2) to
  // compare memory settings; otherwise `npm start`'s flags. The source runs under tsx here, not
  // the compiled bundle `npm start` runs.
  const serverFlags = serverFlagsArg(args) ?? npmStartFlags();
  const server = spawn(
    process.execPath,
    [...serverFlags, '--import', 'tsx', path.join(repo, 'server/main.ts')],
    {
      cwd: repo,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(server.pid ?? 0));
  }, 50);
  try {
    await waitUp(`${base}/healthz`);
    const idleRss = rssOf(server.pid ?? 0);

    // 1. Concurrent grants.
    const latencies: number[] = [];
    const grantStart = performance.now();
    const grants = await Promise.all(
      answers.map(async (a) => {
        const t0 = performance.now();
        const res = await fetch(`${base}/api/interview/answers/${a.id}/grant`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
          body: JSON.stringify({ contentType: 'video/webm', bytes }),
        });
        latencies.push(performance.now() - t0);
        if (res.status !== 201) throw new Error(`grant failed: ${res.status} ${await res.text()}`);
        return ((await res.json()) as { grant: { url: string } }).grant;
      }),
    );
    const grantWall = performance.now() - grantStart;

    // 2. Concurrent 50 MB uploads through the app, then the baselines.
    const chunk = Buffer.alloc(chunkMb * MB);
    for (let i = 0; i < chunk.length; i += 4096) chunk[i] = i % 251;
    peakRss = 0;
    const app = await uploadAll(
      grants.slice(0, nUploads).map((g) => `${base}${g.url}`),
      bytes,
      chunk,
      { 'content-type': 'video/webm' },
    );
    const uploadPeakRss = peakRss;

    const diskDir = fs.mkdtempSync(path.join(dir, 'disk-'));
    const diskStart = performance.now();
    await Promise.all(
      Array.from({ length: nUploads }, async (_, i) => {
        const out = fs.createWriteStream(path.join(diskDir, `f${i}`));
        for (let offset = 0; offset < bytes; offset += chunk.length) {
          if (!out.write(chunk.subarray(0, Math.min(chunk.length, bytes - offset))))
            await new Promise<void>((r) => out.once('drain', () => r()));
        }
        await new Promise<void>((r) => out.end(() => r()));
      }),
    );
    const diskMbps = (nUploads * bytes) / MB / ((performance.now() - diskStart) / 1000);
    fs.rmSync(diskDir, { recursive: true, force: true });

    // A bare Node http server in its own process (like the app) streaming bodies to files.
    const rawDir = fs.mkdtempSync(path.join(dir, 'raw-'));
    const rawPort = await freePort();
    const rawScript = `const http=require('http'),fs=require('fs'),path=require('path');let n=0;
http.createServer((req,res)=>{req.pipe(fs.createWriteStream(path.join(${JSON.stringify(rawDir)},'r'+(n++)))).on('finish',()=>res.end('{}'));}).listen(${rawPort},'127.0.0.1',()=>console.log('up'));`;
    const raw = spawn(process.execPath, ['-e', rawScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => raw.stdout?.once('data', r));
    const loop = await uploadAll(
      Array.from({ length: nUploads }, () => `http://127.0.0.1:${rawPort}/`),
      bytes,
      chunk,
      { 'content-type': 'application/octet-stream' },
    );
    raw.kill();
    const stored = fs.readdirSync(path.join(dir, 'objects', 'interviews')).length;

    report(
      'upload',
      [
        {
          step: `${nGrants} concurrent grants`,
          p50_ms: Math.round(percentile(latencies, 50)),
          p99_ms: Math.round(percentile(latencies, 99)),
          max_ms: Math.round(Math.max(...latencies)),
          wall_ms: Math.round(grantWall),
        },
        {
          step: `${nUploads} x ${mb} MB uploads (app, ${chunkMb} MB chunks)`,
          MB_per_s: Math.round(app.mbps),
          seconds: Math.round(app.seconds * 10) / 10,
          server_idle_rss_MB: Math.round(idleRss / MB),
          server_peak_rss_MB: Math.round(uploadPeakRss / MB),
          server_flags:
            [
              ...serverFlags,
              process.env.MALLOC_ARENA_MAX ? `MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX}` : '',
            ]
              .filter(Boolean)
              .join(' ') || '(none)',
        },
        { step: 'baseline: disk (20 file streams)', MB_per_s: Math.round(diskMbps) },
        { step: 'baseline: bare http server -> disk (loopback)', MB_per_s: Math.round(loop.mbps) },
      ],
      {
        database: mysql ? 'mariadb' : 'sqlite',
        sessionsWithObjects: stored,
        rssLimitMB: 250,
        rssOk: uploadPeakRss < 250 * MB,
      },
    );
  } finally {
    clearInterval(sampler);
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
    await dropDb?.();
  }
}
