/**
 * Agreement of the follow-up rules with a labelled set: 45 answers (Chinese and English) each
 * labelled, before the rules were written, with what a reviewer would ask a follow-up about
 * (fixtures/labelled-answers.json). Reports how often the chosen follow-up targets the labelled
 * gap and asserts the figure stays above a floor, so a change to the rules that loses agreement
 * fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CompetencySpec, Lang } from '../scoring';
import { chooseFollowUp, type FollowUpGap } from './rules';

interface Labelled {
  id: string;
  source: string;
  lang: Lang;
  question: string;
  competencies: CompetencySpec[];
  transcript: string;
  gap: FollowUpGap | 'none';
  indicators?: string[];
  alsoAcceptable?: Array<FollowUpGap | 'none'>;
}

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as { items: Labelled[] };
const SET = load('labelled-answers.json');
/** Labelled after the rules were fixed and never used to change them: the honest estimate. */
const HOLDOUT = load('labelled-holdout.json');

/** Whether a choice matches the label: same gap and, for an indicator, one the reviewer accepts. */
function agrees(item: Labelled, gap: FollowUpGap | 'none', indicator: string | undefined, strict: boolean) {
  const ok = (g: FollowUpGap | 'none') =>
    g === gap && (g !== 'indicator' || !item.indicators || item.indicators.includes(indicator ?? ''));
  return ok(item.gap) || (!strict && (item.alsoAcceptable ?? []).some(ok));
}

function judge(items: Labelled[]) {
  return items.map((item) => {
    const c = chooseFollowUp({
      question: item.question,
      competencies: item.competencies,
      transcript: item.transcript,
      language: item.lang,
    });
    const gap = c?.gap ?? 'none';
    return {
      item,
      gap,
      indicator: c?.indicator,
      strict: agrees(item, gap, c?.indicator, true),
      loose: agrees(item, gap, c?.indicator, false),
    };
  });
}
type Row = ReturnType<typeof judge>[number];
const share = (xs: Row[], k: 'strict' | 'loose') => xs.filter((r) => r[k]).length / xs.length;
const fig = (xs: Row[]) =>
  `${(100 * share(xs, 'strict')).toFixed(1)}% labelled gap, ${(100 * share(xs, 'loose')).toFixed(1)}% labelled or also-acceptable (n=${xs.length})`;
const misses = (xs: Row[]) =>
  xs
    .filter((r) => !r.loose)
    .map(
      (r) =>
        `  ${r.item.id}: labelled ${r.item.gap}${r.item.indicators ? ` [${r.item.indicators.join(' | ')}]` : ''}, chose ${r.gap}${r.indicator ? ` [${r.indicator}]` : ''}`,
    )
    .join('\n');

describe('follow-up rules on the labelled set', () => {
  const rows = judge(SET.items);

  it('has at least 40 answers in both languages, none from a test split', () => {
    expect(SET.items.length).toBeGreaterThanOrEqual(40);
    expect(SET.items.filter((i) => i.lang === 'zh').length).toBeGreaterThanOrEqual(15);
    expect(SET.items.filter((i) => i.lang === 'en').length).toBeGreaterThanOrEqual(15);
    expect(SET.items.filter((i) => /test/.test(i.source))).toEqual([]);
  });

  it('targets the labelled gap often enough (figure printed)', () => {
    const zh = rows.filter((r) => r.item.lang === 'zh');
    const en = rows.filter((r) => r.item.lang === 'en');
    // The figure the report quotes: printed on every run.
    process.stdout.write(
      `[followups] agreement all: ${fig(rows)}\n[followups] zh: ${fig(zh)}\n[followups] en: ${fig(en)}\n${misses(rows)}\n`,
    );
    // Floors just under the measured figures (80.0% / 87.5% / 71.4% at followup-rules-1).
    expect(share(rows, 'strict')).toBeGreaterThanOrEqual(0.78);
    expect(share(zh, 'strict')).toBeGreaterThanOrEqual(0.85);
    expect(share(en, 'strict')).toBeGreaterThanOrEqual(0.7);
  });
});

describe('follow-up rules on the held-out set', () => {
  const rows = judge(HOLDOUT.items);

  it('reports agreement on answers the rules were never tuned on', () => {
    process.stdout.write(`[followups] held-out: ${fig(rows)}\n${misses(rows)}\n`);
    expect(HOLDOUT.items.length).toBeGreaterThanOrEqual(12);
    // Measured 66.7% (8/12) at followup-rules-1; the floor guards against a change that loses it.
    expect(share(rows, 'strict')).toBeGreaterThanOrEqual(0.6);
  });
});
