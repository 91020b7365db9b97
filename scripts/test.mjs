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
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { failureExcerpt, failureGist } from './testOutput.mjs';

const CI = Boolean(process.env.CI);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const notices = [];
const failedSteps = [];
const failureReasons = [];
const failureGists = [];

function run(label, cmd, args, env = {}) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (res.status !== 0) failedSteps.push(label);
  return res.status === 0;
}

/**
 * Like `run`, but also keeps what the step printed, so that the reason for a failure can be
 * repeated at the very end: CI shows only the tail of a long log, and a vitest run can fail with
 * every test passed (an unhandled error, a failing `afterAll`) whose reason scrolled by minutes
 * before the summary line.
 */
function runKeepingOutput(label, cmd, args, env = {}) {
  process.stdout.write(`\n=== ${label} ===\n`);
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: ['inherit', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    const keep = (stream) => (data) => {
      chunks.push(data);
      stream.write(data);
    };
    child.stdout.on('data', keep(process.stdout));
    child.stderr.on('data', keep(process.stderr));
    child.on('close', (code, signal) => {
      if (code !== 0) failedSteps.push(signal ? `${label} (killed by ${signal})` : label);
      resolve({ ok: code === 0, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/** A vitest step: its tests go into the totals, and why it failed is repeated at the end. */
async function vitest(label, args, env = {}) {
  const out = path.join(os.tmpdir(), `vitest-${process.pid}-${label.replace(/\W+/g, '-')}.json`);
  const { ok, output } = await runKeepingOutput(
    label,
    bin('vitest'),
    ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${out}`],
    env,
  );
  const why = [];
  try {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
    // A file can fail with no failing test: a hook that threw or timed out, an import error.
    for (const f of r.testResults ?? []) {
      if (f.status === 'failed' && f.message) why.push(`file ${path.relative(root, f.name)}: ${f.message}`);
    }
    fs.rmSync(out, { force: true });
  } catch {
    totals.failed += 1;
    failedSteps.push(`${label} (no report)`);
  }
  if (!ok) {
    const excerpt = failureExcerpt(output);
    if (excerpt) why.push(excerpt);
    if (!why.length) why.push('vitest exited non-zero without naming a failure; its output is above.');
    failureReasons.push(`--- why "${label}" failed ---\n${why.join('\n')}`);
    failureGists.push(...failureGist(why.join('\n')).map((l) => `${label}: ${l}`));
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
  await vitest('unit + integration', mediaArgs);
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
      await vitest('browser', ['--config', 'vitest.browser.config.ts']);
    }
  }
}

for (const r of failureReasons) process.stdout.write(`\n${r}\n`);
for (const n of notices) process.stdout.write(`NOTICE: ${n}\n`);
for (const g of failureGists) process.stdout.write(`FAILED ${g}\n`);
if (failedSteps.length) process.stdout.write(`FAILED steps: ${failedSteps.join(', ')}\n`);
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
