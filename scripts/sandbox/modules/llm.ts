/**
 * An OpenAI-compatible chat endpoint (`POST /v1/chat/completions`), standing in for Qwen through
 * DashScope's compatible mode or a self-hosted vLLM: same path, request fields, response shape
 * (`choices[0].message.content`, `usage`) and error shape (`{ error: { message, type, code } }`).
 *
 * Honesty rule: the sandbox does NOT generate text. A request is answered only with a response
 * a test registered (matched by a substring of the request's messages, newest registration
 * first) or one a person typed in the console tab "大模型 LLM" for that request. Anything else
 * gets an error, as a real endpoint that cannot serve the request would: callers must cope.
 * Every answer says `"sandbox": "registered response, not generated"`.
 *
 * Test hooks: `POST /api/sandbox/llm/responses {match, content, model?}`,
 * `GET /api/sandbox/llm/requests`, `POST /api/sandbox/llm/requests/:id/response {content}`.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { SandboxModule } from '../context';
import { esc } from '../html';
import type { SandboxState } from '../state';

/** A response registered for requests whose messages contain `match`. */
export interface RegisteredLlmResponse {
  match: string;
  content: string;
  /** Model name to report (default: the requested one). */
  model?: string;
}

/** One request the endpoint received, with what it answered. */
export interface LlmRequest {
  id: string;
  at: number;
  model: string;
  /** The messages joined ("role: content" per line), what `match` is looked for in. */
  prompt: string;
  status: 'answered' | 'unanswered';
  /** The response given (null: an error was). */
  content: string | null;
  /** A reply a person typed in the console for this prompt: returned when the caller retries it. */
  reply: string | null;
}

/** LLM state of one sandbox. */
export interface LlmState {
  responses: RegisteredLlmResponse[];
  requests: LlmRequest[];
}

const STATES = new WeakMap<SandboxState, LlmState>();
/** Requests kept for the console and tests (oldest dropped first). */
const MAX_REQUESTS = 200;

/** The LLM state of a sandbox. */
export function llmState(state: SandboxState): LlmState {
  let s = STATES.get(state);
  if (!s) {
    const created: LlmState = { responses: [], requests: [] };
    s = created;
    STATES.set(state, created);
    state.onReset(() => {
      created.responses = [];
      created.requests = [];
    });
  }
  return s;
}

function openAiError(ctx: Context, status: number, type: string, code: string, message: string): void {
  ctx.status = status;
  ctx.body = { error: { message, type, param: null, code } };
}

/** Rough token count for `usage` (about 1.5 Chinese characters or 4 English characters a token). */
function tokens(text: string): number {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  return Math.max(1, Math.ceil(han / 1.5 + (text.length - han) / 4));
}

