/**
 * The deterministic, explainable scorer. Each feature is a number in [0, 1] computed from the
 * words only, and documented below; a competency score is a weighted sum of features (default
 * weights, or weights calibrated on the company's own interviewer ratings). Every feature grows
 * (or stays) when relevant content is added, so adding a relevant, specific example never
 * lowers a score; the only rate is the filler rate, which clean additions can only improve.
 *
 * Features:
 * - coverage: share of the competency's behavioural indicators shown in some sentence
 *   (indicator terms, synonyms included; a third of an indicator's terms must meet in one
 *   sentence); three of four indicators count as full coverage.
 * - relevance: how many key terms of the question and rubric the answer uses (saturating).
 * - reference: recall of a reference answer's key terms (best reference); equals relevance when
 *   HR wrote no reference answers.
 * - star: share of situation, task, action and result that the answer states.
 * - specificity: numbers, measurable outcomes and concrete-example markers (saturating).
 * - coherence: distinct discourse markers (first/then/because/therefore..., saturating).
 * - fluency: 1 - filler rate / 15% (um, uh, 嗯, 呃 ...).
 * - length: estimated speaking time against 40% of the expected answer time (only short answers
 *   lose; long ones are flagged `too_long` instead).
 * All features are multiplied by a content gate (coverage + relevance), so a fluent, well-built
 * answer to a different question still scores low and is flagged `off_topic`.
 */
import { COHERENCE_MARKERS, EXAMPLE_MARKERS, FILLERS, OUTCOME_WORDS, STAR_MARKERS } from './lexicon';
import { contentTerms, countUnits, detectLanguage, hasPhrase, type Sentence, splitSentences } from './text';
import {
  type CompetencyScore,
  type EvidenceSpan,
  FEATURE_NAMES,
  type FeatureVector,
  type Gap,
  type Lang,
  type QualityFlag,
  type ScoreResult,
  type ScoringInput,
  type ScoringWeights,
} from './types';

/** Version of the deterministic scorer; bump when features or defaults change. */
export const SCORER_VERSION = 'det-1.0.0';

/** Default feature weights (sum 1): content first, delivery last. */
export const DEFAULT_WEIGHTS: ScoringWeights = {
  weights: {
    coverage: 0.4,
    relevance: 0.12,
    reference: 0.1,
    star: 0.1,
    specificity: 0.12,
    coherence: 0.06,
    fluency: 0.04,
    length: 0.06,
  },
  intercept: 0,
  source: 'default',
};

const NUMBER_RE =
  /\d+(?:\.\d+)?\s*(?:%|％|倍|万|千|亿|k|ms|s\b)?|[一二三四五六七八九十两百千万半]+(?:个|次|倍|年|月|周|天|小时|分钟|秒|毫秒|人|家|万|成|季度|百分点)|百分之[一二三四五六七八九十百]+/gi;

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));
const round = (x: number) => Math.round(x);

interface Analysis {
  lang: Lang;
  sentences: Sentence[];
  terms: Set<string>;
  tokenCount: number;
  lower: string;
}

function analyse(transcript: string, lang: Lang): Analysis {
  const sentences = splitSentences(transcript, lang);
  const terms = new Set<string>();
  let tokenCount = 0;
  for (const s of sentences) {
    tokenCount += s.tokens.length;
    for (const t of s.terms) terms.add(t);
  }
  return { lang, sentences, terms, tokenCount, lower: transcript.toLowerCase() };
}

/** Terms of an indicator that a sentence contains (by canonical term, or substring for Chinese). */
function hits(terms: string[], s: Sentence): number {
  let n = 0;
  for (const t of terms)
    if (s.terms.has(t) || (t.length >= 2 && /\p{Script=Han}/u.test(t) && s.lower.includes(t))) n++;
  return n;
}

function span(
  s: Sentence,
  indicator: string,
  sentences?: ScoringInput['sentences'],
  transcript?: string,
): EvidenceSpan {
  const out: EvidenceSpan = { start: s.start, end: s.end, text: s.text, indicator };
  const at = timeOf(s, sentences, transcript);
  if (at !== undefined) out.atMs = at;
  return out;
}

/** Start time of the ASR sentence containing this span (offsets computed on the joined text). */
function timeOf(s: Sentence, timed: ScoringInput['sentences'], transcript?: string): number | undefined {
  if (!timed?.length || !transcript) return undefined;
  let from = 0;
  for (const t of timed) {
    const i = transcript.indexOf(t.text, from);
    if (i < 0) continue;
    if (s.start < i + t.text.length) return t.beginMs;
    from = i + t.text.length;
  }
  return timed[timed.length - 1].beginMs;
}

function countPhrases(lower: string, phrases: string[]): number {
  let n = 0;
  for (const p of phrases) if (hasPhrase(lower, p)) n++;
  return n;
}

function firstSentenceWith(a: Analysis, test: (s: Sentence) => boolean): Sentence | undefined {
  return a.sentences.find(test);
}

