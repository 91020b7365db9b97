import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../ports';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/**
 * `npm start` runs the compiled bundle, not the TypeScript: this starts it as production does
 * (plain Node, no loader) and checks that it serves, so a change that only works under tsx
 * (a file read relative to a source folder, a type-only import used as a value) fails here.
 */
describe('the compiled server (npm start)', () => {
  let proc: ChildProcess | null = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-bundle-'));
  afterAll(() => {
    proc?.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds to build/server.mjs and serves the API and the app shell with plain node', async () => {
    const built = spawnSync(process.execPath, [path.join(root, 'scripts/build/server.mjs')], {
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
    const port = await freePort();
    proc = spawn(process.execPath, [path.join(root, 'build/server.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        APP_MODE: 'development',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        DATABASE_URL: `sqlite:${path.join(dir, 'app.db')}`,
        STORAGE_LOCAL_DIR: path.join(dir, 'objects'),
        ROLES: 'web',
        DINGTALK_EVENT_MODE: 'off',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    let up = false;
    for (let i = 0; i < 300 && !up; i++) {
      up = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    expect(up).toBe(true);
    const me = await fetch(`${base}/api/me`);
    expect(me.status).toBe(401);
    expect(((await me.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  }, 60_000);
});
