import { defineConfig } from 'vitest/config';

/** Unit and integration tests (SQLite always, MySQL when MYSQL_URL is set). Browser tests live in vitest.browser.config.ts. */
export default defineConfig({
  test: {
    include: ['{server,shared,bot,scripts,miniapp}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.browser.test.ts', 'miniapp/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
