import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runTool } from '../../features/resumes/intake';
import { loadConfig } from '../config';
import { checkMedia } from '../media/checks';
import {
  DEFAULT_TOOL_NICENESS,
  DEFAULT_WORKER_NICENESS,
  lowerOwnPriority,
  setToolNiceness,
  toolNiceness,
} from './priority';

// A tool that reports the nice value it runs at, read after a pause (the priority is lowered
// just after the tool starts).
const REPORT_NICE = ['-c', 'sleep 0.3; nice'];
const parent = os.getPriority();
const lowered = (n: number) => Math.min(19, parent + n);

afterEach(() => setToolNiceness(DEFAULT_TOOL_NICENESS));

describe('tool priority', () => {
  it('background tools run at the configured nice value above the process, foreground ones at its own', async () => {
    expect(toolNiceness()).toBe(10);
    expect(Number(await runTool('sh', REPORT_NICE, { timeoutMs: 10_000 }))).toBe(lowered(10));
    expect(Number(await runTool('sh', REPORT_NICE, { timeoutMs: 10_000, foreground: true }))).toBe(parent);
    setToolNiceness(3);
    expect(Number(await runTool('sh', REPORT_NICE, { timeoutMs: 10_000 }))).toBe(lowered(3));
    setToolNiceness(0);
    expect(Number(await runTool('sh', REPORT_NICE, { timeoutMs: 10_000 }))).toBe(parent);
  });

  it('media checks start ffmpeg at the lowered priority', async () => {
    // A stand-in ffmpeg first on PATH records its nice value; the check then calls the file corrupt.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nice-'));
    const out = path.join(dir, 'nice.txt');
    fs.writeFileSync(path.join(dir, 'ffmpeg'), `#!/bin/sh\nsleep 0.3\nnice > ${out}\nexit 1\n`, {
      mode: 0o755,
    });
    const saved = process.env.PATH;
    process.env.PATH = `${dir}:${saved}`;
    try {
      setToolNiceness(7);
      const report = await checkMedia(path.join(dir, 'any.webm'));
      expect(report.flags).toEqual(['corrupt']);
      expect(Number(fs.readFileSync(out, 'utf8'))).toBe(lowered(7));
    } finally {
      process.env.PATH = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses values outside 0-19, in code and in the configuration', () => {
    expect(() => setToolNiceness(20)).toThrow(/0 to 19/);
    expect(() => setToolNiceness(-1)).toThrow(RangeError);
    expect(toolNiceness()).toBe(DEFAULT_TOOL_NICENESS);
    expect(loadConfig({ TOOL_NICENESS: '4' }).tools.niceness).toBe(4);
    expect(loadConfig({}).tools.niceness).toBe(10);
    expect(() => loadConfig({ TOOL_NICENESS: '25' })).toThrow(/TOOL_NICENESS/);
  });
});

// The nice value of every thread of a process (Linux keeps one per thread; field 19 of stat).
function threadNices(pid: number): number[] {
  return fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

// Starts the real process entry with the given environment and resolves once a line of its
// output matches `ready` (the child is killed afterwards by the caller), or with its exit.
function startEntry(env: Record<string, string>, ready: RegExp) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nice-proc-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: path.resolve(__dirname, '../../..'),
    env: {
      PATH: process.env.PATH ?? '',
      APP_MODE: 'test',
      DATA_DIR: dir,
      DINGTALK_EVENT_MODE: 'off',
      LOG_LEVEL: 'info',
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const done = new Promise<{ matched: boolean; code: number | null; out: string }>((resolve) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (ready.test(out)) resolve({ matched: true, code: null, out });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({ matched: false, code, out }));
  });
  const stop = () => {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { child, done, stop };
}

describe.skipIf(process.platform !== 'linux')('own priority of a process without the web role', () => {
  it('a worker-only process lowers every one of its threads; by default (0) it is left alone', async () => {
    expect(lowerOwnPriority(['web', 'worker'], 10)).toBeNull();
    expect(lowerOwnPriority(['worker'], 0)).toBeNull();
    expect(os.getPriority()).toBe(parent);

    const worker = startEntry({ ROLES: 'worker', WORKER_NICENESS: '6' }, /jobs started/);
    try {
      const r = await worker.done;
      expect(r.matched, r.out).toBe(true);
      const nices = threadNices(worker.child.pid as number);
      expect(nices.length).toBeGreaterThan(1);
      expect(new Set(nices)).toEqual(new Set([lowered(6)]));
    } finally {
      worker.stop();
    }
    // The default (0): left as started.
    expect(DEFAULT_WORKER_NICENESS).toBe(0);
    const unchanged = startEntry({ ROLES: 'worker,bot' }, /jobs started/);
    try {
      expect((await unchanged.done).matched).toBe(true);
      expect(new Set(threadNices(unchanged.child.pid as number))).toEqual(new Set([parent]));
    } finally {
      unchanged.stop();
    }
  }, 60_000);

  it('a process with the web role keeps its priority, at any WORKER_NICENESS', async () => {
    const web = startEntry({ ROLES: 'web,worker', WORKER_NICENESS: '12' }, /web role listening/);
    try {
      const r = await web.done;
      expect(r.matched, r.out).toBe(true);
      expect(new Set(threadNices(web.child.pid as number))).toEqual(new Set([parent]));
    } finally {
      web.stop();
    }
  }, 60_000);

  it('refuses a bad WORKER_NICENESS at start-up, naming the variable', async () => {
    expect(loadConfig({}).workerNiceness).toBe(DEFAULT_WORKER_NICENESS);
    expect(loadConfig({ WORKER_NICENESS: '3' }).workerNiceness).toBe(3);
    const starts = ['20', '-1', 'low'].map((bad) =>
      startEntry({ ROLES: 'worker', WORKER_NICENESS: bad }, /$^/),
    );
    try {
      for (const r of await Promise.all(starts.map((p) => p.done))) {
        expect(r.code, r.out).toBe(1);
        expect(r.out).toMatch(/- WORKER_NICENESS: /);
      }
    } finally {
      for (const p of starts) p.stop();
    }
  }, 60_000);
});
