/**
 * Text analysis for scoring: sentence splitting with offsets into the original transcript,
 * Chinese word segmentation (@node-rs/jieba), English tokenisation with light stemming, and
 * synonym canonicalisation. Pure functions over strings; the jieba dictionary loads once.
 */
import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';
import { STOP_WORDS, SYNONYM_GROUPS } from './lexicon';
import type { Lang } from './types';

const require = createRequire(import.meta.url);
let jieba: Jieba | null = null;
/**
 * The shared segmenter, loaded on first use: the dictionary takes ~100 ms and ~65 MB, which a
 * web process that never scores (it only serves stored reports) should not pay at start-up.
 */
function segmenter(): Jieba {
  if (!jieba) {
    const { Jieba: Segmenter } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict.js') as { dict: Buffer };
    jieba = Segmenter.withDict(dict);
  }
  return jieba;
}

const HAN = /\p{Script=Han}/u;
const WORDISH = /[\p{L}\p{N}]/u;

/**
 * Light English stemmer: enough to let "optimized", "optimizing" and "optimizes" meet.
 * Deliberately simple (no Porter): every transformation is predictable when reading evidence.
 */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/'s$/, '');
  if (!/^[a-z-]+$/.test(w) || w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('ing') && w.length > 5) return w.slice(0, -3);
  if (w.endsWith('ed') && w.length > 4) return w.slice(0, -2);
  if (w.endsWith('es') && /(ss|x|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  // "optimize(s)" meets "optimized"/"optimizing" on "optimiz".
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** Word -> canonical form of its synonym group (the group's first word, stemmed). */
const CANON = new Map<string, string>();
for (const group of SYNONYM_GROUPS) {
  const head = stem(group[0]);
  for (const w of group) if (!CANON.has(stem(w))) CANON.set(stem(w), head);
}

/**
 * Canonical forms already computed: a vocabulary recurs across answers, and stemming runs
 * regular expressions on every token. Bounded (cleared when full) so memory stays flat.
 */
const CANONICAL_SEEN = new Map<string, string>();
const MAX_MEMO = 50_000;

/** The canonical form of a token: stemmed, then mapped to its synonym group. */
export function canonical(token: string): string {
  let c = CANONICAL_SEEN.get(token);
  if (c === undefined) {
    const s = stem(token);
    c = CANON.get(s) ?? s;
    if (CANONICAL_SEEN.size >= MAX_MEMO) CANONICAL_SEEN.clear();
    CANONICAL_SEEN.set(token, c);
  }
  return c;
}

/** Bits of {@link charClass}. */
export const HAN_CHAR = 1;
export const LETTER_OR_NUMBER = 2;
export const SPACE_CHAR = 4;
const LN = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;
/** Classes of the Basic Multilingual Plane, filled on first use (KNOWN marks a filled slot). */
const BMP_CLASSES = new Uint8Array(0x10000);
const KNOWN = 8;
/** Classes of the other planes (bounded: text made of every code point must not grow memory). */
const CHAR_CLASSES = new Map<number, number>();

function classify(cp: number): number {
  const ch = String.fromCodePoint(cp);
  return (
    (HAN.test(ch) ? HAN_CHAR : 0) | (LN.test(ch) ? LETTER_OR_NUMBER : 0) | (SPACE.test(ch) ? SPACE_CHAR : 0)
  );
}

/**
 * What a code point is, as bits: {@link HAN_CHAR} (`\p{Script=Han}`), {@link LETTER_OR_NUMBER}
 * (`[\p{L}\p{N}]`), {@link SPACE_CHAR} (`\s`, what `trim` removes). ASCII is answered by
 * comparison, other code points by those regular expressions once each (a table for the Basic
 * Multilingual Plane, a bounded memo beyond): the per-sentence checks ask for every character.
 */
export function charClass(cp: number): number {
  if (cp < 128) {
    if ((cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) || (cp >= 48 && cp <= 57)) return LETTER_OR_NUMBER;
    return cp === 32 || (cp >= 9 && cp <= 13) ? SPACE_CHAR : 0;
  }
  if (cp <= 0xffff) {
    let c = BMP_CLASSES[cp];
    if (!c) {
      c = classify(cp) | KNOWN;
      BMP_CLASSES[cp] = c;
    }
    return c & ~KNOWN;
  }
  let c = CHAR_CLASSES.get(cp);
  if (c === undefined) {
    c = classify(cp);
    if (CHAR_CLASSES.size < MAX_MEMO) CHAR_CLASSES.set(cp, c);
  }
  return c;
}

/**
 * One pass over a text: Han characters (code points), ASCII letters, and runs of ASCII letters
 * and digits (English words), the same counts as matching `\p{Script=Han}`, `[A-Za-z]` and
 * `[A-Za-z0-9]+` (Han characters are not ASCII, so removing them never joins two runs).
 */
function scan(text: string): { han: number; letters: number; words: number } {
  // The engine asks twice about the same transcript (language, then speaking time).
  if (lastScan?.text === text) return lastScan.counts;
  let han = 0;
  let letters = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
      const alnum = letter || (c >= 48 && c <= 57);
      if (letter) letters++;
      if (alnum && !inWord) words++;
      inWord = alnum;
      continue;
    }
    inWord = false;
    const cp = text.codePointAt(i) as number;
    const wide = cp > 0xffff;
    // No code point below U+2E80 (CJK Radicals Supplement) is Han.
    if (cp >= 0x2e80 && (charClass(cp) & HAN_CHAR) !== 0) han++;
    if (wide) i++;
  }
  lastScan = { text, counts: { han, letters, words } };
  return lastScan.counts;
}

/** The last text {@link scan} counted (one slot: memory stays flat). Callers do not modify the counts. */
let lastScan: { text: string; counts: { han: number; letters: number; words: number } } | null = null;

/** Guesses the language from the share of Chinese characters. */
export function detectLanguage(text: string): Lang {
  const { han, letters } = scan(text);
  return han * 3 >= letters ? 'zh' : 'en';
}

/** Normalised form of each jieba segment seen (bounded, like the canonical forms). */
const SEGMENTS_SEEN = new Map<string, string>();

/** Splits text into word tokens (lower-cased, punctuation dropped), Chinese by jieba. */
export function tokenize(text: string, lang: Lang): string[] {
  if (lang === 'zh' || HAN.test(text)) {
    const out: string[] = [];
    for (const raw of segmenter().cut(text, false)) {
      // Each distinct segment is normalised once ('' = not a word: punctuation, spaces).
      let t = SEGMENTS_SEEN.get(raw);
      if (t === undefined) {
        const x = raw.trim().toLowerCase();
        t = x && WORDISH.test(x) ? x : '';
        if (SEGMENTS_SEEN.size >= MAX_MEMO) SEGMENTS_SEEN.clear();
        SEGMENTS_SEEN.set(raw, t);
      }
      if (t) out.push(t);
    }
    return out;
  }
  return (text.toLowerCase().match(/[a-z0-9]+(?:[-'][a-z0-9]+)*(?:\.\d+)?%?/g) ?? []).filter(Boolean);
}

/** Content terms of rubric lines already computed (the same indicators are matched for every answer). */
const CONTENT_TERMS_SEEN = new Map<string, readonly string[]>();

/**
 * Content terms of a text: canonical forms of its non-stop-word tokens, deduplicated. Memoised
 * (bounded): callers pass the rubric's indicators, a small set seen again for every answer.
 * The returned array is shared: do not modify it.
 */
export function contentTerms(text: string, lang: Lang): readonly string[] {
  const key = `${lang}\u0000${text}`;
  let out = CONTENT_TERMS_SEEN.get(key);
  if (out === undefined) {
    out = computeContentTerms(text, lang);
    if (CONTENT_TERMS_SEEN.size >= MAX_MEMO / 10) CONTENT_TERMS_SEEN.clear();
    CONTENT_TERMS_SEEN.set(key, out);
  }
  return out;
}

function computeContentTerms(text: string, lang: Lang): string[] {
  const stops = STOP_WORDS[lang];
  const out = new Set<string>();
  for (const t of tokenize(text, lang)) {
    if (stops.has(t) || STOP_WORDS.zh.has(t) || STOP_WORDS.en.has(t)) continue;
    if (t.length < 2 && !/\d/.test(t) && !HAN.test(t)) continue;
    out.add(canonical(t));
  }
  return [...out];
}

/** A sentence of the transcript with its offsets (`transcript.slice(start, end) === text`). */
export interface Sentence {
  start: number;
  end: number;
  text: string;
  /** Lower-cased text for marker matching. */
  lower: string;
  tokens: string[];
  terms: Set<string>;
}

const SENTENCE_END = /[。！？!?；;\n]+|\.(?=\s|$)/g;
const CLAUSE_END = /[，,、：:]+/g;
const MAX_SENTENCE = 90;

function pieces(text: string, base: number, re: RegExp): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = 0;
  for (const m of text.matchAll(re)) {
    const end = (m.index ?? 0) + m[0].length;
    out.push([base + from, base + end]);
    from = end;
  }
  if (from < text.length) out.push([base + from, base + text.length]);
  return out;
}

/**
 * Splits a transcript into sentences (clauses when a sentence is very long, since ASR output
 * sometimes lacks full stops), each trimmed, with exact offsets into the original string.
 */
export function splitSentences(transcript: string, lang: Lang): Sentence[] {
  const spans: Array<[number, number]> = [];
  for (const [s, e] of pieces(transcript, 0, SENTENCE_END)) {
    if (e - s > MAX_SENTENCE) spans.push(...pieces(transcript.slice(s, e), s, CLAUSE_END));
    else spans.push([s, e]);
  }
  const out: Sentence[] = [];
  for (let [s, e] of spans) {
    while (s < e && /\s/.test(transcript[s])) s++;
    while (e > s && /\s/.test(transcript[e - 1])) e--;
    if (e <= s || !WORDISH.test(transcript.slice(s, e))) continue;
    const text = transcript.slice(s, e);
    const tokens = tokenize(text, lang);
    out.push({
      start: s,
      end: e,
      text,
      lower: text.toLowerCase(),
      tokens,
      terms: canonicalSet(tokens),
    });
  }
  return out;
}

/** The canonical forms of tokens as a set (in token order, no intermediate array). */
function canonicalSet(tokens: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) out.add(canonical(tokens[i]));
  return out;
}

/** Counts Chinese characters and English words (speaking-time estimate and length checks). */
export function countUnits(text: string): { han: number; words: number } {
  const { han, words } = scan(text);
  return { han, words };
}

/**
 * True when `phrase` occurs in `lower` (already lower-cased). English phrases must sit on word
 * boundaries so "then" is not found inside "strengthen"; Chinese has no word boundaries.
 */
export function hasPhrase(lower: string, phrase: string): boolean {
  if (HAN.test(phrase)) return lower.includes(phrase);
  const i = lower.indexOf(phrase.trim());
  if (i < 0) return false;
  const p = phrase.trim();
  let at = i;
  while (at >= 0) {
    const before = at === 0 ? ' ' : lower[at - 1];
    const after = lower[at + p.length] ?? ' ';
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return true;
    at = lower.indexOf(p, at + 1);
  }
  return false;
}
