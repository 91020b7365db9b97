/**
 * What an answer says, measured against what a good answer to the question looks like, with
 * guards against gaming. Used by the engine (uncalibrated score) and by the learned model.
 *
 * - Reference similarity: the mean of (a) the TF-IDF cosine of the best contiguous window of
 *   sentences and (b) the IDF-weighted share of the reference's terms the answer contains,
 *   against the best reference answer (HR's "what good looks like"; without one, the rubric's
 *   indicators). Both parts only grow when sentences are added, so adding a relevant example
 *   never lowers it. Terms of the question are demoted (repeating the question is not an
 *   answer), repeated sentences count once, and sentences copied from the rubric or the
 *   question count for nothing.
 * - Topic: the same measure against the question and its rubric, to tell an answer to a
 *   different question (`off_topic`); and, where HR wrote descriptive reference answers, a
 *   plain similarity to this question's and to the other questions' references.
 * - Guards (flags for a person, never a rejection): `repetition` (many repeated sentences),
 *   `suspected_gaming` (text copied from the rubric/question, or an answer made mostly of the
 *   question's and rubric's terms), `language_mismatch` (set by the engine).
 */

import { GENERIC_WORDS, STOP_WORDS } from './lexicon';
import {
  dot,
  Idf,
  type SparseVector,
  TermIndex,
  termCounts,
  tfidf,
  tfidfOf,
  VIEW_WEIGHTS,
} from './similarity';
import {
  canonical,
  charClass,
  HAN_CHAR,
  LETTER_OR_NUMBER,
  type Sentence,
  SPACE_CHAR,
  splitSentences,
} from './text';
import type { Lang } from './types';

/** Word keys of generic answer phrases (STAR markers, outcome words...): not the candidate's own content. */
let genericKeys: Record<Lang, Set<string>> | null = null;
/** Built on first use: segmenting them at import would load jieba in every process. */
function GENERIC_KEYS(): Record<Lang, Set<string>> {
  genericKeys ??= {
    zh: new Set([...termCounts(GENERIC_WORDS.zh.join('，'), 'zh').keys()].filter((k) => k.startsWith('w:'))),
    en: new Set([...termCounts(GENERIC_WORDS.en.join(', '), 'en').keys()].filter((k) => k.startsWith('w:'))),
  };
  return genericKeys;
}

/** How much a term of the question still counts in an answer (0.2: a fifth). */
export const QUESTION_DEMOTION = 0.2;
/** Concave map of similarity to the 0-1 content score: half the reference's words is most of the way. */
export const CONTENT_EXPONENT = 0.6;
/** At most this many sentences enter the window search (long answers: the first ones). */
const MAX_WINDOW_SENTENCES = 40;

/** Everything about a question the content measures need, computed once per question. */
export interface QuestionContext {
  lang: Lang;
  idf: Idf;
  /** Term keys of the question (demoted). */
  demote: Set<string>;
  /** Reference documents: term counts and TF-IDF vectors. */
  references: Array<{ counts: SparseVector; vec: SparseVector; weightSum: number }>;
  /** Whether the references are HR's answers (true) or stand-ins built from the rubric (false). */
  hasReferenceAnswers: boolean;
  /** The question and rubric as one document (topic check). */
  topic: { counts: SparseVector; vec: SparseVector; weightSum: number };
  /** Character 4-grams (zh) / word 3-grams (en) of the rubric, to spot copied text. */
  rubricShingles: Set<string>;
  /** The same of the question. */
  questionShingles: Set<string>;
  /** Terms of the question and rubric (stuffing check). */
  promptTerms: Set<string>;
  /** The question and rubric without demotion (is the answer about this at all?). */
  topicPlain: SparseVector;
  /**
   * The other questions of the bank (their question, rubric and references): an answer closer
   * to one of them than to its own question answers a different question.
   */
  others: SparseVector[];
  /**
   * HR's reference answers that describe what a good answer covers (at least
   * {@link DESCRIPTIVE_REFERENCE_WORDS} words), as plain vectors: the same for every question of
   * the bank, so an answer can be compared with its own question's and another's alike.
   */
  describedAs: PlainReference[];
  /** The same of the bank's other questions (those that have such reference answers). */
  othersDescribedAs: PlainReference[][];
  /**
   * Every one of HR's reference answers, short ones too, as plain vectors: what an answer flagged
   * off topic shares with this question's reference and with another's (see
   * {@link referenceLikeness}).
   */
  plainReferences: PlainReference[];
  /** The same of the bank's other questions (those that have reference answers). */
  othersPlainReferences: PlainReference[][];
}

/** A reference answer as a plain vector (no question demoted) with its terms' IDF mass. */
export interface PlainReference {
  vec: SparseVector;
  counts: SparseVector;
  weightSum: number;
}

/**
 * Words (distinct) from which a reference answer describes its question rather than naming a
 * key phrase ("File scope."): only such references take part in the other-question comparison.
 */
export const DESCRIPTIVE_REFERENCE_WORDS = 10;

/** Inputs of a question context. */
export interface QuestionSpec {
  question: string;
  referenceAnswers?: string[];
  /** Rubric text: competency names and indicators. */
  rubric?: string[];
  lang: Lang;
}

/**
 * A question bank's IDF: one document per question, reference answer and rubric line. Pass
 * every question of the job (or of the input file) so words common to all of them weigh less.
 */
