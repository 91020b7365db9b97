import { describe, expect, it } from 'vitest';
import { type AdversarialQuestion, adversarialBank, STORY_PARTS, storyAnswer } from '../../testing/scoring';
import { isPromptKeywordList, measureContent, type QuestionContext, referenceLikeness } from './content';
import { FLAG_THRESHOLDS, scoreAnswer } from './engine';
import { answerVector, predict, ratedTopicality } from './learned';
import { contextsFor, inputOf, learnFromRatings, type QuestionDef } from './training';
import type { QualityFlag } from './types';

const { questions, defs, contexts } = adversarialBank();

/** The flag each kind of gaming must raise for a person. */
const EXPECTED: Record<string, QualityFlag> = {
  stuffed: 'suspected_gaming',
  parroted: 'suspected_gaming',
  repeated: 'repetition',
  template: 'suspected_gaming',
  rubric_copy: 'suspected_gaming',
  other_language: 'language_mismatch',
  other_question: 'off_topic',
};

const score = (q: AdversarialQuestion, transcript: string) => {
  const def = defs.find((d) => d.questionId === q.id) as QuestionDef;
  return scoreAnswer(inputOf(def, transcript, { expectedSeconds: 120 }), { context: contexts.get(q.id) });
};

describe('adversarial set: gaming never beats a genuine good answer, and is flagged', () => {
  const cases = questions.flatMap((q) =>
    [...Object.keys(q.gaming), 'other_question'].map((kind) => [q.id, kind] as const),
  );
  it.each(cases)('%s: %s', (id, kind) => {
    const q = questions.find((x) => x.id === id) as AdversarialQuestion;
    const text =
      kind === 'other_question'
        ? (questions.find((x) => x.id === q.otherQuestion) as AdversarialQuestion).genuine[0]
        : q.gaming[kind];
    const fake = score(q, text);
    const genuine = q.genuine.map((g) => score(q, g));
    for (const g of genuine) {
      expect(fake.overall, `${kind} vs genuine (${g.overall})`).toBeLessThan(g.overall);
      // The genuine answers themselves are not flagged as gaming.
      expect(g.flags).not.toContain('suspected_gaming');
      expect(g.flags).not.toContain('off_topic');
      expect(g.flags).not.toContain('repetition');
    }
    expect(fake.flags).toContain(EXPECTED[kind]);
  });

  it('a flag is for a person, never a rejection: flagged answers still get a score and an explanation', () => {
    const q = questions[0];
    const r = score(q, q.gaming.stuffed);
    expect(r.flags).toContain('suspected_gaming');
    expect(Number.isFinite(r.overall)).toBe(true);
    expect(r.basis.kind).toBe('uncalibrated');
  });
});

/**
 * Without ratings, HR's reference answers settle it: an answer to another question of the job
 * that shares as many words with this question's prompt as with the other's (the zh-launch and
 * en-users cases: stories about working with people that end with a launch or with data) is
 * far closer to what HR wrote a good answer to the other question covers than to what it wrote
 * for this one. Both questions need such descriptive reference answers; BENCHMARKS.md has the
 * figures (margins, false flags on the public and in-house sets).
 */
