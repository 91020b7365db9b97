import fs from 'node:fs';
import { pearson } from '../server/features/scoring/calibrate';
import {
  dot,
  Idf,
  type SparseVector,
  termCounts,
  tfidf,
  ZH_WORDS,
} from '../server/features/scoring/similarity';

type L = {
  id: string;
  questionId: string;
  question: string;
  transcript: string;
  language: 'zh' | 'en';
  referenceAnswers: string[];
  humanScore: number;
  split: string;
};
const rows: L[] = fs
  .readFileSync(process.argv[2], 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const lang = rows[0].language;
const split = process.argv[3] ?? 'train';
ZH_WORDS.on = true;
const bank = new Idf();
const qs = new Map<string, L>();
for (const r of rows) qs.set(r.questionId, r);
for (const q of qs.values()) {
  bank.add(termCounts(q.question, lang));
  for (const ref of q.referenceAnswers) bank.add(termCounts(ref, lang));
}
for (const r of rows) bank.add(termCounts(r.transcript, lang));
function recall(a: SparseVector, ref: SparseVector, demote: Set<string>, d: number) {
  let on = 0,
    all = 0;
  for (const k of ref.keys()) {
    const w = bank.weight(k) * (demote.has(k) ? d : 1);
    all += w;
    if (a.has(k)) on += w;
  }
  return all ? on / all : 0;
}
const res: Record<string, number[]> = {};
const ys: number[] = [];
for (const r of rows) {
  if (r.split !== split) continue;
  ys.push(r.humanScore);
  const demote = new Set(termCounts(r.question, lang).keys());
  const ac = termCounts(r.transcript, lang);
  for (const wv of [0.5, 0.7])
    for (const d of [0.2, 0.5]) {
      const vw = { w: wv, c: 1 - wv };
      const a = tfidf(ac, bank, vw, demote, d);
      let cos = 0,
        rec = 0;
      for (const ref of r.referenceAnswers) {
        const rc = termCounts(ref, lang);
        cos = Math.max(cos, dot(a, tfidf(rc, bank, vw, demote, d)));
        rec = Math.max(rec, recall(ac, rc, demote, d));
      }
      const len = Math.log(1 + [...ac.values()].reduce((s, v) => s + v, 0));
      for (const [name, v] of Object.entries({
        cos,
        rec,
        mix: (cos + rec) / 2,
        mix2: 0.7 * cos + 0.3 * rec,
        sqrtcos: Math.sqrt(cos),
        len,
        sqrtmix: Math.sqrt((cos + rec) / 2),
      }))
        (res[`${name} w=${wv} d=${d}`] ??= []).push(v);
    }
}
for (const [k, xs] of Object.entries(res)) console.log(k, pearson(xs, ys).toFixed(3));