export function bankIdf(specs: QuestionSpec[]): Idf {
  const idf = new Idf();
  for (const s of specs)
    for (const doc of [s.question, ...(s.referenceAnswers ?? []), ...(s.rubric ?? [])])
      if (doc.trim()) idf.add(termCounts(doc, s.lang));
  return idf;
}

function refDoc(text: string, ctx: Pick<QuestionContext, 'idf' | 'demote' | 'lang'>) {
  const counts = termCounts(text, ctx.lang);
  const vec = tfidf(counts, ctx.idf, VIEW_WEIGHTS[ctx.lang], ctx.demote, QUESTION_DEMOTION);
  let weightSum = 0;
  for (const k of counts.keys()) weightSum += termWeight(k, ctx);
  return { counts, vec, weightSum };
}

function termWeight(k: string, ctx: Pick<QuestionContext, 'idf' | 'demote'>): number {
  return ctx.idf.weight(k) * (ctx.demote.has(k) ? QUESTION_DEMOTION : 1);
}

/**
 * How much of question `a`'s reference answers question `b`'s reference answers also say: the
 * bank-IDF-weighted share of `a`'s reference terms present in `b`'s, in [0, 1] (0 when `a` has
 * none). Near 1, `b` is `a` asked again (the same answer, perhaps with more): an answer to `b`
 * is then a genuine answer to `a`, not an answer to a different question.
 */
export function referenceCoverage(a: QuestionContext, b: QuestionContext): number {
  const inB = new Set<string>();
  for (const r of b.references) for (const k of r.counts.keys()) inB.add(k);
  let on = 0;
  let all = 0;
  for (const r of a.references)
    for (const k of r.counts.keys()) {
      const w = a.idf.weight(k);
      all += w;
      if (inB.has(k)) on += w;
    }
  return all ? on / all : 0;
}

/** Shingles used to detect copied text. */
export function shingles(text: string, lang: Lang): string[] {
  const lower = text.toLowerCase();
  if (lang === 'zh') {
    const chars = lower.replace(/[^\p{Script=Han}a-z0-9]/gu, '');
    const out: string[] = [];
    for (let i = 0; i + 4 <= chars.length; i++) out.push(chars.slice(i, i + 4));
    return out;
  }
  const words = lower.match(/[a-z0-9]+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i + 3 <= words.length; i++) out.push(words.slice(i, i + 3).join(' '));
  return out;
}

/** Longest aside {@link withoutAsides} leaves out: a gloss, not a list of points. */
export const ASIDE_MAX = { words: 3, han: 6 };

/**
 * A reference answer without its short asides in parentheses ("Data members (attributes) and
 * member functions." → "Data members and member functions."), or null when it has none. A short
 * aside glosses what is next to it (a synonym, "phase 5", "or 2"); an answer that says everything
 * else has said the reference, so the scoring measure takes the better of the reference with and
 * without them (an answer that says the aside too loses nothing). Longer asides ("（需求变更、
 * 人手、依赖方延期）") list points a good answer covers and stay. Innermost parentheses only,
 * ASCII or full-width.
 */
export function withoutAsides(text: string): string | null {
  const short = (inner: string) =>
    inner.trim().split(/\s+/).length <= ASIDE_MAX.words &&
    (inner.match(/\p{Script=Han}/gu) ?? []).length <= ASIDE_MAX.han;
  const out = text
    .replace(/\s*[(（]([^()（）]*)[)）]/g, (all, inner: string) => (short(inner) ? '' : all))
    .replace(/\s+([.,;:!?。，；：！？])/g, '$1')
    .trim();
  return out && out !== text.trim() ? out : null;
}

/** Builds the context of one question (IDF from `idf`, or from the question's own texts). */
export function questionContext(spec: QuestionSpec, idf?: Idf): QuestionContext {
  const lang = spec.lang;
  const refs = (spec.referenceAnswers ?? []).filter((r) => r.trim());
  const rubric = (spec.rubric ?? []).filter((r) => r.trim());
  const ownIdf = idf ?? bankIdf([spec]);
  const demote = new Set(termCounts(spec.question, lang).keys());
  const base = { lang, idf: ownIdf, demote };
  // A reference with short asides in parentheses also counts without them (see withoutAsides).
  const scored = [...refs, ...refs.map(withoutAsides).filter((r): r is string => r !== null)];
  const references = (refs.length ? scored : rubric.length ? [rubric.join('。')] : []).map((r) =>
    refDoc(r, base),
  );
  const topic = refDoc([spec.question, ...rubric].join('。'), base);
  const rubricShingles = new Set(rubric.flatMap((t) => shingles(t, lang)));
  const questionShingles = new Set(shingles(spec.question, lang));
  const promptTerms = new Set<string>();
  for (const t of [spec.question, ...rubric]) for (const k of termCounts(t, lang).keys()) promptTerms.add(k);
  const topicPlain = tfidf(
    termCounts([spec.question, ...rubric, ...refs].join('。'), lang),
    ownIdf,
    VIEW_WEIGHTS[lang],
  );
  // Distinct words of each reference: only descriptive ones describe their question.
  const words: number[] = [];
  const plainReferences: PlainReference[] = refs.map((r) => {
    const counts = termCounts(r, lang);
    let n = 0;
    let weightSum = 0;
    for (const k of counts.keys()) {
      if (k.startsWith('w:')) n++;
      weightSum += ownIdf.weight(k);
    }
    words.push(n);
    return { vec: tfidf(counts, ownIdf, VIEW_WEIGHTS[lang]), counts, weightSum };
  });
  return {
    ...base,
    topicPlain,
    others: [],
    describedAs: plainReferences.filter((_, i) => words[i] >= DESCRIPTIVE_REFERENCE_WORDS),
    othersDescribedAs: [],
    plainReferences,
    othersPlainReferences: [],
    references,
    hasReferenceAnswers: refs.length > 0,
    topic,
    rubricShingles,
    questionShingles,
    promptTerms,
  };
}