describe('off_topic from reference answers', () => {
  const byId = (id: string) => questions.find((x) => x.id === id) as AdversarialQuestion;
  const storyOf = (id: string) => byId(byId(id).otherQuestion).genuine[0];
  /** The same bank without the named questions' reference answers. */
  const contextsWithout = (ids: string[]) =>
    contextsFor(defs.map((d) => (ids.includes(d.questionId) ? { ...d, referenceAnswers: undefined } : d)));
  const scoreIn = (ctxs: Map<string, QuestionContext>, id: string, text: string) =>
    scoreAnswer(
      inputOf(defs.find((d) => d.questionId === id) as QuestionDef, text, { expectedSeconds: 120 }),
      {
        context: ctxs.get(id),
      },
    );

  it.each(['zh-launch', 'en-users'])(
    '%s: the other story is far closer to the other question’s reference; genuine answers are not',
    (id) => {
      const ctx = contexts.get(id) as QuestionContext;
      const story = measureContent(storyOf(id), ctx);
      expect(story.otherDescribedSim).toBeGreaterThanOrEqual(FLAG_THRESHOLDS.describedOtherSim);
      expect(story.otherDescribedSim).toBeGreaterThanOrEqual(
        FLAG_THRESHOLDS.describedOtherRatio * story.describedSim,
      );
      for (const g of byId(id).genuine) {
        const m = measureContent(g, ctx);
        expect(m.otherDescribedSim).toBeLessThan(FLAG_THRESHOLDS.describedOtherRatio * m.describedSim);
      }
    },
  );

  it.each(['zh-launch', 'en-users'])(
    '%s: without the other question’s reference answers the story is not flagged (the prompt cannot tell)',
    (id) => {
      const ctxs = contextsWithout([byId(id).otherQuestion]);
      expect(scoreIn(ctxs, id, storyOf(id)).flags).not.toContain('off_topic');
      expect(scoreIn(contexts, id, storyOf(id)).flags).toContain('off_topic');
    },
  );

  it('the flag halves the uncalibrated score and nothing else: the measures are those with the comparison switched off', () => {
    for (const id of ['zh-launch', 'en-users']) {
      const ctx = contexts.get(id) as QuestionContext;
      const off = { ...ctx, othersDescribedAs: [] };
      const def = defs.find((d) => d.questionId === id) as QuestionDef;
      const input = inputOf(def, storyOf(id), { expectedSeconds: 120 });
      const withRule = scoreAnswer(input, { context: ctx });
      const without = scoreAnswer(input, { context: off });
      expect(withRule.flags).toContain('off_topic');
      expect(without.flags).not.toContain('off_topic');
      // The measures are the same; the flagged answer is scored on half its content.
      expect(withRule.features).toEqual(without.features);
      expect(withRule.overall).toBeGreaterThan(0);
      expect(
        Math.abs(withRule.overall - FLAG_THRESHOLDS.offTopicShare * without.overall),
      ).toBeLessThanOrEqual(1);
    }
  });

  it('a key-phrase reference ("File scope.") does not describe its question and takes no part', () => {
    const ctxs = contextsFor(
      defs.map((d) => (d.questionId === 'zh-disagree' ? { ...d, referenceAnswers: ['达成共识'] } : d)),
    );
    expect((ctxs.get('zh-launch') as QuestionContext).othersDescribedAs).toHaveLength(0);
    expect((ctxs.get('zh-disagree') as QuestionContext).describedAs).toHaveLength(0);
    expect((contexts.get('zh-launch') as QuestionContext).othersDescribedAs).toHaveLength(1);
  });

  it('an answer with few words of its own is not judged by it', () => {
    const ctx = contexts.get('en-users') as QuestionContext;
    const short = 'I listened to my colleague, we found a compromise and reached agreement.';
    const m = measureContent(short, ctx);
    expect(m.novel).toBeLessThan(FLAG_THRESHOLDS.fewOwnWords);
    expect(m.otherDescribedSim).toBeGreaterThanOrEqual(FLAG_THRESHOLDS.describedOtherRatio * m.describedSim);
    expect(m.otherDescribedSim).toBeGreaterThanOrEqual(FLAG_THRESHOLDS.describedOtherSim);
    const off = { ...ctx, othersDescribedAs: [] };
    const def = defs.find((d) => d.questionId === 'en-users') as QuestionDef;
    const input = inputOf(def, short, { expectedSeconds: 120 });
    // Whatever else flags it, this rule adds nothing: the same flags with the comparison off.
    expect(scoreAnswer(input, { context: ctx }).flags).toEqual(scoreAnswer(input, { context: off }).flags);
  });
});