function estimateSeconds(input: ScoringInput): number {
  const timed = input.sentences?.filter((s) => s.text.trim());
  if (timed?.length) {
    const ms = timed[timed.length - 1].endMs - timed[0].beginMs;
    if (ms > 0) return ms / 1000;
  }
  const { han, words } = countUnits(input.transcript);
  // About 4 Chinese characters and 2.5 English words per second of speech.
  return han / 4 + words / 2.5;
}

/** Content gate: an answer that shows neither the rubric nor the question's terms scores low on everything. */
function contentGate(coverage: number, relevance: number): number {
  return clamp01((coverage + relevance) / 0.35);
}

/** The feature vector of one competency (or the answer), multiplied by the content gate. */
function gated(coverage: number, rest: Omit<FeatureVector, 'coverage'>): FeatureVector {
  const gate = contentGate(coverage, rest.relevance);
  const raw: FeatureVector = { coverage, ...rest };
  return Object.fromEntries(FEATURE_NAMES.map((k) => [k, raw[k] * gate])) as FeatureVector;
}

const L = {
  zh: {
    showed: (c: string, inds: string[]) => `${c}：回答体现了「${inds.join('」「')}」`,
    structure: '回答结构完整：讲清了情境、任务、行动和结果',
    specific: '用具体数据和事例支撑观点',
    missing: (i: string) => `没有体现「${i}」`,
    suggestMissing: (i: string) => `补充一个你亲自「${i}」的具体经历：当时的情况、你做了什么、结果如何。`,
    starGap: (parts: string[]) => `回答缺少${parts.join('、')}`,
    starSuggest: '按“情境—任务—行动—结果”组织回答，结尾说明结果和你的收获。',
    specGap: '缺少具体的数字、结果或事例',
    specSuggest: '加上规模、耗时、提升幅度等数字，并说明最终结果。',
    structureName: '表达结构',
    starParts: { situation: '背景', task: '任务', action: '你的行动', result: '结果' },
  },
  en: {
    showed: (c: string, inds: string[]) => `${c}: the answer shows "${inds.join('", "')}"`,
    structure: 'Well-structured answer: situation, task, action and result are all there',
    specific: 'Backs points with concrete numbers and examples',
    missing: (i: string) => `Does not show "${i}"`,
    suggestMissing: (i: string) =>
      `Add a concrete example where you ${i.replace(/^(\w+)s\b/, '$1')}: the situation, what you did, and the result.`,
    starGap: (parts: string[]) => `The answer lacks ${parts.join(', ')}`,
    starSuggest: 'Structure the answer as situation, task, action, result, and close with the outcome.',
    specGap: 'Few concrete numbers, outcomes or examples',
    specSuggest: 'Add figures (scale, time, improvement) and say what the final outcome was.',
    structureName: 'Structure',
    starParts: {
      situation: 'the situation',
      task: 'your task',
      action: 'your actions',
      result: 'the result',
    },
  },
};

/** Weighted feature sum on the 0-100 scale. */
export function combine(f: FeatureVector, w: ScoringWeights): number {
  let s = 0;
  for (const k of FEATURE_NAMES) s += w.weights[k] * f[k];
  return Math.max(0, Math.min(100, w.intercept + 100 * s));
}

/**
 * Scores one answer. Pure and synchronous: same input, same output. `weights` defaults to
 * {@link DEFAULT_WEIGHTS}; pass calibrated weights to follow the company's interviewers.
 */
