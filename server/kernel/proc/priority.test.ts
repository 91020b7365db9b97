import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runTool } from '../../features/resumes/intake';
import { loadConfig } from '../config';
import { checkMedia } from '../media/checks';
import { DEFAULT_TOOL_NICENESS, setToolNiceness, toolNiceness } from './priority';

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
