/**
 * Browser-only set-up for the mini-app's tests: a fresh build of `miniapp/dist`, and hooks that
 * start the product with the shared harness (`server/testing/harness.ts`, `startTestStack`) and
 * one Chromium. Data comes from the factories in `server/testing/factories.ts` or the real API;
 * nothing here answers API calls.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { Job } from '../../server/kernel/db/entities/Job';
import { startTestStack, type TestStack, type TestStackOptions } from '../../server/testing/harness';
import { type LaunchedBrowser, launchBrowser } from './browser';

const MINIAPP_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_DIR = path.dirname(MINIAPP_DIR);
/** The built mini-app the server serves. */
export const DIST_DIR = path.join(MINIAPP_DIR, 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds `miniapp/dist` when it is missing or older than the sources it comes from, so a test
 * never passes against yesterday's UI.
 */
export function ensureMiniappBuilt(): void {
  const index = path.join(DIST_DIR, 'index.html');
  if (existsSync(index)) {
    const builtAt = statSync(index).mtimeMs;
    const sourcesAt = Math.max(
      newestMtime(path.join(MINIAPP_DIR, 'src')),
      newestMtime(path.join(REPO_DIR, 'shared')),
      statSync(path.join(MINIAPP_DIR, 'index.html')).mtimeMs,
      statSync(path.join(MINIAPP_DIR, 'vite.config.ts')).mtimeMs,
    );
    if (builtAt >= sourcesAt) return;
  }
  // A child process with NODE_ENV=production: inside vitest NODE_ENV is "test", which would make
  // Vite bundle React's development build into the dist the server then serves.
  const vite = path.join(REPO_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', path.join(MINIAPP_DIR, 'vite.config.ts')],
    {
      cwd: REPO_DIR,
      env: { ...process.env, NODE_ENV: 'production' },
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) {
    throw new Error(`Building the mini-app failed (try: npm run build):\n${result.stderr || result.stdout}`);
  }
  if (!existsSync(index)) throw new Error(`vite build finished but ${index} is missing`);
}

/** Where browser tests write screenshots. */
export const SHOTS = path.resolve('test-results/miniapp');

/**
 * For a browser test file against the real stack: registers hooks that build the mini-app,
 * start the sandbox + server (SQLite unless told otherwise) with the shared harness and one
 * browser, run `before` (to create the file's data), and tear everything down. Read
 * `stack`/`browser` inside tests (they are set by `beforeAll`).
 */
export function useStackAndBrowser(
  before?: (stack: TestStack) => Promise<void>,
  opts: TestStackOptions = {},
) {
  const ctx = {} as { stack: TestStack; browser: LaunchedBrowser };
  beforeAll(async () => {
    ensureMiniappBuilt();
    mkdirSync(SHOTS, { recursive: true });
    ctx.stack = await startTestStack(opts);
    ctx.browser = await launchBrowser();
    await before?.(ctx.stack);
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.stack?.close();
  });
  return ctx;
}

/** HR (signed in through the sandbox) invites the named demo candidate to a seeded job; the invitation URL. */
export async function inviteDemoCandidate(
  stack: TestStack,
  name: string,
  jobSlug = 'backend',
): Promise<string> {
  const em = stack.orm.em.fork();
  const c = await em.findOneOrFail(Candidate, { name });
  const job = await em.findOneOrFail(Job, { slug: jobSlug });
  const hr = await stack.signInEmployee('hr01');
  const res = await stack.api('POST', '/api/invitations', {
    token: hr,
    body: { candidateId: c.id, jobId: job.id },
  });
  if (res.status !== 201) throw new Error(`invitation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.invitation.url as string;
}

/**
 * Starts waiting for a response, as `page.waitForResponse` does, with the wait marked as handled
 * at once. Why: a test that fails between starting the wait and awaiting it leaves the wait
 * pending; when the page closes it rejects with nobody listening, and vitest reports that as an
 * unhandled error which fails the whole run even though the test's retry passed. Awaiting the
 * returned promise still throws on timeout or a closed page.
 */
export function responseTo(
  page: Page,
  match: (response: Response) => boolean | Promise<boolean>,
  options?: { timeout?: number },
): Promise<Response> {
  const waiting = page.waitForResponse(match, options);
  waiting.catch(() => {});
  return waiting;
}

/** Waits for the server's verdict on a recording; an error message on screen fails at once with its text. */
export async function waitReceived(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="iv-received"]') ||
      document.querySelector('[data-testid="iv-message"]'),
    undefined,
    { timeout: 60_000 },
  );
  if ((await page.getByTestId('iv-received').count()) === 0)
    throw new Error(`upload failed: ${await page.getByTestId('iv-message').textContent()}`);
}

/**
 * Writes HR's candidate spreadsheet (.xlsx, sheet 候选人) with the import's columns
 * 姓名 / 手机号 / 邮箱 / 来源 / 推荐人 and the given rows, bad ones included, and returns its path.
 */
export async function writeCandidateSheet(rows: string[][], name = '候选人.xlsx'): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('候选人');
  ws.addRow(['姓名', '手机号', '邮箱', '来源', '推荐人']);
  for (const r of rows) ws.addRow(r);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'import-')), name);
  writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}