/** Content measures of one answer. */
export interface ContentMeasures {
  /** Similarity to the best reference, in [0, 1] (before the concave map). */
  referenceSim: number;
  /** Similarity to the question and rubric, in [0, 1]. */
  topicSim: number;
  /** The content score in [0, 1]: referenceSim ** CONTENT_EXPONENT. */
  content: number;
  /** Share of sentences that repeat an earlier one. */
  repeatedShare: number;
  /** Share of the answer's text copied from the rubric or the question. */
  copiedShare: number;
  /** Share of the answer's text in sentences made only of template phrases and figures. */
  templateShare: number;
  /** Share of the answer's content terms that are the question's or rubric's own. */
  promptTermShare: number;
  /** Cosine with the question and rubric, question terms not demoted. */
  topicPlainSim: number;
  /** Plain TF-IDF vector of the counted sentences (the learned model's neighbour vector is built from it). */
  plain: SparseVector;
  /** Best cosine with another question of the bank. */
  otherTopicSim: number;
  /**
   * Plain similarity (no question demoted: mean of cosine and recall) to the question's own
   * descriptive reference answers, and the best to another question's (flags only; 0 when the
   * question has none).
   */
  describedSim: number;
  otherDescribedSim: number;
  /** Distinct content words of the candidate's own (not the prompt's, not generic phrases). */
  novel: number;
  /** Indexes (into the sentence list) of the sentences that counted. */
  counted: number[];
  /** Number of sentences. */
  sentenceCount: number;
}

/**
 * A lower-cased sentence's letters and digits (its repeat key) and its Han characters and ASCII
 * letters and digits (the characters of its Chinese shingles), in one pass: the same strings as
 * `lower.replace(/[^\p{L}\p{N}]/gu, '')` and `lower.replace(/[^\p{Script=Han}a-z0-9]/gu, '')`
 * without two Unicode regular expressions per sentence. Kept runs are sliced whole.
 */
export function keyAndShingleChars(lower: string): { key: string; chars: string } {
  let key = '';
  let chars = '';
  let keyFrom = -1;
  let charsFrom = -1;
  let i = 0;
  while (i < lower.length) {
    const cp = lower.codePointAt(i) as number;
    const next = i + (cp > 0xffff ? 2 : 1);
    const c = charClass(cp);
    const inKey = (c & LETTER_OR_NUMBER) !== 0;
    // [a-z0-9] for ASCII (upper case is not kept), the Han script otherwise.
    const inChars = cp < 128 ? inKey && !(cp >= 65 && cp <= 90) : (c & HAN_CHAR) !== 0;
    if (inKey) {
      if (keyFrom < 0) keyFrom = i;
    } else if (keyFrom >= 0) {
      key += lower.slice(keyFrom, i);
      keyFrom = -1;
    }
    if (inChars) {
      if (charsFrom < 0) charsFrom = i;
    } else if (charsFrom >= 0) {
      chars += lower.slice(charsFrom, i);
      charsFrom = -1;
    }
    i = next;
  }
  if (keyFrom >= 0) key += lower.slice(keyFrom);
  if (charsFrom >= 0) chars += lower.slice(charsFrom);
  return { key, chars };
}

/** Slot of the 4-gram of code units at `at` in a {@link shingleFilter}. */
function shingleHash(s: string, at: number): number {
  return (
    ((((s.charCodeAt(at) * 31 + s.charCodeAt(at + 1)) | 0) * 31 + s.charCodeAt(at + 2)) * 31 +
      s.charCodeAt(at + 3)) &
    0xffff
  );
}

/** Filters of shingle sets (per set: a context's sets are built once and not changed). */
const shingleFilters = new WeakMap<Set<string>, { size: number; slots: Uint8Array }>();

/**
 * A filter of a set of Chinese shingles: a zero slot means no shingle of that hash is in the
 * set, so most of an answer's 4-grams are ruled out without building their strings; a set slot
 * is confirmed by the set itself (exact).
 */
function shingleFilter(set: Set<string>): Uint8Array {
  let f = shingleFilters.get(set);
  if (!f || f.size !== set.size) {
    const slots = new Uint8Array(0x10000);
    for (const x of set) if (x.length === 4) slots[shingleHash(x, 0)] = 1;
    f = { size: set.size, slots };
    shingleFilters.set(set, f);
  }
  return f.slots;
}

