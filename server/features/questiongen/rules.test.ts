/**
 * The rules that propose questions from a job without an LLM, on a Chinese and an English job:
 * every chosen competency gets a behavioural and a situational question, the reference points
 * are that competency's indicators, the job's own phrases show up in the questions, and the
 * same input always gives the same output.
 */
import { describe, expect, it } from 'vitest';
import { BUILT_IN_COMPETENCIES } from '../scoring';
import { detectLanguage, keyPhrases, type LibraryCompetency, proposeByRules } from './rules';

const lib = (name: string): LibraryCompetency => {
  const c = BUILT_IN_COMPETENCIES[name];
  if (!c) throw new Error(`no built-in ${name}`);
  return { name, indicatorsZh: [...c.zh], indicatorsEn: [...c.en] };
};

const ZH_JOB = {
  title: '数据工程师',
  description: '1. 负责数据平台的建设与维护，支持业务分析；\n2. 负责实时数仓的设计与开发。',
  requirements: '1、熟悉 SQL 与一种编程语言；\n2、有 Flink 或 Spark 实时计算经验优先。',
};
const EN_JOB = {
  title: 'Backend Engineer',
  description:
    '- Design and build payment APIs used by millions of merchants.\n- Own the reliability of the checkout service, including on-call.',
  requirements: '- 3+ years of experience with Go or Java.\n- Experience with PostgreSQL and Kafka.',
};
// A competency HR added to the library (no template of its own).
const CUSTOM: LibraryCompetency = {
  name: '学习能力',
  indicatorsZh: ['主动学习新技术', '把所学用到工作中'],
  indicatorsEn: ['learns new technology on their own', 'applies what they learn'],
};

describe('key phrases of a job', () => {
  it('takes the duties and skills of a Chinese JD without list markers and lead words', () => {
    expect(keyPhrases(ZH_JOB.description, 'zh')).toEqual(['数据平台的建设与维护', '实时数仓的设计与开发']);
    expect(keyPhrases(ZH_JOB.requirements, 'zh')).toEqual(['SQL 与一种编程语言', 'Flink 或 Spark 实时计算']);
  });

  it('takes those of an English JD, a duty verb turned into its -ing form', () => {
    expect(keyPhrases(EN_JOB.description, 'en')).toEqual([
      'designing and building payment APIs used by millions',
      'the reliability of the checkout service',
    ]);
    expect(keyPhrases(EN_JOB.requirements, 'en')).toEqual(['Go or Java', 'PostgreSQL and Kafka']);
  });

  it('tells a Chinese JD from an English one', () => {
    expect(detectLanguage(ZH_JOB)).toBe('zh');
    expect(detectLanguage(EN_JOB)).toBe('en');
  });
});

describe.each([
  ['zh', ZH_JOB, (c: LibraryCompetency) => c.indicatorsZh],
  ['en', EN_JOB, (c: LibraryCompetency) => c.indicatorsEn],
] as const)('proposing questions for a %s job', (lang, job, indicators) => {
  const chosen = [lib('问题解决'), lib('沟通协作'), CUSTOM];
  const out = proposeByRules({ job, competencies: chosen, perKind: 1 });

  it('writes in the job description language', () => {
    expect(out.language).toBe(lang);
    for (const q of out.questions)
      if (lang === 'zh') expect(q.text).toMatch(/\p{Script=Han}/u);
      else expect(q.text).not.toMatch(/\p{Script=Han}/u);
  });

  it('gives every chosen competency at least one behavioural and one situational question', () => {
    for (const c of chosen)
      for (const kind of ['behavioural', 'situational'] as const)
        expect(out.questions.filter((q) => q.kind === kind && q.competencies.includes(c.name))).toHaveLength(
          1,
        );
    expect(new Set(out.questions.map((q) => q.text)).size).toBe(out.questions.length);
  });

  it("takes each question's reference points and targeted indicator from its competency's indicators", () => {
    for (const q of out.questions) {
      const c = chosen.find((x) => x.name === q.competencies[0]) as LibraryCompetency;
      expect(q.referenceAnswers.length).toBeGreaterThan(0);
      for (const r of q.referenceAnswers) expect(indicators(c)).toContain(r);
      expect(q.indicators).toHaveLength(1);
      expect(q.referenceAnswers[0]).toBe(q.indicators[0]);
    }
    // The two questions of a competency aim at different indicators.
    const [b, s] = out.questions.filter((q) => q.competencies[0] === '问题解决');
    expect(b?.indicators).not.toEqual(s?.indicators);
  });

  it("puts the job's own title and phrases into the questions", () => {
    const phrases = [...keyPhrases(job.description, lang), ...keyPhrases(job.requirements, lang)];
    for (const q of out.questions) expect(phrases.some((p) => q.text.includes(p))).toBe(true);
    for (const q of out.questions.filter((x) => x.kind === 'situational'))
      expect(q.text).toContain(job.title);
  });

  it('asks behavioural questions for a past experience (STAR) and situational ones for a scenario', () => {
    for (const q of out.questions)
      if (lang === 'zh')
        expect(q.text).toMatch(q.kind === 'behavioural' ? /请讲一次你.*结果/ : /^假设你担任/);
      else
        expect(q.text).toMatch(
          q.kind === 'behavioural' ? /^Tell me about a time.*result/ : /^Imagine you are/,
        );
  });

  it('is deterministic', () => {
    expect(proposeByRules({ job, competencies: chosen, perKind: 1 })).toEqual(out);
  });
});

describe('options', () => {
  it('proposes perKind questions of each kind, each aimed at another indicator', () => {
    const out = proposeByRules({ job: ZH_JOB, competencies: [lib('结果导向')], perKind: 2 });
    expect(out.questions.map((q) => q.kind)).toEqual([
      'behavioural',
      'situational',
      'behavioural',
      'situational',
    ]);
    expect(new Set(out.questions.map((q) => q.indicators[0])).size).toBe(4);
  });

  it('writes in the language asked for, whatever the JD is in', () => {
    const out = proposeByRules({ job: ZH_JOB, competencies: [lib('问题解决')], perKind: 1, language: 'en' });
    expect(out.language).toBe('en');
    expect(out.questions[0]?.referenceAnswers).toEqual(lib('问题解决').indicatorsEn);
  });

  it('still proposes questions for a job with no description', () => {
    const out = proposeByRules({
      job: { title: '销售经理', description: '', requirements: '' },
      competencies: [lib('谈判能力')],
      perKind: 1,
    });
    expect(out.questions).toHaveLength(2);
    expect(out.questions[1]?.text).toContain('销售经理');
  });
});
