/**
 * `npm run bench -- scoring [--seconds 5]`: throughput of the deterministic scorer on 2-minute
 * answers (~500 Chinese characters) on one core, memory, and agreement with the human ratings
 * of scripts/eval/rated.jsonl before and after calibration (5-fold cross-validated).
 * Baseline in the same run: jieba segmentation alone on the same texts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { agreementOf, parseJsonl, scoreLine, train } from '../../server/features/scoring/batch';
import { scoreAnswer } from '../../server/features/scoring/engine';
import { resolveCompetencies } from '../../server/features/scoring/rubrics';
import { tokenize } from '../../server/features/scoring/text';
import { report } from './report';

const PARTS = [
  '当时我们的订单服务在大促期间出现大量超时，我负责排查这个问题。',
  '首先我查看了监控和日志，发现数据库查询的耗时从50毫秒涨到了2秒。',
  '然后我分析慢查询日志，找到根本原因是一个缺少索引的联表查询。',
  '我对比了加索引、拆分查询和加缓存三个方案，评估了风险和工作量。',
  '最后我们先加了联合索引，当天灰度上线，又在第二周加了缓存。',
  '结果接口响应时间降低了90%，超时率从5%降到0.1%，大促期间没有再出现故障。',
  '事后我组织团队复盘，把慢查询纳入告警，防止再次发生，也和测试同学对齐了压测标准。',
  '这件事让我学到，定位问题要先看数据，再做假设，最后用指标验证效果。',
  '另外，我也会主动和产品同步进展，让大家知道风险和计划，减少沟通成本。',
];

function answer(i: number): string {
  // Rotate and repeat the parts so each answer differs while staying ~500 characters.
  let s = '';
  let k = i;
  while (s.length < 500) s += PARTS[k++ % PARTS.length];
  return s.slice(0, 520);
}

export async function run(args: string[]): Promise<void> {
  const seconds = Number(args[args.indexOf('--seconds') + 1]) || 5;
  const texts = Array.from({ length: 200 }, (_, i) => answer(i));
  const competencies = resolveCompetencies(['问题解决', '沟通协作'], undefined, 'zh');
  const question = '线上服务突然出现大量超时，你会如何一步步定位并解决？';
  // Warm-up (dictionary load, JIT).
  for (let i = 0; i < 200; i++)
    scoreAnswer({ question, competencies, transcript: texts[i], expectedSeconds: 120, language: 'zh' });

  const measure = (fn: (i: number) => void) => {
    const deadline = performance.now() + seconds * 1000;
    let n = 0;
    const start = performance.now();
    while (performance.now() < deadline) fn(n++);
    return n / ((performance.now() - start) / 1000);
  };
  const base = measure((i) => tokenize(texts[i % texts.length], 'zh'));
  const rssBefore = process.memoryUsage().rss;
  const rate = measure((i) =>
    scoreAnswer({
      question,
      competencies,
      transcript: texts[i % texts.length],
      expectedSeconds: 120,
      language: 'zh',
    }),
  );
  const mem = process.memoryUsage();

  const here = path.dirname(new URL(import.meta.url).pathname);
  const lines = parseJsonl(fs.readFileSync(path.join(here, '../eval/rated.jsonl'), 'utf8'));
  const before = agreementOf(
    lines,
    lines.map((l) => scoreLine(l).overall),
  );
  const model = train(lines);
  const zh = lines.filter((l) => l.language === 'zh');
  const en = lines.filter((l) => l.language === 'en');
  const byLang = (ls: typeof lines) =>
    agreementOf(
      ls,
      ls.map((l) => scoreLine(l).overall),
    );

  const rows = [
    { measure: 'jieba segmentation only (baseline)', value: Math.round(base), unit: 'texts/s' },
    { measure: 'deterministic scorer, 2 competencies', value: Math.round(rate), unit: 'answers/s' },
    {
      measure: 'mean transcript length',
      value: Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length),
      unit: 'chars',
    },
    { measure: 'rss after scoring', value: Math.round(mem.rss / 2 ** 20), unit: 'MiB' },
    { measure: 'rss growth during scoring', value: Math.round((mem.rss - rssBefore) / 2 ** 20), unit: 'MiB' },
    {
      measure: `eval set n=${lines.length}: pearson, default weights`,
      value: Number(before?.pearson.toFixed(3)),
      unit: '',
    },
    { measure: 'eval set: QWK, default weights', value: Number(before?.qwk.toFixed(3)), unit: '' },
    {
      measure: 'eval set: pearson, calibrated (5-fold held-out)',
      value: Number(model.heldOut?.pearson.toFixed(3)),
      unit: '',
    },
    {
      measure: 'eval set: QWK, calibrated (5-fold held-out)',
      value: Number(model.heldOut?.qwk.toFixed(3)),
      unit: '',
    },
    {
      measure: `zh only n=${zh.length}: pearson / QWK default`,
      value: `${byLang(zh)?.pearson.toFixed(3)} / ${byLang(zh)?.qwk.toFixed(3)}`,
      unit: '',
    },
    {
      measure: `en only n=${en.length}: pearson / QWK default`,
      value: `${byLang(en)?.pearson.toFixed(3)} / ${byLang(en)?.qwk.toFixed(3)}`,
      unit: '',
    },
  ];
  report('scoring', rows, {
    seconds,
    target: '>= 200 answers/s on one core',
    weights: model.global.weights,
    intercept: model.global.intercept,
  });
}
