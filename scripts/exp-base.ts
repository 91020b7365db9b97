import fs from 'node:fs';
import { pearson } from '../server/features/scoring/calibrate';

type L = {
  questionId: string;
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
const bow = (t: string, lang: string) => {
  const m = new Map<string, number>();
  const add = (k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  if (lang === 'zh') {
    const s = [...t.replace(/\s/g, '')];
    for (let i = 0; i < s.length; i++) {
      add(s[i]);
      if (i + 1 < s.length) add(s[i] + s[i + 1]);
    }
  } else for (const w of t.toLowerCase().match(/[a-z0-9]+/g) ?? []) add(w);
  return m;
};
const cos = (a: Map<string, number>, b: Map<string, number>) => {
  let d = 0,
    na = 0,
    nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    d += v * (b.get(k) ?? 0);
  }
  for (const v of b.values()) nb += v * v;
  return na && nb ? d / Math.sqrt(na * nb) : 0;
};
for (const split of ['train', 'test']) {
  const xs: number[] = [],
    ys: number[] = [];
  for (const r of rows)
    if (r.split === split) {
      xs.push(
        Math.max(...r.referenceAnswers.map((x) => cos(bow(r.transcript, r.language), bow(x, r.language)))),
      );
      ys.push(r.humanScore);
    }
  console.log(split, xs.length, pearson(xs, ys).toFixed(3));
}
