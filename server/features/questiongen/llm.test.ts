/**
 * The checks an LLM's questions must pass before they are used (the HTTP path, with the
 * sandbox's chat endpoint, is in questiongen.test.ts): competencies asked for, indicators copied
 * from the library, the job's language, both kinds per competency, no protected attributes.
 */
import { describe, expect, it } from 'vitest';
import { buildQgenPrompt, checkQuestions } from './llm';

const LIB = [
  {
    name: '问题解决',
    indicatorsZh: ['定位问题的根本原因', '用数据验证效果'],
    indicatorsEn: ['identifies the root cause', 'verifies the fix with data'],
  },
];
const q = (over: Record<string, unknown> = {}) => ({
  kind: 'behavioural' as const,
  competency: '问题解决',
  text: 'Tell me about a time the checkout service failed and you found out why.',
  referencePoints: ['finds the root cause'],
  indicators: ['identifies the root cause'],
  ...over,
});
const pair = (over: Record<string, unknown> = {}) => [q(over), q({ ...over, kind: 'situational' })];

describe('checkQuestions', () => {
  it('accepts English questions of both kinds with library indicators', () => {
    expect(checkQuestions(pair(), LIB, 'en')).toBeNull();
  });

  it('refuses a competency that was not asked for, an invented indicator, or a missing kind', () => {
    expect(checkQuestions(pair({ competency: '沟通协作' }), LIB, 'en')).toMatch(/was not asked for/);
    expect(checkQuestions(pair({ indicators: ['stays calm'] }), LIB, 'en')).toMatch(
      /is not one of 问题解决's/,
    );
    expect(checkQuestions([q()], LIB, 'en')).toBe('no situational question for 问题解决');
  });

  it("refuses questions not in the job's language", () => {
    expect(checkQuestions(pair({ text: '请讲一次你定位线上故障根因的经历。' }), LIB, 'en')).toMatch(
      /not written in en/,
    );
    expect(checkQuestions(pair(), LIB, 'zh')).toMatch(/is not one of|not written in zh/);
  });

  it('refuses a question about a protected attribute, in either language', () => {
    expect(
      checkQuestions(
        pair({ text: 'Are you married, and would on-call duty suit your family life?' }),
        LIB,
        'en',
      ),
    ).toMatch(/protected attribute/);
    expect(
      checkQuestions(
        pair({ text: '你今年多大年龄？请讲一次你定位问题根因的经历。', indicators: ['定位问题的根本原因'] }),
        LIB,
        'zh',
      ),
    ).toMatch(/protected attribute/);
  });
});

describe('buildQgenPrompt', () => {
  it("sends the job's text and the indicators in the job's language, asking for strict JSON", () => {
    const [system, user] = buildQgenPrompt(
      { title: 'Backend Engineer', description: 'Build payment APIs.', requirements: 'Go or Java.' },
      LIB,
      2,
      'en',
    );
    expect(system?.content).toContain('2 behavioural question(s)');
    expect(system?.content).toContain('Answer JSON only');
    expect(user?.content).toContain('Build payment APIs.');
    expect(user?.content).toContain('"identifies the root cause"');
    expect(user?.content).not.toContain('定位问题的根本原因');
  });
});
