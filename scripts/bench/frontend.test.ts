import { describe, expect, it } from 'vitest';
import { BUDGET, cjkFontProblem, overBudget } from './frontend';

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

describe('frontend bench font check', () => {
  it('accepts a machine whose fontconfig lists a Chinese font', () => {
    expect(cjkFontProblem('Noto Sans CJK SC,Noto Sans CJK SC Regular\n')).toBeNull();
  });

  it('refuses without a Chinese font, naming the package to install', () => {
    expect(cjkFontProblem('')).toMatch(/no Chinese font.*fonts-noto-cjk/);
    expect(cjkFontProblem('\n')).toMatch(/artefacts/);
  });

  it('refuses when fontconfig cannot be asked', () => {
    expect(cjkFontProblem(null)).toMatch(/fc-list` could not run/);
  });
});
