/**
 * The summary report's arithmetic, pure so a test can check it against a hand computation:
 * people's 1-5 ratings on the AI's 0-100 scale, one score per assessment (each counts once,
 * however many competencies it rated), the weighted combination with the AI, disagreement
 * flags, and the suggestion with its reasons. A suggestion only: a person decides.
 *
 * The people's part is the plain mean of every assessment: each rating of the AI interview's
 * report and each submitted live-round scorecard (drafts never count; the caller passes
 * submitted ones only). A person who both rated the recording and interviewed live gave two
 * judgements on different evidence (the recorded answers, then a conversation), so both count.
 */
import type { SummaryDisagreement, SummaryReason, SummarySuggestion } from '../../../shared/api/summary';

/** Defaults when a job has not set its own: people weigh more than the AI; 25 points apart is far. */
export const DEFAULT_SUMMARY_RULES = { aiWeight: 40, disagreementPoints: 25 } as const;

/** A 1-5 rating on the 0-100 scale of the AI's scores (1 -> 0, 3 -> 50, 5 -> 100). */
export function ratingTo100(rating: number): number {
  return (rating - 1) * 25;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Where an assessment comes from: a rating of the AI interview's report, or a live-round scorecard. */
export type RaterSource = 'report' | 'live_round';

/** One assessment: a rater's ratings of the report, or their submitted live-round scorecard. */
export interface RaterInput {
  /** Unique among the inputs (e.g. `report:12`, `live:7:12`). */
  key: string;
  source: RaterSource;
  ratings: Array<{ competency: string; score: number }>;
}

/** Input of {@link summarise}. */
export interface SummaryInput {
  /** The AI's overall score (null: no AI score, e.g. a person-only interview). */
  ai: number | null;
  raters: RaterInput[];
  aiWeight: number;
  disagreementPoints: number;
  passThreshold: number;
  rejectThreshold: number;
  /** The report went to a person (quality flags) or the candidate asked for a person only. */
  needsReview: boolean;
  personOnly: boolean;
}

/** Output of {@link summarise}. */
export interface SummaryOutput {
  /** Each assessment's 0-100 score, by {@link RaterInput.key}. */
  raterScores: Map<string, number>;
  people: number | null;
  /** How many assessments of each source the people's part averages. */
  sources: { reportRatings: number; liveScorecards: number };
  combined: number | null;
  formula: string;
  disagreements: SummaryDisagreement[];
  suggestion: SummarySuggestion;
  reasons: SummaryReason[];
}

/** Combines, flags and suggests (see the module comment). */
export function summarise(i: SummaryInput): SummaryOutput {
  const raterScores = new Map<string, number>();
  const sources = { reportRatings: 0, liveScorecards: 0 };
  for (const r of i.raters)
    if (r.ratings.length) {
      raterScores.set(r.key, round1(mean(r.ratings.map((x) => ratingTo100(x.score)))));
      if (r.source === 'report') sources.reportRatings += 1;
      else sources.liveScorecards += 1;
    }
  const people = raterScores.size ? round1(mean([...raterScores.values()])) : null;
  const w = i.aiWeight / 100;
  let combined: number | null;
  let formula: string;
  if (i.ai !== null && people !== null) {
    combined = round1(i.ai * w + people * (1 - w));
    formula = `AI ${i.aiWeight}% × ${i.ai} + 人工 ${100 - i.aiWeight}% × ${people} = ${combined}`;
  } else if (i.ai !== null) {
    combined = i.ai;
    formula = `AI 100% × ${i.ai} = ${combined}（尚无人工评分）`;
  } else if (people !== null) {
    combined = people;
    formula = `人工 100% × ${people} = ${combined}（无 AI 评分）`;
  } else {
    combined = null;
    formula = '—';
  }

  const disagreements: SummaryDisagreement[] = [];
  const competencies = [...new Set(i.raters.flatMap((r) => r.ratings.map((x) => x.competency)))];
  for (const c of competencies) {
    const scores = i.raters.flatMap((r) =>
      r.ratings.filter((x) => x.competency === c).map((x) => ratingTo100(x.score)),
    );
    if (scores.length < 2) continue;
    const low = Math.min(...scores);
    const high = Math.max(...scores);
    if (high - low >= i.disagreementPoints)
      disagreements.push({ kind: 'raters', competency: c, low, high, spread: high - low });
  }
  if (i.ai !== null && people !== null && Math.abs(i.ai - people) >= i.disagreementPoints) {
    const low = Math.min(i.ai, people);
    const high = Math.max(i.ai, people);
    disagreements.push({ kind: 'ai_vs_people', competency: null, low, high, spread: round1(high - low) });
  }

  const reasons: SummaryReason[] = [];
  let suggestion: SummarySuggestion;
  if (combined === null) {
    suggestion = 'second_round';
    reasons.push({ key: 'no_human_ratings', params: {} });
  } else if (combined >= i.passThreshold) {
    suggestion = 'hire';
    reasons.push({ key: 'combined_at_or_above_pass', params: { score: combined, pass: i.passThreshold } });
  } else if (combined >= i.rejectThreshold) {
    suggestion = 'second_round';
    reasons.push({
      key: 'combined_between',
      params: { score: combined, pass: i.passThreshold, reject: i.rejectThreshold },
    });
  } else {
    suggestion = 'reject';
    reasons.push({ key: 'combined_below_reject', params: { score: combined, reject: i.rejectThreshold } });
  }
  // Never suggest hiring on the AI alone, over a disagreement, or over a report sent to a person:
  // those need another look, so the strongest suggestion is a second round.
  const cap = (r: SummaryReason) => {
    reasons.push(r);
    if (suggestion === 'hire') suggestion = 'second_round';
  };
  if (combined !== null && people === null) cap({ key: 'no_human_ratings', params: {} });
  const raterSplit = disagreements.filter((d) => d.kind === 'raters');
  if (raterSplit.length)
    cap({
      key: 'raters_disagree',
      params: { competencies: raterSplit.map((d) => d.competency).join('、') },
    });
  const aiSplit = disagreements.find((d) => d.kind === 'ai_vs_people');
  if (aiSplit) cap({ key: 'ai_people_disagree', params: { spread: aiSplit.spread } });
  if (i.needsReview) cap({ key: 'needs_review', params: {} });
  if (i.personOnly) reasons.push({ key: 'person_only', params: {} });
  // A reject suggested by the AI alone is softened too: a person has not looked yet.
  if (suggestion === 'reject' && people === null) suggestion = 'second_round';
  return { raterScores, people, sources, combined, formula, disagreements, suggestion, reasons };
}

/**
 * The people's part of the rule in words (zh-CN, the record kept with approvals): how many
 * assessments of which kind are averaged and how a 1-5 rating becomes 0-100.
 */
export function peopleRuleText(sources: SummaryOutput['sources']): string {
  const n = sources.reportRatings + sources.liveScorecards;
  if (!n) return '人工：尚无评分（现场面试评分卡只计已提交的）';
  return (
    `人工 = ${n} 份评分的平均（报告评分 ${sources.reportRatings} 份，现场面试评分卡 ${sources.liveScorecards} 份；` +
    '每份取各能力 1-5 分折算为 0-100 后的平均：1→0，3→50，5→100；评分卡草稿不计）'
  );
}
