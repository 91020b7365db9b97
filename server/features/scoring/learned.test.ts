import { describe, expect, it } from 'vitest';
import { measureContent } from './content';
import { answerVector, fitModel, inputsFor, neighbourInput, predict, type RatedAnswer } from './learned';
import { resolveCompetencies } from './rubrics';
import { contextsFor, type QuestionDef } from './training';

/**
 * The served prediction searches rated neighbours through an inverted index of the model's
 * pool (for speed); training computes the same inputs by comparing with every rated answer.
 * Both must give the same inputs, the same nearest ratings in the same order (ties included),
 * or the model would be fitted on inputs other than those it is served.
 */
describe('indexed neighbour search = the plain search of training', () => {
  const def: QuestionDef = {
    questionId: 'q',
    question: '线上服务突然出现大量超时，你会如何一步步定位并解决？',
    competencies: resolveCompetencies(['问题解决'], undefined, 'zh'),
    lang: 'zh',
  };
  const ctx = contextsFor([def]).get('q');
  if (!ctx) throw new Error('no context');
  const parts = [
    '我先看监控，发现数据库查询变慢。',
    '再查慢查询日志，定位到一条没走索引的联表查询。',
    '加了联合索引后耗时从两秒降到八十毫秒。',
    '我把所有实例重启了一遍，又临时扩容了两台机器。',
    '把超时时间调长一些，等流量高峰过去再观察。',
    '事后组织复盘，加了慢查询告警。',
    '和产品同步进展，说明风险和计划。',
  ];
  const text = (i: number) => [0, 1, 2].map((j) => parts[(i * (j + 2)) % parts.length]).join('');
  const vecOf = (t: string) => {
    const m = measureContent(t, ctx);
    return answerVector(t, ctx, undefined, m.plain);
  };
  // 40 rated answers; every text occurs at least twice (equal similarities: ties).
  const rows: RatedAnswer[] = Array.from({ length: 40 }, (_, i) => ({
    questionId: 'q',
    vec: vecOf(text(i % 17)),
    content: 0.5,
    evidence: (i % 3) / 2,
    uncalibrated: 50,
    rating: (i % 5) / 4,
  }));
  const model = fitModel(rows, new Date(0), false);

  it.each(Array.from({ length: 17 }, (_, i) => i))('answer %i', (i) => {
    const vec = vecOf(text(i));
    const served = predict(model, { questionId: 'q', vec, content: 0.4, evidence: 1 });
    const pool = model.rated.q;
    const plain = inputsFor({ vec, content: 0.4, evidence: 1 }, pool, model.globalMean);
    expect([
      served.inputs.content,
      served.inputs.evidence,
      served.inputs.neighbours,
      served.inputs.questionMean,
    ]).toEqual(plain);
    const nb = neighbourInput(vec, pool, plain[3]);
    expect(served.nearestRatings).toEqual(nb.nearest.slice(0, 3).map((n) => Math.round(1 + 4 * n.rating)));
    expect(served.nearestSimilarity).toBe(nb.nearest[0].sim);
    // The answer itself is in the pool: its nearest neighbour is itself.
    expect(served.nearestSimilarity).toBeCloseTo(1, 9);
  });

  it('keeps at most 120 terms, heaviest first, in ascending key order', () => {
    const long = parts.join('') + parts.join('').split('').reverse().join('');
    const v = vecOf(long);
    expect(v.k.length).toBeLessThanOrEqual(120);
    expect([...v.k].sort((a, b) => a - b)).toEqual(v.k);
    expect(v.v.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 9);
  });
});
