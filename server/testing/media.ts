/** Media fixtures for tests: speech made with espeak-ng and recordings made with ffmpeg (test support, not product code). */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * Test recordings made with espeak-ng and ffmpeg (tests, benchmarks and browser tests): real
 * speech, real silence, real WebM/MP4 containers, so the media checks meet what phones produce.
 */

/** Speaks `text` into a WAV file (espeak-ng; `cmn` = Mandarin). Pads with a little silence. */
export async function speechWav(file: string, text: string, voice = 'cmn'): Promise<string> {
  await exec('espeak-ng', ['-v', voice, '-s', '150', '-w', file, text]);
  return file;
}

/**
 * A recording like MediaRecorder's: VP8/Opus WebM (or H.264/AAC MP4) with a test picture and
 * the given WAV as sound (or digital silence), cut to `seconds`.
 */
export async function recording(
  dir: string,
  name: string,
  opts: { seconds: number; wav?: string; video?: boolean; format?: 'webm' | 'mp4' },
): Promise<string> {
  const format = opts.format ?? 'webm';
  const out = path.join(dir, `${name}.${format}`);
  const args = ['-y', '-hide_banner', '-loglevel', 'error'];
  if (opts.video !== false)
    args.push('-f', 'lavfi', '-i', `testsrc=size=160x120:rate=10:duration=${opts.seconds}`);
  if (opts.wav) args.push('-stream_loop', '-1', '-i', opts.wav);
  else args.push('-f', 'lavfi', '-i', `anullsrc=r=48000:cl=mono`);
  args.push('-t', String(opts.seconds));
  if (format === 'webm') {
    if (opts.video !== false) args.push('-c:v', 'libvpx', '-b:v', '200k', '-deadline', 'realtime');
    args.push('-c:a', 'libopus');
  } else {
    if (opts.video !== false) args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
    args.push('-c:a', 'aac');
  }
  args.push(out);
  await exec('ffmpeg', args);
  return out;
}
