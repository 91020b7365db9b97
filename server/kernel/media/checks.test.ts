import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  audioDurationMs,
  checkMedia,
  checkMediaBatch,
  containerOf,
  filterLinesOf,
  flagsOf,
  lastTimeMs,
  parseAudioAnalysis,
  parseInput,
  parseInputStreams,
  sniffContainer,
} from './checks';

describe('media check parsing (pure)', () => {
  it('reads the last progress time', () => {
    expect(lastTimeMs('size=N/A time=00:00:01.00 bitrate\nsize=N/A time=00:01:02.50 bitrate=N/A')).toBe(
      62_500,
    );
    expect(lastTimeMs('nothing')).toBeNull();
  });

  it('silence ratio, longest pause and time to first speech from silencedetect; volume from volumedetect', () => {
    const stderr = [
      '[silencedetect @ 0x1] silence_start: 0',
      '[silencedetect @ 0x1] silence_end: 1.5 | silence_duration: 1.5',
      '[silencedetect @ 0x1] silence_start: 4',
      '[silencedetect @ 0x1] silence_end: 6.5 | silence_duration: 2.5',
      '[silencedetect @ 0x1] silence_start: 9',
      '[Parsed_volumedetect_1 @ 0x2] mean_volume: -23.4 dB',
      '[Parsed_volumedetect_1 @ 0x2] max_volume: -2.0 dB',
    ].join('\n');
    const r = parseAudioAnalysis(stderr, 10_000);
    expect(r).toEqual({
      meanVolumeDb: -23.4,
      maxVolumeDb: -2,
      silenceRatio: 0.5, // 1.5 + 2.5 + 1 (to the end) of 10 s
      longestPauseMs: 2500,
      firstSpeechMs: 1500,
    });
    expect(parseAudioAnalysis('mean_volume: -inf dB\nmax_volume: -inf dB', 1000).meanVolumeDb).toBe(-999);
  });

  it('flags', () => {
    const base = {
      durationMs: 10_000,
      videoCodec: 'vp8',
      audioCodec: 'opus',
      meanVolumeDb: -20,
      maxVolumeDb: -1,
      silenceRatio: 0.1,
      longestPauseMs: 500,
      firstSpeechMs: 100,
    };
    expect(flagsOf(base, true)).toEqual([]);
    expect(flagsOf({ ...base, audioCodec: null }, true)).toEqual(['no_audio']);
    expect(flagsOf({ ...base, durationMs: 1500 }, true)).toEqual(['too_short']);
    expect(flagsOf({ ...base, meanVolumeDb: -60, silenceRatio: 0.95 }, true)).toEqual([
      'too_quiet',
      'mostly_silent',
    ]);
    expect(flagsOf({ ...base, durationMs: null }, true)).toEqual(['corrupt']);
  });

  it('magic bytes and declared types', () => {
    expect(sniffContainer(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0, 0]))).toBe('webm');
    expect(sniffContainer(Buffer.from('\0\0\0\x18ftypmp42', 'latin1'))).toBe('mp4');
    expect(sniffContainer(Buffer.from('OggS\0\0'))).toBe('ogg');
    expect(sniffContainer(Buffer.from('%PDF-1.7'))).toBe('unknown');
    expect(containerOf('video/webm;codecs=vp8,opus')).toBe('webm');
    expect(containerOf('audio/mp4')).toBe('mp4');
    expect(containerOf('application/pdf')).toBe('unknown');
  });
});

