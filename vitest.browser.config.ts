import { defineConfig } from 'vitest/config';

/**
 * Browser tests (`*.browser.test.ts`): real Chromium against a real server and sandbox.
 * They start whole stacks and share ports and CPU, so files run one at a time with generous
 * timeouts. The default `vitest.config.ts` excludes them; run with `npm run test:browser`.
 */
export default defineConfig({
  test: {
    include: ['**/*.browser.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/data/**'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
    // A flaky browser step is a bug to fix, not to paper over with retries.
    retry: 0,
  },
});