/** Sentences of an answer that count: not a repeat, not copied from the rubric or question. */
function countedSentences(transcript: string, ctx: QuestionContext, split?: Sentence[]) {
  const sentences = split ?? splitSentences(transcript, ctx.lang);
  const inList = promptListSentences(sentences, ctx);
  const seen = new Set<string>();
  let repeats = 0;
  let copiedChars = 0;
  let allChars = 0;
  const counted: number[] = [];
  const zh = ctx.lang === 'zh';
  sentences.forEach((s, i) => {
    const split = zh ? keyAndShingleChars(s.lower) : null;
    const key = split ? split.key : s.lower.replace(/[^\p{L}\p{N}]/gu, '');
    allChars += key.length;
    if (seen.has(key)) {
      repeats++;
      return;
    }
    seen.add(key);
    let inRubric = 0;
    let inQuestion = 0;
    let shingleCount = 0;
    if (split) {
      // Chinese: 4-grams of the characters, looked up only when a filter says they may be there.
      const { chars } = split;
      shingleCount = Math.max(0, chars.length - 3);
      const inR = shingleFilter(ctx.rubricShingles);
      const inQ = shingleFilter(ctx.questionShingles);
      for (let j = 0; j < shingleCount; j++) {
        const h = shingleHash(chars, j);
        if (inR[h] && ctx.rubricShingles.has(chars.slice(j, j + 4))) inRubric++;
        if (inQ[h] && ctx.questionShingles.has(chars.slice(j, j + 4))) inQuestion++;
      }
    } else {
      const sh = shingles(s.text, ctx.lang);
      shingleCount = sh.length;
      for (const x of sh) {
        if (ctx.rubricShingles.has(x)) inRubric++;
        if (ctx.questionShingles.has(x)) inQuestion++;
      }
    }
    const fromRubric = shingleCount ? inRubric / shingleCount : 0;
    const fromQuestion = shingleCount ? inQuestion / shingleCount : 0;
    // A sentence mostly copied from the rubric, or nothing but the question, says nothing of the
    // candidate's own. (Restating the question before answering is common and fine: question
    // terms are demoted instead.) Nor does a bare list of the prompt's words: it is the question
    // taken apart, with no sentence to say anything about it.
    if (
      fromRubric >= 0.6 ||
      fromQuestion >= 0.9 ||
      (shingleCount && fromRubric + fromQuestion >= 0.9) ||
      inList.has(i)
    ) {
      copiedChars += key.length;
      return;
    }
    counted.push(i);
  });
  return {
    sentences,
    counted,
    repeatedShare: sentences.length ? repeats / sentences.length : 0,
    copiedShare: allChars ? copiedChars / allChars : 0,
  };
}

/** Separators of a list's items inside a sentence. */
const LIST_SEPARATOR = /[,，、;；]+/;
const EN_LIST_WORD = /[a-z0-9]+/g;
const HAN_RUNS = /\p{Script=Han}+/gu;

/** Items of a list in a text: how many, how many a single word, how many carry a content term, how many of those the prompt's. */
export interface ListCount {
  items: number;
  single: number;
  content: number;
  onPrompt: number;
}

/** Whether a code unit is one of {@link LIST_SEPARATOR}'s characters. */
const isListSeparator = (c: number) => c === 44 || c === 0xff0c || c === 0x3001 || c === 59 || c === 0xff1b;

/**
 * {@link listCount}'s items of a lower-cased Chinese text in one pass, without splitting it or
 * matching each item: the same counts as splitting on {@link LIST_SEPARATOR}, dropping items that
 * are blank after `trim`, and counting each item's Han characters.
 */
function hanItems(lower: string, out: ListCount, singles: string[]): void {
  let from = 0;
  let han = 0;
  let blank = true;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 44;
    if (isListSeparator(c)) {
      if (!blank) {
        out.items++;
        if (han <= KEYWORD_LIST.hanChars) {
          out.single++;
          singles.push(lower.slice(from, i).trim());
        }
      }
      from = i + 1;
      han = 0;
      blank = true;
      continue;
    }
    const cp = lower.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    const k = charClass(cp);
    if (k & HAN_CHAR) han++;
    if (!(k & SPACE_CHAR)) blank = false;
  }
}

/** The {@link ListCount} of a text (exported for the equivalence tests of its fast path). */
export function listCount(text: string, ctx: Pick<QuestionContext, 'lang' | 'promptTerms'>): ListCount {
  const out: ListCount = { items: 0, single: 0, content: 0, onPrompt: 0 };
  const singles: string[] = [];
  if (ctx.lang === 'zh') hanItems(text.toLowerCase(), out, singles);
  else {
    for (const raw of text.toLowerCase().split(LIST_SEPARATOR)) {
      const item = raw.trim();
      if (!item) continue;
      out.items++;
      const units = item.match(EN_LIST_WORD) ?? [];
      if (units.length === 1) {
        out.single++;
        singles.push(units[0]);
      }
    }
  }
  // Most sentences are not lists: their items are not compared with the prompt at all.
  if (out.single < KEYWORD_LIST.singleShare * out.items) return out;
  for (const item of singles) {
    // The same keys as termCounts: a word's canonical form (English), character bigrams (Chinese).
    const keys =
      ctx.lang === 'zh'
        ? (item.match(HAN_RUNS) ?? []).flatMap((run) =>
            Array.from({ length: Math.max(0, run.length - 1) }, (_, i) => `c:${run.slice(i, i + 2)}`),
          )
        : STOP_WORDS.en.has(item)
          ? []
          : [`w:${canonical(item)}`];
    if (!keys.length) continue;
    out.content++;
    if (keys.every((k) => ctx.promptTerms.has(k))) out.onPrompt++;
  }
  return out;
}

const isList = (c: ListCount) =>
  c.items >= KEYWORD_LIST.items &&
  c.single >= KEYWORD_LIST.singleShare * c.items &&
  c.content > 0 &&
  c.onPrompt >= KEYWORD_LIST.promptShare * c.content;

