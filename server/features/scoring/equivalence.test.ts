import { describe, expect, it } from 'vitest';
import { keyAndShingleChars, listCount, measureContent, promptListSentences, shingles } from './content';
import { answerVector, fitModel, predict, type RatedAnswer, ratedTopicality } from './learned';
import { resolveCompetencies } from './rubrics';
import { TermIndex, termCounts, tfidf, VIEW_WEIGHTS } from './similarity';
import { charClass, HAN_CHAR, LETTER_OR_NUMBER, SPACE_CHAR, splitSentences } from './text';
import { contextsFor, type QuestionDef } from './training';

/**
 * The scorer's fast paths must give bit-for-bit the results of their straightforward forms
 * (scores are compared across versions and stored): each is checked here against that form.
 */

const ZH = [
  '我先看监控，发现数据库查询变慢，QPS从2000降到了300。',
  '我们的KPI和OKR都对齐了目标，kpi目标指标一起复盘。',
  '𠮷野家的订单系统𠮷𠮷出现超时超时超时，我负责排查。',
  '嗯，然后然后我们就，那个那个，加了缓存。',
  'API 和 SQL 的 p99 延迟降低了 45%，用户投诉减少。',
  '⺀⺁部首〇和１２３，ＡＢＣ与abc、\u3000 ；；Été的数据库。',
];
const EN = [
  "I optimized the queries, then we optimised the cache; it's 45% faster.",
  'Constructors create objects. A constructor is called when a class is created.',
];

describe('TermIndex = termCounts', () => {
  it('gives each text the keys, order and counts of termCounts, sharing ids across texts', () => {
    for (const [lang, texts] of [
      ['zh', ZH],
      ['en', EN],
    ] as const) {
      const index = new TermIndex();
      for (const text of texts) {
        const got = index.terms(text, lang);
        const want = [...termCounts(text, lang).entries()];
        expect(got.ids.map((id, i) => [index.keys[id], got.counts[i]])).toEqual(want);
        for (const [k] of want) expect(index.find(k)).toBeDefined();
      }
      // One id per key, however the key was reached (a Latin synonym and a character pair).
      expect(new Set(index.keys).size).toBe(index.keys.length);
      expect(index.find('c:not-a-term')).toBeUndefined();
    }
  });
});

const def: QuestionDef = {
  questionId: 'q',
  question: '线上服务突然出现大量超时，你会如何一步步定位并解决？',
  competencies: resolveCompetencies(['问题解决', '沟通协作'], undefined, 'zh'),
  lang: 'zh',
};
const ctx = contextsFor([def]).get('q');
if (!ctx) throw new Error('no context');
const story = ZH.filter((t) => !t.includes('嗯')).join('');
const long = `${story}${story.split('').reverse().join('')}事后组织复盘，加了慢查询告警。和产品同步进展，说明风险和计划。`;

describe('answer measures = their straightforward forms', () => {
  it('plain vector = TF-IDF of the counted sentences merged term counts', () => {
    // Not the filler sentence: it is measured without its fillers, the others as segmented.
    for (const text of [...ZH, long].filter((t) => !t.includes('嗯'))) {
      const m = measureContent(text, ctx);
      const sentences = splitSentences(text, 'zh');
      const merged = new Map<string, number>();
      for (const i of m.counted)
        for (const [k, n] of termCounts(sentences[i].text, 'zh', sentences[i].tokens))
          merged.set(k, (merged.get(k) ?? 0) + n);
      expect([...m.plain.entries()]).toEqual([...tfidf(merged, ctx.idf, VIEW_WEIGHTS.zh).entries()]);
    }
  });

  it('neighbour vector = stable sort, first 120, hashed into a map, keys sorted', () => {
    const fnv = (s: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
      return h;
    };
    for (const text of [...ZH, long, long + long]) {
      const plain = measureContent(text, ctx).plain;
      const entries = [...plain].map(([k, x]): [string, number] => [k, ctx.demote.has(k) ? x * 0.2 : x]);
      const top = entries.sort((p, q) => q[1] - p[1]).slice(0, 120);
      const norm = Math.sqrt(top.reduce((s, e) => s + e[1] * e[1], 0)) || 1;
      const merged = new Map<number, number>();
      for (const [k, x] of top) merged.set(fnv(k), (merged.get(fnv(k)) ?? 0) + x / norm);
      const k = [...merged.keys()].sort((a, b) => a - b);
      expect(answerVector(text, ctx, undefined, plain)).toEqual({ k, v: k.map((h) => merged.get(h)) });
    }
  });

  it('prediction after the topicality check = prediction of a fresh copy of the vector', () => {
    const rows: RatedAnswer[] = ZH.map((t, i) => ({
      questionId: 'q',
      vec: answerVector(t, ctx, undefined, measureContent(t, ctx).plain),
      content: 0.5,
      evidence: 0.5,
      uncalibrated: 50,
      rating: i / 4,
    }));
    const model = fitModel(rows, new Date(0), false);
    const vec = answerVector(long, ctx, undefined, measureContent(long, ctx).plain);
    const copy = { k: [...vec.k], v: [...vec.v] };
    const topic = ratedTopicality(model, { questionId: 'q', vec });
    expect(topic?.own).toBeGreaterThan(0);
    const a = predict(model, { questionId: 'q', vec, content: 0.4, evidence: 1 });
    const b = predict(model, { questionId: 'q', vec: copy, content: 0.4, evidence: 1 });
    expect(a).toEqual(b);
    // The nearest good answer is among all rated answers: no nearer than the nearest of them.
    expect(topic?.own).toBeLessThanOrEqual(a.nearestSimilarity);
  });
});