describe('batched ffmpeg log parsing (pure)', () => {
  const log = [
    "Input #0, matroska,webm, from 'a.webm':",
    '  Stream #0:0: Video: vp8, yuv420p(tv, progressive), 160x120',
    '  Stream #0:1: Audio: opus, 48000 Hz, mono, fltp',
    "Input #1, matroska,webm, from 'b.webm':",
    '  Stream #1:0: Audio: vorbis, 44100 Hz, stereo, fltp',
    "Input #2, mov,mp4, from 'c.mp4':",
    '  Stream #2:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, 3 channels, fltp',
    'Output #1, null, to pipe:',
    '  Stream #1:0: Audio: pcm_s16le, 44100 Hz, stereo, s16',
    'Stream mapping:',
    '[silencedetect @ 0x9] silence_start: 0.5',
    '[ametadata@m1 @ 0x10] frame:25   pts:24048   pts_time:0.501',
    '[ametadata@m1 @ 0x10] lavfi.silence_start=0.5',
    '[ametadata@m1 @ 0x10] lavfi.silence_end=1.5',
    '[ametadata@m10 @ 0x11] lavfi.silence_start=0',
    '[volumedetect@m0 @ 0x12] n_samples: 96000',
    '[volumedetect@m0 @ 0x12] mean_volume: -21.2 dB',
    '[volumedetect@m1 @ 0x13] n_samples: 264600',
    '[volumedetect@m1 @ 0x13] mean_volume: -30.0 dB',
  ].join('\n');

  it('reads each input section on its own, with rate and channels', () => {
    expect(parseInput(log, 0)).toEqual({
      videoCodec: 'vp8',
      audioCodec: 'opus',
      sampleRate: 48000,
      channels: 1,
    });
    // The output section's pcm_s16le is not input 1's codec.
    expect(parseInput(log, 1)).toEqual({
      videoCodec: null,
      audioCodec: 'vorbis',
      sampleRate: 44100,
      channels: 2,
    });
    expect(parseInput(log, 2)).toMatchObject({ audioCodec: 'aac', sampleRate: 48000, channels: 3 });
    expect(parseInput(log, 3).audioCodec).toBeNull();
  });

  it("keeps only one input's filter lines (m1 is not m10) and its audio length", () => {
    expect(filterLinesOf(log, 1).split('\n')).toEqual([
      'silence_start: 0.5',
      'silence_end: 1.5',
      'n_samples: 264600',
      'mean_volume: -30.0 dB',
    ]);
    expect(audioDurationMs(filterLinesOf(log, 0), parseInput(log, 0))).toBe(2000);
    expect(audioDurationMs(filterLinesOf(log, 1), parseInput(log, 1))).toBe(3000);
    // Input 2 never decoded (no n_samples): no length from this log.
    expect(audioDurationMs(filterLinesOf(log, 2), parseInput(log, 2))).toBeNull();
    expect(audioDurationMs('n_samples: 100', { ...parseInput(log, 0), channels: null })).toBeNull();
  });
});