/**
 * Whether a text is a bare list of the prompt's words ("constructors, class, created, ..."): at
 * least {@link KEYWORD_LIST.items} items, most of them a single word (a Chinese item of at most
 * {@link KEYWORD_LIST.hanChars} characters), and most of the items that carry a content term are
 * terms of the question or rubric. Keyword stuffing looks like this; a genuine list answer names
 * things of its own, and a sentence has syntax between its terms.
 */
export function isPromptKeywordList(
  text: string,
  ctx: Pick<QuestionContext, 'lang' | 'promptTerms'>,
): boolean {
  return isList(listCount(text, ctx));
}

/**
 * Indexes of the sentences that belong to a bare list of the prompt's words. A long list is cut
 * into clauses by the sentence splitter, so consecutive sentences made of list items (most of
 * their items a single word) are judged together.
 */
export function promptListSentences(
  sentences: Array<{ text: string }>,
  ctx: Pick<QuestionContext, 'lang' | 'promptTerms'>,
): Set<number> {
  const out = new Set<number>();
  let run: number[] = [];
  let sum: ListCount = { items: 0, single: 0, content: 0, onPrompt: 0 };
  const close = () => {
    if (run.length && isList(sum)) for (const i of run) out.add(i);
    run = [];
    sum = { items: 0, single: 0, content: 0, onPrompt: 0 };
  };
  sentences.forEach((s, i) => {
    const c = listCount(s.text, ctx);
    if (!(c.items && c.single >= KEYWORD_LIST.singleShare * c.items)) {
      close();
      return;
    }
    run.push(i);
    sum = {
      items: sum.items + c.items,
      single: sum.single + c.single,
      content: sum.content + c.content,
      onPrompt: sum.onPrompt + c.onPrompt,
    };
  });
  close();
  return out;
}

/** A sentence's terms as ids of the answer's {@link TermIndex}, with their counts. */
type TermDoc = { ids: number[]; counts: number[] };

/**
 * Words of a sentence's terms other than figures, and how many of them are generic. `kinds`
 * remembers each term id's kind for the answer (0 unknown, 1 not a counted word, 2 word,
 * 3 generic word), so each distinct term is classified once.
 */
function genericWords(doc: TermDoc, terms: TermIndex, kinds: number[], lang: Lang) {
  let words = 0;
  let generic = 0;
  for (let i = 0; i < doc.ids.length; i++) {
    const id = doc.ids[i];
    let kind = kinds[id];
    if (!kind) {
      const k = terms.keys[id];
      kind = !k.startsWith('w:') || /\d/.test(k) ? 1 : GENERIC_KEYS()[lang].has(k) ? 3 : 2;
      kinds[id] = kind;
    }
    if (kind === 1) continue;
    words++;
    if (kind === 3) generic++;
  }
  return { words, generic };
}

/**
 * Template sentences: at least {@link TEMPLATE_SENTENCE.words} words other than figures (over
 * consecutive clauses of one), at least {@link TEMPLATE_SENTENCE.genericShare} of them generic
 * (STAR markers, outcome words: "I analysed the situation, took action, efficiency rose 45%").
 * Such a sentence fits any question.
 */
export const TEMPLATE_SENTENCE = { words: 5, genericShare: 0.8 } as const;

/** Thresholds of {@link isPromptKeywordList}. */
export const KEYWORD_LIST = { items: 4, hanChars: 4, singleShare: 0.75, promptShare: 0.6 } as const;

/** Longest window of sentences searched (a good passage is a few sentences, not the whole answer). */
const MAX_WINDOW = 8;

/** The answer's sentences as integer-indexed term lists, with each term's weight, computed once. */
interface IndexedDocs {
  docs: Array<{ ids: Int32Array; counts: ArrayLike<number> }>;
  /** Distinct terms in order of first occurrence. */
  keys: string[];
  /** The index of a term in {@link IndexedDocs.keys}, -1 if absent. */
  local(k: string): number;
  /** The set of terms present; `keys()` lists them in order of first occurrence. */
  id: { has(k: string): boolean; keys(): readonly string[] };
  /** Count of each term over all documents. */
  totals: Float64Array;
  /** Each term's weight in the scoring measure (IDF, question terms demoted). */
  idf: Float64Array;
  /** Each term's plain IDF weight (nothing demoted). */
  plainIdf: Float64Array;
  isWord: Uint8Array;
  /** 1 where the question demotes the term. */
  demoted: Uint8Array;
}

/** Per question context: each term's IDF, negated when the question demotes it (IDF is at least 1). */
const contextWeights = new WeakMap<
  QuestionContext,
  { idf: Idf; size: number; demote: Set<string>; w: Map<string, number> }
>();

/** The term weights remembered for a context (new ones when its IDF or question terms changed). */
function termWeights(ctx: QuestionContext): Map<string, number> {
  let e = contextWeights.get(ctx);
  if (!e || e.idf !== ctx.idf || e.size !== ctx.idf.size || e.demote !== ctx.demote) {
    e = { idf: ctx.idf, size: ctx.idf.size, demote: ctx.demote, w: new Map() };
    contextWeights.set(ctx, e);
  }
  return e.w;
}

