/**
 * Alibaba Cloud DashScope Paraformer file transcription (asynchronous task API):
 *   POST {base}/api/v1/services/audio/asr/transcription   (header X-DashScope-Async: enable)
 *     { model, input: { file_urls: [url] }, parameters: { language_hints: ['zh'|'en'] } }
 *     -> { output: { task_id, task_status: 'PENDING' }, request_id }
 *   GET  {base}/api/v1/tasks/{task_id}
 *     -> { output: { task_status: PENDING|RUNNING|SUCCEEDED|FAILED, results: [{ file_url,
 *          transcription_url, subtask_status, code?, message? }] } }
 *   GET  transcription_url -> { transcripts: [{ text, sentences: [{ begin_time, end_time, text }] }],
 *          properties: { original_duration_in_milliseconds } }
 * DashScope downloads the audio itself, so it gets a short-lived signed URL of the object.
 */
import { clientError, fetchJson, type RetryPolicy, sleep } from './http';
import { AsrError, type AsrProvider, type AudioSource, type Transcription } from './types';

/** Settings of {@link DashScopeAsr}. */
export interface DashScopeOptions {
  url: string;
  apiKey: string;
  model: string;
  /** Whole-task timeout (submit + polling + result). */
  timeoutMs: number;
  pollMs: number;
  retries: number;
  /** Backoff base for retries (tests shorten it). */
  retryDelayMs?: number;
}

interface DsSentence {
  begin_time?: number;
  end_time?: number;
  text?: string;
}

/** DashScope Paraformer client. */
export class DashScopeAsr implements AsrProvider {
  readonly name = 'dashscope' as const;
  private readonly policy: RetryPolicy;

  constructor(private readonly opts: DashScopeOptions) {
    this.policy = { retries: opts.retries, baseDelayMs: opts.retryDelayMs ?? 500, callTimeoutMs: 30_000 };
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.opts.apiKey}`, 'content-type': 'application/json', ...extra };
  }

  /** Submits the task, polls until it ends (or the timeout), then fetches and parses the result. */
  async transcribe(
    audio: AudioSource,
    o: { language: 'zh' | 'en'; signal?: AbortSignal },
  ): Promise<Transcription> {
    const deadline = AbortSignal.timeout(this.opts.timeoutMs);
    const signal = o.signal ? AbortSignal.any([o.signal, deadline]) : deadline;
    const fileUrl = await audio.url();
    const submitted = await fetchJson(
      `${this.opts.url}/api/v1/services/audio/asr/transcription`,
      () => ({
        method: 'POST',
        headers: this.headers({ 'x-dashscope-async': 'enable' }),
        body: JSON.stringify({
          model: this.opts.model,
          input: { file_urls: [fileUrl] },
          parameters: { language_hints: [o.language] },
        }),
      }),
      this.policy,
      signal,
    );
    if (submitted.status >= 400) throw clientError('submit', submitted);
    const taskId = (submitted.body?.output as { task_id?: string } | undefined)?.task_id;
    if (!taskId) throw new AsrError('bad_response', 'submit: no output.task_id', false);

    let wait = this.opts.pollMs;
    for (;;) {
      const polled = await fetchJson(
        `${this.opts.url}/api/v1/tasks/${encodeURIComponent(taskId)}`,
        () => ({ method: 'GET', headers: this.headers() }),
        this.policy,
        signal,
      );
      if (polled.status >= 400) throw clientError('task', polled);
      const out = (polled.body?.output ?? {}) as {
        task_status?: string;
        results?: Array<{
          transcription_url?: string;
          subtask_status?: string;
          code?: string;
          message?: string;
        }>;
        code?: string;
        message?: string;
      };
      const status = out.task_status;
      if (status === 'SUCCEEDED' || status === 'FAILED') {
        const r = out.results?.[0];
        if (r?.subtask_status !== 'SUCCEEDED' || !r.transcription_url) {
          const code = r?.code ?? out.code ?? 'TaskFailed';
          throw new AsrError(
            'task_failed',
            `task ${taskId}: ${code} ${r?.message ?? out.message ?? ''}`.trim(),
            false,
            code,
          );
        }
        return this.fetchResult(r.transcription_url, taskId, signal);
      }
      if (status !== 'PENDING' && status !== 'RUNNING')
        throw new AsrError('task_failed', `task ${taskId}: status ${String(status)}`, false, String(status));
      try {
        await sleep(wait, signal);
      } catch {
        throw new AsrError('timeout', `task ${taskId}: not finished after ${this.opts.timeoutMs} ms`, true);
      }
      // Long recordings take minutes: poll less often as the task ages.
      wait = Math.min(wait * 1.5, 10_000);
    }
  }

  private async fetchResult(url: string, taskId: string, signal: AbortSignal): Promise<Transcription> {
    // The result URL is pre-signed object storage: no API key.
    const r = await fetchJson(url, () => ({ method: 'GET' }), this.policy, signal);
    if (r.status >= 400 || !r.body)
      throw new AsrError('bad_response', `result of ${taskId}: HTTP ${r.status}`, true);
    const transcripts = (r.body.transcripts ?? []) as Array<{ text?: string; sentences?: DsSentence[] }>;
    const sentences = transcripts.flatMap((t) =>
      (t.sentences ?? [])
        .filter((s) => typeof s.text === 'string')
        .map((s) => ({
          text: String(s.text),
          beginMs: Number(s.begin_time ?? 0),
          endMs: Number(s.end_time ?? 0),
        })),
    );
    const text = transcripts.map((t) => t.text ?? '').join('');
    const props = r.body.properties as { original_duration_in_milliseconds?: number } | undefined;
    return {
      text,
      sentences,
      durationMs: props?.original_duration_in_milliseconds ?? null,
      provider: 'dashscope',
      model: this.opts.model,
      taskId,
    };
  }
}
