/**
 * The job match: one reason per requirement with the quote that supports it, years from the
 * dates, and the protected-attribute invariance (TRUST.md): résumés that differ only in name,
 * gender, age or birth date, marital status, ethnicity or hometown get the same match.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResumeMatch } from '../../../shared/api/resumes';
import {
  matchResume,
  requirementChecks,
  screeningInput,
  splitRequirements,
  yearsOf,
} from '../../../shared/resumes/match';
import { parseResume } from '../../../shared/resumes/parse';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const AS_OF = new Date('2026-12-01T00:00:00Z');

const ZH_REQS = splitRequirements(
  '1. 本科及以上学历，计算机相关专业\n2. 3年以上 Java 后端开发经验\n3. 熟悉 MySQL、Redis、Kafka\n4. 有分布式系统设计经验者优先\n5. 熟悉 Python 数据分析',
);
const EN_REQS = splitRequirements(
  "- Bachelor's degree in Computer Science\n- 5+ years of development with Go\n- Experience with Kubernetes and PostgreSQL\n- Familiarity with machine learning pipelines",
);

const match = (text: string, reqs: string[]) => matchResume(text, parseResume(text).profile, reqs, AS_OF);
/** The match without source offsets (they move when a name is longer; the decision must not). */
const decisionOf = (m: ResumeMatch) => ({ ...m, lines: m.lines.map(({ span: _, ...l }) => l) });

describe('job match', () => {
  it('splits requirements and cuts them into keywords, years and degree', () => {
    expect(ZH_REQS).toEqual([
      '本科及以上学历，计算机相关专业',
      '3年以上 Java 后端开发经验',
      '熟悉 MySQL、Redis、Kafka',
      '有分布式系统设计经验者优先',
      '熟悉 Python 数据分析',
    ]);
    expect(requirementChecks(ZH_REQS[1])).toEqual({ keywords: ['Java', '后端开发'], years: 3, degree: 0 });
    expect(requirementChecks(ZH_REQS[0])).toEqual({ keywords: ['计算机'], years: null, degree: 2 });
    expect(requirementChecks(EN_REQS[1])).toEqual({ keywords: ['Go', 'development'], years: 5, degree: 0 });
  });

  it('gives one line per requirement with the supporting quote (Chinese)', () => {
    const text = fixture('zh.txt');
    const m = match(text, ZH_REQS);
    expect(m.lines.map((l) => l.status)).toEqual(['met', 'met', 'met', 'met', 'not_shown']);
    expect(m.lines[0].quote).toBe('2014.09 - 2018.06  浙江大学  计算机科学与技术  本科');
    expect(m.lines[1].quote).toContain('Java');
    expect(m.lines[1].found).toContain('3+ years (6)');
    expect(m.lines[2].quote).toBe('熟练掌握：Java、Go、MySQL、Redis、Kafka');
    expect(m.lines[3].quote).toContain('分布式');
    expect(m.lines[4]).toMatchObject({ quote: '', span: null, missing: ['Python', '数据分析'] });
    // Each quote is exactly the text at its span.
    for (const l of m.lines) if (l.span) expect(text.slice(l.span.start, l.span.end)).toBe(l.quote);
    expect(m.score).toBe(80);
    // 2021-07..2026-12 (66 months) + 2019-07..2019-12 (6 months).
    expect(m.totalYears).toBe(6);
    expect(m.relevantYears).toBe(6);
  });

  it('gives partial credit and says what is missing (English)', () => {
    const m = match(fixture('en.txt'), EN_REQS);
    expect(m.lines.map((l) => l.status)).toEqual(['met', 'met', 'met', 'not_shown']);
    expect(m.lines[0].quote).toBe('B.S. in Computer Science');
    expect(m.lines[1].found).toEqual(['Go', 'development', '5+ years (10.5)']);
    expect(m.lines[3].missing).toEqual(['machine', 'learning', 'pipelines']);
    expect(m.score).toBe(75);
    const partly = match(fixture('en.txt'), ['8+ years with Go and Rust']);
    expect(partly.lines[0]).toMatchObject({
      status: 'partly',
      found: ['Go', '8+ years (10.5)'],
      missing: ['Rust'],
    });
  });

  it('counts overlapping periods once and "present" as the résumé month', () => {
    const asOf = '2026-12';
    expect(
      yearsOf(
        [
          { start: '2020-01', end: '2021-12', text: '' },
          { start: '2021-01', end: '2022-12', text: '' },
          { start: '2025-01', end: 'present', text: '' },
        ],
        asOf,
      ),
    ).toBe(5);
    expect(yearsOf([{ start: '2019', end: '2020', text: '' }], asOf)).toBe(2);
    expect(yearsOf([{ start: '2022-05', end: '2021-01', text: '' }], asOf)).toBe(0);
  });

  describe('protected attributes are never inputs', () => {
    const ZH_VARIANTS: Array<[string, string]> = [
      ['张三', '欧阳娜娜'],
      ['性别：男', '性别：女'],
      ['年龄：28岁', '年龄：52岁'],
      ['民族：汉族', '民族：维吾尔族'],
      ['婚姻状况：已婚', '婚姻状况：未婚'],
      ['籍贯：浙江杭州', '籍贯：甘肃天水'],
      ['出生日期：1996年5月', '出生日期：1972年11月'],
    ];
    const EN_VARIANTS: Array<[string, string]> = [
      ['Emily Johnson', 'Mohammed Al-Rashid'],
      ['Gender: Female', 'Gender: Male'],
      ['Date of Birth: 1994-03-02', 'Date of Birth: 1961-12-30'],
      ['Marital Status: Single', 'Marital Status: Married'],
    ];

    it.each([
      ['zh.txt', ZH_REQS, ZH_VARIANTS],
      ['en.txt', EN_REQS, EN_VARIANTS],
    ] as const)('%s: changing each attribute, and all at once, changes nothing', (name, reqs, variants) => {
      const base = fixture(name);
      const baseInput = screeningInput(base, parseResume(base).profile, AS_OF).input;
      const baseDecision = decisionOf(match(base, reqs));
      const changed = [
        ...variants.map(([a, b]) => base.split(a).join(b)),
        variants.reduce((t, [a, b]) => t.split(a).join(b), base),
      ];
      for (const text of changed) {
        expect(text).not.toBe(base);
        // What the matcher reads is identical, so its result is too.
        expect(screeningInput(text, parseResume(text).profile, AS_OF).input).toEqual(baseInput);
        expect(decisionOf(match(text, reqs))).toEqual(baseDecision);
      }
    });

    it('the matcher input holds none of the protected values', () => {
      const text = fixture('zh.txt');
      const { input } = screeningInput(text, parseResume(text).profile, AS_OF);
      const all = JSON.stringify(input);
      for (const word of [
        '张三',
        '性别',
        '28岁',
        '汉族',
        '已婚',
        '籍贯',
        '1996年5月',
        'zhangsan@',
        '138-1234',
      ])
        expect(all).not.toContain(word);
    });

    it('the name is scrubbed where it appears outside the header', () => {
      const text = `${fixture('zh.txt')}\n自我评价\n张三是一名热爱技术的工程师`;
      const other = text.split('张三').join('李四四');
      expect(screeningInput(text, parseResume(text).profile, AS_OF).input).toEqual(
        screeningInput(other, parseResume(other).profile, AS_OF).input,
      );
    });
  });
});
