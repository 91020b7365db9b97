/**
 * The explainable scorer. It reads only the words of an answer, its question, the rubric and
 * HR's reference answers (TRUST.md); with a learned model it also compares the answer with
 * answers to the same question that the company's interviewers rated (learned.ts), and for the
 * off-topic flag alone with earlier answers to the job's questions (answerPool.ts), as vectors.
 *
 * Uncalibrated score (0-100) of an answer: `100 · content · (0.8 + 0.2 · evidence)`; of a
 * competency: `100 · content · (0.8 + 0.1 · evidence + 0.1 · coverage)`.
 * - content: similarity to the reference / "what good looks like" answers (content.ts), with
 *   the question's terms demoted, repeats counted once and copied rubric text ignored.
 * - evidence: a specific example (numbers, "for example"), the candidate's own role or action
 *   ("I …"), and a result, each present or not. It multiplies content, so a template full of
 *   STAR phrases and invented numbers but saying nothing about the question stays low.
 * - coverage: share of the competency's behavioural indicators shown in counted sentences.
 * Every part only grows when a relevant sentence is added, so adding a relevant, specific
 * example never lowers a score. Fillers and disfluency never enter the score (a quality note
 * at most); length is only a flag.
 */

import { type AnswerPool, pooledTopicality } from './answerPool';
import { competencyWords } from './competencyWords';
import {
  type ContentMeasures,
  measureContent,
  type QuestionContext,
  questionContext,
  referenceLikeness,
} from './content';
import { answerVector, type LearnedModel, type LearnedPrediction, predict, ratedTopicality } from './learned';
import { EXAMPLE_MARKERS, FILLERS, OUTCOME_WORDS, STAR_MARKERS } from './lexicon';
import { contentTerms, countUnits, detectLanguage, hasPhrase, type Sentence, splitSentences } from './text';
import type {
  CompetencyScore,
  EvidenceSpan,
  FeatureVector,
  Gap,
  Lang,
  QualityFlag,
  QualityNote,
  ScoreResult,
  ScoringInput,
} from './types';

/** Version of the scorer; bump when features or formulas change. */
export const SCORER_VERSION = 'content-2.6.0';

/** Flags that say an answer may be gaming the scorer (their lift from ratings needs support). */
const GAMING_FLAGS: ReadonlySet<QualityFlag> = new Set(['suspected_gaming', 'repetition']);

/** Options of {@link scoreAnswer}. */
export interface ScoreOptions {
  /** The question's context (IDF of its question bank); built from the input when absent. */
  context?: QuestionContext;
  /** A model learned from the company's ratings; without it the score is uncalibrated. */
  model?: LearnedModel | null;
  /**
   * A fitted model that does not serve (its held-out agreement did not beat the uncalibrated
   * score's): its predictions are never used, but its rated answers still show what answers to
   * each question look like, so they inform the off-topic check. Ignored when `model` is given.
   */
  topicModel?: LearnedModel | null;
  /**
   * Earlier answers to the job's questions, unrated (answerPool.ts): when no rated answers of
   * the question inform the off-topic check, they do (resemblance to earlier answers of this
   * question vs another's). They never enter a score except through that flag.
   */
  pool?: AnswerPool | null;
  /** Question id (learned model: rated neighbours and the per-question fit). */
  questionId?: string;
  /** Competency/job group of the question (learned model). */
  group?: string;
}

/** The question context of an input (rubric = competency names and indicators). */
export function contextOf(
  input: Pick<ScoringInput, 'question' | 'competencies' | 'referenceAnswers' | 'language' | 'transcript'>,
  lang: Lang,
) {
  return questionContext({
    question: input.question,
    referenceAnswers: input.referenceAnswers,
    rubric: input.competencies.flatMap((c) => [c.name, ...c.indicators]),
    lang,
  });
}

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

const HAN_CHAR = /\p{Script=Han}/u;

