import { describe, expect, it } from 'vitest';
import { agreement, pearson, quadraticWeightedKappa, scoreToBand } from './calibrate';
import { withoutAsides } from './content';
import { SCORER_VERSION, scoreAnswer } from './engine';
import { applyLinear, fitLinear } from './learned';
import { resolveCompetencies } from './rubrics';
import { canonical, contentTerms, countUnits, detectLanguage, splitSentences, stem, tokenize } from './text';
import type { ScoreResult, ScoringInput } from './types';

const ZH_Q = '线上服务突然出现大量超时，你会如何一步步定位并解决？';
const ZH_GOOD =
  '当时我们的订单服务在大促期间出现大量超时，我负责排查。首先我查看了监控和日志，发现数据库查询的耗时从50毫秒涨到了2秒。然后我分析慢查询日志，找到根本原因是一个缺少索引的查询。我对比了加索引和加缓存两个方案，最后先加了索引。结果接口响应时间降低了90%。事后我们复盘，增加了慢查询告警，防止再次发生。';
const EN_Q = 'Describe a time you disagreed with a colleague. How did you reach agreement?';
const EN_GOOD =
  'Last year the design lead wanted to launch a new checkout all at once, and I disagreed because checkout drives our revenue. My goal was to protect revenue. First I set up a one-on-one to listen to her concerns. Then I shared data from our previous launch, where conversion dropped by 4%. I proposed an A/B test on 10% of traffic and we agreed on the success metrics together. As a result conversion increased by 2% and we reached consensus to roll it out.';

function zh(transcript: string, extra: Partial<ScoringInput> = {}): ScoreResult {
  return scoreAnswer({
    question: ZH_Q,
    competencies: resolveCompetencies(['问题解决'], undefined, 'zh'),
    expectedSeconds: 150,
    language: 'zh',
    transcript,
    ...extra,
  });
}
function en(transcript: string, extra: Partial<ScoringInput> = {}): ScoreResult {
  return scoreAnswer({
    question: EN_Q,
    competencies: resolveCompetencies(['Communication'], undefined, 'en'),
    expectedSeconds: 120,
    language: 'en',
    transcript,
    ...extra,
  });
}

function assertEvidenceVerbatim(r: ScoreResult, transcript: string) {
  for (const c of r.competencies)
    for (const e of c.evidence) {
      expect(transcript.slice(e.start, e.end)).toBe(e.text);
      expect(transcript.includes(e.text)).toBe(true);
    }
}

describe('text analysis', () => {
  it('segments Chinese with jieba and tokenises English', () => {
    expect(tokenize('我负责优化了数据库查询', 'zh')).toEqual(['我', '负责', '优化', '了', '数据库', '查询']);
    expect(tokenize("I optimized the DB's queries, cutting latency 40%.", 'en')).toEqual([
      'i',
      'optimized',
      'the',
      "db's",
      'queries',
      'cutting',
      'latency',
      '40%',
    ]);
  });
  it('stems English lightly and maps synonyms to one canonical term', () => {
    expect(stem('optimized')).toBe(stem('optimizing'));
    expect(stem('disagreed')).toBe(stem('disagree'));
    expect(canonical('排查')).toBe(canonical('定位'));
    expect(canonical('对比')).toBe(canonical('比较'));
    expect(canonical('troubleshooting')).toBe(canonical('diagnose'));
    expect(contentTerms('的 了 是 我', 'zh')).toEqual([]);
  });
  it('detects the language and splits sentences with exact offsets', () => {
    expect(detectLanguage('我负责后端开发')).toBe('zh');
    expect(detectLanguage('I led the backend team')).toBe('en');
    const t = '  第一句话。第二句！ Third one. ';
    for (const s of splitSentences(t, 'zh')) expect(t.slice(s.start, s.end)).toBe(s.text);
    expect(splitSentences(t, 'zh').map((s) => s.text)).toEqual(['第一句话。', '第二句！', 'Third one.']);
  });
});