/**
 * Uncalibrated, an answer flagged off topic that is far more like another question's reference
 * answers than its own question's keeps only its own question's share of that likeness, not the
 * half that shared vocabulary would leave it (mohler's "How many constructors...?" answered with
 * "function prototype vs definition" scored above the genuine answers). Three questions of one
 * bank per language; the borrowed answer is the second question's.
 */
describe('off_topic answers far more like another question’s reference', () => {
  const q = (questionId: string, question: string, ref: string, lang: 'zh' | 'en'): QuestionDef => ({
    questionId,
    question,
    competencies: [],
    referenceAnswers: [ref],
    lang,
  });
  const banks = {
    en: {
      defs: [
        q(
          'a',
          'How many constructors can be created for a class?',
          'As many as the programmer wants: there is no upper limit, so long as no two of them share the same signature.',
          'en',
        ),
        q(
          'b',
          'What is the difference between a function prototype and a function definition?',
          "A function prototype includes the function signature, i.e., the name of the function, the return type, and the parameters' type. The function definition includes the actual body of the function.",
          'en',
        ),
        q(
          'c',
          'What is a pointer?',
          'A variable that contains the address in memory of another variable.',
          'en',
        ),
      ],
      borrowed:
        'A function prototype tells the compiler the function name, return type and the number and type of parameters without revealing the implementations contained in the function definition.',
      genuine:
        'There is no upper limit: a class can have as many constructors as the programmer wants, each with a different signature.',
    },
    zh: {
      defs: [
        q(
          'a',
          '一个配送中心可以设置多少个仓库？',
          '想设多少个都可以，没有上限，只要每个仓库承担的作业各不相同、互不重复即可。',
          'zh',
        ),
        q(
          'b',
          '配送中心的选址要考虑哪些因素？',
          '配送中心选址要考虑客户分布、运输条件、土地价格、交通便利程度和政策法规等因素，使总成本最低。',
          'zh',
        ),
        q(
          'c',
          '什么是条形码？',
          '条形码是由一组规则排列的条、空及其对应字符组成的标记，用于表示一定的信息。',
          'zh',
        ),
      ],
      borrowed:
        '选址要考虑客户分布、运输条件、土地价格和交通是否便利，还要看仓库数量和政策法规，使总成本最低。',
      genuine: '没有上限，想设多少个仓库都可以，只要每个仓库承担的作业各不相同、不重复。',
    },
  };
  it.each(['en', 'zh'] as const)(
    '%s: scored on its own question’s share, below the half and the genuine answer',
    (lang) => {
      const { defs: bank, borrowed, genuine } = banks[lang];
      const ctxs = contextsFor(bank);
      const ctx = ctxs.get('a') as QuestionContext;
      const scoreA = (t: string) =>
        scoreAnswer(inputOf(bank[0], t, { expectedSeconds: 60 }), { context: ctx });
      const r = scoreA(borrowed);
      expect(r.flags).toContain('off_topic');
      const like = referenceLikeness(measureContent(borrowed, ctx), ctx);
      expect(like.other).toBeGreaterThanOrEqual(FLAG_THRESHOLDS.offTopicReferenceRatio * like.own);
      const whole = 100 * r.features.content * (0.8 + 0.2 * r.features.evidence);
      // The half an off-topic answer kept before, and its own question's share now.
      expect(r.overall).toBeLessThan(Math.round(FLAG_THRESHOLDS.offTopicShare * whole));
      expect(Math.abs(r.overall - (like.own / (like.own + like.other)) * whole)).toBeLessThanOrEqual(1);
      expect(r.uncalibrated).toBe(r.overall);
      const g = scoreA(genuine);
      expect(g.flags).not.toContain('off_topic');
      expect(g.overall).toBeGreaterThan(r.overall);
    },
  );
});

/**
 * With the company's ratings: an answer far closer to what people rated good for another
 * question of the job than to anything rated good for its own is flagged `off_topic`, even
 * when its words share as much with this question's prompt as with the other's (the case the
 * prompt alone cannot settle). Measured on the public sets' test rows in
 * BENCHMARKS.md; here the mechanism, on two questions with eight rated answers each.
 */
