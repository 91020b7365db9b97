import type { Config } from '../../config';
import { DashScopeAsr } from './dashscope';
import { OpenAiCompatibleAsr } from './openai';
import type { AsrProvider } from './types';

export { DashScopeAsr } from './dashscope';
export { OpenAiCompatibleAsr } from './openai';
export { AsrError, type AsrProvider, type AudioSource, type Transcription } from './types';

/** The provider `config.asr` selects. */
export function createAsr(asr: Config['asr'], overrides: { retryDelayMs?: number } = {}): AsrProvider {
  if (asr.provider === 'openai')
    return new OpenAiCompatibleAsr({
      ...asr.openai,
      timeoutMs: asr.timeoutMs,
      retries: asr.retries,
      ...overrides,
    });
  return new DashScopeAsr({
    ...asr.dashscope,
    timeoutMs: asr.timeoutMs,
    pollMs: asr.pollMs,
    retries: asr.retries,
    ...overrides,
  });
}