/** Chat-completions route, test hooks and the console tab. */
export const llmModule: SandboxModule = ({ router, state, consoleTabs }) => {
  const s = llmState(state);

  router.post('/v1/chat/completions', (ctx) => {
    const auth = ctx.get('authorization');
    if (auth && !/^Bearer \S+$/.test(auth))
      return openAiError(ctx, 401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.');
    const body = (ctx.request.body ?? {}) as { model?: unknown; messages?: unknown; stream?: unknown };
    if (typeof body.model !== 'string' || !body.model)
      return openAiError(
        ctx,
        400,
        'invalid_request_error',
        'invalid_value',
        'model: a model name is required',
      );
    const messages = body.messages;
    if (
      !Array.isArray(messages) ||
      !messages.length ||
      !messages.every(
        (m) =>
          m &&
          typeof m === 'object' &&
          typeof (m as { role?: unknown }).role === 'string' &&
          typeof (m as { content?: unknown }).content === 'string',
      )
    )
      return openAiError(
        ctx,
        400,
        'invalid_request_error',
        'invalid_value',
        'messages: a non-empty list of {role, content} is required',
      );
    if (body.stream === true)
      return openAiError(
        ctx,
        400,
        'invalid_request_error',
        'unsupported_value',
        'stream: not supported here',
      );
    const prompt = (messages as Array<{ role: string; content: string }>)
      .map((m) => `${m.role}: ${m.content}`)
      .join('\n');
    // A person's console reply to an earlier identical prompt, then the newest registration.
    const typed = [...s.requests].reverse().find((r) => r.prompt === prompt && r.reply !== null);
    const reg = [...s.responses].reverse().find((r) => prompt.includes(r.match));
    const content = typed?.reply ?? reg?.content ?? null;
    const req: LlmRequest = {
      id: randomUUID(),
      at: state.now(),
      model: body.model,
      prompt,
      status: content === null ? 'unanswered' : 'answered',
      content,
      reply: null,
    };
    s.requests.push(req);
    if (s.requests.length > MAX_REQUESTS) s.requests.shift();
    if (content === null)
      return openAiError(
        ctx,
        503,
        'server_error',
        'sandbox_no_response',
        'sandbox: no response registered for this prompt (it does not generate text); register one or type it in the console',
      );
    const promptTokens = tokens(prompt);
    const completionTokens = tokens(content);
    ctx.body = {
      id: `chatcmpl-${req.id}`,
      object: 'chat.completion',
      created: Math.floor(req.at / 1000),
      model: (!typed && reg?.model) || body.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
      sandbox: 'registered response, not generated',
    };
  });

  // ---- test hooks ----
  router.post('/api/sandbox/llm/responses', (ctx) => {
    const b = (ctx.request.body ?? {}) as Partial<RegisteredLlmResponse>;
    if (typeof b.match !== 'string' || !b.match || typeof b.content !== 'string') {
      ctx.status = 400;
      ctx.body = {
        error: { code: 'bad_request', message: 'match (a substring of the prompt) and content are required' },
      };
      return;
    }
    s.responses.push({
      match: b.match,
      content: b.content,
      ...(typeof b.model === 'string' && b.model ? { model: b.model } : {}),
    });
    ctx.body = { ok: true };
  });
  router.get('/api/sandbox/llm/requests', (ctx) => {
    ctx.body = s.requests;
  });
  router.post('/api/sandbox/llm/requests/:id/response', (ctx) => {
    const req = s.requests.find((r) => r.id === ctx.params.id);
    const content = (ctx.request.body as { content?: unknown } | undefined)?.content;
    if (!req || typeof content !== 'string' || !content.trim()) {
      ctx.status = req ? 400 : 404;
      ctx.body = {
        error: {
          code: req ? 'bad_request' : 'not_found',
          message: req ? 'content is required' : 'no such request',
        },
      };
      return;
    }
    req.reply = content;
    ctx.body = { ok: true };
  });

  consoleTabs.push({
    id: 'llm',
    label: '大模型 LLM',
    render() {
      const rows = [...s.requests]
        .reverse()
        .map((r) => {
          const form =
            r.status === 'unanswered' && r.reply === null
              ? `<form data-llm-request="${esc(r.id)}"><textarea name="content" rows="3" style="width:100%" placeholder="输入模型应返回的内容，调用方重试时返回 (type the reply; it is returned when the caller retries)"></textarea>
<button class="btn" data-testid="llm-submit-${esc(r.id)}">提交回复 (submit reply)</button></form>`
              : '';
          return `<div class="card"><b>${esc(r.model)}</b> <span class="tag">${esc(r.status)}</span> <span class="muted">${esc(new Date(r.at).toISOString())}</span>
<pre style="white-space:pre-wrap">${esc(r.prompt.slice(0, 4000))}</pre>${r.content !== null ? `<div>→ ${esc(r.content)}</div>` : ''}${r.reply !== null ? `<div>回复已登记，重试时返回 (reply typed): ${esc(r.reply)}</div>` : ''}${form}</div>`;
        })
        .join('');
      return `<div class="card"><h2>大模型请求 <span class="hint">OpenAI-compatible chat completions</span></h2>
<p class="muted">沙箱不生成文本：只返回测试登记的回复，或由你在这里为某个请求输入的回复；其他请求返回错误。
(The sandbox does not generate text: it returns registered replies or what you type here; otherwise an error.)</p></div>${rows || '<p class="muted">暂无请求 (no requests)</p>'}
<script>
document.querySelectorAll('form[data-llm-request]').forEach((f) => f.addEventListener('submit', async (e) => {
  e.preventDefault();
  await fetch('/api/sandbox/llm/requests/' + encodeURIComponent(f.dataset.llmRequest) + '/response', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: f.elements.content.value }) });
  location.reload();
}));
</script>`;
    },
  });
};
