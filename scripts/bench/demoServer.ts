/**
 * The product as the first-load benchmarks run it: one server process of a checkout (embedded
 * defaults: demo mode on a fresh SQLite file, web role only), with the demo candidate 张三 signed
 * in. `repo` may be another checkout (a worktree of `main`), so a benchmark can measure a
 * baseline's server and mini-app build side by side with this one's.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/kernel/config';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { Invitation } from '../../server/kernel/db/entities/Invitation';
import { openOrm } from '../../server/kernel/db/orm';
import { issueSessionToken } from '../../server/kernel/http/tokens';
import { freePort } from '../ports';
import { waitUp } from './report';

/** A running demo server. */
export interface DemoServer {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** The demo candidate's session (2 hours), as the mini-app stores it. */
  session: { token: string; expiresAt: string };
  /** Stops the process and removes its data folder. */
  stop(): Promise<void>;
}

/** Starts `repo`'s server (`server/main.ts` through tsx) and signs the demo candidate in. */
export async function startDemoServer(repo: string): Promise<DemoServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-bench-demo-'));
  const port = await freePort();
  const env: Record<string, string> = {
    APP_MODE: 'demo',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${path.join(dir, 'app.db')}`,
    STORAGE_LOCAL_DIR: path.join(dir, 'objects'),
    // The web role only: the worker's polling would share the 2 cores with the browser.
    ROLES: 'web',
    DINGTALK_EVENT_MODE: 'off',
    LOG_LEVEL: 'warn',
  };
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'server/main.ts')], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitUp(`${base}/healthz`);
    // The demo candidate 张三 (seeded at start-up in demo mode), signed in for 2 hours.
    const config = loadConfig(env);
    const orm = await openOrm(config.database);
    try {
      const em = orm.em.fork();
      const candidate = await em.findOneOrFail(Candidate, { name: '张三' });
      const invitation = await em.findOne(Invitation, { candidate });
      const jobId = invitation ? (invitation.job as unknown as { id: number }).id : null;
      const issued = await issueSessionToken(
        config.session.secret,
        { kind: 'candidate', id: candidate.id, invitationJobId: jobId },
        120,
      );
      return { base, session: { token: issued.token, expiresAt: issued.expiresAt.toISOString() }, stop };
    } finally {
      await orm.close(true);
    }
  } catch (err) {
    await stop();
    throw err;
  }
}
