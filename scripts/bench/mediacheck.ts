/**
 * `npm run bench -- mediacheck [--n=32] [--batches=4,8,16] [--kinds=small,real30]`
 *
 * What the worker's media check costs per recording, in CPU (user + system of this process and
 * its ffmpeg children, from /proc; the machine is shared, so CPU is the figure that holds) and
 * wall time, checking `n` recordings one after another:
 *  - baseline, measured in the same run: the check as it was before batching, one ffmpeg start
 *    per recording with the previous arguments (`-c:v copy`, silencedetect + volumedetect);
 *  - `checkMedia`: today's check of one recording alone (what an idle worker runs);
 *  - `checkMediaBatch` with each `--batches` size: one ffmpeg start shared by that many
 *    recordings (what a busy worker runs, MEDIA_CHECK_BATCH).
 * Recordings: `small` is the load bench's upload (2 s, 160x120 VP8 at 200 kbit/s + Opus speech,
 * about 50 KB); `real30` is a phone-like answer (30 s, 640x480 at 30 fps, VP8 at 1 Mbit/s +
 * Opus speech, about 4 MB). The reports of every way are compared: they must be equal.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  checkMedia,
  checkMediaBatch,
  MEDIA_THRESHOLDS,
  type MediaReport,
} from '../../server/kernel/media/checks';
import { recording, speechWav } from '../../server/testing/media';
import { arg, cpuMsOf, report } from './report';

const exec = promisify(execFile);

/** The check's ffmpeg command as it was before batching (the baseline), one recording. */
function previousCheck(input: string): Promise<number | null> {
  const t = MEDIA_THRESHOLDS;
  return new Promise((resolve) => {
    const child = spawn(
      'ffmpeg',
      [
        '-hide_banner',
        '-nostats',
        '-i',
        input,
        '-map',
        '0:v?',
        '-map',
        '0:a?',
        '-c:v',
        'copy',
        '-af',
        `silencedetect=n=${t.silenceDb}dB:d=${t.pauseSeconds},volumedetect`,
        '-f',
        'null',
        '-',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    // The old code read the whole log too.
    let log = '';
    child.stderr.on('data', (d: Buffer) => {
      log += d.toString();
    });
    child.on('close', (code) => resolve(code === 0 && /mean_volume/.test(log) ? 0 : null));
  });
}

/** A 30-second phone-like answer: 640x480 at 30 fps, VP8 at 1 Mbit/s, Opus speech. */
async function realistic(dir: string, wav: string): Promise<string> {
  const out = path.join(dir, 'real30.webm');
  await exec('ffmpeg', [
    ...['-y', '-hide_banner', '-loglevel', 'error'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=30:duration=30'],
    ...['-stream_loop', '-1', '-i', wav, '-t', '30'],
    ...['-c:v', 'libvpx', '-b:v', '1M', '-deadline', 'realtime', '-cpu-used', '8'],
    ...['-c:a', 'libopus', '-b:a', '48k', out],
  ]);
  return out;
}

/** Runs `fn` and returns CPU ms (this process + waited-for children) and wall ms. */
async function measure(fn: () => Promise<void>) {
  const cpu0 = cpuMsOf(process.pid);
  const t0 = performance.now();
  await fn();
  return { cpuMs: cpuMsOf(process.pid) - cpu0, wallMs: performance.now() - t0 };
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const n = arg(args, 'n', 32);
  const batches = (args.find((a) => a.startsWith('--batches='))?.slice(10) ?? '4,8,16')
    .split(',')
    .map(Number)
    .filter((b) => b >= 1);
  const kinds = (args.find((a) => a.startsWith('--kinds='))?.slice(8) ?? 'small,real30').split(',');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-bench-mediacheck-'));
  const rows: Array<Record<string, string | number>> = [];
  let same = true;
  try {
    const wav = await speechWav(
      path.join(dir, 'speech.wav'),
      '我负责过一个订单系统，我们把延迟降低了一半，用户满意度也提高了。',
    );
    const files: Record<string, string> = {
      small: await recording(dir, 'small', { seconds: 2, wav }),
      real30: await realistic(dir, wav),
    };
    for (const kind of kinds) {
      const file = files[kind];
      if (!file) throw new Error(`unknown kind ${kind}`);
      const bytes = fs.statSync(file).size;
      // One copy per recording, as the store holds them: no run reads another's file.
      const inputs = Array.from({ length: n }, (_, i) => {
        const p = path.join(dir, `${kind}-${i}.webm`);
        fs.copyFileSync(file, p);
        return p;
      });
      const row = (way: string, m: { cpuMs: number; wallMs: number }, base?: number) => {
        const perCpuS = n / (m.cpuMs / 1000);
        rows.push({
          recording: `${kind} (${Math.round(bytes / 1024)} KB)`,
          way,
          cpu_ms_per_recording: Number((m.cpuMs / n).toFixed(1)),
          recordings_per_cpu_s: Number(perCpuS.toFixed(1)),
          wall_ms_per_recording: Number((m.wallMs / n).toFixed(1)),
          vs_baseline: base ? Number((perCpuS / base).toFixed(2)) : 1,
        });
        return perCpuS;
      };
      const base = row(
        'baseline: previous command, one ffmpeg per recording',
        await measure(async () => {
          for (const i of inputs)
            if ((await previousCheck(i)) === null) throw new Error('baseline check failed');
        }),
      );
      let alone: MediaReport[] = [];
      row(
        'checkMedia: one ffmpeg per recording',
        await measure(async () => {
          alone = [];
          for (const i of inputs) alone.push(await checkMedia(i));
        }),
        base,
      );
      for (const b of batches) {
        let got: MediaReport[] = [];
        row(
          `checkMediaBatch: ${b} recordings per ffmpeg`,
          await measure(async () => {
            for (let i = 0; i < inputs.length; i += b)
              got.push(...(await checkMediaBatch(inputs.slice(i, i + b))));
          }),
          base,
        );
        // Same measures whichever way they were taken.
        if (JSON.stringify(got) !== JSON.stringify(alone)) {
          same = false;
          console.error(`mediacheck: batch ${b} of ${kind} differs from the lone check`, got[0], alone[0]);
        }
        got = [];
      }
    }
    report('mediacheck', rows, {
      n,
      loadavg: os.loadavg().map((l) => Number(l.toFixed(1))),
      reportsEqual: same,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (!same) process.exitCode = 1;
}
