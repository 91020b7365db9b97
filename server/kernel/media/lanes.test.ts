import { describe, expect, it } from 'vitest';
import { type LaneSteps, runLanes } from './checkQueue';

/**
 * A simulated media-check queue: rows arrive over time, a claim hands out the oldest unclaimed
 * rows after a random delay (as a database round trip would), a check takes a random time. It
 * records what the lanes did so the tests can check the counting rules of `runLanes`.
 */
function simulatedQueue(opts: { initial: number; arrivals: number[]; seed: number }) {
  let seed = opts.seed;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const waiting: number[] = [];
  let next = 1;
  for (let i = 0; i < opts.initial; i++) waiting.push(next++);
  const limits: number[] = [];
  const checked: number[] = [];
  const errors: string[] = [];
  let running = 0;
  let maxRunning = 0;
  // Rows that arrive while the lanes run (after the wake's first claim).
  const arrived = Promise.all(
    opts.arrivals.map(async (at) => {
      await sleep(at);
      waiting.push(next++);
    }),
  );
  const steps: LaneSteps = {
    async claim(limit) {
      limits.push(limit);
      // A negative or zero LIMIT is what MariaDB refused (`limit -2 for update skip locked`).
      if (!(limit >= 1)) throw new Error(`bad limit ${limit}`);
      await sleep(rnd() * 3);
      return waiting.splice(0, limit);
    },
    async check(id) {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(1 + rnd() * 6);
      running--;
      checked.push(id);
      return id % 7 !== 0;
    },
    checkFailed: (id, err) => errors.push(`check ${id}: ${err.message}`),
    laneStopped: (err) => errors.push(`lane: ${err.message}`),
  };
  return { steps, limits, checked, errors, arrived, maxRunning: () => maxRunning, total: () => next - 1 };
}

describe('media check lanes', () => {
  it('never claim with a limit below one, never run more than the most lanes, and check every row once', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      // Rows keep arriving in bursts of ten while the lanes run, so several lanes claim spare
      // places at the same time.
      const q = simulatedQueue({
        initial: 2,
        arrivals: Array.from({ length: 60 }, (_, i) => Math.floor(i / 10) * 15),
        seed,
      });
      const most = 4;
      const written = await runLanes(most, q.steps);
      await q.arrived;
      // Rows that arrived after the last lane finished wait for the next wake; run it.
      const later = await runLanes(most, q.steps);
      expect(q.errors).toEqual([]);
      expect(Math.min(...q.limits)).toBeGreaterThanOrEqual(1);
      expect(q.maxRunning()).toBeLessThanOrEqual(most);
      expect([...q.checked].sort((a, b) => a - b)).toEqual(
        Array.from({ length: q.total() }, (_, i) => i + 1),
      );
      expect(written + later).toBe(q.checked.filter((id) => id % 7 !== 0).length);
    }
  });

  it('grows past the first wake: rows arriving after it get lanes of their own, up to the most', async () => {
    const q = simulatedQueue({ initial: 1, arrivals: Array.from({ length: 12 }, () => 0), seed: 9 });
    await runLanes(4, q.steps);
    // One row at the wake, twelve more right after: the lanes grew to the limit, not one at a time.
    expect(q.maxRunning()).toBe(4);
    expect(q.checked).toHaveLength(13);
  });

  it('an empty queue costs one claim and reports nothing written', async () => {
    const q = simulatedQueue({ initial: 0, arrivals: [], seed: 10 });
    expect(await runLanes(4, q.steps)).toBe(0);
    expect(q.limits).toEqual([4]);
  });

  it('a failed check is reported and its lane goes on; a failed claim stops only its lane', async () => {
    const q = simulatedQueue({ initial: 6, arrivals: [], seed: 11 });
    const check = q.steps.check;
    let claims = 0;
    const claim = q.steps.claim;
    const steps: LaneSteps = {
      ...q.steps,
      check: async (id) => (id === 2 ? Promise.reject(new Error('ffmpeg failed')) : check(id)),
      claim: async (limit) => (++claims === 3 ? Promise.reject(new Error('connection lost')) : claim(limit)),
    };
    await runLanes(2, steps);
    expect(q.errors).toEqual(expect.arrayContaining(['check 2: ffmpeg failed', 'lane: connection lost']));
    // Every row but the failed one was checked (by the lane that was still running).
    expect([...q.checked].sort()).toEqual([1, 3, 4, 5, 6]);
  });
});
