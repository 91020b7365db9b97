/**
 * Questions from a job with an LLM: the job's description and requirements and the chosen
 * competencies with their indicators go to the configured OpenAI-compatible endpoint, which must
 * answer strict JSON. The answer is used only when it validates (zod) and covers what the rules
 * would: every chosen competency with at least one question of each kind, every targeted
 * indicator copied from that competency's indicators, written in the job's language. Anything
 * else (endpoint down, not JSON, a competency left out, a made-up indicator) returns the reason,
 * and the caller uses the rules. The prompt version, model, messages and output are recorded.
 */
import { z } from 'zod';
import { type ChatEndpoint, type ChatMessage, chatJson, unfence } from '../../kernel/integrations/llm/chat';
import {
  indicatorsOf,
  type JdLanguage,
  type JobText,
  type LibraryCompetency,
  type ProposedQuestion,
} from './rules';

/** Version of the generation prompt; stored with every draft of an LLM run. */
export const QGEN_PROMPT_VERSION = 'qgen-llm-1';

/** What is recorded of an LLM run with its drafts. */
export interface QgenLlmRecord {
  promptVersion: string;
  model: string;
  messages: ChatMessage[];
  output?: string;
  /** Why the output was not used (the rules' drafts were stored instead); absent when it was used. */
  discarded?: string;
}

const outputSchema = z.strictObject({
  questions: z
    .array(
      z.strictObject({
        kind: z.enum(['behavioural', 'situational']),
        competency: z.string().min(1).max(50),
        text: z.string().trim().min(10).max(600),
        referencePoints: z.array(z.string().trim().min(2).max(300)).min(1).max(5),
        indicators: z.array(z.string().trim().min(1)).min(1).max(5),
      }),
    )
    .min(1)
    .max(40),
});

/** The prompt: questions of both kinds per competency, grounded in this job, strict JSON. */
export function buildQgenPrompt(
  job: JobText,
  competencies: LibraryCompetency[],
  perKind: number,
  lang: JdLanguage,
): ChatMessage[] {
  const rubric = competencies
    .map(
      (c) =>
        `- ${c.name}: ${indicatorsOf(c, lang)
          .map((i) => `"${i}"`)
          .join(', ')}`,
    )
    .join('\n');
  return [
    {
      role: 'system',
      content:
        'You write first-round interview questions for one job. For EACH competency listed, write ' +
        `${perKind} behavioural question(s) (a real past experience, answered as situation, task, own action, result) ` +
        `and ${perKind} situational question(s) (a realistic hypothetical scenario from this job's work). ` +
        "Ground every question in the job's duties and requirements. Ask about work only: never about age, gender, " +
        'marriage, children, health, origin, religion or politics. Write the questions and reference points in ' +
        `${lang === 'zh' ? 'Simplified Chinese' : 'English'}. For each question give what a good answer shows ` +
        "(1-5 reference points) and the indicators it targets, copied EXACTLY from that competency's list. " +
        'Answer JSON only: {"questions": [{"kind": "behavioural" | "situational", "competency": string, ' +
        '"text": string, "referencePoints": [string], "indicators": [string]}]}.',
    },
    {
      role: 'user',
      content:
        `Job title: ${job.title}\nJob description:\n${job.description.slice(0, MAX_JD)}\n` +
        `Requirements:\n${job.requirements.slice(0, MAX_JD)}\n` +
        `Competencies and their indicators:\n${rubric}`,
    },
  ];
}

/** The longest JD or requirements text sent (characters): a JD, not an attachment. */
const MAX_JD = 4000;

// Questions about protected attributes have no place in an interview, whoever wrote them.
const PROTECTED_ZH =
  /年龄|岁数|婚|恋爱|生育|怀孕|孩子|性别|民族|宗教|信仰|籍贯|户口|政治面貌|党员|健康状况|病史/;
const PROTECTED_EN =
  /\b(?:how old|your age|married|marital|pregnan\w*|children|kids|gender|religio\w*|ethnic\w*|nationality|disabilit\w*|health condition)\b/i;

/** Why the parsed output cannot be used, or null when it can. */
export function checkQuestions(
  questions: z.infer<typeof outputSchema>['questions'],
  competencies: LibraryCompetency[],
  lang: JdLanguage,
): string | null {
  const byName = new Map(competencies.map((c) => [c.name, indicatorsOf(c, lang)]));
  for (const [i, q] of questions.entries()) {
    const indicators = byName.get(q.competency);
    if (!indicators) return `questions.${i}: competency "${q.competency.slice(0, 50)}" was not asked for`;
    for (const ind of q.indicators)
      if (!indicators.includes(ind))
        return `questions.${i}: indicator "${ind.slice(0, 80)}" is not one of ${q.competency}'s`;
    if (PROTECTED_ZH.test(q.text) || PROTECTED_EN.test(q.text))
      return `questions.${i}: asks about a protected attribute`;
    const han = (q.text.match(/\p{Script=Han}/gu) ?? []).length;
    const latin = (q.text.match(/[A-Za-z]/g) ?? []).length;
    if (lang === 'zh' ? han === 0 : han > latin) return `questions.${i}: not written in ${lang}`;
  }
  for (const c of competencies)
    for (const kind of ['behavioural', 'situational'] as const)
      if (!questions.some((q) => q.competency === c.name && q.kind === kind))
        return `no ${kind} question for ${c.name}`;
  return null;
}

/**
 * The LLM's questions for the job, or the reason they cannot be used. Never throws; never slower
 * than the endpoint's timeout. The record carries prompt version, model, messages and output.
 */
export async function proposeByLlm(
  llm: ChatEndpoint,
  input: { job: JobText; competencies: LibraryCompetency[]; perKind: number; language: JdLanguage },
): Promise<{ questions: ProposedQuestion[] | null; record: QgenLlmRecord }> {
  const messages = buildQgenPrompt(input.job, input.competencies, input.perKind, input.language);
  const res = await chatJson(llm, messages);
  const record: QgenLlmRecord = { promptVersion: QGEN_PROMPT_VERSION, model: res.model, messages };
  if (!res.ok) return { questions: null, record: { ...record, discarded: res.reason } };
  record.output = res.content.slice(0, 8000);
  let parsed: z.infer<typeof outputSchema>;
  try {
    parsed = outputSchema.parse(JSON.parse(unfence(res.content)));
  } catch (err) {
    const first = err instanceof z.ZodError ? err.issues[0] : undefined;
    const why = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : (err as Error).message;
    return {
      questions: null,
      record: { ...record, discarded: `not valid JSON of the requested shape: ${why.slice(0, 300)}` },
    };
  }
  const problem = checkQuestions(parsed.questions, input.competencies, input.language);
  if (problem) return { questions: null, record: { ...record, discarded: problem } };
  return {
    questions: parsed.questions.map((q) => ({
      kind: q.kind,
      text: q.text,
      referenceAnswers: q.referencePoints,
      competencies: [q.competency],
      indicators: q.indicators,
    })),
    record,
  };
}
