import { spawn } from 'node:child_process';
import { lowerToolPriority } from '../proc/priority';

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
    // Background work: request handling on the same cores goes first (proc/priority.ts).
    lowerToolPriority(child.pid);
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

/** A report of a recording ffmpeg could not read. */
const CORRUPT: MediaReport = {
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

/**
 * The ffmpeg arguments that check `inputs` in one run: one null output per input, with the
 * input's video copied (its packets carry the video's timestamps; nothing is decoded) and its
 * audio decoded once through silencedetect and volumedetect. The filters that print are named
 * after the input (`volumedetect@m3`), so each log line says which recording it measured:
 * silencedetect logs under its bare class name, so its findings are read from the frame
 * metadata it sets, printed by `ametadata@m3`. `?` maps make an audio-only or video-only
 * recording work.
 */
export function mediaCheckArgs(inputs: string[]): string[] {
  const t = MEDIA_THRESHOLDS;
  // No banner and no progress lines (only the last one is read, and it is printed anyway);
  // -nostdin: ffmpeg never waits on a terminal it does not have.
  const args = ['-hide_banner', '-nostats', '-nostdin'];
  for (const input of inputs) args.push('-i', input);
  for (const [i] of inputs.entries())
    args.push(
      '-map',
      `${i}:v?`,
      '-map',
      `${i}:a?`,
      '-c:v',
      'copy',
      '-af',
      `silencedetect=n=${t.silenceDb}dB:d=${t.pauseSeconds},ametadata@m${i}=mode=print,volumedetect@m${i}`,
      '-f',
      'null',
      '-',
    );
  return args;
}

/** Channels of the channel layouts ffmpeg names in a stream line (`mono`, `5.1(side)`, `3 channels`). */
const LAYOUT_CHANNELS: Record<string, number> = {
  mono: 1,
  stereo: 2,
  downmix: 2,
  '2.1': 3,
  '3.0': 3,
  '3.0(back)': 3,
  '4.0': 4,
  quad: 4,
  'quad(side)': 4,
  '3.1': 4,
  '5.0': 5,
  '5.0(side)': 5,
  '4.1': 5,
  '5.1': 6,
  '5.1(side)': 6,
  '6.0': 6,
  '6.0(front)': 6,
  hexagonal: 6,
  '6.1': 7,
  '6.1(back)': 7,
  '6.1(front)': 7,
  '7.0': 7,
  '7.0(front)': 7,
  '7.1': 8,
  '7.1(wide)': 8,
  '7.1(wide-side)': 8,
  octagonal: 8,
};

/** What the `Input #i` section of ffmpeg's log says about one input. */
export interface InputStreams {
  videoCodec: string | null;
  audioCodec: string | null;
  /** Of the first audio stream (what the filters measure); null when not printed or unknown. */
  sampleRate: number | null;
  channels: number | null;
}

/**
 * The streams of input `index`, from its `Input #index` section of ffmpeg's log (`Stream
 * #0:0: Video: vp8, ...`). The section ends where the next input, an output or the stream
 * mapping starts: output sections name the re-encoded streams, which must not be read as the
 * input's. Pure.
 */
export function parseInput(stderr: string, index: number): InputStreams {
  const none = { videoCodec: null, audioCodec: null, sampleRate: null, channels: null };
  const from = stderr.indexOf(`Input #${index},`);
  if (from < 0) return none;
  const ends = ['Stream mapping:', 'Output #', 'Input #']
    .map((m) => stderr.indexOf(m, from + 1))
    .filter((i) => i >= 0);
  const section = stderr.slice(from, ends.length ? Math.min(...ends) : undefined);
  const codec = (kind: string) =>
    new RegExp(`Stream #${index}:\\d+[^:]*: ${kind}: ([\\w-]+)`).exec(section)?.[1] ?? null;
  const audio = new RegExp(`Stream #${index}:\\d+[^:]*: Audio: [^,\\n]+, (\\d+) Hz, ([^,\\n]+)`).exec(
    section,
  );
  const layout = audio?.[2].trim() ?? '';
  const counted = /^(\d+) channels$/.exec(layout);
  return {
    videoCodec: codec('Video'),
    audioCodec: codec('Audio'),
    sampleRate: audio ? Number(audio[1]) : null,
    channels: counted ? Number(counted[1]) : (LAYOUT_CHANNELS[layout] ?? null),
  };
}

/** The first video and audio codec of a one-input run's log (input 0). Pure. */
export function parseInputStreams(stderr: string): { videoCodec: string | null; audioCodec: string | null } {
  const { videoCodec, audioCodec } = parseInput(stderr, 0);
  return { videoCodec, audioCodec };
}

/**
 * The measures of input `index` from its named filters' log lines, written the way
 * {@link parseAudioAnalysis} reads them: `[ametadata@m3 @ 0x…] lavfi.silence_start=1.2` becomes
 * `silence_start: 1.2`; volumedetect's lines are kept. A silence still running at the end has no
 * `silence_end` (silencedetect logs it when it closes, on no frame), which the parser reads as
 * silence to the end. Pure.
 */
export function filterLinesOf(stderr: string, index: number): string {
  const prefix = new RegExp(`^\\[(ametadata|volumedetect)@m${index} @ [^\\]]*\\] `);
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    const m = prefix.exec(line);
    if (!m) continue;
    const rest = line.slice(m[0].length);
    if (m[1] === 'volumedetect') out.push(rest);
    else {
      const meta = /^lavfi\.(silence_start|silence_end)=(-?[\d.]+)/.exec(rest);
      if (meta) out.push(`${meta[1]}: ${meta[2]}`);
    }
  }
  return out.join('\n');
}

