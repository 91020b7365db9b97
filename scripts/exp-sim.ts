import fs from 'node:fs';
import { pearson } from '../server/features/scoring/calibrate';
import { dot, Idf, termCounts, tfidf, VIEW_WEIGHTS, ZH_WORDS } from '../server/features/scoring/similarity';

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
const file = process.argv[2];
const rows: L[] = fs
  .readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const lang = rows[0].language;
const split = process.argv[3] ?? 'train';
for (const zw of lang === 'zh' ? [false, true] : [false])
  for (const idfMode of ['bank', 'bank+answers', 'perq'])
    for (const wv of [0.3, 0.5, 0.7])
      for (const demoteBy of [1, 0.5, 0.2, 0]) {
        ZH_WORDS.on = zw;
        const vw = { w: wv, c: 1 - wv };
        const bank = new Idf();
        const qs = new Map<string, L>();
        for (const r of rows) qs.set(r.questionId, r);
        for (const q of qs.values()) {
          bank.add(termCounts(q.question, lang));
          for (const ref of q.referenceAnswers) bank.add(termCounts(ref, lang));
        }
        if (idfMode === 'bank+answers') for (const r of rows) bank.add(termCounts(r.transcript, lang));
        const perq = new Map<string, Idf>();
        if (idfMode === 'perq')
          for (const q of qs.values()) {
            const i = new Idf();
            for (const q2 of qs.values()) {
              i.add(termCounts(q2.question, lang));
              for (const ref of q2.referenceAnswers) i.add(termCounts(ref, lang));
            }
            for (const r of rows) if (r.questionId === q.questionId) i.add(termCounts(r.transcript, lang));
            perq.set(q.questionId, i);
          }
        const xs: number[] = [];
        const ys: number[] = [];
        for (const r of rows) {
          if (r.split !== split) continue;
          const idf = perq.get(r.questionId) ?? bank;
          const demote = new Set(termCounts(r.question, lang).keys());
          const a = tfidf(termCounts(r.transcript, lang), idf, vw, demote, demoteBy);
          let best = 0;
          for (const ref of r.referenceAnswers)
            best = Math.max(best, dot(a, tfidf(termCounts(ref, lang), idf, vw, demote, demoteBy)));
          xs.push(best);
          ys.push(r.humanScore);
        }
        console.log(`zw=${zw} idf=${idfMode} w=${wv} demote=${demoteBy}: ${pearson(xs, ys).toFixed(3)}`);
      }
