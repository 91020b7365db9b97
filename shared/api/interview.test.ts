import { describe, expect, it } from 'vitest';
import { verdictPollDelayMs } from './interview';

describe('verdictPollDelayMs', () => {
  const delays = Array.from({ length: 30 }, (_, i) => verdictPollDelayMs(i));

  it('asks quickly while an idle worker would be done, then backs off', () => {
    expect(delays.slice(0, 5)).toEqual([300, 300, 300, 300, 300]);
    expect(delays[5]).toBeGreaterThan(300);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
  });

  it('never waits more than 3 s, so a verdict is seen at most 3 s after it is in', () => {
    expect(Math.max(...delays)).toBe(3000);
    expect(delays.at(-1)).toBe(3000);
  });

  it('polls a minute-long check about 30 times instead of 200 (every 300 ms)', () => {
    let elapsed = 0;
    let polls = 0;
    while (elapsed < 60_000) elapsed += verdictPollDelayMs(polls++);
    expect(polls).toBeLessThan(35);
  });
});
