import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkMedia,
  containerOf,
  flagsOf,
  lastTimeMs,
  parseAudioAnalysis,
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
});