function indexDocs(docs: TermDoc[], terms: TermIndex, ctx: QuestionContext): IndexedDocs {
  // The answer's term ids renumbered by first occurrence in these documents (-1: not in them).
  const renumbered = new Int32Array(terms.keys.length).fill(-1);
  const keys: string[] = [];
  const totals: number[] = [];
  const out = docs.map((d) => {
    const ids = new Int32Array(d.ids.length);
    for (let i = 0; i < d.ids.length; i++) {
      let x = renumbered[d.ids[i]];
      if (x < 0) {
        x = keys.length;
        renumbered[d.ids[i]] = x;
        keys.push(terms.keys[d.ids[i]]);
        totals.push(0);
      }
      // Summed in document order, as a merge of the documents' maps would.
      totals[x] += d.counts[i];
      ids[i] = x;
    }
    return { ids, counts: d.counts };
  });
  const local = (k: string) => {
    const t = terms.find(k);
    return t === undefined ? -1 : renumbered[t];
  };
  const id = { has: (k: string) => local(k) >= 0, keys: () => keys };
  const idf = new Float64Array(keys.length);
  const plainIdf = new Float64Array(keys.length);
  const isWord = new Uint8Array(keys.length);
  const demoted = new Uint8Array(keys.length);
  const weights = termWeights(ctx);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    // One lookup per term: its IDF and whether the question demotes it (termWeight's product
    // below, from the same plain weight).
    let e = weights.get(k);
    if (e === undefined) {
      e = ctx.demote.has(k) ? -ctx.idf.weight(k) : ctx.idf.weight(k);
      if (weights.size >= 50_000) weights.clear();
      weights.set(k, e);
    }
    plainIdf[i] = e < 0 ? -e : e;
    demoted[i] = e < 0 ? 1 : 0;
    idf[i] = plainIdf[i] * (demoted[i] ? QUESTION_DEMOTION : 1);
    isWord[i] = k.charCodeAt(0) === 119 ? 1 : 0; // 'w'
  }
  return { docs: out, keys, id, local, totals: Float64Array.from(totals), idf, plainIdf, isWord, demoted };
}

const LOG1P_TABLE = Array.from({ length: 64 }, (_, tf) => (tf ? 1 + Math.log(tf) : 0));
const sublinear = (tf: number) => (tf < 64 ? LOG1P_TABLE[tf] : 1 + Math.log(tf));

/**
 * Best cosine of a contiguous window of up to {@link MAX_WINDOW} sentences with a reference
 * vector. Incremental: term weights are updated as each window grows. Adding a sentence keeps
 * every earlier window, so the best can only grow (the monotonicity the engine promises).
 */
function bestWindowCosine(ix: IndexedDocs, ref: SparseVector, ctx: QuestionContext): number {
  const vw = VIEW_WEIGHTS[ctx.lang];
  const refW = new Float64Array(ix.keys.length);
  if (ref.size < ix.keys.length) {
    // The same weights, looked up from the smaller side (a reference has fewer terms than an answer).
    for (const [k, x] of ref) {
      const i = ix.local(k);
      if (i >= 0) refW[i] = x;
    }
  } else
    ix.keys.forEach((k, i) => {
      refW[i] = ref.get(k) ?? 0;
    });
  const tf = new Float64Array(ix.keys.length);
  let best = 0;
  const n = Math.min(ix.docs.length, MAX_WINDOW_SENTENCES);
  for (let i = 0; i < n; i++) {
    tf.fill(0);
    let dotW = 0;
    let dotC = 0;
    let normW = 0;
    let normC = 0;
    for (let j = i; j < Math.min(n, i + MAX_WINDOW); j++) {
      const { ids, counts } = ix.docs[j];
      for (let t = 0; t < ids.length; t++) {
        const k = ids[t];
        const before = tf[k];
        const after = before + counts[t];
        tf[k] = after;
        const w = ix.idf[k];
        const wb = sublinear(before) * w;
        const wa = sublinear(after) * w;
        const dn = wa * wa - wb * wb;
        const dd = (wa - wb) * refW[k];
        if (ix.isWord[k]) {
          normW += dn;
          dotW += dd;
        } else {
          normC += dn;
          dotC += dd;
        }
      }
      // The reference is normalised per view and scaled by the view weight; the window's
      // views are normalised here with the same weights.
      const ww = normW > 1e-12 ? vw.w : 0;
      const wc = normC > 1e-12 ? vw.c : 0;
      const tot = ww + wc;
      if (!tot) continue;
      let cos = 0;
      if (ww) cos += (dotW / Math.sqrt(normW)) * Math.sqrt(ww / tot);
      if (wc) cos += (dotC / Math.sqrt(normC)) * Math.sqrt(wc / tot);
      if (cos > best) best = cos;
    }
  }
  return Math.min(1, best);
}

/** A reference document's terms with their weights, as {@link termWeight} (demoted) or plain IDF. */
interface WeightedTerms {
  idf: Idf;
  size: number;
  demote: Set<string> | null;
  keys: string[];
  w: Float64Array;
}

/** Weighted terms of reference documents (a question's context lives as long as its documents). */
const referenceTerms = new WeakMap<object, WeightedTerms>();

/**
 * The terms of a reference document (in its counts' order) with their weights: `demote` given,
 * {@link termWeight}'s; otherwise plain IDF. Computed once per document and IDF (the same for
 * every answer to the question) instead of looking every term up for every answer; rebuilt if
 * the IDF gained documents.
 */
