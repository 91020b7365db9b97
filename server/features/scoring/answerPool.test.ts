import { describe, expect, it } from 'vitest';
import { adversarialBank, STORY_PARTS, storyAnswer } from '../../testing/scoring';
import { POOL_MIN_ANSWERS, pooledTopicality, poolOf } from './answerPool';
import { measureContent, type QuestionContext } from './content';
import { FLAG_THRESHOLDS, scoreAnswer } from './engine';
import { answerVector } from './learned';
import { contextsFor, inputOf, learnFromRatings, type QuestionDef } from './training';

/**
 * Earlier answers (unrated, or rated by a model that does not serve) inform the off-topic check:
 * an answer much closer to earlier answers of another question of the job than to those of its
 * own is flagged; the pool never touches an answer it does not flag. Measured on the public
 * sets' train folds in BENCHMARKS.md; here the mechanism on the adversarial set's questions.
 */
const { defs, contexts } = adversarialBank();
const timeout = defs.find((d) => d.questionId === 'zh-timeout') as QuestionDef;
const launch = defs.find((d) => d.questionId === 'zh-launch') as QuestionDef;
const { timeout: timeoutParts, launch: launchParts } = STORY_PARTS;
const combo = storyAnswer;
// Earlier answers: eight to each question, no ratings.
const earlier = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((i) => [
  { questionId: timeout.questionId, transcript: combo(timeoutParts, i) },
  { questionId: launch.questionId, transcript: combo(launchParts, i) },
]);
const pool = poolOf(earlier, contexts);
const scored = (q: QuestionDef, text: string, opts: Record<string, unknown> = {}) =>
  scoreAnswer(inputOf(q, text, { expectedSeconds: 120 }), {
    context: contexts.get(q.questionId),
    questionId: q.questionId,
    ...opts,
  });
// A prepared launch story framed in the timeout question's own words (the prompt rule lets it pass).
const dressed =
  '线上服务要按时上线，我一步步定位风险并解决：我把需求拆成三个里程碑，每周和产品对一次排期，' +
  '发现测试资源不够时提前两周申请了外包测试，关键路径上的接口我亲自联调，每天同步风险清单，' +
  '中途需求变更我和业务协商砍掉两个非核心功能，最后比计划提前两天灰度上线，没有延期。';
const launchStory = launchParts.slice(1, 5).join('');
const topicalityOf = (q: QuestionDef, text: string, p = pool) => {
  const ctx = contexts.get(q.questionId) as QuestionContext;
  const vec = answerVector(text, ctx, undefined, measureContent(text, ctx).plain);
  return pooledTopicality(p, { questionId: q.questionId, vec });
};

describe('off_topic from earlier answers (no ratings)', () => {
  it("another question's story is flagged from the pool and scored on its own share of its content", () => {
    for (const text of [dressed, launchStory]) {
      const t = topicalityOf(timeout, text);
      expect(t?.otherQuestionId).toBe(launch.questionId);
      expect(t?.other).toBeGreaterThanOrEqual(FLAG_THRESHOLDS.pooledOtherRatio * (t?.own ?? 1));
    }
    const without = scored(timeout, dressed);
    const withPool = scored(timeout, dressed, { pool });
    expect(without.flags).not.toContain('off_topic');
    expect(withPool.flags).toContain('off_topic');
    expect(withPool.basis.kind).toBe('uncalibrated');
    // The share of its resemblance to earlier answers that is its own question's, at most half.
    const t = topicalityOf(timeout, dressed);
    const share = Math.min(FLAG_THRESHOLDS.offTopicShare, (t?.own ?? 0) / ((t?.own ?? 0) + (t?.other ?? 1)));
    expect(share).toBeLessThan(FLAG_THRESHOLDS.offTopicShare);
    expect(Math.abs(withPool.overall - share * without.overall)).toBeLessThanOrEqual(1);
  });

  it('answers to their own question are not flagged, and the pool leaves their score untouched', () => {
    for (const [q, parts] of [
      [timeout, timeoutParts],
      [launch, launchParts],
    ] as const)
      for (const i of [8, 9, 10]) {
        const text = combo(parts, i);
        const withPool = scored(q, text, { pool });
        expect(withPool.flags).not.toContain('off_topic');
        expect(withPool).toEqual(scored(q, text));
      }
  });

  it("a terse genuine answer the prompt's words cannot place is cleared by its likeness to earlier answers", () => {
    const terse = '连接池被打满，加了联合索引，重试次数调小。';
    const t = topicalityOf(timeout, terse);
    expect(t?.own).toBeGreaterThanOrEqual(FLAG_THRESHOLDS.pooledOwnSupport);
    expect(scored(timeout, terse).flags).toContain('off_topic');
    const withPool = scored(timeout, terse, { pool });
    expect(withPool.flags).not.toContain('off_topic');
    expect(withPool.overall).toBeGreaterThan(scored(timeout, terse).overall);
  });

  it('a copy of a long answer told before for the same question does not vouch for it', () => {
    // Told twice before (two candidates with the same prepared story).
    const told = poolOf(
      [...earlier, ...[0, 1].map(() => ({ questionId: timeout.questionId, transcript: dressed }))],
      contexts,
    );
    expect(scored(timeout, dressed, { pool: told }).flags).toContain('off_topic');
    // Short answers may be identical by different people: their copies still count.
    const terse = '连接池被打满，加了联合索引，重试次数调小。';
    const withCopy = poolOf(
      [
        ...earlier.filter((e) => e.questionId === launch.questionId),
        ...[0, 1, 2].map(() => ({ questionId: timeout.questionId, transcript: terse })),
      ],
      contexts,
    );
    expect(scored(timeout, terse).flags).toContain('off_topic');
    expect(scored(timeout, terse, { pool: withCopy }).flags).not.toContain('off_topic');
  });

  it('a question with fewer than the minimum of earlier answers reads nothing from the pool', () => {
    const thin = poolOf(
      [
        ...earlier.filter((e) => e.questionId === launch.questionId),
        ...earlier.filter((e) => e.questionId === timeout.questionId).slice(0, POOL_MIN_ANSWERS - 1),
      ],
      contexts,
    );
    expect(topicalityOf(timeout, dressed, thin)).toBeNull();
    expect(scored(timeout, dressed, { pool: thin })).toEqual(scored(timeout, dressed));
  });

  it('earlier answers of questions outside the bank, or without words, are left out', () => {
    const p = poolOf(
      [
        { questionId: 'not-in-bank', transcript: combo(timeoutParts, 1) },
        { questionId: timeout.questionId, transcript: '   ' },
        { questionId: timeout.questionId, transcript: combo(timeoutParts, 1) },
      ],
      contexts,
    );
    expect(Object.keys(p.answers)).toEqual([timeout.questionId]);
    expect(p.answers[timeout.questionId]).toHaveLength(1);
  });
});

