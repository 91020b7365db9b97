import { spawn } from 'node:child_process';

/**
 * Media checks with Debian's ffmpeg, spawned (never loaded into this process) and read from a
 * file path or an http(s) URL, so nothing buffers a whole recording. MediaRecorder's WebM has no
 * duration in its header, so the duration comes from copying the packets (`-c:v copy -f null`),
 * which reads every packet's timestamp without decoding the video.
 */

/** Quality flags. `corrupt` makes a recording unusable; the others send it to human review. */
export type MediaFlag = 'no_audio' | 'too_quiet' | 'too_short' | 'mostly_silent' | 'corrupt';

/** What the checks measured. */
export interface MediaReport {
  durationMs: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
  /** Mean and max volume in dBFS (volumedetect). */
  meanVolumeDb: number | null;
  maxVolumeDb: number | null;
  /** Share of the recording that is silence (0..1). */
  silenceRatio: number | null;
  longestPauseMs: number | null;
  /** Silence before the first sound. */
  firstSpeechMs: number | null;
  flags: MediaFlag[];
}

/** Thresholds (documented so reviewers know what "too quiet" means). */
export const MEDIA_THRESHOLDS = {
  /** silencedetect noise floor. */
  silenceDb: -40,
  /** Minimum silence length counted as a pause. */
  pauseSeconds: 0.5,
  tooQuietMeanDb: -45,
  mostlySilentRatio: 0.85,
  tooShortMs: 2000,
};

/** Whether ffmpeg and ffprobe are on PATH. */
export async function ffmpegAvailable(): Promise<boolean> {
  const ok = (cmd: string) =>
    new Promise<boolean>((resolve) => {
      const p = spawn(cmd, ['-version'], { stdio: 'ignore' });
      p.on('error', () => resolve(false));
      p.on('close', (code) => resolve(code === 0));
    });
  return (await ok('ffmpeg')) && (await ok('ffprobe'));
}

