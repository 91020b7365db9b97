import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../../testing/sandbox';
import { loadConfig, SANDBOX_DASHSCOPE_KEY } from '../../config';
import { AsrError, type AudioSource, createAsr, DashScopeAsr, OpenAiCompatibleAsr } from '.';

const KEY = 'interviews/7/3/1.webm';
const audio = (key = KEY): AudioSource => ({
  url: async () => `http://objects.example/${key}?Expires=1&Signature=x`,
  open: async () => Readable.from([Buffer.from('RIFF....WAVEfmt fake audio bytes')]),
  contentType: 'audio/webm',
  filename: key.replaceAll('/', '_'),
});

describe('ASR providers against the sandbox', () => {
  let sb: TestSandbox;
  const ds = (over: Partial<ConstructorParameters<typeof DashScopeAsr>[0]> = {}) =>
    new DashScopeAsr({
      url: sb.url,
      apiKey: SANDBOX_DASHSCOPE_KEY,
      model: 'paraformer-v2',
      timeoutMs: 3000,
      pollMs: 20,
      retries: 2,
      retryDelayMs: 5,
      ...over,
    });
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => sb.close());
  beforeEach(() => sb.client.reset());

  const register = (text: string, durationMs?: number, match = KEY) =>
    fetch(`${sb.url}/api/sandbox/asr/transcripts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ match, text, durationMs }),
    });

  it('config selects the provider', () => {
    const c = loadConfig({ APP_MODE: 'test', SANDBOX_URL: 'http://localhost:3900' });
    expect(createAsr(c.asr)).toBeInstanceOf(DashScopeAsr);
    expect(c.asr.dashscope.url).toBe('http://localhost:3900');
    expect(createAsr(loadConfig({ APP_MODE: 'test', ASR_PROVIDER: 'openai' }).asr)).toBeInstanceOf(
      OpenAiCompatibleAsr,
    );
  });

  it('DashScope: submits, polls and returns the registered text with sentence timestamps (zh)', async () => {
    await register('我负责排查超时问题。最后把耗时降低了百分之九十。', 8000);
    const t = await ds().transcribe(audio(), { language: 'zh' });
    expect(t.text).toBe('我负责排查超时问题。最后把耗时降低了百分之九十。');
    expect(t.sentences.map((s) => s.text)).toEqual(['我负责排查超时问题。', '最后把耗时降低了百分之九十。']);
    expect(t.sentences[0].beginMs).toBe(0);
    expect(t.sentences[1].endMs).toBeLessThanOrEqual(8000);
    expect(t).toMatchObject({ provider: 'dashscope', model: 'paraformer-v2', durationMs: 8000 });
    const [task] = await sb.client.asrTasks();
    expect(task.language).toEqual(['zh']);
  });

  it('DashScope: a slow task is polled until it finishes; a task with no text times out as retryable', async () => {
    await register('I led the migration.');
    await fetch(`${sb.url}/api/sandbox/asr/behaviour`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ taskDelayMs: 300 }),
    });
    const started = Date.now();
    const t = await ds().transcribe(audio(), { language: 'en' });
    expect(t.text).toBe('I led the migration.');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // Nothing registered and nobody types: the task stays RUNNING and the client gives up.
    const err = await ds({ timeoutMs: 200 })
      .transcribe(audio('interviews/9/9/1.webm'), { language: 'en' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(AsrError);
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
    const tasks = await (await fetch(`${sb.url}/api/sandbox/asr/tasks`)).json();
    expect(tasks.some((x: { status: string }) => x.status === 'RUNNING')).toBe(true);
  });

  it('DashScope: text typed in the console completes a waiting task', async () => {
    const p = ds({ timeoutMs: 3000 }).transcribe(audio('interviews/5/5/1.webm'), { language: 'zh' });
    let id: string | undefined;
    while (!id) {
      await new Promise((r) => setTimeout(r, 20));
      id = (await sb.client.asrTasks())[0]?.id;
    }
    const page = await (await fetch(`${sb.url}/console`)).text();
    expect(page).toContain('沙箱不识别语音');
    await fetch(`${sb.url}/api/sandbox/asr/tasks/${id}/text`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: '人工输入的文本。' }),
    });
    expect((await p).text).toBe('人工输入的文本。');
  });

  it('DashScope: failed task -> task_failed (not retryable); 500s are retried; bad key -> auth', async () => {
    await register('text');
    await fetch(`${sb.url}/api/sandbox/asr/behaviour`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failTasks: 1 }),
    });
    await expect(ds().transcribe(audio(), { language: 'zh' })).rejects.toMatchObject({
      kind: 'task_failed',
      code: 'InvalidFile.DownloadFailed',
      retryable: false,
    });

    await fetch(`${sb.url}/api/sandbox/asr/behaviour`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failRequests: 2 }),
    });
    const before = (await sb.client.calls()).length;
    expect((await ds().transcribe(audio(), { language: 'zh' })).text).toBe('text');
    expect((await sb.client.calls()).slice(before).filter((c) => c.status === 500)).toHaveLength(2);

    await fetch(`${sb.url}/api/sandbox/asr/behaviour`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failRequests: 5 }),
    });
    await expect(ds({ retries: 1 }).transcribe(audio(), { language: 'zh' })).rejects.toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });

    await expect(ds({ apiKey: 'sk-wrong' }).transcribe(audio(), { language: 'zh' })).rejects.toMatchObject({
      kind: 'auth',
      code: 'InvalidApiKey',
    });
  });

  it('OpenAI-compatible: multipart upload, segments become sentences; unknown audio is rejected', async () => {
    await register('First I checked the logs. Then I fixed the index.', 5000);
    const c = new OpenAiCompatibleAsr({
      url: sb.url,
      apiKey: SANDBOX_DASHSCOPE_KEY,
      model: 'whisper-1',
      timeoutMs: 3000,
      retries: 1,
      retryDelayMs: 5,
    });
    const t = await c.transcribe(audio(), { language: 'en' });
    expect(t.text).toBe('First I checked the logs. Then I fixed the index.');
    expect(t.sentences).toHaveLength(2);
    expect(t.durationMs).toBe(5000);
    await expect(c.transcribe(audio('interviews/1/1/9.webm'), { language: 'en' })).rejects.toMatchObject({
      kind: 'rejected',
    });
  });

  it('OpenAI-compatible: unreachable server -> unavailable after retries', async () => {
    const c = new OpenAiCompatibleAsr({
      url: 'http://127.0.0.1:9',
      apiKey: null,
      model: 'w',
      timeoutMs: 500,
      retries: 1,
      retryDelayMs: 5,
    });
    await expect(c.transcribe(audio(), { language: 'en' })).rejects.toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
  });
});
