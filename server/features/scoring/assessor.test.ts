import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessWithLlm, blend, LLM_PROMPT_VERSION } from './assessor';
import { scoreAnswer } from './engine';
import { resolveCompetencies } from './rubrics';

const transcript = '我先看监控，找到根本原因是索引缺失。加索引后耗时降低了90%。';
const competencies = resolveCompetencies(['问题解决'], undefined, 'zh');

describe('LLM assessor (OpenAI-compatible chat, local server)', () => {
  let server: Server;
  let url = '';
  let reply: unknown = null;
  const requests: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        requests.push(JSON.parse(raw));
        if (reply === 500) {
          res.statusCode = 500;
          return res.end('{}');
        }
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            model: 'qwen-test-0601',
            choices: [{ message: { content: typeof reply === 'string' ? reply : JSON.stringify(reply) } }],
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const opts = () => ({ url, apiKey: 'k', model: 'qwen-plus', timeoutMs: 2000 });
  const input = { question: '超时怎么定位？', competencies, transcript };

  it('accepts a result whose quotes are verbatim, records versions, and blends without replacing', async () => {
    reply = {
      competencies: [
        { name: '问题解决', score: 90, quotes: ['找到根本原因是索引缺失'], reason: '定位到根因' },
      ],
    };
    const a = await assessWithLlm(opts(), input);
    expect(a).toMatchObject({ accepted: true, promptVersion: LLM_PROMPT_VERSION, model: 'qwen-test-0601' });
    const sent = requests.at(-1) as { messages: Array<{ content: string }>; response_format: unknown };
    expect(sent.response_format).toEqual({ type: 'json_object' });
    expect(sent.messages[1].content).toContain(transcript);
    const det = scoreAnswer({ question: input.question, competencies, transcript, language: 'zh' });
    const b = blend(det, a);
    expect(b.competencies[0].score).toBe(Math.round(0.7 * det.competencies[0].score + 0.3 * 90));
    expect(b.deterministic).toEqual([det.competencies[0].score]);
  });

  it('discards the whole result when a quote is not in the transcript (zh and en)', async () => {
    reply = {
      competencies: [{ name: '问题解决', score: 95, quotes: ['我带领团队重构了整个系统'], reason: '...' }],
    };
    const a = await assessWithLlm(opts(), input);
    expect(a).toMatchObject({ accepted: false });
    const det = scoreAnswer({ question: input.question, competencies, transcript, language: 'zh' });
    expect(blend(det, a)).toEqual(det);
    reply = {
      competencies: [{ name: 'Communication', score: 80, quotes: ['I listened carefully'], reason: 'x' }],
    };
    const en = await assessWithLlm(opts(), {
      question: 'How did you agree?',
      competencies: resolveCompetencies(['Communication'], undefined, 'en'),
      transcript: 'I listened to her concerns.',
    });
    expect(en).toMatchObject({ accepted: false });
  });

  it('discards non-JSON and unknown competencies; an unreachable endpoint yields null', async () => {
    reply = 'I think the candidate is good.';
    expect(await assessWithLlm(opts(), input)).toMatchObject({ accepted: false });
    reply = { competencies: [{ name: '领导力', score: 80, quotes: [], reason: 'x' }] };
    expect(await assessWithLlm(opts(), input)).toMatchObject({ accepted: false });
    reply = 500;
    expect(await assessWithLlm(opts(), input)).toBeNull();
    expect(await assessWithLlm({ ...opts(), url: 'http://127.0.0.1:9' }, input)).toBeNull();
  });
});
