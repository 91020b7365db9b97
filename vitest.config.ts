import { defineConfig } from 'vitest/config';

const exclude = ['**/node_modules/**', '**/*.browser.test.ts', 'miniapp/dist/**'];

/**
 * Unit and integration tests (SQLite always, MySQL when MYSQL_URL is set). Browser tests live in
 * vitest.browser.config.ts.
 *
 * Server-side files share their worker process (`isolate: false`): each of them imports the whole
 * server (MikroORM, the DingTalk and OSS SDKs, Koa), which costs seconds per file on the 2-core
 * machine, and they keep no state between files (every suite builds its own database, sandbox and
 * app). The mini-app's unit tests mock modules and stub globals, so they keep a fresh process each.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['{server,shared,bot,scripts}/**/*.test.ts'],
          exclude,
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'miniapp', include: ['miniapp/**/*.test.ts'], exclude },
      },
    ],
  },
});
