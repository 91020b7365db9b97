/**
 * Optional LLM assessor (off by default, `LLM_ENABLED`): any OpenAI-compatible chat endpoint
 * (Qwen through DashScope compatible mode, vLLM, ...). It reads the same things the
 * deterministic scorer reads (question, rubric, transcript) and must answer JSON with quotes.
 * Every quote must occur verbatim in the transcript, or the whole result is discarded:
 * an assessor that invents evidence is not trusted for anything. Results are combined with
 * the deterministic scores (never replacing them) and stored with prompt and model versions.
 */
import { z } from 'zod';
import type { CompetencySpec, ScoreResult } from './types';

/** Version of the prompt below; stored with every result. */
export const LLM_PROMPT_VERSION = 'rubric-json-1';
/** Share of the LLM in a combined competency score. */
export const LLM_BLEND = 0.3;

/** Settings (from `config.llm`). */
export interface LlmOptions {
  url: string;
  apiKey: string | null;
  model: string;
  timeoutMs: number;
}

const answerSchema = z.object({
  competencies: z.array(
    z.object({
      name: z.string(),
      score: z.number().min(0).max(100),
      quotes: z.array(z.string()).max(5),
      reason: z.string().max(1000),
    }),
  ),
});

/** An accepted or discarded assessment. */
export type LlmAssessment =
  | {
      accepted: true;
      promptVersion: string;
      model: string;
      competencies: Array<{ name: string; score: number; quotes: string[]; reason: string }>;
    }
  | { accepted: false; promptVersion: string; model: string; reason: string };

/** The system prompt: rubric scoring on the words only. */
export function buildPrompt(question: string, competencies: CompetencySpec[], transcript: string) {
  const rubric = competencies.map((c) => `- ${c.name}: ${c.indicators.join('; ')}`).join('\n');
  return [
    {
      role: 'system',
      content:
        'You assess a job interview answer against a rubric. Judge only the words of the answer. ' +
        'Ignore anything about the speaker (age, gender, accent, origin, emotion). ' +
        'Answer JSON only: {"competencies":[{"name":string,"score":0-100,"quotes":[exact substrings of the answer],"reason":string}]}. ' +
        'Every quote must be copied exactly from the answer.',
    },
    { role: 'user', content: `Question: ${question}\nRubric:\n${rubric}\nAnswer:\n${transcript}` },
  ];
}

/** Calls the chat endpoint; returns null when it cannot be reached (scoring goes on without it). */
export async function assessWithLlm(
  o: LlmOptions,
  input: { question: string; competencies: CompetencySpec[]; transcript: string },
): Promise<LlmAssessment | null> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
  let body: { model?: string; choices?: Array<{ message?: { content?: string } }> };
  try {
    const res = await fetch(`${o.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: o.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: buildPrompt(input.question, input.competencies, input.transcript),
      }),
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    if (!res.ok) return null;
    body = (await res.json()) as typeof body;
  } catch {
    return null;
  }
  const model = body.model ?? o.model;
  const base = { promptVersion: LLM_PROMPT_VERSION, model };
  let parsed: z.infer<typeof answerSchema>;
  try {
    const content = body.choices?.[0]?.message?.content ?? '';
    parsed = answerSchema.parse(JSON.parse(content.replace(/^```(?:json)?\s*|\s*```$/g, '')));
  } catch (err) {
    return {
      accepted: false,
      ...base,
      reason: `not valid JSON of the requested shape: ${(err as Error).message.slice(0, 200)}`,
    };
  }
  const names = new Set(input.competencies.map((c) => c.name));
  for (const c of parsed.competencies) {
    if (!names.has(c.name)) return { accepted: false, ...base, reason: `unknown competency "${c.name}"` };
    for (const q of c.quotes)
      if (!q.trim() || !input.transcript.includes(q.trim()))
        return { accepted: false, ...base, reason: `quote not in the transcript: "${q.slice(0, 80)}"` };
  }
  return { accepted: true, ...base, competencies: parsed.competencies };
}

/**
 * Blends an accepted assessment into the deterministic result: each competency the LLM scored
 * becomes (1 - LLM_BLEND)·deterministic + LLM_BLEND·LLM. Returns a new result; the
 * deterministic numbers stay available in `deterministic`.
 */
export function blend(
  result: ScoreResult,
  a: LlmAssessment | null,
): ScoreResult & { deterministic?: number[] } {
  if (!a?.accepted) return result;
  const competencies = result.competencies.map((c) => {
    const l = a.competencies.find((x) => x.name === c.name);
    return l ? { ...c, score: Math.round((1 - LLM_BLEND) * c.score + LLM_BLEND * l.score) } : c;
  });
  const overall = competencies.length
    ? Math.round(competencies.reduce((s, c) => s + c.score, 0) / competencies.length)
    : result.overall;
  return { ...result, competencies, overall, deterministic: result.competencies.map((c) => c.score) };
}