export function scoreAnswer(input: ScoringInput, weights: ScoringWeights = DEFAULT_WEIGHTS): ScoreResult {
  const transcript = input.transcript ?? '';
  const detected = detectLanguage(transcript || input.question);
  const lang: Lang = input.language ?? detected;
  const a = analyse(transcript, lang);
  const flags: QualityFlag[] = [];
  const empty = a.tokenCount === 0;
  if (empty) flags.push('empty_transcript');
  if (!empty && input.language && transcript.length > 20 && detected !== input.language)
    flags.push('language_mismatch');

  // Answer-level features.
  const keyTerms = new Set(contentTerms(input.question, lang));
  for (const c of input.competencies)
    for (const t of [c.name, ...c.indicators]) for (const k of contentTerms(t, lang)) keyTerms.add(k);
  let keyHit = 0;
  for (const k of keyTerms) if (a.terms.has(k)) keyHit++;
  const relevance = clamp01(keyHit / Math.max(3, 0.25 * keyTerms.size));

  let reference = relevance;
  let referenceBest = -1;
  for (const ref of input.referenceAnswers ?? []) {
    const terms = contentTerms(ref, lang);
    if (!terms.length) continue;
    const recall = terms.filter((t) => a.terms.has(t)).length / terms.length;
    referenceBest = Math.max(referenceBest, recall);
  }
  if (referenceBest >= 0) reference = clamp01(referenceBest / 0.6);

  const starHits = (Object.keys(STAR_MARKERS) as Array<keyof typeof STAR_MARKERS>).filter(
    (k) => countPhrases(a.lower, STAR_MARKERS[k][lang]) > 0,
  );
  const star = starHits.length / 4;

  const numbers = transcript.match(NUMBER_RE)?.length ?? 0;
  const outcomes = countPhrases(a.lower, OUTCOME_WORDS[lang]);
  const examples = countPhrases(a.lower, EXAMPLE_MARKERS[lang]);
  const specificity = clamp01((Math.min(3, numbers) + Math.min(2, outcomes) + Math.min(1, examples)) / 4);

  const coherence = clamp01(countPhrases(a.lower, COHERENCE_MARKERS[lang]) / 4);

  const fillerSet = new Set(FILLERS[lang]);
  let fillers = 0;
  for (const s of a.sentences) for (const t of s.tokens) if (fillerSet.has(t)) fillers++;
  if (lang === 'en')
    for (const p of ['you know', 'i mean', 'sort of', 'kind of']) fillers += a.lower.split(p).length - 1;
  const fillerRate = a.tokenCount ? fillers / a.tokenCount : 0;
  const fluency = empty ? 0 : clamp01(1 - fillerRate / 0.15);
  if (a.tokenCount >= 20 && fillerRate > 0.08) flags.push('high_filler_rate');

  const seconds = estimateSeconds(input);
  const expected = input.expectedSeconds && input.expectedSeconds > 0 ? input.expectedSeconds : 60;
  const length = clamp01(seconds / (0.4 * expected));
  if (!empty && seconds < Math.max(8, 0.15 * expected)) flags.push('too_short');
  if (seconds > 1.5 * expected) flags.push('too_long');

  const shared = { relevance, reference, star, specificity, coherence, fluency, length };

  // Competencies.
  const comps: CompetencyScore[] = [];
  const strengths: string[] = [];
  const gaps: Gap[] = [];
  const t = L[lang];
  let coverageSum = 0;
  for (const c of input.competencies) {
    const matched: string[] = [];
    const missing: string[] = [];
    const evidence: EvidenceSpan[] = [];
    for (const ind of c.indicators) {
      const terms = contentTerms(ind, lang);
      // One term in three must meet in a single sentence (an indicator has 2-4 content terms).
      const need = Math.max(1, Math.ceil(terms.length / 3));
      let best: Sentence | undefined;
      let bestHits = 0;
      for (const s of a.sentences) {
        const h = hits(terms, s);
        if (h > bestHits) {
          best = s;
          bestHits = h;
        }
      }
      if (best && bestHits >= need) {
        matched.push(ind);
        evidence.push(span(best, ind, input.sentences, transcript));
      } else missing.push(ind);
    }
    // Three of four indicators is full coverage: one answer rarely shows every behaviour.
    const coverage = c.indicators.length
      ? clamp01(matched.length / Math.ceil(0.75 * c.indicators.length))
      : relevance;
    coverageSum += coverage;
    const features = gated(coverage, shared);
    const score = round(combine(features, weights));
    if (specificity >= 0.5) {
      const s = firstSentenceWith(
        a,
        (x) => (x.text.match(NUMBER_RE)?.length ?? 0) > 0 || countPhrases(x.lower, EXAMPLE_MARKERS[lang]) > 0,
      );
      if (s && !evidence.some((e) => e.start === s.start))
        evidence.push(
          span(s, lang === 'zh' ? '具体事例/数据' : 'concrete example/figures', input.sentences, transcript),
        );
    }
    comps.push({
      name: c.name,
      score,
      features,
      matchedIndicators: matched,
      missingIndicators: missing,
      evidence,
    });
    if (score >= 70 && matched.length) strengths.push(t.showed(c.name, matched.slice(0, 3)));
    for (const m of missing.slice(0, 2))
      gaps.push({ competency: c.name, text: t.missing(m), suggestion: t.suggestMissing(m) });
  }

  const meanCoverage = input.competencies.length ? coverageSum / input.competencies.length : relevance;
  if (!empty && keyHit < 2 && meanCoverage === 0) flags.push('off_topic');
  const answerGate = contentGate(meanCoverage, relevance);
  const features = gated(meanCoverage, shared);

  if (star === 1 && answerGate > 0.5) strengths.push(t.structure);
  if (specificity >= 0.75 && answerGate > 0.5) strengths.push(t.specific);
  if (!empty && star < 0.75) {
    const missingParts = (['situation', 'task', 'action', 'result'] as const)
      .filter((k) => !starHits.includes(k))
      .map((k) => t.starParts[k]);
    gaps.push({ competency: t.structureName, text: t.starGap(missingParts), suggestion: t.starSuggest });
  }
  if (!empty && specificity < 0.5)
    gaps.push({ competency: t.structureName, text: t.specGap, suggestion: t.specSuggest });

  const overall = comps.length
    ? round(comps.reduce((s, c) => s + c.score, 0) / comps.length)
    : round(combine(features, weights));
  const jm = round(100 * clamp01(0.7 * meanCoverage + 0.3 * relevance));
  return {
    scorerVersion: SCORER_VERSION,
    language: lang,
    overall,
    competencies: comps,
    features,
    jobMatch: { score: jm, level: jm >= 60 ? 'strong' : jm >= 30 ? 'partial' : 'weak' },
    strengths,
    gaps,
    flags,
    estimatedSeconds: Math.round(seconds),
    weightsSource: weights.source,
  };
}
