import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MediaReport } from './checks';
import { MediaProber } from './prober';

/** A stand-in for the ffmpeg run that records each group it was given and finishes on demand. */
function fakeRuns() {
  const groups: string[][] = [];
  const finish: Array<(fail?: Error) => void> = [];
  const checkBatch = (inputs: string[]) =>
    new Promise<MediaReport[]>((resolve, reject) => {
      groups.push(inputs);
      finish.push((fail) =>
        fail ? reject(fail) : resolve(inputs.map((i) => ({ videoCodec: i }) as unknown as MediaReport)),
      );
    });
  return { groups, finish, checkBatch };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('media prober (shared ffmpeg runs)', () => {
  it('starts a lone recording at once and groups those that wait, up to the batch size', async () => {
    const f = fakeRuns();
    const prober = new MediaProber({ processes: 1, batch: 3 }, f.checkBatch);
    const results = ['a', 'b', 'c', 'd', 'e'].map((i) => prober.probe(i));
    expect(f.groups).toEqual([['a']]);
    f.finish[0]();
    await tick();
    expect(f.groups).toEqual([['a'], ['b', 'c', 'd']]);
    f.finish[1]();
    await tick();
    expect(f.groups.at(-1)).toEqual(['e']);
    f.finish[2]();
    // Each caller gets the report of its own recording.
    expect((await Promise.all(results)).map((r) => r.videoCodec)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(prober.stats).toEqual({ runs: 3, recordings: 5 });
  });

  it('runs up to `processes` at once, and a failed run fails only its own recordings', async () => {
    const f = fakeRuns();
    const prober = new MediaProber({ processes: 2, batch: 2 }, f.checkBatch);
    const results = ['a', 'b', 'c', 'd'].map((i) => prober.probe(i));
    // Two runs start at once, one recording each; the other two wait for a free run.
    expect(f.groups).toEqual([['a'], ['b']]);
    f.finish[1](new Error('spawn failed'));
    await expect(results[1]).rejects.toThrow('spawn failed');
    await tick();
    expect(f.groups.at(-1)).toEqual(['c', 'd']);
    f.finish[0]();
    f.finish[2]();
    expect((await Promise.all([results[0], results[2], results[3]])).map((r) => r.videoCodec)).toEqual([
      'a',
      'c',
      'd',
    ]);
  });

  describe('a run beside a busy one waits for a fuller batch', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('up to gatherMs from the oldest arrival, or until the batch is full; with no run going it starts at once', async () => {
      vi.useFakeTimers();
      const f = fakeRuns();
      const prober = new MediaProber({ processes: 2, batch: 3, gatherMs: 500 }, f.checkBatch);
      const results = [prober.probe('a')];
      // Nothing running: the lone recording starts at once.
      expect(f.groups).toEqual([['a']]);
      results.push(prober.probe('b'));
      await vi.advanceTimersByTimeAsync(300);
      results.push(prober.probe('c'));
      // A run is busy and the batch is not full: b and c wait, though a run is free.
      expect(f.groups).toEqual([['a']]);
      await vi.advanceTimersByTimeAsync(199);
      expect(f.groups).toEqual([['a']]);
      // 500 ms after b arrived, the run starts with what gathered (c waited only 200 ms).
      await vi.advanceTimersByTimeAsync(1);
      expect(f.groups).toEqual([['a'], ['b', 'c']]);

      // A full batch starts at once, even beside a busy run.
      f.finish[0]();
      await vi.advanceTimersByTimeAsync(0);
      results.push(prober.probe('d'));
      expect(f.groups).toHaveLength(2);
      results.push(prober.probe('e'), prober.probe('f'));
      expect(f.groups.at(-1)).toEqual(['d', 'e', 'f']);

      // Both runs end: nothing is running, so the next recording starts at once.
      f.finish[1]();
      f.finish[2]();
      await vi.advanceTimersByTimeAsync(0);
      results.push(prober.probe('g'));
      expect(f.groups.at(-1)).toEqual(['g']);
      // A recording waiting for a fuller batch starts as soon as the busy run ends.
      results.push(prober.probe('h'));
      expect(f.groups).toHaveLength(4);
      f.finish[3]();
      await vi.advanceTimersByTimeAsync(0);
      expect(f.groups.at(-1)).toEqual(['h']);
      f.finish[4]();
      expect((await Promise.all(results)).map((r) => r.videoCodec)).toEqual([
        'a',
        'b',
        'c',
        'd',
        'e',
        'f',
        'g',
        'h',
      ]);
      expect(prober.stats).toEqual({ runs: 5, recordings: 8 });
    });

    it('gatherMs 0 starts a free run at once, as before', () => {
      const f = fakeRuns();
      const prober = new MediaProber({ processes: 2, batch: 3, gatherMs: 0 }, f.checkBatch);
      void prober.probe('a');
      void prober.probe('b');
      expect(f.groups).toEqual([['a'], ['b']]);
    });
  });
});
