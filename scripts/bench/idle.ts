/**
 * `npm run bench -- idle [--at=1,5,10,20,30] [--server-flags=a,b]`
 *
 * Resident memory of a production process at rest (issue 18: a web process idles under 120 MB).
 * `node build/server.mjs` as `npm start` runs it, in production configuration (`APP_MODE=production`,
 * DingTalk and ASR endpoints set to a placeholder host that is never called at rest, random
 * secrets), on a fresh, migrated MariaDB database (MYSQL_URL), as a web process (`ROLES=web`, the
 * one the target is about) with `npm start`'s Node flags, with those and `--max-semi-space-size=4`,
 * and with no flags at all when `npm start` has some, one process at a time. RSS
 * is sampled `--at` seconds after the process first answers `/healthz`, from `/proc`: nothing runs
 * inside the process to watch it (an in-process probe's own allocations delay the memory reducer
 * it would be watching).
 *
 * Why the time matters: start-up (loading and evaluating the bundle, opening the pool) leaves V8's
 * young generation grown to its maximum (32 MB for two 16 MB semi-spaces); V8's memory reducer
 * shrinks it once allocation has been quiet for several seconds. A reading taken in the first
 * seconds measures start-up, not rest.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openOrm } from '../../server/kernel/db/orm';
import { createTestDatabase, migrateDb } from '../../server/testing/harness';
import { freePort } from '../ports';
import { buildServer, npmStartFlags, REPO, report, rssOf, serverFlagsArg, waitUp } from './report';

const MB = 1024 * 1024;
const PLACEHOLDER = 'https://placeholder.invalid';

async function sample(
  bundle: string,
  dbUrl: string,
  roles: string,
  flags: string[],
  at: number[],
): Promise<Record<string, number | string>> {
  const port = await freePort();
  const proc: ChildProcess = spawn(process.execPath, [...flags, bundle], {
    cwd: REPO,
    env: {
      ...process.env,
      APP_MODE: 'production',
      ROLES: roles,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: dbUrl,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      DINGTALK_API_URL: PLACEHOLDER,
      DINGTALK_OAPI_URL: PLACEHOLDER,
      DINGTALK_LOGIN_URL: PLACEHOLDER,
      DINGTALK_STREAM_GATEWAY_URL: PLACEHOLDER,
      DINGTALK_CORP_ID: 'idle-bench',
      DINGTALK_APP_KEY: 'idle-bench',
      DINGTALK_APP_SECRET: randomBytes(16).toString('hex'),
      DINGTALK_AGENT_ID: '1',
      DINGTALK_CALLBACK_TOKEN: randomBytes(8).toString('hex'),
      DINGTALK_CALLBACK_AES_KEY: randomBytes(32)
        .toString('base64')
        .replace(/[^A-Za-z0-9]/g, 'a')
        .slice(0, 43),
      ASR_DASHSCOPE_URL: PLACEHOLDER,
      ASR_DASHSCOPE_API_KEY: randomBytes(8).toString('hex'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitUp(`http://127.0.0.1:${port}/healthz`);
    const t0 = performance.now();
    const row: Record<string, number | string> = {
      roles,
      flags: `${flags.join(' ') || '(none)'}${flags.join(' ') === npmStartFlags().join(' ') ? ' = npm start' : ''}`,
    };
    for (const s of at) {
      await new Promise((r) => setTimeout(r, Math.max(0, s * 1000 - (performance.now() - t0))));
      row[`rss_${s}s_MB`] = Math.round(rssOf(proc.pid as number) / MB);
    }
    return row;
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
}

export async function run(args: string[]): Promise<void> {
  const at = (args.find((a) => a.startsWith('--at='))?.slice(5) ?? '1,5,10,20,30')
    .split(',')
    .map(Number)
    .filter((n) => n > 0)
    .sort((a, b) => a - b);
  process.env.MYSQL_URL ??= 'mysql://root@127.0.0.1:3306/test';
  const { db, drop } = await createTestDatabase('mysql');
  try {
    const orm = await openOrm(db);
    try {
      await migrateDb(orm);
    } finally {
      await orm.close(true);
    }
    const bundle = buildServer();
    const rows = [];
    const start = npmStartFlags();
    // `--server-flags=a,b`: `npm start`'s flags against those (a flag being weighed).
    const other = serverFlagsArg(args);
    const variants = other
      ? [start, other]
      : [...(start.length ? [[]] : []), start, [...start, '--max-semi-space-size=4']];
    for (const flags of variants) rows.push(await sample(bundle, db.url, 'web', flags, at));
    report('idle', rows, { target_MB: 120, database: 'MariaDB (fresh, migrated)' });
  } finally {
    await drop();
  }
}
