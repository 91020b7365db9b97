/**
 * Any OpenAI-compatible transcription server (whisper.cpp server, faster-whisper-server,
 * vLLM...): `POST {base}/v1/audio/transcriptions` multipart with `file`, `model`, `language`,
 * `response_format=verbose_json` -> `{ text, segments: [{ start, end, text }], duration }`
 * (seconds). For companies that keep audio on their own servers.
 */
import { clientError, fetchJson, type RetryPolicy } from './http';
import { AsrError, type AsrProvider, type AudioSource, type Transcription } from './types';

/** Settings of {@link OpenAiCompatibleAsr}. */
export interface OpenAiAsrOptions {
  url: string;
  apiKey: string | null;
  model: string;
  timeoutMs: number;
  retries: number;
  retryDelayMs?: number;
  /** Largest upload (bytes); the whole file is sent in one request. Default 100 MB. */
  maxBytes?: number;
}

async function readAll(audio: AudioSource, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of await audio.open()) {
    size += (c as Buffer).length;
    if (size > max) throw new AsrError('rejected', `audio larger than ${max} bytes`, false, 'too_large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** OpenAI-compatible client. */
export class OpenAiCompatibleAsr implements AsrProvider {
  readonly name = 'openai' as const;
  private readonly policy: RetryPolicy;
  constructor(private readonly opts: OpenAiAsrOptions) {
    this.policy = {
      retries: opts.retries,
      baseDelayMs: opts.retryDelayMs ?? 500,
      callTimeoutMs: opts.timeoutMs,
    };
  }

  async transcribe(
    audio: AudioSource,
    o: { language: 'zh' | 'en'; signal?: AbortSignal },
  ): Promise<Transcription> {
    const bytes = await readAll(audio, this.opts.maxBytes ?? 100 * 2 ** 20);
    const res = await fetchJson(
      `${this.opts.url}/v1/audio/transcriptions`,
      () => {
        const form = new FormData();
        form.append(
          'file',
          new Blob([new Uint8Array(bytes)], { type: audio.contentType ?? 'application/octet-stream' }),
          audio.filename,
        );
        form.append('model', this.opts.model);
        form.append('language', o.language);
        form.append('response_format', 'verbose_json');
        const headers: Record<string, string> = {};
        if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
        return { method: 'POST', headers, body: form };
      },
      this.policy,
      o.signal,
    );
    if (res.status >= 400) throw clientError('transcriptions', res);
    if (!res.body || typeof res.body.text !== 'string')
      throw new AsrError('bad_response', 'transcriptions: no text', false);
    const segments = (res.body.segments ?? []) as Array<{ start?: number; end?: number; text?: string }>;
    return {
      text: res.body.text.trim(),
      sentences: segments
        .filter((s) => typeof s.text === 'string' && s.text.trim())
        .map((s) => ({
          text: String(s.text).trim(),
          beginMs: Math.round((s.start ?? 0) * 1000),
          endMs: Math.round((s.end ?? 0) * 1000),
        })),
      durationMs: typeof res.body.duration === 'number' ? Math.round(res.body.duration * 1000) : null,
      provider: 'openai',
      model: this.opts.model,
      taskId: null,
    };
  }
}