describe('media check with ffmpeg (one process per recording)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-media-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const make = (name: string, args: string[]) => {
    const file = path.join(dir, name);
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, file]);
    return file;
  };
  const video = ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=15'];
  const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
  const silence = ['-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono'];

  it('reads the input streams, not the output ones', () => {
    const log = [
      "Input #0, matroska,webm, from 'a.webm':",
      '  Stream #0:0(eng): Video: vp8, yuv420p(tv, progressive), 160x120',
      '  Stream #0:1[0x2](und): Audio: opus, 48000 Hz, mono, fltp',
      'Stream mapping:',
      'Output #0, null, to pipe:',
      '  Stream #0:1: Audio: pcm_s16le, 48000 Hz, mono',
    ].join('\n');
    expect(parseInputStreams(log)).toEqual({ videoCodec: 'vp8', audioCodec: 'opus' });
    expect(parseInputStreams('a.webm: Invalid data found when processing input')).toEqual({
      videoCodec: null,
      audioCodec: null,
    });
  });

  it('video with a loud tone, video only, audio only, silence, a cut file and not a recording', async () => {
    const av = make('av.webm', [...video, ...tone, '-t', '3', '-c:v', 'libvpx', '-c:a', 'libopus']);
    expect(await checkMedia(av)).toMatchObject({
      durationMs: 3000,
      videoCodec: 'vp8',
      audioCodec: 'opus',
      silenceRatio: 0,
      flags: [],
    });
    const v = make('v.webm', [...video, '-t', '3', '-c:v', 'libvpx']);
    const vr = await checkMedia(v);
    expect(vr).toMatchObject({
      videoCodec: 'vp8',
      audioCodec: null,
      meanVolumeDb: null,
      flags: ['no_audio'],
    });
    expect(vr.durationMs).toBeGreaterThan(2800);
    const a = make('a.webm', [...tone, '-t', '3', '-c:a', 'libopus']);
    expect(await checkMedia(a)).toMatchObject({
      durationMs: 3000,
      videoCodec: null,
      audioCodec: 'opus',
      flags: [],
    });
    const quiet = make('quiet.webm', [...video, ...silence, '-t', '3', '-c:v', 'libvpx', '-c:a', 'libopus']);
    expect((await checkMedia(quiet)).flags).toEqual(['too_quiet', 'mostly_silent']);
    // The first 600 bytes: a header and no frame.
    const cut = path.join(dir, 'cut.webm');
    fs.writeFileSync(cut, fs.readFileSync(av).subarray(0, 600));
    expect((await checkMedia(cut)).flags).toEqual(['corrupt']);
    const text = path.join(dir, 'text.webm');
    fs.writeFileSync(text, 'not a recording at all');
    expect(await checkMedia(text)).toMatchObject({ durationMs: null, videoCodec: null, flags: ['corrupt'] });
    expect((await checkMedia(path.join(dir, 'missing.webm'))).flags).toEqual(['corrupt']);
  });

  /** Runs `fn` with an `ffmpeg` first on PATH that logs each start and then runs the real one. */
  const countingStarts = async <T>(fn: () => Promise<T>): Promise<{ value: T; starts: number }> => {
    const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
    const logFile = path.join(bin, 'starts');
    const real = execFileSync('sh', ['-c', 'command -v ffmpeg']).toString().trim();
    fs.writeFileSync(path.join(bin, 'ffmpeg'), `#!/bin/sh\necho x >> '${logFile}'\nexec '${real}' "$@"\n`, {
      mode: 0o755,
    });
    const old = process.env.PATH;
    process.env.PATH = `${bin}:${old}`;
    try {
      const value = await fn();
      const starts = fs.existsSync(logFile)
        ? fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).length
        : 0;
      return { value, starts };
    } finally {
      process.env.PATH = old;
    }
  };

  it('a batch measures each recording as a run of its own would, in one ffmpeg start', async () => {
    const av = make('bav.webm', [...video, ...tone, '-t', '3', '-c:v', 'libvpx', '-c:a', 'libopus']);
    const quiet = make('bquiet.webm', [...video, ...silence, '-t', '3', '-c:v', 'libvpx', '-c:a', 'libopus']);
    const stereo = make('bstereo.webm', [
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=300:sample_rate=44100',
      '-ac',
      '2',
      '-t',
      '4',
      '-c:a',
      'libvorbis',
    ]);
    // Tone, 1.5 s of silence, tone: one pause in the middle.
    const gap = make('bgap.webm', [
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=1'],
      ...['-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono:duration=1.5'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=1'],
      ...['-filter_complex', '[0][1][2]concat=n=3:v=0:a=1', '-c:a', 'libopus'],
    ]);
    const inputs = [av, quiet, stereo, gap];
    const alone = await Promise.all(inputs.map((i) => checkMedia(i)));
    const { value: batched, starts } = await countingStarts(() => checkMediaBatch(inputs));
    expect(starts).toBe(1);
    expect(batched).toEqual(alone);
    expect(batched[1].flags).toEqual(['too_quiet', 'mostly_silent']);
    expect(batched[2]).toMatchObject({ audioCodec: 'vorbis', videoCodec: null, flags: [] });
    // Vorbis decodes to whole blocks: a few ms past the 4 s written.
    expect(Math.abs((batched[2].durationMs ?? 0) - 4000)).toBeLessThan(20);
    expect(batched[3]).toMatchObject({ durationMs: 3500, flags: [] });
    expect(batched[3].longestPauseMs).toBeGreaterThan(1300);
    expect(batched[3].longestPauseMs).toBeLessThan(1700);
  });

  it('a batch with an unreadable or video-only recording still gives every recording its own verdict', async () => {
    const av = make('cav.webm', [...video, ...tone, '-t', '3', '-c:v', 'libvpx', '-c:a', 'libopus']);
    const v = make('cv.webm', [...video, '-t', '3', '-c:v', 'libvpx']);
    const text = path.join(dir, 'ctext.webm');
    fs.writeFileSync(text, 'not a recording at all');
    // Video only: the shared run has no audio to time it by, so it is checked again alone.
    const mixed = await countingStarts(() => checkMediaBatch([av, v]));
    expect(mixed.starts).toBe(2);
    expect(mixed.value[0]).toEqual(await checkMedia(av));
    expect(mixed.value[1]).toMatchObject({ videoCodec: 'vp8', audioCodec: null, flags: ['no_audio'] });
    // An input ffmpeg cannot open fails the shared run: each is checked alone.
    const bad = await countingStarts(() => checkMediaBatch([av, text, path.join(dir, 'gone.webm')]));
    expect(bad.starts).toBe(4);
    expect(bad.value.map((r) => r.flags)).toEqual([[], ['corrupt'], ['corrupt']]);
    expect(bad.value[0].durationMs).toBe(3000);
  });
});