describe('features (Chinese and English examples)', () => {
  it('indicator + synonym coverage: 排查/根本原因 match 定位问题的根本原因', () => {
    const r = zh('我排查了两天，找到根本原因是缓存失效。');
    expect(r.competencies[0].matchedIndicators).toContain('定位问题的根本原因');
    const e = en('I listened to her concerns before I answered.');
    expect(e.competencies[0].matchedIndicators).toContain('listens to the other side');
  });
  it("evidence: a specific example, the candidate's own action and a result, each found or not", () => {
    const good = zh(ZH_GOOD);
    expect(good.basis.evidence).toEqual({ example: true, ownAction: true, result: true });
    expect(good.features.evidence).toBe(1);
    const partial = zh('要先看监控和日志，找到根本原因是索引缺失。');
    expect(partial.basis.evidence).toEqual({ example: false, ownAction: false, result: false });
    expect(en(EN_GOOD).basis.evidence).toEqual({ example: true, ownAction: true, result: true });
    expect(en('The team talked about it and it was resolved.').basis.evidence.ownAction).toBe(false);
  });
  it('evidence only multiplies content: STAR phrases and invented numbers alone stay low', () => {
    const template = zh(
      '首先我分析了情况，然后我采取了行动，最终结果提升了30%，效率提高了50%，我学到了很多。',
    );
    // Sentences of template phrases and figures fit any question: they count for nothing.
    expect(template.features.evidence).toBe(0);
    expect(template.features.content).toBe(0);
    expect(template.overall).toBeLessThan(zh(ZH_GOOD).overall - 25);
    expect(template.flags).toContain('suspected_gaming');
  });
  it('fillers and disfluency never change the score; many fillers are only a quality note', () => {
    const clean = en(EN_GOOD);
    const filled = en(
      EN_GOOD.replaceAll('. ', '. Um, uh, ')
        .replaceAll(' and ', ' and, you know, uh, ')
        .replace('First', 'Um, first'),
    );
    expect(filled.overall).toBe(clean.overall);
    expect(filled.competencies[0].score).toBe(clean.competencies[0].score);
    expect(filled.notes).toContain('many_fillers');
    expect(filled.flags).not.toContain('high_filler_rate' as never);
    const zhClean = zh(ZH_GOOD);
    const zhFilled = zh(ZH_GOOD.replaceAll('。', '。嗯，呃，').replaceAll('然后', '然后然后'));
    expect(zhFilled.overall).toBe(zhClean.overall);
    expect(zhFilled.notes).toContain('many_fillers');
    expect(zhClean.notes).toEqual([]);
  });
  it('length against expectation: short answers lose and are flagged; long ones only flagged', () => {
    const short = zh('排查根本原因。');
    expect(short.flags).toContain('too_short');
    expect(short.features.length).toBeLessThan(zh(ZH_GOOD).features.length);
    expect(short.overall).toBeLessThan(zh(ZH_GOOD).overall);
    const timed = zh(ZH_GOOD, { sentences: [{ text: ZH_GOOD, beginMs: 0, endMs: 300_000 }] });
    expect(timed.flags).toContain('too_long');
    expect(timed.estimatedSeconds).toBe(300);
  });
  it('similarity to reference answers (recall of their key terms)', () => {
    const ref = ['先看监控定位瓶颈，找到根本原因，比较方案，修复后验证超时率，最后复盘。'];
    const close = zh('我先看监控定位瓶颈，找到根本原因后修复并验证超时率。', { referenceAnswers: ref });
    const far = zh('我会重启服务，然后看看情况。', { referenceAnswers: ref });
    expect(close.features.reference).toBeGreaterThan(far.features.reference);
  });
  it('an aside in parentheses of a reference answer is optional', () => {
    expect(withoutAsides('Data members (attributes) and member functions.')).toBe(
      'Data members and member functions.',
    );
    expect(withoutAsides('由数据字符、校验字符（可选）和终止字符组成。')).toBe(
      '由数据字符、校验字符和终止字符组成。',
    );
    expect(withoutAsides('No aside here.')).toBeNull();
    // A longer aside lists points a good answer covers: it stays.
    expect(withoutAsides('遇到的主要风险（需求变更、人手、依赖方延期），如何应对。')).toBeNull();
    expect(withoutAsides('N (the length of the array) operations.')).toBeNull();
    expect(withoutAsides('(only an aside)')).toBeNull();
    const score = (transcript: string, ref: string) =>
      scoreAnswer({
        question: 'What is typically included in a class definition?',
        competencies: resolveCompetencies(['Communication'], undefined, 'en'),
        language: 'en',
        transcript,
        referenceAnswers: [ref],
      }).features.reference;
    const ref = 'Data members (attributes) and member functions.';
    // Saying everything but the synonym in parentheses is saying the reference answer...
    expect(score('Data members and member functions.', ref)).toBeCloseTo(
      score('Data members and member functions.', 'Data members and member functions.'),
      6,
    );
    // ...and saying the aside as well loses nothing.
    expect(score('Data members (attributes) and member functions.', ref)).toBeGreaterThanOrEqual(
      score('Data members and member functions.', ref),
    );
  });
});

