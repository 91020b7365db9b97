import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureExcerpt, failureGist } from './testOutput.mjs';

const root = path.resolve(import.meta.dirname, '..');
let dir = '';

/** Runs the project's vitest on `files` (written into a scratch directory) and returns its log. */
function runVitest(files: Record<string, string>): { status: number | null; log: string } {
  const sub = fs.mkdtempSync(path.join(dir, 'run-'));
  fs.writeFileSync(path.join(sub, 'package.json'), '{}');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(sub, name), text);
  // The inner run must not think it is a worker of this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  // One file for both streams, as a terminal or CI shows them: in the order they were written.
  const logFile = path.join(sub, 'log.txt');
  const fd = fs.openSync(logFile, 'w');
  try {
    const res = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', sub, '--color'],
      { cwd: sub, env: { ...env, FORCE_COLOR: '1' }, stdio: ['ignore', fd, fd], timeout: 60_000 },
    );
    return { status: res.status, log: fs.readFileSync(logFile, 'utf8') };
  } finally {
    fs.closeSync(fd);
  }
}

const passing = "import { test, expect } from 'vitest';\ntest('fine', () => { expect(1).toBe(1); });\n";
// Console noise that looks like trouble, printed by a passing test before vitest's blocks.
const noisy =
  "import { test } from 'vitest';\ntest('logs', () => { for (let i = 0; i < 300; i++) console.log('Error: logged on purpose ' + i); });\n";

describe('failureExcerpt: why a vitest run failed, for the end of a long CI log', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vitest-excerpt-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names an unhandled rejection and a failing afterAll when every test passed', () => {
    const { status, log } = runVitest({
      'a.test.mjs':
        "import { test } from 'vitest';\ntest('leaves a rejection', () => { Promise.reject(new Error('left behind by a test')); });\n",
      'b.test.mjs':
        "import { afterAll, test } from 'vitest';\nafterAll(() => { throw new Error('teardown broke'); });\ntest('passes', () => {});\n",
      'c.test.mjs': noisy,
    });
    expect(status).toBe(1);
    const excerpt = failureExcerpt(log);
    expect(excerpt).toContain('left behind by a test');
    expect(excerpt).toContain('teardown broke');
    expect(excerpt).toMatch(/Tests\s+3 passed/);
    // The tests' own console lines are not what it repeats.
    expect(excerpt).not.toContain('logged on purpose');
    expect(excerpt.includes('\u001b[')).toBe(false);
    // The last lines of the log, which CI shows, name both causes and the file each came from.
    const gist = failureGist(`file b.test.mjs: teardown broke\n${excerpt}`);
    expect(gist).toContain('file b.test.mjs: teardown broke');
    expect(gist).toContain('Error: left behind by a test');
    expect(gist.some((l) => l.startsWith('This error originated in "a.test.mjs"'))).toBe(true);
  }, 90_000);

  it('says nothing for a passing run, even one whose tests print error-like lines', () => {
    const { status, log } = runVitest({ 'a.test.mjs': passing, 'b.test.mjs': noisy });
    expect(status).toBe(0);
    expect(log).toContain('logged on purpose');
    expect(failureExcerpt(log)).toBe('');
  }, 90_000);

  it('without vitest blocks, keeps the last signs of trouble and stays within the limit', () => {
    const log = [
      ...Array.from({ length: 50 }, (_, i) => `Worker exited unexpectedly ${i}`),
      'close timed out after 10000ms',
      'Tests closed successfully but something prevents Vite server from exiting',
    ].join('\n');
    const excerpt = failureExcerpt(log, 20);
    expect(excerpt.split('\n').length).toBeLessThanOrEqual(20);
    expect(excerpt).toContain('close timed out after 10000ms');
    expect(excerpt).not.toContain('Worker exited unexpectedly 0\n');
  });
});
