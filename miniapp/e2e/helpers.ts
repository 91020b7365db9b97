/**
 * Shared set-up for the mini-app's browser tests: a fresh build of `miniapp/dist` and a static
 * server for it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { type Stack, startStack } from '../../scripts/stack';
import { type LaunchedBrowser, launchBrowser } from '../../scripts/testing/browser';

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

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/**
 * Serves `miniapp/dist` the way the Koa server does: files as they are, every other non-`/api`
 * path gets `index.html` (SPA fallback), and `/api` is left to the test (404 here; tests mock it
 * in the browser).
 */
export async function serveDist(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pathname.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: 'not mocked' } }));
      return;
    }
    const file = path.join(DIST_DIR, path.normalize(pathname));
    const inDist = file.startsWith(DIST_DIR + path.sep);
    const target =
      inDist && existsSync(file) && statSync(file).isFile() ? file : path.join(DIST_DIR, 'index.html');
    res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(target)] ?? 'application/octet-stream' });
    res.end(await readFile(target));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * For a browser test file against the real stack: registers hooks that build the mini-app,
 * start the sandbox + server (SQLite in a throw-away folder) and one browser, and tear them
 * down. Read `stack`/`browser` inside tests (they are set by `beforeAll`).
 */
export function useStackAndBrowser(name: string, before?: (stack: Stack) => Promise<void>) {
  const ctx = {} as { stack: Stack; browser: LaunchedBrowser; dataDir: string };
  beforeAll(async () => {
    ensureMiniappBuilt();
    mkdirSync(path.resolve('test-results/miniapp'), { recursive: true });
    ctx.dataDir = await mkdtemp(path.join(tmpdir(), `aiv-${name}-e2e-`));
    ctx.stack = await startStack({ dataDir: ctx.dataDir });
    ctx.browser = await launchBrowser();
    await before?.(ctx.stack);
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.stack?.close();
    if (ctx.dataDir) await rm(ctx.dataDir, { recursive: true, force: true });
  });
  return ctx;
}
