import { describe, expect, it } from 'vitest';
import { buildOutline, OUTLINE_MAX, OUTLINE_MIN, type OutlineInput } from './outline';

const competencies = [
  { name: '问题解决', indicators: ['定位根因', '比较方案'] },
  { name: '沟通协作', indicators: ['倾听', '达成共识'] },
  { name: '学习能力', indicators: ['主动学习'] },
];

const full: OutlineInput = {
  language: 'zh',
  report: {
    personOnly: false,
    competencies: [
      { name: '问题解决', score: 82, evidenceCount: 4, missing: [] },
      { name: '沟通协作', score: 38, evidenceCount: 2, missing: ['倾听'] },
      { name: '学习能力', score: 70, evidenceCount: 1, missing: [] },
    ],
    gaps: [{ competency: '沟通协作', text: '回答中没有说明如何听取对方意见' }],
  },
  competencies,
  requirements: ['3年以上 Java 后端开发经验', '熟悉 Kafka 等消息队列'],
  resume: {
    lines: [
      { requirement: '3年以上 Java 后端开发经验', status: 'met', missing: [] },
      { requirement: '熟悉 Kafka 等消息队列', status: 'not_shown', missing: ['Kafka', '消息队列'] },
    ],
    recentRole: { employer: '云杉网络', title: '高级后端工程师' },
  },
};

describe('interview outline rules', () => {
  it('puts the report gap first, then low-confidence competencies, résumé gaps and the latest role', () => {
    const q = buildOutline(full);
    expect(q.map((x) => [x.source, x.competency])).toEqual([
      ['gap', '沟通协作'],
      ['low_confidence', '学习能力'],
      ['resume_requirement', null],
      ['resume_role', null],
      ['competency', '问题解决'],
    ]);
    expect(q.map((x) => x.position)).toEqual([1, 2, 3, 4, 5]);
    // Why and what to listen for come from the inputs, not a fixed text.
    expect(q[0].why).toContain('没有说明如何听取对方意见');
    expect(q[0].listenFor[0]).toBe('倾听');
    expect(q[1].why).toContain('只依据 1 条回答原话');
    expect(q[2].question).toContain('Kafka');
    expect(q[2].listenFor).toContain('消息队列');
    expect(q[3].question).toContain('云杉网络');
    // A met requirement and a confident, well-evidenced competency are not asked about first.
    expect(q.some((x) => x.question.includes('Java 后端'))).toBe(false);
  });

  it('English outlines read in English with the same choices', () => {
    const q = buildOutline({ ...full, language: 'en' });
    expect(q.map((x) => x.source)).toEqual(buildOutline(full).map((x) => x.source));
    expect(q[0].question).toMatch(/^Tell me about a recent time/);
    expect(q[1].why).toContain('rests on 1 quote(s) only');
    expect(q[0].listenFor.join(' ')).toContain('not "we"');
  });

  it('a borderline score is low confidence; a person-only report makes every competency so', () => {
    const borderline = buildOutline({
      ...full,
      report: {
        personOnly: false,
        gaps: [],
        competencies: [{ name: '问题解决', score: 55, evidenceCount: 3, missing: [] }],
      },
    });
    expect(borderline[0]).toMatchObject({ source: 'low_confidence', competency: '问题解决' });
    expect(borderline[0].why).toContain('临界');
    const personOnly = buildOutline({
      ...full,
      resume: null,
      report: {
        personOnly: true,
        gaps: [],
        competencies: competencies.map((c) => ({ name: c.name, score: 0, evidenceCount: 0, missing: [] })),
      },
    });
    expect(personOnly.filter((x) => x.source === 'low_confidence')).toHaveLength(2);
    expect(personOnly[0].why).toContain('仅由人工评估');
  });

  it('without a résumé every requirement is asked about; without anything, standard questions fill to five', () => {
    const noResume = buildOutline({ ...full, resume: null });
    expect(noResume.filter((x) => x.source === 'requirement').map((x) => x.question)).toEqual([
      expect.stringContaining('Java'),
      expect.stringContaining('Kafka'),
    ]);
    const bare = buildOutline({
      language: 'en',
      report: null,
      competencies: [],
      requirements: [],
      resume: null,
    });
    expect(bare).toHaveLength(OUTLINE_MIN);
    expect(new Set(bare.map((x) => x.question)).size).toBe(OUTLINE_MIN);
    expect(bare.every((x) => x.source === 'standard' && x.why && x.listenFor.length)).toBe(true);
  });

  it('never more than eight, each source capped, no competency asked twice', () => {
    const many: OutlineInput = {
      language: 'zh',
      report: {
        personOnly: false,
        competencies: Array.from({ length: 10 }, (_, i) => ({
          name: `能力${i}`,
          score: 50,
          evidenceCount: 0,
          missing: [],
        })),
        gaps: Array.from({ length: 10 }, (_, i) => ({ competency: `能力${i}`, text: `不足${i}` })),
      },
      competencies: [],
      requirements: Array.from({ length: 10 }, (_, i) => `要求${i}`),
      resume: {
        lines: Array.from({ length: 10 }, (_, i) => ({
          requirement: `要求${i}`,
          status: 'not_shown' as const,
          missing: [`词${i}`],
        })),
        recentRole: { employer: 'A', title: null },
      },
    };
    const q = buildOutline(many);
    expect(q).toHaveLength(OUTLINE_MAX);
    expect(q.filter((x) => x.source === 'gap')).toHaveLength(3);
    expect(q.filter((x) => x.source === 'low_confidence')).toHaveLength(2);
    expect(q.filter((x) => x.source === 'resume_requirement')).toHaveLength(2);
    const named = q.flatMap((x) => (x.competency ? [x.competency] : []));
    expect(new Set(named).size).toBe(named.length);
  });
});
