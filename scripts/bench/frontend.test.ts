import { describe, expect, it } from 'vitest';
import { BUDGET, overBudget } from './frontend';

const KB = 1024;
const ok = { jsBytes: BUDGET.compressedJsKB * KB, lcpMs: BUDGET.lcpMs - 1, jsapi: false };

describe('frontend bench budget', () => {
  it('passes pages at the limits', () => {
    expect(
      overBudget([
        ['sign-in', ok],
        ['candidate home', ok],
      ]),
    ).toEqual([]);
  });

  it('names each page and figure over the budget, the home as well as sign-in', () => {
    expect(
      overBudget([
        ['sign-in', ok],
        ['candidate home', { jsBytes: 191 * KB, lcpMs: BUDGET.lcpMs, jsapi: true }],
      ]),
    ).toEqual([
      'candidate home: 191 KB of JS',
      'candidate home: LCP 1500 ms',
      'candidate home: fetched dingtalk-jsapi',
    ]);
  });
});