/**
 * Length of the decoded audio in ms: volumedetect's sample count (every channel's samples) over
 * the channels and the sample rate. Null when the audio never decoded or its layout is unknown.
 * Pure.
 */
export function audioDurationMs(filterLines: string, input: InputStreams): number | null {
  const m = /n_samples:\s*(\d+)/.exec(filterLines);
  if (!m || !input.sampleRate || !input.channels) return null;
  return Math.round((Number(m[1]) / input.channels / input.sampleRate) * 1000);
}

/**
 * The report of input `index` of a run, or null when this log cannot say (no audio to count:
 * the caller checks that recording alone, where the progress time is its own). Pure.
 */
function reportOf(stderr: string, index: number, durationFallback: number | null): MediaReport | null {
  const input = parseInput(stderr, index);
  const { videoCodec, audioCodec } = input;
  if (!videoCodec && !audioCodec) return { ...CORRUPT };
  const lines = filterLinesOf(stderr, index);
  // The audio's own length when it has audio (what the transcript and the silence ratio are
  // about); a video-only recording's is the time of its last packet.
  const durationMs = (audioCodec ? audioDurationMs(lines, input) : null) ?? durationFallback;
  if (durationMs === null) return null;
  const audio: ReturnType<typeof parseAudioAnalysis> = audioCodec
    ? parseAudioAnalysis(lines, durationMs)
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
 * Probes and measures a recording (file path or URL). Never throws for a bad file: an
 * unreadable recording comes back flagged `corrupt`.
 */
export async function checkMedia(input: string, opts: { timeoutMs?: number } = {}): Promise<MediaReport> {
  // One ffmpeg run does what ffprobe plus two ffmpeg passes did: the input section of its log
  // names the streams, copying the video reads every packet's timestamp (MediaRecorder's WebM
  // has no duration in its header), and the audio is decoded once through both filters.
  const res = await run('ffmpeg', mediaCheckArgs([input]), opts.timeoutMs ?? 120_000);
  const { videoCodec, audioCodec } = parseInput(res.stderr, 0);
  if (res.code !== 0 || (!videoCodec && !audioCodec)) return { ...CORRUPT, videoCodec, audioCodec };
  // With one input the last progress time is this recording's.
  return reportOf(res.stderr, 0, lastTimeMs(res.stderr)) ?? { ...CORRUPT, videoCodec, audioCodec };
}

/**
 * Checks several recordings in one ffmpeg run: the same measures as {@link checkMedia} for each,
 * in the order given. Starting ffmpeg (a binary linked against some 200 libraries) costs more CPU
 * than measuring a short answer, so a busy worker shares one start among the recordings waiting.
 * A run that fails (an input ffmpeg cannot open stops the whole run) and any recording this
 * run's log cannot speak for (no audio to count) are checked alone, so one bad upload never
 * changes another's verdict. Never throws for bad files.
 */
export async function checkMediaBatch(
  inputs: string[],
  opts: { timeoutMs?: number } = {},
): Promise<MediaReport[]> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  if (inputs.length <= 1) return Promise.all(inputs.map((i) => checkMedia(i, { timeoutMs })));
  // Each recording keeps the time budget it would have alone.
  const res = await run('ffmpeg', mediaCheckArgs(inputs), timeoutMs * inputs.length);
  const reports = inputs.map((_, i) => (res.code === 0 ? reportOf(res.stderr, i, null) : null));
  const alone: MediaReport[] = [];
  for (const [i, r] of reports.entries()) alone[i] = r ?? (await checkMedia(inputs[i], { timeoutMs }));
  return alone;
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
