import type { Readable } from 'node:stream';

/** One recognised sentence with its time span (ms from the start of the recording). */
export interface TimedSentence {
  text: string;
  beginMs: number;
  endMs: number;
}

/** Where a provider gets the audio: a URL it can download (DashScope), or a stream to upload. */
export interface AudioSource {
  /** A short-lived URL the provider can GET (signed object URL). */
  url(): Promise<string>;
  /** The bytes, for providers that take an upload. */
  open(): Promise<Readable>;
  contentType: string | null;
  /** File name sent with uploads (the extension helps servers pick a decoder). */
  filename: string;
}

/** A finished transcription. */
export interface Transcription {
  /** Full text (may be empty: silence). */
  text: string;
  /** Sentences with times in ms from the start of the recording. */
  sentences: TimedSentence[];
  /** Audio duration the provider reported, when it did. */
  durationMs: number | null;
  provider: 'dashscope' | 'openai';
  model: string;
  /** Provider task id (DashScope), for support and deletion requests. */
  taskId: string | null;
}

/** Why a transcription failed. `retryable`: the same call may work later (network, 5xx, 429, timeout). */
export class AsrError extends Error {
  constructor(
    readonly kind: 'timeout' | 'auth' | 'rejected' | 'task_failed' | 'unavailable' | 'bad_response',
    message: string,
    readonly retryable: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AsrError';
  }
}

/** Speech to text. Implementations: DashScope Paraformer, OpenAI-compatible servers. */
export interface AsrProvider {
  readonly name: 'dashscope' | 'openai';
  transcribe(
    audio: AudioSource,
    opts: { language: 'zh' | 'en'; signal?: AbortSignal },
  ): Promise<Transcription>;
}
