/**
 * The LLM only phrases: against the sandbox's chat endpoint (which answers only registered
 * responses), a phrasing is used when its quotes are in the transcript, and discarded for the
 * rules' wording when it invents a quote, when the endpoint has nothing registered, or when the
 * output is not the requested JSON. Prompt version, model and messages are recorded every time.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../testing/sandbox';
import type { LlmOptions } from '../scoring';
import { PHRASE_PROMPT_VERSION, phraseFollowUp } from './phrase';
import { chooseFollowUp } from './rules';

let sb: TestSandbox;
let llm: LlmOptions;
beforeAll(async () => {
  sb = await startTestSandbox();
  llm = { url: sb.url, apiKey: 'sk-test', model: 'qwen-plus', timeoutMs: 5000 };
});
afterAll(() => sb.close());
beforeEach(() => sb.client.reset());

const QUESTION = '请讲一个你解决过的复杂问题。';
const TRANSCRIPT =
  '去年我们的订单系统经常超时。我先看了监控，发现是数据库慢查询导致的，然后我对比了加索引和加缓存两个方案，最后选择加索引。';
const choice = () => {
  const c = chooseFollowUp({ question: QUESTION, competencies: [], transcript: TRANSCRIPT, language: 'zh' });
  if (!c) throw new Error('expected a follow-up');
  return c;
};

describe('sandbox chat endpoint honesty', () => {
  it('answers an unregistered prompt with an error, like an endpoint that cannot serve it', async () => {
    const res = await fetch(`${sb.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
      body: JSON.stringify({ model: 'qwen-plus', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatchObject({ type: 'server_error', code: 'sandbox_no_response' });
    expect((await sb.client.llmRequests()).map((r) => r.status)).toEqual(['unanswered']);
  });

  it("returns a person's console reply when the same prompt is retried", async () => {
    const c = choice();
    const first = await phraseFollowUp(llm, { question: QUESTION, transcript: TRANSCRIPT, choice: c });
    expect(first.source).toBe('rules');
    const [req] = await sb.client.llmRequests();
    const typed = '这次改成加索引以后，订单超时的情况最后怎么样了？';
    await sb.client.replyLlmRequest(req.id, JSON.stringify({ question: typed, quotes: [] }));
    const again = await phraseFollowUp(llm, { question: QUESTION, transcript: TRANSCRIPT, choice: c });
    expect(again).toMatchObject({ text: typed, source: 'llm' });
  });

  it('refuses a request without messages or model, naming the field', async () => {
    const post = (body: unknown) =>
      fetch(`${sb.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const noModel = await post({ messages: [{ role: 'user', content: 'x' }] });
    expect(noModel.status).toBe(400);
    expect((await noModel.json()).error.message).toMatch(/^model/);
    const noMessages = await post({ model: 'qwen-plus', messages: [] });
    expect(noMessages.status).toBe(400);
    expect((await noMessages.json()).error.message).toMatch(/^messages/);
  });

  it('answers a registered prompt in the OpenAI shape, marked as not generated', async () => {
    await sb.client.registerLlmResponse({
      match: 'hello',
      content: '{"ok":true}',
      model: 'qwen-plus-2025-01-25',
    });
    const res = await fetch(`${sb.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'qwen-plus', messages: [{ role: 'user', content: 'say hello' }] }),
    });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'qwen-plus-2025-01-25',
      choices: [{ message: { role: 'assistant', content: '{"ok":true}' }, finish_reason: 'stop' }],
      sandbox: 'registered response, not generated',
    });
  });
});

describe('phraseFollowUp', () => {
  it('uses the rules wording without an LLM', async () => {
    const c = choice();
    expect(await phraseFollowUp(null, { question: QUESTION, transcript: TRANSCRIPT, choice: c })).toEqual({
      text: c.text,
      source: 'rules',
      llm: null,
    });
  });

  it('falls back to the rules wording when the endpoint has no response, recording the attempt', async () => {
    const c = choice();
    const out = await phraseFollowUp(llm, { question: QUESTION, transcript: TRANSCRIPT, choice: c });
    expect(out.source).toBe('rules');
    expect(out.text).toBe(c.text);
    expect(out.llm).toMatchObject({ promptVersion: PHRASE_PROMPT_VERSION, model: 'qwen-plus' });
    expect(out.llm?.discarded).toMatch(/503/);
  });

  it('uses a phrasing whose quotes are in the transcript, with prompt and model recorded', async () => {
    const c = choice();
    const phrased = '你提到“选择加索引”，这样做之后，超时的情况最后有什么变化？';
    await sb.client.registerLlmResponse({
      match: '订单系统经常超时',
      content: JSON.stringify({ question: phrased, quotes: ['选择加索引'] }),
      model: 'qwen-plus-2025-01-25',
    });
    const out = await phraseFollowUp(llm, { question: QUESTION, transcript: TRANSCRIPT, choice: c });
    expect(out).toMatchObject({ text: phrased, source: 'llm' });
    expect(out.llm).toMatchObject({ promptVersion: PHRASE_PROMPT_VERSION, model: 'qwen-plus-2025-01-25' });
    expect(out.llm?.discarded).toBeUndefined();
    expect(out.llm?.messages.at(-1)?.content).toContain(TRANSCRIPT);
    // The chosen gap travels in the prompt: the LLM phrases, it does not choose.
    expect(out.llm?.messages.at(-1)?.content).toContain(c.text);
  });

  it('discards a phrasing that invents a quote in its quotes list', async () => {
    await sb.client.registerLlmResponse({
      match: '订单系统经常超时',
      content: JSON.stringify({ question: '你说“超时降低了90%”，是怎么做到的？', quotes: ['超时降低了90%'] }),
    });
    const c = choice();
    const out = await phraseFollowUp(llm, { question: QUESTION, transcript: TRANSCRIPT, choice: c });
    expect(out.source).toBe('rules');
    expect(out.text).toBe(c.text);
    expect(out.llm?.discarded).toMatch(/quote not in the transcript/);
  });

  it('discards a phrasing that quotes the candidate in the question without listing it', async () => {
    await sb.client.registerLlmResponse({
      match: '订单系统经常超时',
      content: JSON.stringify({ question: '你提到“带领五人团队”，最后结果如何？', quotes: [] }),
    });
    const out = await phraseFollowUp(llm, { question: QUESTION, transcript: TRANSCRIPT, choice: choice() });
    expect(out.source).toBe('rules');
    expect(out.llm?.discarded).toMatch(/quoted text not in the transcript/);
  });

  it('discards output that is not the requested JSON or not in the answer language', async () => {
    await sb.client.registerLlmResponse({ match: '订单系统经常超时', content: 'Sure! What was the result?' });
    const first = await phraseFollowUp(llm, { question: QUESTION, transcript: TRANSCRIPT, choice: choice() });
    expect(first.llm?.discarded).toMatch(/not valid JSON/);
    await sb.client.registerLlmResponse({
      match: '订单系统经常超时',
      content: JSON.stringify({ question: 'What was the result in the end?', quotes: [] }),
    });
    const second = await phraseFollowUp(llm, {
      question: QUESTION,
      transcript: TRANSCRIPT,
      choice: choice(),
    });
    expect(second).toMatchObject({ source: 'rules' });
    expect(second.llm?.discarded).toMatch(/not written in zh/);
  });
});