function weightedTerms(doc: { counts: SparseVector }, idf: Idf, demote: Set<string> | null): WeightedTerms {
  let e = referenceTerms.get(doc);
  if (!e || e.idf !== idf || e.size !== idf.size || e.demote !== demote) {
    const keys = [...doc.counts.keys()];
    const w = new Float64Array(keys.length);
    for (let i = 0; i < keys.length; i++)
      w[i] = demote
        ? idf.weight(keys[i]) * (demote.has(keys[i]) ? QUESTION_DEMOTION : 1)
        : idf.weight(keys[i]);
    e = { idf, size: idf.size, demote, keys, w };
    referenceTerms.set(doc, e);
  }
  return e;
}

/** Sum of the weights of the terms present, in the terms' order. */
function presentWeight(t: WeightedTerms, present: { has(k: string): boolean }): number {
  let on = 0;
  for (let i = 0; i < t.keys.length; i++) if (present.has(t.keys[i])) on += t.w[i];
  return on;
}

/** IDF-weighted share of a reference's terms present in the answer. */
function recall(
  present: { has(k: string): boolean },
  ref: QuestionContext['references'][number],
  ctx: QuestionContext,
) {
  if (!ref.weightSum) return 0;
  return presentWeight(weightedTerms(ref, ctx.idf, ctx.demote), present) / ref.weightSum;
}

/** Similarity of counted sentences to one reference document: mean of window cosine and recall. */
function simTo(
  docs: IndexedDocs,
  present: { has(k: string): boolean },
  ref: QuestionContext['references'][number],
  ctx: QuestionContext,
) {
  if (!docs.docs.length) return 0;
  return (bestWindowCosine(docs, ref.vec, ctx) + recall(present, ref, ctx)) / 2;
}

/**
 * For a plain vector of {@link measureContent}: which of its terms, in its order, are in `demote`
 * (the neighbour vector demotes them without looking each term up again).
 */
export const demotedTerms = new WeakMap<SparseVector, { demote: Set<string>; demoted: Uint8Array }>();

/**
 * Best plain likeness (mean of cosine and IDF-weighted recall, no question demoted) of an
 * answer's plain vector to reference documents. One IDF per bank and language: another
 * question's references were weighted with this same IDF.
 */
function plainLikeness(
  plain: SparseVector,
  present: { has(k: string): boolean },
  refs: PlainReference[],
  ctx: QuestionContext,
): number {
  let best = 0;
  for (const r of refs) {
    const on = presentWeight(weightedTerms(r, ctx.idf, null), present);
    best = Math.max(best, (dot(plain, r.vec) + (r.weightSum ? on / r.weightSum : 0)) / 2);
  }
  return best;
}

/**
 * How much an answer says of this question's reference answers and of the closest other
 * question's, measured alike (plain likeness, short references included, no question's terms
 * demoted). Only asked of answers flagged off topic: a short reference ("Unlimited number.")
 * is met by one shared word, so alone it does not say which question an answer answers.
 */
export function referenceLikeness(
  m: Pick<ContentMeasures, 'plain'>,
  ctx: QuestionContext,
): { own: number; other: number } {
  if (!m.plain.size || !ctx.plainReferences.length) return { own: 0, other: 0 };
  const own = plainLikeness(m.plain, m.plain, ctx.plainReferences, ctx);
  let other = 0;
  for (const refs of ctx.othersPlainReferences)
    other = Math.max(other, plainLikeness(m.plain, m.plain, refs, ctx));
  return { own, other };
}