describe('properties', () => {
  const additions: Array<[string, (t: string) => ScoreResult, string, string]> = [
    ['zh', zh, '我先排查了日志。', '比如上次我找到根本原因是索引缺失，加索引后耗时从2秒降到了200毫秒。'],
    ['zh-good', zh, ZH_GOOD, '举个例子，去年我还把超时率从5%降到了0.1%。'],
    [
      'en',
      en,
      'I disagreed with a colleague about the API.',
      'For example, I listened to her concerns and shared data showing 30% fewer errors, and we reached consensus.',
    ],
    ['en-good', en, EN_GOOD, 'For instance, we also cut support tickets by 25% the next month.'],
  ];
  it.each(additions)(
    'adding a relevant specific example never lowers a competency score (%s)',
    (_n, f, base, extra) => {
      const before = f(base);
      const after = f(`${base}${extra}`);
      for (const [i, c] of before.competencies.entries())
        expect(after.competencies[i].score).toBeGreaterThanOrEqual(c.score);
      expect(after.overall).toBeGreaterThanOrEqual(before.overall);
    },
  );

  it('the learned model keeps content and evidence weights non-negative', () => {
    // Ratings that fall as content rises: the fit may not turn saying more into a penalty.
    const X = Array.from({ length: 40 }, (_, i) => [(i % 10) / 9, (i % 3) / 2, 0.5, 0.5]);
    const y = X.map((x) => 0.9 - 0.5 * x[0] - 0.2 * x[1]);
    const lin = fitLinear(X, y, 0.001, [0, 0, 0, 0]);
    expect(lin.w[0]).toBeGreaterThanOrEqual(0);
    expect(lin.w[1]).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ['zh empty', () => zh('')],
    [
      'zh off-topic',
      () => zh('我周末喜欢爬山和看电影，最近在看一部很好看的电视剧，觉得剧情很精彩，推荐大家去看。'),
    ],
    ['en empty', () => en('   ')],
    [
      'en off-topic',
      () =>
        en('The weather in Hangzhou is lovely in spring, and West Lake is beautiful with all the flowers.'),
    ],
  ])('%s scores low on content and is flagged', (_n, f) => {
    const r = f();
    expect(r.overall).toBeLessThan(15);
    expect(r.features.coverage).toBe(0);
    expect(r.flags.some((x) => x === 'empty_transcript' || x === 'off_topic')).toBe(true);
  });

  it('every evidence span exists verbatim in the transcript', () => {
    const withSpaces = `  ${ZH_GOOD.replaceAll('。', '。\n ')}  `;
    for (const [t, f] of [
      [ZH_GOOD, zh],
      [withSpaces, zh],
      [EN_GOOD, en],
    ] as const) {
      const r = f(t);
      expect(r.competencies.flatMap((c) => c.evidence).length).toBeGreaterThan(0);
      assertEvidenceVerbatim(r, t);
    }
  });

  it('a good answer beats a vague one; output carries version, job match, strengths, gaps', () => {
    const good = zh(ZH_GOOD);
    const vague = zh('超时原因很多，要具体问题具体分析，看情况处理。');
    expect(good.overall).toBeGreaterThan(vague.overall + 30);
    expect(good.scorerVersion).toBe(SCORER_VERSION);
    expect(good.basis).toMatchObject({ kind: 'uncalibrated', hasReferenceAnswers: false });
    expect(good.jobMatch.score).toBeGreaterThan(vague.jobMatch.score);
    expect(good.strengths.length).toBeGreaterThan(0);
    expect(vague.gaps.every((g) => g.suggestion.length > 10)).toBe(true);
    expect(en(EN_GOOD).overall).toBeGreaterThan(en('We talked and it was fine.').overall + 30);
  });

  it('evidence carries the recording time when sentence timestamps are given', () => {
    const sentences = [
      { text: '我先看监控。', beginMs: 0, endMs: 2000 },
      { text: '找到根本原因是索引缺失。', beginMs: 2500, endMs: 6000 },
    ];
    const r = zh(sentences.map((s) => s.text).join(''), { sentences });
    const ev = r.competencies[0].evidence.find((e) => e.indicator === '定位问题的根本原因');
    expect(ev?.atMs).toBe(2500);
  });
});