/** Strings that stress the character classes: astral Han, radicals (Han, not letters), full-width forms, lone surrogates. */
const ODD = [
  ...ZH,
  ...EN,
  '',
  '，，、；;  ,',
  '\ud800孤\udc00立',
  '𠮷𠮷野家，⺀⺁，〇〇，１２，ＡＢ，é，Σς',
  ' 超时 ，\u3000， 索引、缓存；监控;告警,日志 ',
  'ab,cd, ef ;gh；ij、kl',
  '慢查询，联合索引，连接池，压测，告警',
];

describe('character passes = the regular expressions they replace', () => {
  it('classes every code point of the Basic Multilingual Plane and some beyond as the expressions do', () => {
    const cps = [...Array.from({ length: 0x10000 }, (_, i) => i), 0x20bb7, 0x2a6d6, 0x1f600, 0x10ffff];
    for (const cp of cps) {
      const ch = String.fromCodePoint(cp);
      const want =
        (/\p{Script=Han}/u.test(ch) ? HAN_CHAR : 0) |
        (/[\p{L}\p{N}]/u.test(ch) ? LETTER_OR_NUMBER : 0) |
        (/\s/u.test(ch) ? SPACE_CHAR : 0);
      if (charClass(cp) !== want) expect([cp, charClass(cp)]).toEqual([cp, want]);
    }
  });

  it('repeat key and shingle characters = the two replacements', () => {
    for (const text of ODD) {
      for (const lower of [text.toLowerCase(), text]) {
        expect(keyAndShingleChars(lower)).toEqual({
          key: lower.replace(/[^\p{L}\p{N}]/gu, ''),
          chars: lower.replace(/[^\p{Script=Han}a-z0-9]/gu, ''),
        });
      }
    }
  });

  it('Chinese list items = splitting, trimming and matching each item', () => {
    const promptTerms = new Set(['c:超时', 'c:索引', 'c:慢查', 'c:查询', 'c:压测', 'c:告警']);
    for (const text of ODD) {
      const singles: string[] = [];
      const want = { items: 0, single: 0, content: 0, onPrompt: 0 };
      for (const raw of text.toLowerCase().split(/[,，、;；]+/)) {
        const item = raw.trim();
        if (!item) continue;
        want.items++;
        if ((item.match(/\p{Script=Han}/gu) ?? []).length <= 4) {
          want.single++;
          singles.push(item);
        }
      }
      if (want.single >= 0.75 * want.items)
        for (const item of singles) {
          const keys = (item.match(/\p{Script=Han}+/gu) ?? []).flatMap((run) =>
            Array.from({ length: Math.max(0, run.length - 1) }, (_, i) => `c:${run.slice(i, i + 2)}`),
          );
          if (!keys.length) continue;
          want.content++;
          if (keys.every((k) => promptTerms.has(k))) want.onPrompt++;
        }
      expect(listCount(text, { lang: 'zh', promptTerms })).toEqual(want);
    }
  });

  it('repeated and copied shares = shingle strings looked up one by one', () => {
    const parrot = `${def.question}${def.question}`;
    const rubric = def.competencies.flatMap((c) => c.indicators ?? []).join('。');
    for (const text of [...ZH, long, parrot, `${rubric}。${story}${story}`]) {
      const sentences = splitSentences(text, 'zh');
      const inList = promptListSentences(sentences, ctx);
      const seen = new Set<string>();
      let repeats = 0;
      let copied = 0;
      let all = 0;
      for (const [i, s] of sentences.entries()) {
        const key = s.text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
        const sh = shingles(s.text, 'zh');
        const r = sh.filter((x) => ctx.rubricShingles.has(x)).length / (sh.length || 1);
        const q = sh.filter((x) => ctx.questionShingles.has(x)).length / (sh.length || 1);
        all += key.length;
        if (seen.has(key)) {
          repeats++;
          continue;
        }
        seen.add(key);
        if (r >= 0.6 || q >= 0.9 || (sh.length && r + q >= 0.9) || inList.has(i)) copied += key.length;
      }
      const m = measureContent(text, ctx);
      expect(m.repeatedShare).toBe(sentences.length ? repeats / sentences.length : 0);
      expect(m.copiedShare).toBe(all ? copied / all : 0);
      if (text === parrot) expect(m.copiedShare).toBeGreaterThan(0);
    }
  });
});
