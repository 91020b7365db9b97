/**
 * One JSON chat call to an OpenAI-compatible endpoint (`config.llm`: Qwen through DashScope's
 * compatible mode in production, the sandbox in development and tests). It never throws: a
 * caller that must fall back to its rules gets the reason instead, in words fit for a record.
 */

/** Where the endpoint is and how long to wait (the shape of `config.llm` once enabled). */
export interface ChatEndpoint {
  url: string;
  apiKey: string | null;
  model: string;
  timeoutMs: number;
}

/** A chat message as sent. */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/** The answer's text and the model that says it wrote it, or why there is none. */
export type ChatResult =
  | { ok: true; model: string; content: string }
  | { ok: false; model: string; reason: string };

/** Asks for a JSON object (`response_format: json_object`); the caller validates what comes back. */
export async function chatJson(
  llm: ChatEndpoint,
  messages: ChatMessage[],
  temperature = 0.2,
): Promise<ChatResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (llm.apiKey) headers.authorization = `Bearer ${llm.apiKey}`;
  try {
    const res = await fetch(`${llm.url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        model: llm.model,
        temperature,
        response_format: { type: 'json_object' },
        messages,
      }),
      signal: AbortSignal.timeout(llm.timeoutMs),
    });
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      return {
        ok: false,
        model: llm.model,
        reason: `endpoint answered ${res.status}: ${text.slice(0, 200)}`,
      };
    }
    const body = (await res.json()) as {
      model?: string;
      choices?: Array<{ message?: { content?: string } }>;
    };
    return { ok: true, model: body.model ?? llm.model, content: body.choices?.[0]?.message?.content ?? '' };
  } catch (err) {
    const e = err as Error;
    const reason =
      e.name === 'TimeoutError'
        ? `no answer within ${llm.timeoutMs} ms`
        : `endpoint unreachable: ${e.message}`;
    return { ok: false, model: llm.model, reason: reason.slice(0, 250) };
  }
}

/** The JSON inside an answer, without the Markdown fence some models put around it. */
export function unfence(content: string): string {
  return content.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
}