describe('earlier answers somewhat closer to another question', () => {
  // Neighbouring course questions that share their words (as the public English set's do).
  const bank: QuestionDef[] = [
    {
      questionId: 'proto',
      question: 'What is a function prototype?',
      competencies: [],
      referenceAnswers: [
        'A declaration of the function that tells the compiler its name, return type and the types of its parameters, before the function is used.',
      ],
      lang: 'en',
    },
    {
      questionId: 'sig',
      question: 'What is the signature of a function?',
      competencies: [],
      referenceAnswers: [
        'The name of the function together with the number and types of its parameters, used to tell overloaded functions apart.',
      ],
      lang: 'en',
    },
  ];
  const bankContexts = contextsFor(bank);
  const bankPool = poolOf(
    [
      ...[
        'It declares the function before it is used so the compiler knows the return type.',
        'A declaration placed before main with the return type, name and parameter types.',
        'It tells the compiler about a function defined later in the file, with its return type.',
        'The declaration of a function ahead of its definition, ending with a semicolon.',
        'A function header declared before use so calls can be checked by the compiler.',
      ].map((transcript) => ({ questionId: 'proto', transcript })),
      ...[
        'The name and the parameter types, which distinguish overloaded functions.',
        'Function name plus the number and types of parameters; the return type is not part of it.',
        'What makes two overloaded functions different: name and parameter list.',
        'The name of the function and its parameter types.',
        'Name, number of parameters and their types identify the function.',
      ].map((transcript) => ({ questionId: 'sig', transcript })),
    ],
    bankContexts,
  );

  it("are not enough alone when the prompt's words do not lean to that question", () => {
    const text =
      'The signature of a function: its name with the number and types of its parameters, known before it is used.';
    const ctx = bankContexts.get('proto') as QuestionContext;
    const m = measureContent(text, ctx);
    const t = pooledTopicality(bankPool, {
      questionId: 'proto',
      vec: answerVector(text, ctx, undefined, m.plain),
    });
    const ratio = (t?.other ?? 0) / (t?.own ?? 1);
    expect(ratio).toBeGreaterThanOrEqual(FLAG_THRESHOLDS.pooledLeanRatio);
    expect(ratio).toBeLessThan(FLAG_THRESHOLDS.pooledOtherRatio);
    expect(m.topicPlainSim / (m.topicPlainSim + m.otherTopicSim)).toBeGreaterThanOrEqual(
      FLAG_THRESHOLDS.otherQuestionRelative,
    );
    const r = scoreAnswer(inputOf(bank[0], text), {
      context: ctx,
      questionId: 'proto',
      pool: bankPool,
    });
    expect(r.flags).not.toContain('off_topic');
  });
});

describe("a rejected model's rated answers inform the off-topic check only", () => {
  const rows = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((i) => [
    { question: timeout, transcript: combo(timeoutParts, i), rating: 4 + (i % 2) },
    { question: launch, transcript: combo(launchParts, i), rating: 4 + (i % 2) },
  ]);
  const model = learnFromRatings(rows, contexts, new Date(0));

  it('flags the borrowed story, never serves its predictions', () => {
    const plain = scored(timeout, dressed);
    const topic = scored(timeout, dressed, { topicModel: model });
    const served = scored(timeout, dressed, { model });
    expect(plain.flags).not.toContain('off_topic');
    expect(topic.flags).toContain('off_topic');
    expect(served.flags).toContain('off_topic');
    // Uncalibrated: the off-topic half of its content, no learned scope, no neighbours shown.
    expect(topic.weightsSource).toBe('uncalibrated');
    expect(topic.basis.neighbours).toBeUndefined();
    expect(topic.overall).toBeLessThan(plain.overall);
    expect(served.weightsSource).not.toBe('uncalibrated');
  });

  it('answers to their own question keep the uncalibrated score exactly', () => {
    for (const i of [8, 9]) {
      const text = combo(timeoutParts, i);
      expect(scored(timeout, text, { topicModel: model })).toEqual(scored(timeout, text));
    }
  });

  it('a serving model outranks a topic-only one (which is then ignored)', () => {
    const other = learnFromRatings(rows.slice(0, 4), contexts, new Date(1));
    const text = combo(timeoutParts, 9);
    expect(scored(timeout, text, { model, topicModel: other })).toEqual(scored(timeout, text, { model }));
  });
});
