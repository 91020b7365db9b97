import fs from 'node:fs';
import path from 'node:path';
import type { SubmittedAnswer } from '../features/interview/contract';
import type { QuestionContext } from '../features/scoring/content';
import { resolveCompetencies } from '../features/scoring/rubrics';
import { contextsFor, type QuestionDef } from '../features/scoring/training';
import type { Lang } from '../features/scoring/types';

/** A video answer to the demo's timeout question, for pipeline and route tests. */
export function submittedAnswer(
  over: Partial<SubmittedAnswer> & Pick<SubmittedAnswer, 'answerId'>,
): SubmittedAnswer {
  return {
    questionId: 1,
    position: 1,
    questionText: '线上服务突然出现大量超时，你会如何一步步定位并解决？',
    competencies: ['问题解决', '沟通协作'],
    indicators: {},
    referenceAnswers: [],
    expectedSeconds: 150,
    kind: 'video',
    objectKey: null,
    contentType: 'video/webm',
    text: null,
    durationMs: 110_000,
    flags: [],
    language: 'zh',
    ...over,
  };
}

/**
 * Sentences of genuine answers to two of the demo's questions (the timeout incident, a launch
 * on time), for tests of the off-topic check: {@link storyAnswer} makes distinct answers of the
 * same story by combining four of them.
 */
export const STORY_PARTS = {
  timeout: [
    '我先看监控大盘，发现接口耗时从两百毫秒涨到三秒。',
    '再查慢查询日志，定位到一条没走索引的联表查询。',
    '加了联合索引后耗时降到八十毫秒，超时率回到正常。',
    '同时把下游调用的超时和重试次数调小，防止雪崩。',
    '事后组织复盘，把慢查询纳入告警阈值。',
    '我用压测复现了问题，确认是连接池被打满。',
  ],
  launch: [
    '我把需求拆成三个里程碑，每周和产品对一次排期。',
    '发现测试资源不够时，我提前两周申请了外包测试。',
    '关键路径上的接口我亲自联调，每天同步风险清单。',
    '中途需求变更，我和业务协商砍掉两个非核心功能。',
    '最后比计划提前两天灰度上线，没有延期。',
    '上线后我跟踪了一周数据，转化率提升了百分之十二。',
  ],
} as const;

/** The `i`-th answer made of four of `parts` (different `i`, a different choice or order). */
export function storyAnswer(parts: readonly string[], i: number): string {
  return [0, 1, 2, 3].map((j) => parts[(i + j * (i + 1)) % parts.length]).join('');
}

/** One question of the project's adversarial set (`scripts/eval/adversarial.json`). */
export interface AdversarialQuestion {
  id: string;
  language: Lang;
  question: string;
  competencies: string[];
  referenceAnswers?: string[];
  genuine: string[];
  gaming: Record<string, string>;
  otherQuestion: string;
}

/**
 * The adversarial set's questions as the scorer sees them: each question's definition and the
 * bank's contexts (IDF over all of them), as `npm run score` builds them.
 */
export function adversarialBank(): {
  questions: AdversarialQuestion[];
  defs: QuestionDef[];
  contexts: Map<string, QuestionContext>;
} {
  const file = path.join(import.meta.dirname, '../../scripts/eval/adversarial.json');
  const { questions } = JSON.parse(fs.readFileSync(file, 'utf8')) as { questions: AdversarialQuestion[] };
  const defs: QuestionDef[] = questions.map((q) => ({
    questionId: q.id,
    question: q.question,
    competencies: resolveCompetencies(q.competencies, undefined, q.language),
    referenceAnswers: q.referenceAnswers,
    lang: q.language,
  }));
  return { questions, defs, contexts: contextsFor(defs) };
}
