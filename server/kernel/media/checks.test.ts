import { describe, expect, it } from 'vitest';
import { containerOf, flagsOf, lastTimeMs, parseAudioAnalysis, sniffContainer } from './checks';

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