describe('off_topic from ratings', () => {
  const timeout = defs.find((d) => d.questionId === 'zh-timeout') as QuestionDef;
  const launch = defs.find((d) => d.questionId === 'zh-launch') as QuestionDef;
  const { timeout: timeoutParts, launch: launchParts } = STORY_PARTS;
  const combo = storyAnswer;
  const rows = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((i) => [
    { question: timeout, transcript: combo(timeoutParts, i), rating: 4 + (i % 2) },
    { question: launch, transcript: combo(launchParts, i), rating: 4 + (i % 2) },
  ]);
  const model = learnFromRatings(rows, contexts, new Date(0));
  const scored = (q: QuestionDef, text: string, withModel: boolean) =>
    scoreAnswer(inputOf(q, text, { expectedSeconds: 120 }), {
      context: contexts.get(q.questionId),
      ...(withModel ? { model, questionId: q.questionId } : {}),
    });
  const launchStory = launchParts.slice(1, 5).join('');
  const timeoutStory = timeoutParts.slice(2, 6).join('');
  // A prepared launch story framed in the timeout question's own words: the prompt-only rule
  // sees its question's words and lets it pass; the ratings see a launch story.
  const dressed =
    '线上服务要按时上线，我一步步定位风险并解决：我把需求拆成三个里程碑，每周和产品对一次排期，' +
    '发现测试资源不够时提前两周申请了外包测试，关键路径上的接口我亲自联调，每天同步风险清单，' +
    '中途需求变更我和业务协商砍掉两个非核心功能，最后比计划提前两天灰度上线，没有延期。';

  it("another question's story in this question's words: missed by the prompt, flagged with ratings", () => {
    expect(scored(timeout, dressed, false).flags).not.toContain('off_topic');
    expect(scored(timeout, dressed, true).flags).toContain('off_topic');
  });
  it('plain stories given to the other question are flagged with ratings too', () => {
    expect(scored(timeout, launchStory, true).flags).toContain('off_topic');
    expect(scored(launch, timeoutStory, true).flags).toContain('off_topic');
  });
  it('answers to their own question are not flagged', () => {
    expect(scored(timeout, timeoutStory, true).flags).not.toContain('off_topic');
    expect(scored(launch, launchStory, true).flags).not.toContain('off_topic');
  });
  // Every rated answer here is rated 4-5, so the fit's intercept alone says "good": without a
  // bound, another question's story inherits that and outscores genuine answers. Flagged, it
  // keeps a score (a person decides) but is lifted at most half-way from its content's score.
  it('an answer flagged off-topic is lifted at most half-way and stays below genuine answers', () => {
    const genuine = [0, 1, 2, 3, 4, 5].map((i) => scored(timeout, combo(timeoutParts, i + 1), true).overall);
    for (const text of [dressed, launchStory]) {
      const plain = scored(timeout, text, false);
      const served = scored(timeout, text, true);
      expect(served.flags).toContain('off_topic');
      expect(served.basis.kind).not.toBe('uncalibrated');
      expect(served.overall).toBeLessThan(Math.min(...genuine));
      expect(served.overall).toBeGreaterThan(0);
      expect(served.overall).toBeLessThanOrEqual(plain.overall + (100 - plain.overall) / 2);
    }
  });
  // The model's prediction before any flag bounds it.
  const unbounded = (q: QuestionDef, text: string) => {
    const ctx = contexts.get(q.questionId) as QuestionContext;
    const m = measureContent(text, ctx);
    const vec = answerVector(text, ctx, undefined, m.plain);
    const plain = scored(q, text, false);
    return {
      raw: predict(model, {
        questionId: q.questionId,
        vec,
        content: plain.features.content,
        evidence: plain.features.evidence,
      }),
      topicality: ratedTopicality(model, { questionId: q.questionId, vec }),
      plain,
    };
  };
  it("a flagged answer that resembles no rated answer keeps its content score, not the question's typical rating", () => {
    const stuffed =
      '线上服务，突然，大量，超时，定位，解决。线上服务，突然，大量，超时，定位，解决。' +
      '首先我分析了当时的情况，然后采取了行动，最终结果提升了30%，效率提高了45%，成本降低了20%。';
    const genuine = [0, 1, 2, 3, 4, 5].map((i) => scored(timeout, combo(timeoutParts, i + 1), true).overall);
    const { raw, plain } = unbounded(timeout, stuffed);
    const served = scored(timeout, stuffed, true);
    expect(served.flags).toContain('suspected_gaming');
    expect(raw.nearestSimilarity).toBeLessThan(FLAG_THRESHOLDS.ratedSupportSim);
    // Unbounded, the fit's intercept (every rating 4-5) would carry it far above its content.
    expect(raw.score).toBeGreaterThan(plain.overall + 20);
    const support = raw.nearestSimilarity / FLAG_THRESHOLDS.ratedSupportSim;
    expect(served.overall).toBeLessThanOrEqual(
      Math.round(plain.overall + support * (raw.score - plain.overall)),
    );
    expect(served.overall).toBeLessThan(Math.min(...genuine));
  });
  it("an answer resembling another question's rated answers more than its own keeps only part of the lift", () => {
    // One timeout sentence and two of the launch story: not flagged off topic, but most of its
    // resemblance to rated answers is the launch question's.
    const mixed = timeoutParts[0] + launchParts.slice(1, 3).join('');
    // Without competencies the overall is the model's answer score itself.
    const bare = { ...timeout, competencies: [] };
    const { raw, topicality } = unbounded(bare, mixed);
    const plain = scored(bare, mixed, false);
    const served = scored(bare, mixed, true);
    const share = (topicality?.other ?? 0) / ((topicality?.own ?? 0) + (topicality?.other ?? 0));
    expect(share).toBeGreaterThan(FLAG_THRESHOLDS.ratedSharedOther);
    expect(served.flags).not.toContain('off_topic');
    expect(raw.score).toBeGreaterThan(plain.overall + 10);
    expect(served.overall).toBeLessThan(raw.score - 3);
    expect(served.overall).toBeGreaterThanOrEqual(Math.floor((raw.score + plain.overall) / 2));
    // An answer to its own question keeps the whole lift.
    const own = combo(timeoutParts, 2);
    expect(scored(bare, own, true).overall).toBe(unbounded(bare, own).raw.score);
  });
  it("a bare list of the prompt's words counts for nothing; a list of the answer's own terms does", () => {
    const ctx = contexts.get(timeout.questionId) as QuestionContext;
    const words = [...new Set(timeout.question.match(/\p{Script=Han}{2}/gu) ?? [])].slice(0, 6);
    expect(words.length).toBeGreaterThanOrEqual(4);
    expect(isPromptKeywordList(words.join('，'), ctx)).toBe(true);
    expect(isPromptKeywordList('慢查询，联合索引，连接池，压测，告警', ctx)).toBe(false);
    expect(isPromptKeywordList(timeoutParts[0], ctx)).toBe(false);
    const en = questions.find((q) => q.language === 'en') as AdversarialQuestion;
    const enCtx = contexts.get(en.id) as QuestionContext;
    const enWords = [...new Set(en.question.toLowerCase().match(/[a-z]{4,}/g) ?? [])];
    expect(isPromptKeywordList(enWords.join(', '), enCtx)).toBe(true);
    expect(measureContent(`${enWords.join(', ')}.`, enCtx).counted).toEqual([]);
    expect(isPromptKeywordList(en.genuine[0], enCtx)).toBe(false);
  });
  it('the prompt-only rule never loses a flag to thin evidence: zh-timeout still flags the other story', () => {
    const q = questions.find((x) => x.id === 'zh-timeout') as AdversarialQuestion;
    const other = questions.find((x) => x.id === q.otherQuestion) as AdversarialQuestion;
    expect(scored(timeout, other.genuine[0], true).flags).toContain('off_topic');
  });
});
