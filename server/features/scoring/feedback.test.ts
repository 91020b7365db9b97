import { describe, expect, it } from 'vitest';
import type { IInterviewReport } from '../../kernel/db/entities/Scoring';
import { competencyWords } from './competencyWords';
import { scoreAnswer } from './engine';
import { explainCompetency, presentFeedback } from './present';
import { resolveCompetencies } from './rubrics';

const VAGUE_ZH = '这个要看情况，具体问题具体分析，总的来说还可以。';
const VAGUE_EN = 'It depends on the situation, really. Overall it was fine.';

function gapsOf(names: string[], lang: 'zh' | 'en', transcript: string) {
  return scoreAnswer({
    question: lang === 'zh' ? '请讲一次你在工作中遇到困难的经历。' : 'Tell us about a hard time at work.',
    competencies: resolveCompetencies(names, undefined, lang),
    expectedSeconds: 120,
    language: lang,
    transcript,
  }).gaps;
}

describe('candidate feedback: each competency in its own words', () => {
  it('an answer that says little gets a next step of its own per known competency, in the answer language', () => {
    const zh = gapsOf(['沟通协作', '技术深度'], 'zh', VAGUE_ZH);
    const byName = new Map(zh.map((g) => [g.competency, g.suggestion]));
    expect(byName.get('沟通协作')).toBe(competencyWords('沟通协作')?.deeper.zh);
    expect(byName.get('技术深度')).toBe(competencyWords('技术深度')?.deeper.zh);
    expect(byName.get('沟通协作')).not.toBe(byName.get('技术深度'));
    const en = gapsOf(['Communication'], 'en', VAGUE_EN);
    expect(en[0]?.suggestion).toBe(competencyWords('communication')?.deeper.en);
  });

  it('a competency the product does not know keeps the generic step', () => {
    const [g] = gapsOf(['供应链韧性'], 'zh', VAGUE_ZH);
    expect(g?.suggestion).toContain('围绕题目本身多展开一步');
    expect(competencyWords('供应链韧性')).toBeUndefined();
    expect(explainCompetency('供应链韧性')).toContain('供应链韧性');
    expect(explainCompetency(' Problem Solving ')).toBe(competencyWords('问题解决')?.plain.en);
  });

  it('a step shared by several competencies is said once under delivery; a competency of its own keeps its step', () => {
    const shared = '挑一件你亲身经历的事，讲清楚当时的情况和你面对的难点。';
    const own = competencyWords('技术深度')?.deeper.zh as string;
    const report = {
      id: 7,
      status: 'ready',
      releasedAt: new Date('2026-12-01T00:00:00Z'),
      competencies: [
        { name: '问题解决', score: 40, evidence: [], matched: ['定位根因'], missing: [] },
        {
          name: '沟通协作',
          score: 45,
          evidence: [{ quote: '我先约她单独聊了聊' }],
          matched: [],
          missing: [],
        },
        { name: '技术深度', score: 30, evidence: [], matched: [], missing: ['权衡取舍'] },
      ],
      gaps: [
        { competency: '问题解决', text: '问题解决：少', suggestion: shared },
        { competency: '沟通协作', text: '沟通协作：少', suggestion: shared },
        { competency: '技术深度', text: '技术深度：少', suggestion: own },
        { competency: '表达结构', text: '回答缺少可核实的细节', suggestion: shared },
      ],
    } as unknown as IInterviewReport;
    const f = presentFeedback(report, '后端工程师', []);
    const steps = (name: string) =>
      f.competencies.find((c) => c.name === name)?.suggestions.map((s) => s.suggestion);
    expect(steps('问题解决')).toEqual([]);
    expect(steps('沟通协作')).toEqual([]);
    expect(steps('技术深度')).toEqual([own]);
    expect(f.general.map((g) => g.suggestion)).toEqual([shared]);
    expect(f.competencies.find((c) => c.name === '沟通协作')?.quotes).toEqual(['我先约她单独聊了聊']);
    // The rubric's indicator phrases never reach the candidate.
    expect(JSON.stringify(f)).not.toMatch(/定位根因|权衡取舍/);
  });

  it('one competency keeps its steps under its own name', () => {
    const step = '多说你本人具体做了什么、为什么这样做，而不只是团队做了什么。';
    const report = {
      id: 8,
      status: 'ready',
      releasedAt: null,
      competencies: [{ name: '结果导向', score: 50, evidence: [], matched: [], missing: [] }],
      gaps: [{ competency: '结果导向', text: '结果导向：少', suggestion: step }],
    } as unknown as IInterviewReport;
    const f = presentFeedback(report, '运营', []);
    expect(f.competencies[0]?.suggestions.map((s) => s.suggestion)).toEqual([step]);
    expect(f.general).toEqual([]);
  });
});
