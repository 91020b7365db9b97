/**
 * The LLM only PHRASES a follow-up the rules chose; it never chooses one. With an LLM configured
 * (`config.llm`, any OpenAI-compatible chat endpoint), the rule's question is rewritten to sound
 * natural and to refer to what the candidate said. Output that quotes the candidate is checked
 * against the transcript: a quote that is not there, in the `quotes` list or in quotation marks
 * inside the question, discards the output and the rules' phrasing is used. Anything else going
 * wrong (endpoint down, not JSON, wrong language) also falls back to the rules' phrasing, so a
 * follow-up never waits on the LLM. The prompt and model are recorded with the result.
 */
import { z } from 'zod';
import type { LlmOptions } from '../scoring';
import type { FollowUpChoice } from './rules';

/** Version of the phrasing prompt; stored with every phrased follow-up. */
export const PHRASE_PROMPT_VERSION = 'followup-phrase-1';

/** A chat message as sent. */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** The follow-up's final wording and where it came from. */
export interface PhrasedFollowUp {
  text: string;
  source: 'rules' | 'llm';
  /** Set when an LLM was asked (whether or not its output was kept). */
  llm: {
    promptVersion: string;
    model: string;
    messages: ChatMessage[];
    /** Why the output was not used; absent when it was. */
    discarded?: string;
    output?: string;
  } | null;
}

const outputSchema = z.object({
  question: z.string().min(4).max(400),
  quotes: z.array(z.string()).max(5).default([]),
});

const GAP_GOAL: Record<FollowUpChoice['gap'], string> = {
  example: 'ask for one specific real example (situation, own actions, result)',
  action: 'ask what concretely was done, step by step',
  role: "ask what the candidate personally did, as distinct from the team's work",
  result: 'ask for the result or outcome',
  numbers: 'ask for figures that show the result (before and after)',
  indicator: 'ask about the rubric point the answer did not cover',
};

/** The prompt: rephrase one chosen follow-up, quoting the answer only verbatim. */
export function buildPhrasePrompt(
  question: string,
  transcript: string,
  choice: FollowUpChoice,
): ChatMessage[] {
  const lang = choice.language === 'zh' ? 'Simplified Chinese' : 'English';
  return [
    {
      role: 'system',
      content:
        'You phrase ONE follow-up question for a job interview. The follow-up has already been chosen; ' +
        'do not change what it asks about and do not add a second question. Be brief and polite, ' +
        `written in ${lang}. Judge only the words of the answer; never mention the speaker's age, ` +
        'gender, accent, origin or emotions. If you refer to what the candidate said, copy those words ' +
        'exactly and list every such quote. Answer JSON only: {"question": string, "quotes": [exact substrings of the answer]}.',
    },
    {
      role: 'user',
      content:
        `Interview question: ${question}\nCandidate's answer:\n${transcript}\n` +
        `Goal of the follow-up: ${GAP_GOAL[choice.gap]}${choice.indicator ? ` ("${choice.indicator}")` : ''}\n` +
        `Follow-up to rephrase: ${choice.text}`,
    },
  ];
}

/** Text inside quotation marks in the question (“…”, "…", 「…」, ‘…’). */
function quotedSpans(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/“([^”]+)”|「([^」]+)」|‘([^’]+)’|"([^"]+)"/g)) {
    const q = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim();
    if (q) out.push(q);
  }
  return out;
}

/**
 * Why an LLM phrasing cannot be used, or null when it can. Quotes must occur verbatim in the
 * transcript; quoted text in the question must be a quote of the answer or the indicator (or
 * words of the interview question) the follow-up is about; the language must be the answer's.
 */
export function checkPhrasing(
  output: { question: string; quotes: string[] },
  transcript: string,
  question: string,
  choice: FollowUpChoice,
): string | null {
  for (const q of output.quotes)
    if (!q.trim() || !transcript.includes(q.trim()))
      return `quote not in the transcript: "${q.slice(0, 80)}"`;
  for (const q of quotedSpans(output.question))
    if (!transcript.includes(q) && q !== choice.indicator && !question.includes(q))
      return `quoted text not in the transcript: "${q.slice(0, 80)}"`;
  const han = output.question.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = output.question.match(/[A-Za-z]/g)?.length ?? 0;
  if (choice.language === 'zh' ? han === 0 : han > latin) return `not written in ${choice.language}`;
  return null;
}

/**
 * The follow-up's wording: the rules' text, or the LLM's rephrasing when one is configured and
 * its output passes {@link checkPhrasing}. Never throws; never slower than the LLM timeout.
 */
export async function phraseFollowUp(
  llm: LlmOptions | null,
  input: { question: string; transcript: string; choice: FollowUpChoice },
): Promise<PhrasedFollowUp> {
  const rules: PhrasedFollowUp = { text: input.choice.text, source: 'rules', llm: null };
  if (!llm) return rules;
  const messages = buildPhrasePrompt(input.question, input.transcript, input.choice);
  const record = (model: string, discarded?: string, output?: string): PhrasedFollowUp['llm'] => ({
    promptVersion: PHRASE_PROMPT_VERSION,
    model,
    messages,
    ...(discarded ? { discarded } : {}),
    ...(output !== undefined ? { output: output.slice(0, 2000) } : {}),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (llm.apiKey) headers.authorization = `Bearer ${llm.apiKey}`;
  let body: { model?: string; choices?: Array<{ message?: { content?: string } }> };
  try {
    const res = await fetch(`${llm.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: llm.model,
        temperature: 0.2,
        response_format: { type: 'json_object' },
        messages,
      }),
      signal: AbortSignal.timeout(llm.timeoutMs),
    });
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      return { ...rules, llm: record(llm.model, `endpoint answered ${res.status}: ${text.slice(0, 200)}`) };
    }
    body = (await res.json()) as typeof body;
  } catch (err) {
    return {
      ...rules,
      llm: record(llm.model, `endpoint unreachable: ${(err as Error).message.slice(0, 200)}`),
    };
  }
  const model = body.model ?? llm.model;
  const content = body.choices?.[0]?.message?.content ?? '';
  let parsed: z.infer<typeof outputSchema>;
  try {
    parsed = outputSchema.parse(JSON.parse(content.replace(/^```(?:json)?\s*|\s*```$/g, '')));
  } catch (err) {
    return {
      ...rules,
      llm: record(
        model,
        `not valid JSON of the requested shape: ${(err as Error).message.slice(0, 200)}`,
        content,
      ),
    };
  }
  const problem = checkPhrasing(parsed, input.transcript, input.question, input.choice);
  if (problem) return { ...rules, llm: record(model, problem, content) };
  return { text: parsed.question.trim(), source: 'llm', llm: record(model, undefined, content) };
}
