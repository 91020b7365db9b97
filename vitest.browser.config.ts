import { defineConfig } from 'vitest/config';

/**
 * Browser tests (`*.browser.test.ts`): real Chromium against a real server and sandbox.
 * They start whole stacks and share CPU, so files run one at a time with generous timeouts.
 * The default `vitest.config.ts` excludes them; run with `npm run test:browser`.
 *
 * Two files at a time was tried (2026-12-07): the step took 418 s instead of 561 s, with the
 * machine 90 % busy instead of 60 %, and the recording tests then missed their waits (the
 * walk-through's release poll, the audio-only recording) in one full run of two. Not kept until
 * they hold under that load.
 */
export default defineConfig({
  test: {
    include: ['**/*.browser.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/data/**'],
    environment: 'node',
    fileParallelism: false,
    // The mini-app is built once, before any file starts (see the file).
    globalSetup: ['miniapp/e2e/globalSetup.ts'],
    // One worker imports the server, the sandbox and playwright once for all files instead of
    // once per file (about 2.5 s each here), and keeps one Chromium process for them
    // (miniapp/e2e/browser.ts); every file still starts its own stack and database, opens its own
    // browser contexts, and leaves no module state behind (see README, Tests).
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
    // One retry: headless Chromium's fake capture on a loaded 2-core machine occasionally stalls.
    // A retry that also fails is a real failure; known flakes are listed in the closing notes as
    // bugs to fix. Most tests build fresh data, so their retry starts clean; the walk-through does
    // not (its retry finds the candidate's interview already submitted), so a flake there fails.
    retry: 1,
  },
});
