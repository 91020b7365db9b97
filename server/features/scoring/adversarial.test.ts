import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreAnswer } from './engine';
import { resolveCompetencies } from './rubrics';
import { contextsFor, inputOf, type QuestionDef } from './training';
import type { Lang, QualityFlag } from './types';

interface AdversarialQuestion {
  id: string;
  language: Lang;
  question: string;
  competencies: string[];
  referenceAnswers?: string[];
  genuine: string[];
  gaming: Record<string, string>;
  otherQuestion: string;
}

const set = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, '../../../scripts/eval/adversarial.json'), 'utf8'),
) as { questions: AdversarialQuestion[] };

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

/**
 * Answers to another question that the words alone cannot tell apart from an answer to this one
 * (both are stories about working with people, and the prompts share little vocabulary with
 * either): they must still score lower, but are not flagged. A known limit of a lexical scorer
 * when the other question has no reference answers and neither has rated answers; ratings
 * (nearest rated answers) and HR's "what good looks like" answers are the remedy. A
 * background-normalised topicality rule
 * that caught both also flagged genuine, well-rated answers of the in-house set (BENCHMARKS.md).
 */
const KNOWN_UNFLAGGED = new Set(['zh-launch:other_question', 'en-users:other_question']);

const defs: QuestionDef[] = set.questions.map((q) => ({
  questionId: q.id,
  question: q.question,
  competencies: resolveCompetencies(q.competencies, undefined, q.language),
  referenceAnswers: q.referenceAnswers,
  lang: q.language,
}));
const contexts = contextsFor(defs);
const score = (q: AdversarialQuestion, transcript: string) => {
  const def = defs.find((d) => d.questionId === q.id) as QuestionDef;
  return scoreAnswer(inputOf(def, transcript, { expectedSeconds: 120 }), { context: contexts.get(q.id) });
};

describe('adversarial set: gaming never beats a genuine good answer, and is flagged', () => {
  const cases = set.questions.flatMap((q) =>
    [...Object.keys(q.gaming), 'other_question'].map((kind) => [q.id, kind] as const),
  );
  it.each(cases)('%s: %s', (id, kind) => {
    const q = set.questions.find((x) => x.id === id) as AdversarialQuestion;
    const text =
      kind === 'other_question'
        ? (set.questions.find((x) => x.id === q.otherQuestion) as AdversarialQuestion).genuine[0]
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
    if (KNOWN_UNFLAGGED.has(`${id}:${kind}`)) expect(fake.flags).not.toContain(EXPECTED[kind]);
    else expect(fake.flags).toContain(EXPECTED[kind]);
  });

  it('a flag is for a person, never a rejection: flagged answers still get a score and an explanation', () => {
    const q = set.questions[0];
    const r = score(q, q.gaming.stuffed);
    expect(r.flags).toContain('suspected_gaming');
    expect(Number.isFinite(r.overall)).toBe(true);
    expect(r.basis.kind).toBe('uncalibrated');
  });
});