/** Measures an answer against its question context. */
export function measureContent(
  transcript: string,
  ctx: QuestionContext,
  split?: Sentence[],
): ContentMeasures {
  const {
    sentences,
    counted: notCopied,
    repeatedShare,
    copiedShare,
  } = countedSentences(transcript, ctx, split);
  const counted: number[] = [];
  const docs: TermDoc[] = [];
  const terms = new TermIndex();
  const kinds: number[] = [];
  let templateChars = 0;
  let allChars = 0;
  for (const s of sentences) allChars += s.text.length;
  // Sentences of nothing but template phrases and figures say nothing about the question. A long
  // sentence is cut into clauses, so consecutive such clauses are judged together.
  let run: Array<{ i: number; doc: TermDoc; words: number; generic: number }> = [];
  const close = () => {
    const words = run.reduce((n, r) => n + r.words, 0);
    const generic = run.reduce((n, r) => n + r.generic, 0);
    const template = words >= TEMPLATE_SENTENCE.words && generic >= TEMPLATE_SENTENCE.genericShare * words;
    for (const r of run) {
      if (template) templateChars += sentences[r.i].text.length;
      else {
        counted.push(r.i);
        docs.push(r.doc);
      }
    }
    run = [];
  };
  let prev = -2;
  for (const i of notCopied) {
    const text = sentences[i].text;
    const clean = withoutFillers(text, ctx.lang);
    // Reuse the sentence's segmentation unless fillers were taken out of it.
    const doc = terms.terms(clean, ctx.lang, clean === text ? sentences[i].tokens : undefined);
    const g = genericWords(doc, terms, kinds, ctx.lang);
    if (i !== prev + 1 || !(g.words > 0 && g.generic >= TEMPLATE_SENTENCE.genericShare * g.words)) close();
    run.push({ i, doc, ...g });
    prev = i;
  }
  close();
  const templateShare = allChars ? templateChars / allChars : 0;
  let referenceSim = 0;
  const ix = indexDocs(docs, terms, ctx);
  // The index's term map is the set of terms present (first-occurrence order, as a Set would be).
  const present = ix.id;
  for (const ref of ctx.references) referenceSim = Math.max(referenceSim, simTo(ix, present, ref, ctx));
  // Topic (flags only): whole-answer cosine and recall, no window search; one vector of the
  // whole answer serves the topic, the question bank and the other questions. Its terms and
  // counts are the index's (the merge of the documents' counts, in first-occurrence order).
  const plain = docs.length
    ? tfidfOf(ix.keys, ix.totals, ix.plainIdf, null, VIEW_WEIGHTS[ctx.lang])
    : new Map<string, number>();
  // Which of the plain vector's terms (in its order) the question demotes: the index knows.
  if (docs.length) demotedTerms.set(plain, { demote: ctx.demote, demoted: ix.demoted });
  const topicSim = docs.length ? (dot(plain, ctx.topic.vec) + recall(present, ctx.topic, ctx)) / 2 : 0;
  const topicPlainSim = docs.length ? dot(plain, ctx.topicPlain) : 0;
  let otherBest = 0;
  for (const o of ctx.others) otherBest = Math.max(otherBest, dot(plain, o));
  // The own and the other questions' references are measured alike: the scoring measure demotes
  // only the own question's terms, which would tilt the comparison towards the others.
  const described = (refs: PlainReference[]) => plainLikeness(plain, present, refs, ctx);
  const describedSim = docs.length && ctx.describedAs.length ? described(ctx.describedAs) : 0;
  let otherDescribedSim = 0;
  if (docs.length && ctx.describedAs.length)
    for (const o of ctx.othersDescribedAs) otherDescribedSim = Math.max(otherDescribedSim, described(o));
  let novel = 0;
  for (const k of present.keys()) {
    if (!k.startsWith('w:') || ctx.promptTerms.has(k) || GENERIC_KEYS()[ctx.lang].has(k)) continue;
    if (/\d/.test(k) || (ctx.lang === 'zh' && k.length < 4)) continue;
    novel++;
  }
  // Share of the answer's distinct content terms (word view for English, character bigrams for
  // Chinese) that come from the prompt: stuffing and parroting are made of little else.
  let onPrompt = 0;
  let all = 0;
  for (const k of present.keys()) {
    if (k.startsWith('c:') && (ctx.lang === 'en' || k.length < 4)) continue;
    all++;
    if (ctx.promptTerms.has(k)) onPrompt++;
  }
  const promptTermShare = all ? onPrompt / all : 0;
  return {
    referenceSim,
    topicSim,
    content: combineContent(
      referenceSim ** CONTENT_EXPONENT * ownWordsFactor(promptTermShare, all),
      ownContent(topicPlainSim, otherBest, novel),
      ctx.hasReferenceAnswers,
    ),
    repeatedShare,
    copiedShare,
    templateShare,
    promptTermShare,
    topicPlainSim,
    otherTopicSim: otherBest,
    describedSim,
    otherDescribedSim,
    plain,
    novel,
    counted,
    sentenceCount: sentences.length,
  };
}

/**
 * An answer made almost only of the question's and rubric's own terms (stuffing, parroting)
 * says little of the candidate's own: above 60% of its terms, content is discounted, down to
 * 30% of it when every term comes from the prompt. Very short answers are left alone.
 */
export function ownWordsFactor(promptTermShare: number, terms: number): number {
  if (terms < 4 || promptTermShare <= 0.6) return 1;
  return Math.max(0.3, 1 - ((promptTermShare - 0.6) / 0.4) * 0.7);
}

/** Own words that make an answer fully specific (distinct content words). */
export const RICH_WORDS = 30;
/** Cosine with the question and rubric at which an answer is clearly about them. */
export const ON_TOPIC_SIM = 0.05;

/**
 * How much an answer says of its own about this question, in [0, 1]: distinct content words
 * that are neither the prompt's nor template phrases (saturating at {@link RICH_WORDS}), gated
 * by how clearly the answer is about this question rather than another one of the bank.
 * Stuffing, parroting, templates and copied rubric text bring no own words; an answer in
 * another language or to another question is not about this one.
 */
export function ownContent(topicSim: number, otherTopicSim: number, novel: number): number {
  const onTopic = Math.min(1, topicSim / ON_TOPIC_SIM);
  const relative = topicSim + otherTopicSim > 0 ? topicSim / (topicSim + otherTopicSim) : 0;
  // Clearly closer to another question of the bank (relative < 0.35) discounts, gently: lexical
  // topicality is noisy for story-type answers, and a genuine answer must not pay for that.
  const notOther = Math.min(1, Math.max(0.4, 0.4 + (relative - 0.2) * 4));
  return onTopic * notOther * Math.min(1, novel / RICH_WORDS);
}

/**
 * The content score: with HR's reference answers mostly similarity to them (what the public
 * rated sets validate) plus a quarter of own content; without, own content about the question.
 */
export function combineContent(reference: number, own: number, hasReferenceAnswers: boolean): number {
  return hasReferenceAnswers ? 0.75 * reference + 0.25 * own : own;
}

/** Hesitations removed before measuring content, so disfluency never moves a score. */
const FILLER_RE: Record<Lang, RegExp> = {
  zh: /[嗯呃额]+|啊(?=[，,。\s])|(然后){2,}|(这个){2,}|(那个){2,}/g,
  en: /\b(?:um+|uh+|erm|er|hmm+|you know|i mean)\b[,]?/gi,
};

/** The text without filler words (嗯, 呃, um, uh, "you know"...). */
export function withoutFillers(text: string, lang: Lang): string {
  return text.replace(FILLER_RE[lang], lang === 'zh' ? '' : ' ');
}
