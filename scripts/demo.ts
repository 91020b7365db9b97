/**
 * `npm run demo`: the whole product on embedded defaults, one command, nothing but Node.
 * Builds the mini-app when its sources changed, migrates and seeds SQLite under ./data,
 * starts the DingTalk sandbox and the server (all roles), and prints where to go.
 * Idempotent: running it again reuses the data. Ctrl-C stops everything.
 *
 * `npm run demo -- --empty` starts the product as a new customer would: no jobs, candidates or
 * roles, only the sandbox's DingTalk organisation. Its data lives apart (`./data/empty`), so the
 * seeded demo is not mixed in; delete that folder to start empty again.
 *
 * `npm run demo -- --history` also writes ~2,000 generated applications over the last 120 days
 * with their stage history and AI scores (server/kernel/db/seeds/history.ts), once, so the
 * analytics dashboards have enough to show. `--history=N` writes N. Its hires get interview
 * reports and HR records in the sandbox's 智能人事 (server/kernel/db/seeds/hireOutcomes.ts), which
 * the product reads through DingTalk's APIs for the closed-loop validity report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { syncHireOutcomes } from '../server/features/analytics/outcomes';
import { bulkLoad } from '../server/kernel/db/bulk';
import { Job } from '../server/kernel/db/entities/Job';
import { generateHireOutcomes, type SeededHrRecord } from '../server/kernel/db/seeds/hireOutcomes';
import { generateHistory } from '../server/kernel/db/seeds/history';
import { createDingTalk } from '../server/kernel/integrations/dingtalk';
import { createLogger } from '../server/kernel/logger';
import { seedDemoBusy } from './sandbox/modules/calendar';
import { startStack } from './stack';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

async function buildMiniappIfStale(): Promise<void> {
  const index = path.join(root, 'miniapp/dist/index.html');
  const sources = Math.max(
    newestMtime(path.join(root, 'miniapp/src')),
    newestMtime(path.join(root, 'shared')),
  );
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  console.log('Building the mini-app…');
  await build({ configFile: path.join(root, 'miniapp/vite.config.ts'), logLevel: 'warn' });
}

/** Writes generated history once (a second run finds it and leaves the data as it is). */
async function seedHistory(
  stack: Awaited<ReturnType<typeof startStack>>,
  applications: number,
): Promise<void> {
  const em = stack.server.orm.em.fork();
  const [done] = await em.execute<Array<{ n: number }>>(
    "select count(*) as n from candidates where name like '历史候选人%'",
  );
  if (Number(done?.n ?? 0) > 0) return;
  const jobIds = (await em.find(Job, {}, { orderBy: { id: 'asc' } })).map((j) => j.id);
  // Triggers off while loading, then every rollup rebuilt once (kernel/db/bulk.ts).
  const wrote = await bulkLoad(stack.server.orm.em, (tx) =>
    generateHistory(tx, { applications, jobIds, now: new Date(), days: 120 }),
  );
  console.log(
    `Generated history: ${wrote.applications} applications, ${wrote.events} stage events, ${wrote.reviews} AI scores.`,
  );
}

/**
 * Gives the sandbox's 智能人事 the history hires' HR records (it keeps them in memory only, so
 * on every start) and syncs them the way the worker does: first everybody as a member, so the
 * product learns each userid by mobile, then with the departures, which DingTalk reports only
 * by userid.
 */
async function seedHireOutcomes(stack: Awaited<ReturnType<typeof startStack>>): Promise<void> {
  const em = stack.server.orm.em.fork();
  const { members, left } = await generateHireOutcomes(em, { now: new Date(), namePrefix: '历史候选人' });
  if (!members.length) return;
  const push = async (employees: SeededHrRecord[]) => {
    const res = await fetch(`${stack.sandboxUrl}/api/sandbox/hrm/employees`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ employees }),
    });
    if (!res.ok) throw new Error(`sandbox HR records: HTTP ${res.status} ${await res.text()}`);
  };
  const dingtalk = createDingTalk(stack.server.config.dingtalk, createLogger('warn'));
  await push(members);
  await syncHireOutcomes(stack.server.orm.em.fork(), dingtalk, new Date());
  await push(left);
  const r = await syncHireOutcomes(stack.server.orm.em.fork(), dingtalk, new Date());
  console.log(
    `HR outcomes: ${members.length} hires in DingTalk HR, ${left.length} left; synced ${r.synced}.`,
  );
}

async function main(): Promise<void> {
  await buildMiniappIfStale();
  const port = Number(process.env.PORT ?? 3000);
  const sandboxPort = Number(process.env.SANDBOX_PORT ?? 3900);
  const empty = process.argv.slice(2).includes('--empty');
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(root, empty ? 'data/empty' : 'data'));
  const stack = await startStack({
    dataDir,
    port,
    sandboxPort,
    logLevel: process.env.LOG_LEVEL ?? 'info',
    env: {
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      ...(empty ? { DEMO_SEED: 'empty' } : {}),
    },
  });
  seedDemoBusy(stack.sandbox.state);
  const history = process.argv.slice(2).find((a) => a === '--history' || a.startsWith('--history='));
  if (history && !empty) {
    await seedHistory(stack, Number(history.split('=')[1] ?? 2000));
    await seedHireOutcomes(stack);
  }
  if (empty) {
    console.log(`
  AI 视频面试 · 空白起步 (empty start) is running: no jobs, candidates or roles yet

  钉钉沙箱控制台 / DingTalk sandbox console:  ${stack.sandboxUrl}
      1. open the app as 王晓燕 (hr01), the organisation's DingTalk main admin: she becomes
         the first admin (and HR) on her first sign-in; everyone else has no role yet
      2. 首页 → 组织与权限 → 立即同步钉钉通讯录 (reads departments and members from DingTalk)
      3. 开通角色 for colleagues (HR, 用人经理 with a department, 面试官); they can then sign in
  H5 微应用 / mini-app:                       ${stack.appUrl}

  Data: ${dataDir} (delete it to start empty again). Ctrl-C stops everything.
`);
  } else {
    console.log(`
  AI 视频面试 · 演示 (demo) is running

  钉钉沙箱控制台 / DingTalk sandbox console:  ${stack.sandboxUrl}
      pick a demo employee and "open in DingTalk" (HR 王晓燕, manager 李建国, interviewer 张伟 …)
  H5 微应用 / mini-app (candidates):         ${stack.appUrl}
      "使用钉钉登录" signs in as a demo candidate (e.g. 张三) through the sandbox's OAuth2 page

  Data: ${dataDir} (delete it to start over). Ctrl-C stops everything.
`);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stack.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