describe('calibration maths', () => {
  it('pearson and quadratic weighted kappa', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1);
    expect(quadraticWeightedKappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])).toBe(1);
    // Known value: one-step disagreements on half the items.
    expect(quadraticWeightedKappa([1, 2, 3, 4], [2, 2, 3, 5])).toBeCloseTo(0.8, 1);
    expect(scoreToBand(0)).toBe(1);
    expect(scoreToBand(100)).toBe(5);
    expect(agreement([0, 50, 100], [1, 3, 5]).qwk).toBe(1);
  });
  it('ridge recovers a simple relation, shrinks towards its parent with few rows', () => {
    const X = Array.from({ length: 60 }, (_, i) => [(i % 10) / 9, 0.3, ((i * 7) % 11) / 10, 0.5]);
    const y = X.map((x) => 0.1 + 0.6 * x[0] + 0.2 * x[2]);
    const lin = fitLinear(X, y, 0.0001, [0, 0, 0, 0]);
    expect(lin.w[0]).toBeCloseTo(0.6, 1);
    expect(lin.w[2]).toBeCloseTo(0.2, 1);
    expect(lin.b + 0.3 * lin.w[1] + 0.5 * lin.w[3]).toBeCloseTo(0.1, 1);
    const preds = X.map((x) => 100 * applyLinear(lin, x));
    expect(
      agreement(
        preds,
        y.map((v) => 1 + 4 * v),
      ).pearson,
    ).toBeGreaterThan(0.99);
    // Three rows and a strong prior: the weights stay near the parent's.
    const few = fitLinear(X.slice(0, 3), y.slice(0, 3), 0.3, [0.1, 0, 0.5, 0]);
    expect(few.w[2]).toBeGreaterThan(0.3);
  });
});

describe('counting units in one pass', () => {
  it('counts Han characters, letters and English words as the regular expressions do', () => {
    const texts = [
      '我们用了 Redis 和 MySQL 8.0，QPS 提升了 30%。',
      'I led the API v2 rollout; p99 went from 800ms to 120ms.',
      '𠀀𠀁 are Han outside the BMP, 〇 and 々 too; ⺀ is a radical. Ünïcode wörds split ASCII runs.',
      '',
      '\ud800 lone surrogate, 混合 text abc123def',
    ];
    for (const t of texts) {
      const han = t.match(/\p{Script=Han}/gu)?.length ?? 0;
      const words = t.replace(/\p{Script=Han}/gu, ' ').match(/[A-Za-z0-9]+/g)?.length ?? 0;
      expect(countUnits(t), t).toEqual({ han, words });
      const letters = t.match(/[A-Za-z]/g)?.length ?? 0;
      expect(detectLanguage(t), t).toBe(han * 3 >= letters ? 'zh' : 'en');
    }
  });
});