function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    // Keep only the tail of stderr: ffmpeg's progress lines can be long for long files.
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-200_000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses `time=HH:MM:SS.xx` (the last one ffmpeg printed) into ms. */
export function lastTimeMs(stderr: string): number | null {
  const all = [...stderr.matchAll(/time=(\d+):(\d+):(\d+(?:\.\d+)?)/g)];
  const m = all.at(-1);
  if (!m) return null;
  return Math.round((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000);
}

/** Parses silencedetect and volumedetect output. Pure (unit-tested). */
export function parseAudioAnalysis(
  stderr: string,
  durationMs: number,
): Pick<MediaReport, 'meanVolumeDb' | 'maxVolumeDb' | 'silenceRatio' | 'longestPauseMs' | 'firstSpeechMs'> {
  // volumedetect prints `-inf dB` for digital silence.
  const num = (re: RegExp) => {
    const m = re.exec(stderr);
    if (!m) return null;
    return m[1] === '-inf' ? -999 : Number(m[1]);
  };
  const meanVolumeDb = num(/mean_volume:\s*(-?[\d.]+|-inf) dB/);
  const maxVolumeDb = num(/max_volume:\s*(-?[\d.]+|-inf) dB/);
  const starts = [...stderr.matchAll(/silence_start:\s*(-?[\d.]+)/g)].map((m) => Number(m[1]) * 1000);
  const ends = [...stderr.matchAll(/silence_end:\s*([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
  let silent = 0;
  let longest = 0;
  for (const [i, s] of starts.entries()) {
    const e = ends[i] ?? durationMs; // silence running to the end has no silence_end
    const d = Math.max(0, Math.min(e, durationMs) - Math.max(0, s));
    silent += d;
    longest = Math.max(longest, d);
  }
  // Speech starts where the silence at the very beginning (if any) ends.
  const firstSpeechMs = starts.length && starts[0] <= 50 ? (ends[0] ?? durationMs) : 0;
  return {
    meanVolumeDb,
    maxVolumeDb,
    silenceRatio: durationMs > 0 ? Math.min(1, silent / durationMs) : null,
    longestPauseMs: Math.round(longest),
    firstSpeechMs: Math.round(Math.min(firstSpeechMs, durationMs)),
  };
}

/** Flags from measures. Pure. */
export function flagsOf(r: Omit<MediaReport, 'flags'>, expectAudio: boolean): MediaFlag[] {
  const flags: MediaFlag[] = [];
  if (r.durationMs === null || (!r.audioCodec && !r.videoCodec)) return ['corrupt'];
  if (expectAudio && !r.audioCodec) flags.push('no_audio');
  if (r.durationMs < MEDIA_THRESHOLDS.tooShortMs) flags.push('too_short');
  if (r.audioCodec) {
    if (r.meanVolumeDb !== null && r.meanVolumeDb < MEDIA_THRESHOLDS.tooQuietMeanDb) flags.push('too_quiet');
    if (r.silenceRatio !== null && r.silenceRatio >= MEDIA_THRESHOLDS.mostlySilentRatio)
      flags.push('mostly_silent');
  }
  return flags;
}

/**
 * Probes and measures a recording (file path or URL). Never throws for a bad file: an
 * unreadable recording comes back flagged `corrupt`.
 */
export async function checkMedia(input: string, opts: { timeoutMs?: number } = {}): Promise<MediaReport> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const empty: MediaReport = {
    durationMs: null,
    videoCodec: null,
    audioCodec: null,
    meanVolumeDb: null,
    maxVolumeDb: null,
    silenceRatio: null,
    longestPauseMs: null,
    firstSpeechMs: null,
    flags: ['corrupt'],
  };
  // One ffmpeg run does what ffprobe plus two ffmpeg passes did (the process start-ups were most
  // of the CPU of a short answer): the input section of its log names the streams, copying the
  // video reads every packet's timestamp (the duration; MediaRecorder's WebM has none in its
  // header), and the audio is decoded once through the silence and volume filters. `?` maps make
  // an audio-only or video-only recording work; neither stream makes ffmpeg fail (corrupt).
  const t = MEDIA_THRESHOLDS;
  const res = await run(
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
    timeoutMs,
  );
  const { videoCodec, audioCodec } = parseInputStreams(res.stderr);
  if (res.code !== 0 || (!videoCodec && !audioCodec)) return { ...empty, videoCodec, audioCodec };
  const durationMs = lastTimeMs(res.stderr);
  if (durationMs === null) return { ...empty, videoCodec, audioCodec };
  const audio: ReturnType<typeof parseAudioAnalysis> = audioCodec
    ? parseAudioAnalysis(res.stderr, durationMs)
    : {
        meanVolumeDb: null,
        maxVolumeDb: null,
        silenceRatio: null,
        longestPauseMs: null,
        firstSpeechMs: null,
      };
  const report = { durationMs, videoCodec, audioCodec, ...audio };
  return { ...report, flags: flagsOf(report, true) };
}

/**
 * The first video and audio codec of the input, from ffmpeg's log (`Stream #0:0: Video: vp8, ...`
 * in the `Input #0` section; the output section that follows names the re-encoded streams, so
 * it is cut off). Pure.
 */
export function parseInputStreams(stderr: string): { videoCodec: string | null; audioCodec: string | null } {
  const from = stderr.indexOf('Input #0');
  if (from < 0) return { videoCodec: null, audioCodec: null };
  const ends = ['Stream mapping:', 'Output #0', 'Input #1']
    .map((m) => stderr.indexOf(m, from))
    .filter((i) => i >= 0);
  const input = stderr.slice(from, ends.length ? Math.min(...ends) : undefined);
  const codec = (kind: string) =>
    new RegExp(`Stream #0:\\d+[^:]*: ${kind}: ([\\w-]+)`).exec(input)?.[1] ?? null;
  return { videoCodec: codec('Video'), audioCodec: codec('Audio') };
}

/** Container families recognised by their first bytes. */
export type Container = 'webm' | 'mp4' | 'ogg' | 'wav' | 'unknown';

/** Identifies the container from the first 16 bytes. Pure. */
export function sniffContainer(head: Buffer): Container {
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return 'webm';
  if (head.length >= 8 && head.toString('latin1', 4, 8) === 'ftyp') return 'mp4';
  if (head.length >= 4 && head.toString('latin1', 0, 4) === 'OggS') return 'ogg';
  if (
    head.length >= 12 &&
    head.toString('latin1', 0, 4) === 'RIFF' &&
    head.toString('latin1', 8, 12) === 'WAVE'
  )
    return 'wav';
  return 'unknown';
}

/** The container a declared content type must have. */
export function containerOf(contentType: string): Container {
  const base = contentType.split(';')[0].trim().toLowerCase();
  if (base === 'video/webm' || base === 'audio/webm') return 'webm';
  if (base === 'video/mp4' || base === 'audio/mp4' || base === 'video/quicktime' || base === 'audio/x-m4a')
    return 'mp4';
  if (base === 'audio/ogg') return 'ogg';
  if (base === 'audio/wav' || base === 'audio/x-wav') return 'wav';
  return 'unknown';
}
