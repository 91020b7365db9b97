import { describe, expect, it } from 'vitest';
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
});