/** An indicator's terms, with whether each may also be found as a Chinese substring. */
function indicatorTerms(terms: readonly string[]): Array<{ t: string; substring: boolean }> {
  return terms.map((t) => ({ t, substring: t.length >= 2 && HAN_CHAR.test(t) }));
}

/** Terms of an indicator that a sentence contains (by canonical term, or substring for Chinese). */
function hits(terms: Array<{ t: string; substring: boolean }>, s: Sentence): number {
  let n = 0;
  for (const { t, substring } of terms) if (s.terms.has(t) || (substring && s.lower.includes(t))) n++;
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

/** The candidate's own role or action ("I led…", "我负责…"). */
const OWN_ACTION_RE: Record<Lang, RegExp> = {
  zh: /我(?:们)?(?:先|就|还|又|亲自|主动|负责|带领|带着|组织|推动|设计|分析|决定|主导|采用|做了|写了|找|把|和|跟|提出|发现|定位|排查|重构|搭建|开发|沟通|协调|说服|建议|花了|用了|整理|制定|调整|对比|比较|验证|复盘)/,
  en: /\b(?:i|we)\s+(?:\w+ed|led|built|made|wrote|ran|took|set|found|chose|did|drove|began|sent|met|spoke|told|gave|kept|brought|sought|taught|went|got|put|cut|split|rewrote|proposed|decided|designed|organized|organised|analyzed|analysed|started|asked|talked|worked|spent|owned|handled|fixed|reviewed|tested|measured)\b/,
};

/** Evidence of one answer: which of example, own action and result its counted sentences show. */
function evidenceOf(sentences: Sentence[], counted: number[], lang: Lang) {
  let example: Sentence | undefined;
  let ownAction: Sentence | undefined;
  let result: Sentence | undefined;
  for (const i of counted) {
    const s = sentences[i];
    if (
      !example &&
      ((s.text.match(NUMBER_RE)?.length ?? 0) > 0 || countPhrases(s.lower, EXAMPLE_MARKERS[lang]) > 0)
    )
      example = s;
    if (!ownAction && OWN_ACTION_RE[lang].test(s.lower)) ownAction = s;
    if (
      !result &&
      (countPhrases(s.lower, OUTCOME_WORDS[lang]) > 0 || countPhrases(s.lower, STAR_MARKERS.result[lang]) > 0)
    )
      result = s;
  }
  return { example, ownAction, result };
}

const L = {
  zh: {
    showed: (c: string, quote: string) => `${c}：你提到“${quote}”，这是有说服力的具体内容`,
    structure: '回答有具体事例、你本人的行动和结果',
    thin: (c: string) => `${c}：回答里能说明这方面能力的具体内容还不多`,
    suggestExample: '挑一件你亲身经历的事，讲清楚当时的情况和你面对的难点。',
    suggestAction: '多说你本人具体做了什么、为什么这样做，而不只是团队做了什么。',
    suggestResult: '最后说明结果：带来了什么变化，怎么知道它有效，你学到了什么。',
    suggestDepth: '围绕题目本身多展开一步：你的判断依据是什么，考虑过哪些做法。',
    structureName: '表达结构',
    evidenceGap: '回答缺少可核实的细节',
    evidenceName: '具体事例/数据',
  },
  en: {
    showed: (c: string, quote: string) => `${c}: you said "${quote}", which is concrete and convincing`,
    structure: 'The answer has a specific example, your own actions and a result',
    thin: (c: string) => `${c}: the answer says little that shows this yet`,
    suggestExample: 'Pick one situation you lived through and describe it and what made it hard.',
    suggestAction: 'Say what you yourself did and why, not only what the team did.',
    suggestResult: 'Close with the outcome: what changed, how you knew it worked, what you learned.',
    suggestDepth:
      'Go one step further on the question itself: what you based your judgement on, what options you weighed.',
    structureName: 'Structure',
    evidenceGap: 'The answer lacks details that could be checked',
    evidenceName: 'concrete example/figures',
  },
};

/** Thresholds of the flags (documented, tested on the adversarial set). */
export const FLAG_THRESHOLDS = {
  /** Below both similarities: an answer to a different question. */
  offTopicSim: 0.06,
  /** Share of repeated sentences. */
  repeatedShare: 0.3,
  /** Share of the text copied from the rubric or question. */
  copiedShare: 0.3,
  /** Share of content terms taken from the prompt (with at least 5 terms). */
  promptTermShare: 0.75,
  /** ... or this share with fewer own words than `fewOwnWords`. */
  promptTermShareFewOwn: 0.5,
  fewOwnWords: 10,
  /** Share of the answer's topicality that is its own question's (vs the closest other question). */
  otherQuestionRelative: 0.38,
  /**
   * With a learned model: similarity to another question's well-rated answers from which, when it
   * is also this many times the similarity to the own question's, the answer is off topic; and
   * similarity to the own question's well-rated answers from which it is on topic whatever the
   * prompt-based rule says. Chosen on a development fold of the public sets' train rows
   * (BENCHMARKS.md, "off-topic from ratings").
   */
  ratedOtherSim: 0.3,
  ratedOtherRatio: 3,
  ratedOwnSupport: 0.3,
  /**
   * With earlier unrated answers (answerPool.ts; each resemblance the mean of the 3 nearest): the
   * answer is off topic when its resemblance to another question's earlier answers is at least
   * `pooledOtherSim` and `pooledOtherRatio` times that to its own question's; it is on topic,
   * whatever the prompt-based rule says, from `pooledOwnSupport` of resemblance to its own
   * question's. Chosen on 5-fold cross-validation of the public sets' train rows (BENCHMARKS.md,
   * "off-topic from earlier answers").
   */
  pooledOtherSim: 0.15,
  pooledOtherRatio: 2,
  /** ... or this many times when the prompt's words lean to another question (`otherQuestionRelative`). */
  pooledLeanRatio: 1.5,
  pooledOwnSupport: 0.35,
  /** Share of an answer's rated resemblance that is another question's up to which the lift is whole. */
  ratedSharedOther: 0.55,
  /**
   * With HR's descriptive reference answers on this question and another of the bank: the answer
   * is off topic when its similarity to the other's is at least this much (so two faint
   * likenesses never decide) and this many times its similarity to its own question's, and it
   * has at least `fewOwnWords` own words. Chosen on the public sets' train rows and the
   * adversarial set (BENCHMARKS.md, "off-topic from reference answers").
   */
  describedOtherSim: 0.1,
  describedOtherRatio: 1.3,
  /** Similarity to HR's reference answers above which an answer is plainly about its question. */
  closeToReference: 0.15,
  /**
   * With a learned model: similarity to the nearest rated answer of the own question from which a
   * flagged answer gets the model's whole lift (below it, that share of the lift).
   */
  ratedSupportSim: 0.3,
  /**
   * Share of its content an answer flagged off topic is scored on without a learned model (at
   * most: flagged from earlier answers, the own question's share of its resemblance to them).
   */
  offTopicShare: 0.5,
  /**
   * An answer flagged off topic that is at least this many times as like another question's
   * reference answers as its own question's (plain likeness, short references too) is scored on
   * its own question's share of that likeness when it is below `offTopicShare` (uncalibrated
   * score only). Chosen on 5-fold cross-validation of the public sets' train rows (BENCHMARKS.md,
   * "an off-topic answer on its share of the reference likeness"): 3 and 6 left one more mohler
   * fold with a gaming answer above its best; 2 cost more agreement.
   */
  offTopicReferenceRatio: 4,
  /** Evidence markers this high while content is this low: a template. */
  templateEvidence: 1,
  templateContent: 0.3,
} as const;

/**
 * Scores one answer. Pure and synchronous: same input, same output. Without a model the score
 * is uncalibrated; with one (learned from the company's ratings) the model's score replaces the
 * overall and the competency scores move with it.
 */
export function scoreAnswer(input: ScoringInput, opts: ScoreOptions = {}): ScoreResult {
  const transcript = input.transcript ?? '';
  const detected = detectLanguage(transcript || input.question);
  const lang: Lang = input.language ?? detected;
  const a = analyse(transcript, lang);
  const flags: QualityFlag[] = [];
  const notes: QualityNote[] = [];
  const empty = a.tokenCount === 0;
  if (empty) flags.push('empty_transcript');
  if (!empty && input.language && transcript.length > 20 && detected !== input.language)
    flags.push('language_mismatch');

  const ctx = opts.context ?? contextOf(input, lang);
  const m: ContentMeasures = measureContent(transcript, ctx, a.sentences);
  const countedSet = new Set(m.counted);
  const ev = evidenceOf(a.sentences, m.counted, lang);
  const example = ev.example ? 1 : 0;
  const ownAction = ev.ownAction ? 1 : 0;
  const result = ev.result ? 1 : 0;
  const evidence = (example + ownAction + result) / 3;

  // Fillers: a quality note only, never part of the score (TRUST.md: no penalty for disfluency).
  const fillerSet = new Set(FILLERS[lang]);
  let fillers = 0;
  for (const s of a.sentences) for (const t of s.tokens) if (fillerSet.has(t)) fillers++;
  if (lang === 'en')
    for (const p of ['you know', 'i mean', 'sort of', 'kind of']) fillers += a.lower.split(p).length - 1;
  const fillerRate = a.tokenCount ? fillers / a.tokenCount : 0;
  const fluency = empty ? 0 : clamp01(1 - fillerRate / 0.15);
  if (a.tokenCount >= 20 && fillerRate > 0.08) notes.push('many_fillers');

  const seconds = estimateSeconds(input);
  const expected = input.expectedSeconds && input.expectedSeconds > 0 ? input.expectedSeconds : 60;
  const length = clamp01(seconds / (0.4 * expected));
  if (!empty && seconds < Math.max(8, 0.15 * expected)) flags.push('too_short');
  if (seconds > 1.5 * expected) flags.push('too_long');

  // Gaming guards: flags for a person; the content measure already ignores what they detect.
  const T = FLAG_THRESHOLDS;
  const relative =
    m.topicPlainSim + m.otherTopicSim > 0 ? m.topicPlainSim / (m.topicPlainSim + m.otherTopicSim) : 0;
  // Rated answers that say what answers to each question look like: the serving model's, or
  // those of a model that was fitted but does not serve (topicality only, never its predictions).
  const topicModel = opts.model ?? opts.topicModel ?? null;
  // The neighbour vector, when a model will compare it with rated answers (topicality and score).
  const vec =
    (topicModel || opts.pool) && opts.questionId !== undefined && !empty
      ? answerVector(transcript, ctx, undefined, m.plain)
      : null;
  const rated =
    vec && topicModel && opts.questionId !== undefined
      ? ratedTopicality(topicModel, { questionId: opts.questionId, group: opts.group, vec })
      : null;
  // Without rated answers of this question, earlier unrated answers to the job's questions say
  // the same less surely (nothing says which were good): see FLAG_THRESHOLDS.pooled*.
  const pooled =
    vec && !rated && opts.pool && opts.questionId !== undefined
      ? pooledTopicality(opts.pool, {
          questionId: opts.questionId,
          vec,
          // Long answers only: identical short factual answers by different people are common.
          ignoreCopies: m.novel >= T.fewOwnWords,
        })
      : null;
  // What HR wrote good answers cover, for this question and for another of the job: an answer
  // far closer to the other's is an answer to that one, whatever words it shares with the prompt.
  const describedOffTopic =
    m.novel >= T.fewOwnWords &&
    m.otherDescribedSim >= T.describedOtherSim &&
    m.otherDescribedSim >= T.describedOtherRatio * m.describedSim;
  const promptOffTopic =
    (m.referenceSim < T.offTopicSim && m.topicSim < T.offTopicSim && m.topicPlainSim < T.offTopicSim) ||
    (m.otherTopicSim > 0 && relative < T.otherQuestionRelative && m.referenceSim < T.closeToReference) ||
    describedOffTopic;
  // With ratings, what people rated good outranks the prompt's words: an answer close to its own
  // question's good answers is on topic, one far closer to another question's is not.
  const ratedOffTopic =
    rated !== null && rated.other >= T.ratedOtherSim && rated.other >= T.ratedOtherRatio * rated.own;
  const ratedOnTopic = rated !== null && rated.own >= T.ratedOwnSupport;
  // Earlier answers far closer to another question's flag the answer; somewhat closer ones do when
  // the prompt's words lean to that question too (two signals agreeing; the reference likeness
  // that clears the prompt rule alone comes from words the neighbouring questions share).
  const promptLeans = m.otherTopicSim > 0 && relative < T.otherQuestionRelative;
  const pooledOffTopic =
    pooled !== null &&
    pooled.other >= T.pooledOtherSim &&
    pooled.other >= (promptLeans ? T.pooledLeanRatio : T.pooledOtherRatio) * pooled.own;
  const pooledOnTopic = pooled !== null && pooled.own >= T.pooledOwnSupport;
  if (!empty && (ratedOffTopic || pooledOffTopic || (promptOffTopic && !ratedOnTopic && !pooledOnTopic)))
    flags.push('off_topic');
  if (m.sentenceCount >= 3 && m.repeatedShare >= T.repeatedShare) flags.push('repetition');
  if (
    !empty &&
    (m.copiedShare >= T.copiedShare ||
      m.templateShare >= T.copiedShare ||
      (m.promptTermShare >= T.promptTermShare && a.terms.size >= 5) ||
      (m.promptTermShare >= T.promptTermShareFewOwn &&
        m.novel < T.fewOwnWords &&
        a.terms.size >= 5 &&
        m.referenceSim < 2 * T.closeToReference) ||
      (evidence >= T.templateEvidence && m.content < T.templateContent))
  )
    flags.push('suspected_gaming');

  const content = m.content;
  // An answer flagged off topic is closer to another question than to its own: only part of its
  // likeness to this question's reference is its own (the rest is vocabulary the two questions
  // share), so its uncalibrated score counts half of it. The measure itself (the learned model's
  // input) and the base of the learned model's bounds below are unchanged: with ratings, the
  // half-way bound is the off-topic treatment. Flagged from earlier answers, the share is at most
  // that of its resemblance to them which is its own question's (a third or less at the flag's 2x).
  const ownShare = !flags.includes('off_topic')
    ? 1
    : pooled && pooledOffTopic
      ? Math.min(T.offTopicShare, pooled.own / (pooled.own + pooled.other))
      : T.offTopicShare;
  // Uncalibrated, an off-topic answer far more like another question's reference answers than
  // its own question's keeps only its own question's share of that likeness: the half would still
  // lift it above genuine answers that share few words with a short reference ("Unlimited
  // number."). With a model the half-way bound below keeps `ownShare`: carried into it, this cost
  // held-out agreement on the public sets' train folds and moved no gaming count.
  const likeness = flags.includes('off_topic') ? referenceLikeness(m, ctx) : null;
  const uncalShare =
    likeness && likeness.other > 0 && likeness.other >= T.offTopicReferenceRatio * likeness.own
      ? Math.min(ownShare, likeness.own / (likeness.own + likeness.other))
      : ownShare;
  const uncalAnswer = 100 * content * (0.8 + 0.2 * evidence);

  // Learned model (company ratings): replaces the overall; competencies move by the same ratio.
  let learned: LearnedPrediction | null = null;
  if (opts.model && opts.questionId !== undefined && !empty)
    learned = predict(opts.model, {
      questionId: opts.questionId,
      group: opts.group,
      vec: vec ?? answerVector(transcript, ctx, undefined, m.plain),
      content,
      evidence,
    });
  // An off-topic answer goes to a person (never rejected); until then the company's ratings lift
  // it at most half-way from what its own content earns. Without this a per-question fit with a
  // high intercept gave a stuffed or borrowed answer the question's typical rating, above the best
  // genuine answer. Half-way, not all the way: genuine answers flagged off-topic by mistake keep
  // part of the lift (capping them fully cost agreement on the public sets' train folds).
  if (learned && flags.includes('off_topic'))
    learned = {
      ...learned,
      score: Math.round(Math.min(learned.score, (learned.score + ownShare * uncalAnswer) / 2)),
    };
  // The lift of a flagged answer rests on its resemblance to this question's rated answers: one
  // that resembles none of them (stuffing, parroting, a template) gets from the ratings only what
  // that resemblance supports, not the question's typical rating.
  if (learned && flags.some((f) => GAMING_FLAGS.has(f))) {
    const support = Math.min(1, learned.nearestSimilarity / T.ratedSupportSim);
    const lift = learned.score - uncalAnswer;
    if (lift > 0) learned = { ...learned, score: Math.round(uncalAnswer + support * lift) };
  }
  // The company's ratings of this question lift an answer as far as it resembles this question's
  // well-rated answers rather than another question's: questions that share their vocabulary
  // would otherwise hand an answer to the other question this one's typical rating. Full lift up
  // to `ratedSharedOther` of the resemblance being the other question's, none from the share at
  // which the answer is flagged off topic (`ratedOtherRatio`), linear in between, so never below
  // half-way: the bound an off-topic flag sets (which then applies instead).
  if (learned && rated && rated.other > 0 && !flags.includes('off_topic')) {
    const otherShare = rated.other / (rated.own + rated.other);
    const offShare = T.ratedOtherRatio / (1 + T.ratedOtherRatio);
    const keep = 0.5 + 0.5 * clamp01((offShare - otherShare) / (offShare - T.ratedSharedOther));
    const lift = learned.score - uncalAnswer;
    if (lift > 0 && keep < 1) learned = { ...learned, score: Math.round(uncalAnswer + keep * lift) };
  }

  const comps: CompetencyScore[] = [];
  const strengths: string[] = [];
  const gaps: Gap[] = [];
  const t = L[lang];
  let coverageSum = 0;
  for (const c of input.competencies) {
    const matched: string[] = [];
    const missing: string[] = [];
    const evidenceSpans: EvidenceSpan[] = [];
    for (const ind of c.indicators) {
      const terms = indicatorTerms(contentTerms(ind, lang));
      // One term in three must meet in a single counted sentence (an indicator has 2-4 terms).
      const need = Math.max(1, Math.ceil(terms.length / 3));
      let best: Sentence | undefined;
      let bestHits = 0;
      a.sentences.forEach((s, i) => {
        if (!countedSet.has(i)) return;
        const h = hits(terms, s);
        if (h > bestHits) {
          best = s;
          bestHits = h;
        }
      });
      if (best && bestHits >= need) {
        matched.push(ind);
        evidenceSpans.push(span(best, ind, input.sentences, transcript));
      } else missing.push(ind);
    }
    // Three of four indicators is full coverage: one answer rarely shows every behaviour.
    const coverage = c.indicators.length
      ? clamp01(matched.length / Math.ceil(0.75 * c.indicators.length))
      : 0;
    coverageSum += coverage;
    const uncal = 100 * content * (0.8 + 0.1 * evidence + 0.1 * coverage);
    const score = round(learned ? scaleTo(uncal, uncalAnswer, learned.score) : uncalShare * uncal);
    if (ev.example && !evidenceSpans.some((e) => e.start === ev.example?.start))
      evidenceSpans.push(span(ev.example, t.evidenceName, input.sentences, transcript));
    const features: FeatureVector = {
      content,
      reference: m.referenceSim,
      topic: m.topicSim,
      coverage,
      evidence,
      example,
      ownAction,
      result,
      fluency,
      length,
    };
    comps.push({
      name: c.name,
      score,
      features,
      matchedIndicators: matched,
      missingIndicators: missing,
      evidence: evidenceSpans,
    });
    const quote = evidenceSpans[0]?.text;
    if (score >= 70 && quote) strengths.push(t.showed(c.name, clip(quote, lang)));
    if (score < 65 || coverage < 0.5)
      gaps.push({
        competency: c.name,
        text: t.thin(c.name),
        suggestion: suggestionFor(ev, content, t, lang, c.name),
      });
  }

  const meanCoverage = input.competencies.length ? coverageSum / input.competencies.length : 0;
  const features: FeatureVector = {
    content,
    reference: m.referenceSim,
    topic: m.topicSim,
    coverage: meanCoverage,
    evidence,
    example,
    ownAction,
    result,
    fluency,
    length,
  };
  if (evidence === 1 && content >= 0.5) strengths.push(t.structure);
  if (!empty && evidence < 1 && !comps.length)
    gaps.push({
      competency: t.structureName,
      text: t.evidenceGap,
      suggestion: suggestionFor(ev, content, t, lang),
    });

  const uncalibrated = comps.length
    ? round(comps.reduce((s, c) => s + c.score, 0) / comps.length)
    : round(uncalShare * uncalAnswer);
  const overall = learned
    ? comps.length
      ? round(comps.reduce((s, c) => s + c.score, 0) / comps.length)
      : learned.score
    : uncalibrated;
  const jm = round(100 * meanCoverage);
  return {
    scorerVersion: SCORER_VERSION,
    language: lang,
    overall,
    uncalibrated: comps.length
      ? round(
          input.competencies.reduce(
            (s, _c, i) =>
              s + 100 * uncalShare * content * (0.8 + 0.1 * evidence + 0.1 * comps[i].features.coverage),
            0,
          ) / comps.length,
        )
      : uncalibrated,
    competencies: comps,
    features,
    jobMatch: { score: jm, level: jm >= 60 ? 'strong' : jm >= 30 ? 'partial' : 'weak' },
    strengths,
    gaps,
    flags,
    notes,
    estimatedSeconds: Math.round(seconds),
    weightsSource: learned ? `learned:${learned.scope}` : 'uncalibrated',
    basis: {
      kind: learned ? learned.scope : 'uncalibrated',
      referenceOverlap: round(100 * m.referenceSim),
      hasReferenceAnswers: ctx.hasReferenceAnswers,
      evidence: { example: !!ev.example, ownAction: !!ev.ownAction, result: !!ev.result },
      ...(learned && opts.model
        ? {
            neighbours: {
              ratedAnswers: learned.neighboursRated,
              nearestRatings: learned.nearestRatings,
              similarity: Math.round(100 * learned.nearestSimilarity) / 100,
            },
            modelVersion: opts.model.version,
          }
        : {}),
    },
  };
}

/** Moves a competency's uncalibrated score by the ratio the learned model moved the answer's. */
function scaleTo(comp: number, answer: number, learned: number): number {
  if (answer <= 0) return learned;
  return Math.max(0, Math.min(100, comp + (learned - answer)));
}

function clip(text: string, lang: Lang): string {
  const max = lang === 'zh' ? 40 : 90;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * The most useful next step: what the answer lacks first. When it says little about the question
 * itself, the step names what a known competency looks for (so each competency's feedback says
 * something of its own); otherwise, and for a competency the product does not know, the generic step.
 */
function suggestionFor(
  ev: { example?: Sentence; ownAction?: Sentence; result?: Sentence },
  content: number,
  t: (typeof L)['zh'],
  lang: Lang,
  competency?: string,
): string {
  const deeper = () => (competency && competencyWords(competency)?.deeper[lang]) || t.suggestDepth;
  if (content < 0.35) return deeper();
  if (!ev.example) return t.suggestExample;
  if (!ev.ownAction) return t.suggestAction;
  if (!ev.result) return t.suggestResult;
  return deeper();
}
