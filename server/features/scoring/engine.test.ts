import { describe, expect, it } from 'vitest';
import { agreement, fitWeights, pearson, quadraticWeightedKappa, scoreToBand } from './calibrate';
import { combine, DEFAULT_WEIGHTS, scoreAnswer } from './engine';
import { resolveCompetencies } from './rubrics';
import { canonical, contentTerms, detectLanguage, splitSentences, stem, tokenize } from './text';
import { FEATURE_NAMES, type ScoreResult, type ScoringInput } from './types';

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
  it('STAR structure counts situation, task, action and result', () => {
    expect(zh(ZH_GOOD).features.star).toBeGreaterThan(0.9);
    const partial = zh('首先我查看了监控和日志，找到根本原因是索引缺失。');
    expect(partial.features.star).toBeLessThan(zh(ZH_GOOD).features.star);
    expect(partial.gaps.some((g) => g.text.includes('结果'))).toBe(true);
    expect(en(EN_GOOD).features.star).toBeGreaterThan(0.9);
  });
  it('specificity rewards numbers, outcomes and example markers', () => {
    const vague = zh('我会先排查原因，找到根本原因再修复。');
    const specific = zh(
      '我会先排查原因，比如上次我找到根本原因是索引缺失，修复后耗时降低了80%，从2秒到400毫秒。',
    );
    expect(specific.features.specificity).toBeGreaterThan(vague.features.specificity);
    expect(
      en('I disagreed with my colleague. For example, I showed that errors dropped by 40% in 2 weeks.')
        .features.specificity,
    ).toBeGreaterThan(en('I disagreed with my colleague about it.').features.specificity);
  });
  it('coherence markers and filler rate', () => {
    expect(zh('首先排查监控，其次定位根本原因，然后修复，最后复盘。').features.coherence).toBe(1);
    const filled = en(
      'Um, I, uh, disagreed, um, with my colleague, uh, you know, and um we, uh, talked, um, and, uh, then, um, we, uh, agreed, um, on it, uh, later.',
    );
    expect(filled.flags).toContain('high_filler_rate');
    const zhFilled = zh(
      '嗯，我，呃，会，嗯，先排查，呃，根本原因，嗯，然后，呃，修复，嗯，复盘，呃，预防，嗯，再次，呃，发生，嗯。',
    );
    expect(zhFilled.features.fluency).toBeLessThan(
      zh('我会先排查根本原因，然后修复，最后复盘预防再次发生。').features.fluency,
    );
  });
  it('length against expectation: short answers lose and are flagged; long ones only flagged', () => {
    const short = zh('排查根本原因。');
    expect(short.flags).toContain('too_short');
    expect(short.features.length).toBeLessThan(zh(ZH_GOOD).features.length);
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

  it('monotone under calibrated weights too (they are non-negative)', () => {
    const w = fitWeights(
      [0, 0.2, 0.4, 0.6, 0.8, 1].map((x, i) => ({
        features: Object.fromEntries(FEATURE_NAMES.map((k) => [k, k === 'coverage' ? x : 0.5])) as never,
        rating: 1 + i * 0.8,
      })),
      'test',
    );
    for (const k of FEATURE_NAMES) expect(w.weights[k]).toBeGreaterThanOrEqual(0);
    const base = zh('我先排查了日志。', {});
    const more = zh('我先排查了日志。比如我找到根本原因是索引缺失，耗时降低了80%。');
    expect(combine(more.features, w)).toBeGreaterThanOrEqual(combine(base.features, w));
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
    expect(good.scorerVersion).toBe('det-1.0.0');
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
  it('ridge recovers a simple relation and beats defaults on it', () => {
    const rows = Array.from({ length: 40 }, (_, i) => {
      const x = (i % 10) / 9;
      const features = Object.fromEntries(
        FEATURE_NAMES.map((k) => [k, k === 'specificity' ? x : 0.3]),
      ) as never;
      return { features, rating: 1 + 4 * x };
    });
    const w = fitWeights(rows, 'global', 0.001);
    const preds = rows.map((r) => combine(r.features, w));
    const base = rows.map((r) => combine(r.features, DEFAULT_WEIGHTS));
    const truth = rows.map((r) => r.rating);
    expect(agreement(preds, truth).qwk).toBeGreaterThan(agreement(base, truth).qwk);
    expect(w.source).toBe('calibrated:global');
  });
});
