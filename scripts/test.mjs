#!/usr/bin/env node
/**
 * `npm test`: everything CI runs, in order, with one summary line at the end.
 *   1. typecheck (tsc --noEmit)       2. lint (biome)       3. import cycles and layout arrows
 *   4. unit + integration tests on SQLite, and on MySQL/MariaDB when MYSQL_URL is set
 *   5. browser tests (Debian's Chromium through playwright-core), after building the mini-app
 * A machine part that is missing (MySQL, Chromium, ffmpeg) is skipped with a notice saying how
 * to install it, unless CI is set: then a missing part is a failure.
 * Plain .mjs so it runs before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CI = Boolean(process.env.CI);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const notices = [];
const failedSteps = [];

function run(label, cmd, args, env = {}) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (res.status !== 0) failedSteps.push(label);
  return res.status === 0;
}

function vitest(label, args, env = {}) {
  const out = path.join(os.tmpdir(), `vitest-${process.pid}-${label.replace(/\W+/g, '-')}.json`);
  run(
    label,
    bin('vitest'),
    ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${out}`],
    env,
  );
  try {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
    fs.rmSync(out, { force: true });
  } catch {
    totals.failed += 1;
    failedSteps.push(`${label} (no report)`);
  }
}

function has(file) {
  return fs.existsSync(file);
}

const only = process.argv[2];
if (!only || only === 'static') {
  // The TypeScript 7 compiler by path: `.bin/tsc` may point at the TypeScript 5 that the
  // dependency check needs (see scripts/check-deps.mjs).
  run('typecheck', process.execPath, [
    path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '--noEmit',
    '-p',
    'tsconfig.json',
  ]);
  run('lint', bin('biome'), ['check', '.']);
  run('dependencies', process.execPath, [path.join(root, 'scripts', 'check-deps.mjs')]);
}

if (!only || only === 'unit') {
  if (!process.env.MYSQL_URL) {
    const msg =
      'MYSQL_URL is not set: the MySQL/MariaDB suites are skipped. Set MYSQL_URL=mysql://root@127.0.0.1:3306/test (see README).';
    if (CI) failedSteps.push('MYSQL_URL missing in CI');
    notices.push(msg);
  }
  // The interview tests record and probe real media: without ffmpeg they are skipped like Chromium.
  const mediaArgs = [];
  const hasFfmpeg = ['ffmpeg', 'ffprobe', 'espeak-ng'].every(
    (cmd) =>
      spawnSync(cmd, cmd === 'espeak-ng' ? ['--version'] : ['-version'], { stdio: 'ignore' }).status === 0,
  );
  if (!hasFfmpeg) {
    if (CI) failedSteps.push('ffmpeg/espeak-ng missing in CI');
    notices.push(
      'ffmpeg, ffprobe or espeak-ng not found: the interview media tests are skipped. Install them with: apt-get install -y ffmpeg espeak-ng',
    );
    mediaArgs.push('--exclude', 'server/features/interview/interview*.test.ts');
  }
  vitest('unit + integration', mediaArgs);
}

if (!only || only === 'browser') {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!has(chromium)) {
    const msg = `Chromium not found at ${chromium}: browser tests skipped. Install it with: apt-get install -y chromium`;
    if (CI) failedSteps.push('chromium missing in CI');
    notices.push(msg);
  } else {
    if (
      run('build mini-app', bin('vite'), [
        'build',
        '--config',
        'miniapp/vite.config.ts',
        '--logLevel',
        'warn',
      ])
    ) {
      vitest('browser', ['--config', 'vitest.browser.config.ts']);
    }
  }
}

for (const n of notices) process.stdout.write(`NOTICE: ${n}\n`);
if (failedSteps.length) process.stdout.write(`FAILED steps: ${failedSteps.join(', ')}\n`);
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
