/**
 * Text similarity for scoring: sparse TF-IDF vectors of blended views of a text, compared by
 * cosine. Chinese: character 1-2 grams (robust to word-segmentation differences between an
 * answer and the reference) plus jieba words; English: stemmed content words plus character
 * 3-5 grams inside words (robust to spelling and inflection). The IDF comes from the
 * question's context (the question bank and the answers seen for it), so words every answer
 * shares carry little weight. Terms of the question itself are demoted: repeating the question
 * is not an answer.
 */
import { STOP_WORDS } from './lexicon';
import { canonical, charClass, HAN_CHAR, tokenize } from './text';
import type { Lang } from './types';

/** A sparse vector: feature -> weight. */
export type SparseVector = Map<string, number>;

const HAN_1 = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const EN_WORD = /[a-z0-9]+(?:['-][a-z0-9]+)*/g;

/** Raw term counts of the views of a text (prefix `w:` words, `c:` character n-grams). */
export function termCounts(text: string, lang: Lang, tokens?: string[]): SparseVector {
  const out: SparseVector = new Map();
  const add = (k: string) => out.set(k, (out.get(k) ?? 0) + 1);
  const lower = text.toLowerCase();
  if (lang === 'zh') {
    for (const m of lower.matchAll(HAN_RUN)) {
      const run = m[0];
      for (let i = 0; i < run.length; i++) {
        add(`c:${run[i]}`);
        if (i + 1 < run.length) add(`c:${run.slice(i, i + 2)}`);
      }
    }
    // Latin words inside Chinese answers (API, SQL, KPI) count with the characters.
    for (const m of lower.matchAll(EN_WORD)) if (!STOP_WORDS.en.has(m[0])) add(`c:${canonical(m[0])}`);
    // jieba words too (callers that already segmented the text pass its tokens).
    for (const t of tokens ?? tokenize(text, 'zh'))
      if (HAN_1.test(t) && !STOP_WORDS.zh.has(t)) add(`w:${canonical(t)}`);
    return out;
  }
  for (const m of lower.matchAll(EN_WORD)) {
    const w = m[0];
    if (STOP_WORDS.en.has(w)) continue;
    const s = canonical(w);
    add(`w:${s}`);
    const padded = ` ${w} `;
    for (let n = 3; n <= 5; n++)
      for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`);
  }
  return out;
}

/**
 * Term keys of Chinese code units, pairs of code units and jieba words, shared by all answers
 * (the key strings are built once, not once per answer). Bounded: cleared when full.
 */
const UNIT_KEYS = new Map<number, string>();
const PAIR_KEYS = new Map<number, string>();
const WORD_KEYS = new Map<string, string>();
const MAX_KEYS = 50_000;

function unitKey(c: number): string {
  let k = UNIT_KEYS.get(c);
  if (k === undefined) {
    k = `c:${String.fromCharCode(c)}`;
    if (UNIT_KEYS.size >= MAX_KEYS) UNIT_KEYS.clear();
    UNIT_KEYS.set(c, k);
  }
  return k;
}

function pairKey(c: number, d: number): string {
  const code = c * 0x10000 + d;
  let k = PAIR_KEYS.get(code);
  if (k === undefined) {
    k = `c:${String.fromCharCode(c, d)}`;
    if (PAIR_KEYS.size >= MAX_KEYS) PAIR_KEYS.clear();
    PAIR_KEYS.set(code, k);
  }
  return k;
}

/** The `w:` key of a Chinese token, '' when it has no Han character or is a stop word (as termCounts). */
function wordKey(t: string): string {
  let k = WORD_KEYS.get(t);
  if (k === undefined) {
    k = HAN_1.test(t) && !STOP_WORDS.zh.has(t) ? `w:${canonical(t)}` : '';
    if (WORD_KEYS.size >= MAX_KEYS) WORD_KEYS.clear();
    WORD_KEYS.set(t, k);
  }
  return k;
}

/**
 * The terms of one answer's texts (its sentences), interned once per answer: each text's terms
 * as ids into {@link TermIndex.keys} with their counts, in the order and with the counts of
 * {@link termCounts} (the same keys, the same first-occurrence order). Chinese character uni- and
 * bigrams are looked up by their UTF-16 codes, so a term's key string is built once per answer
 * instead of once per occurrence, and no map is built per sentence.
 */
export class TermIndex {
  /** Key of each term id. */
  readonly keys: string[] = [];
  private readonly byKey = new Map<string, number>();
  /** Chinese unigrams by code unit, bigrams by first then second code unit (small-integer keys). */
  private readonly byCode = new Map<number, number>();
  private readonly byPair = new Map<number, Map<number, number>>();
  /** Position of each id in the current text's lists, valid where `seenIn[id]` is the current text. */
  private readonly seenIn: number[] = [];
  private readonly at: number[] = [];
  private current = 0;
  private ids: number[] = [];
  private counts: number[] = [];

  /** The id of a term key, if the answer has it. */
  find(key: string): number | undefined {
    return this.byKey.get(key);
  }

  /** The id of a term key (every id's key is in `byKey`, so a key has one id however it was found). */
  private idOf(key: string): number {
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(key);
      this.byKey.set(key, id);
      this.seenIn.push(-1);
      this.at.push(0);
    }
    return id;
  }

  /** The id of the code unit of `run` at `i`. */
  private idOfUnit(run: string, i: number): number {
    const c = run.charCodeAt(i);
    let id = this.byCode.get(c);
    if (id === undefined) {
      // Through the key map: a synonym can turn a Latin word into the same key (kpi -> 目标).
      id = this.idOf(unitKey(c));
      this.byCode.set(c, id);
    }
    return id;
  }

  /** The id of the two code units of `run` at `i`. */
  private idOfPair(run: string, i: number): number {
    const c = run.charCodeAt(i);
    let second = this.byPair.get(c);
    if (second === undefined) {
      second = new Map();
      this.byPair.set(c, second);
    }
    const d = run.charCodeAt(i + 1);
    let id = second.get(d);
    if (id === undefined) {
      id = this.idOf(pairKey(c, d));
      second.set(d, id);
    }
    return id;
  }

  private add(id: number, n: number): void {
    if (this.seenIn[id] === this.current) this.counts[this.at[id]] += n;
    else {
      this.seenIn[id] = this.current;
      this.at[id] = this.ids.length;
      this.ids.push(id);
      this.counts.push(n);
    }
  }

  /** Terms of one text: ids and counts in {@link termCounts}' order (`tokens`: its segmentation). */
  terms(text: string, lang: Lang, tokens?: string[]): { ids: number[]; counts: number[] } {
    if (lang === 'zh') {
      const lower = text.toLowerCase();
      // The runs of HAN_RUN found by code-point class, their code units taken as termCounts takes them.
      let ascii = false;
      let from = -1;
      for (let i = 0; i <= lower.length; ) {
        const cp = i < lower.length ? (lower.codePointAt(i) as number) : 0;
        const han = cp >= 0x2e80 && (charClass(cp) & HAN_CHAR) !== 0;
        if (han) {
          if (from < 0) from = i;
        } else {
          if (from >= 0) {
            for (let j = from; j < i; j++) {
              this.add(this.idOfUnit(lower, j), 1);
              if (j + 1 < i) this.add(this.idOfPair(lower, j), 1);
            }
            from = -1;
          }
          if ((cp >= 97 && cp <= 122) || (cp >= 48 && cp <= 57)) ascii = true;
        }
        i += cp > 0xffff ? 2 : 1;
      }
      // EN_WORD needs an ASCII letter or digit.
      if (ascii)
        for (const m of lower.matchAll(EN_WORD))
          if (!STOP_WORDS.en.has(m[0])) this.add(this.idOf(`c:${canonical(m[0])}`), 1);
      for (const t of tokens ?? tokenize(text, 'zh')) {
        const key = wordKey(t);
        if (key) this.add(this.idOf(key), 1);
      }
    } else for (const [k, n] of termCounts(text, lang, tokens)) this.add(this.idOf(k), n);
    // The lists are handed over (not copied): the next text starts new ones.
    const out = { ids: this.ids, counts: this.counts };
    this.ids = [];
    this.counts = [];
    this.current++;
    return out;
  }
}

/** Word tokens used for the question-demotion check (so 的/了 and stop words never count). */
export function wordSet(text: string, lang: Lang): Set<string> {
  const stops = STOP_WORDS[lang];
  return new Set(
    tokenize(text, lang)
      .filter((t) => !stops.has(t))
      .map(canonical),
  );
}

/** Document frequencies over a small corpus (the question's context). */
export class Idf {
  private readonly df = new Map<string, number>();
  private n = 0;
  /** Adds one document (its term counts). */
  add(doc: SparseVector): void {
    this.n++;
    for (const k of doc.keys()) this.df.set(k, (this.df.get(k) ?? 0) + 1);
  }
  private byDf: number[] = [];
  private byDfFor = -1;
  /** Smoothed IDF: log((1 + n) / (1 + df)) + 1, so unseen terms weigh the most. */
  weight(term: string): number {
    // One logarithm per document frequency, not per call (scoring asks for every term).
    if (this.byDfFor !== this.n) {
      this.byDf = Array.from({ length: this.n + 1 }, (_, df) => Math.log((1 + this.n) / (1 + df)) + 1);
      this.byDfFor = this.n;
    }
    return this.byDf[this.df.get(term) ?? 0];
  }
  /** Number of documents. */
  get size(): number {
    return this.n;
  }
}

/**
 * TF-IDF vector of term counts, L2-normalised per view (`w:` and `c:` separately, each view
 * scaled by `viewWeight`) so the blended cosine is a weighted mean of the views' cosines.
 * Sublinear TF (1 + log tf): saying a word ten times is not ten times the evidence.
 * `demote` terms (the question's) are multiplied by `demoteBy`.
 */
export function tfidf(
  counts: SparseVector,
  idf: Idf,
  viewWeight: { w: number; c: number },
  demote?: Set<string>,
  demoteBy = 0.3,
): SparseVector {
  // Weights are computed into arrays and the map is built once, in the counts' order.
  const keys: string[] = new Array(counts.size);
  const tfs = new Float64Array(counts.size);
  const weights = new Float64Array(counts.size);
  const factors = demote ? new Float64Array(counts.size) : null;
  let i = 0;
  for (const [k, tf] of counts) {
    keys[i] = k;
    tfs[i] = tf;
    weights[i] = idf.weight(k);
    if (factors) factors[i] = demote?.has(k) ? demoteBy : 1;
    i++;
  }
  return tfidfOf(keys, tfs, weights, factors, viewWeight);
}

/**
 * {@link tfidf} over terms already looked up: `keys[i]` with count `tfs[i]`, IDF weight
 * `weights[i]` and demotion factor `factors[i]` (1: not demoted). Callers that hold a text's
 * terms in arrays skip building a count map and looking every term up again.
 */
export function tfidfOf(
  keys: readonly string[],
  tfs: ArrayLike<number>,
  weights: ArrayLike<number>,
  factors: ArrayLike<number> | null,
  viewWeight: { w: number; c: number },
): SparseVector {
  const n = keys.length;
  const vals = new Float64Array(n);
  const word = new Uint8Array(n);
  let normW = 0;
  let normC = 0;
  for (let i = 0; i < n; i++) {
    let v = sublinearTf(tfs[i]) * weights[i];
    // Multiplying by 1 changes nothing, so undemoted terms keep the exact product.
    if (factors) v *= factors[i];
    vals[i] = v;
    if (keys[i].charCodeAt(0) === 119) {
      // 'w'
      word[i] = 1;
      normW += v * v;
    } else normC += v * v;
  }
  // A view the text lacks gives its weight to the other one.
  const ww = normW ? viewWeight.w : 0;
  const wc = normC ? viewWeight.c : 0;
  const scaleW = ww + wc ? ww / (ww + wc) : 0;
  const scaleC = ww + wc ? wc / (ww + wc) : 0;
  const nW = Math.sqrt(normW);
  const nC = Math.sqrt(normC);
  const sW = Math.sqrt(scaleW);
  const sC = Math.sqrt(scaleC);
  const out: SparseVector = new Map();
  for (let j = 0; j < n; j++) {
    const m = word[j] ? nW : nC;
    out.set(keys[j], m ? (vals[j] / m) * (word[j] ? sW : sC) : 0);
  }
  return out;
}

/** 1 + log(tf) of small integer counts, looked up (the same values as computing them). */
const SUBLINEAR = Array.from({ length: 64 }, (_, tf) => 1 + Math.log(tf));
function sublinearTf(tf: number): number {
  return tf < 64 && Number.isInteger(tf) ? SUBLINEAR[tf] : 1 + Math.log(tf);
}

/** Dot product of two vectors (cosine when both are normalised as {@link tfidf} does). */
export function dot(a: SparseVector, b: SparseVector): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [k, v] of small) {
    const w = big.get(k);
    if (w !== undefined) s += v * w;
  }
  return s;
}

/** Share of the vector's mass (squared weights) that lies on the given terms. */
export function massOn(v: SparseVector, terms: Set<string>): number {
  let on = 0;
  let all = 0;
  for (const [k, x] of v) {
    all += x * x;
    if (terms.has(k)) on += x * x;
  }
  return all ? on / all : 0;
}

/** View weights: Chinese leans on characters, English on words. */
export const VIEW_WEIGHTS: Record<Lang, { w: number; c: number }> = {
  zh: { w: 0.5, c: 0.5 },
  en: { w: 0.5, c: 0.5 },
};
