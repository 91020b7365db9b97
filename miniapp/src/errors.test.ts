import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { loadErrorTexts } from './errorCatalogue';
import { errorMessage } from './errors';

// The hook's provider pulls in antd-mobile, which does not load outside a browser; the pure
// function under test does not need it.
vi.mock('./locale', () => ({ useI18n: () => ({ lang: 'zh-CN' }) }));

describe('errorMessage', () => {
  // A failed request rejects only once the catalogue is in (api.ts); errorCatalogue.test.ts covers
  // the moment before.
  beforeAll(() => loadErrorTexts());

  it('shows the catalogue text for the code, not the server message', () => {
    const err = new ApiError(400, 'validation_failed', 'Invalid body.reason: Too small: expected string', [
      { field: 'body.reason', message: 'Too small: expected string', kind: 'required' },
    ]);
    expect(errorMessage(err, 'zh-CN')).toBe('请填写：原因');
    expect(errorMessage(err, 'en')).toBe('Please fill in: reason');
    const conflict = new ApiError(409, 'slot_full', 'This time is no longer available; pick another');
    expect(errorMessage(conflict, 'zh-CN')).toBe('该时间刚刚被约满，请选择其他时间。');
  });

  it('uses the generic text for unknown codes and for anything that is not an API error', () => {
    expect(errorMessage(new ApiError(418, 'teapot', 'I am a teapot'), 'en')).toBe(
      'Something went wrong. Please try again later.',
    );
    expect(errorMessage(new TypeError('x is undefined'), 'zh-CN')).toBe('出现了问题，请稍后重试。');
    expect(errorMessage('boom', 'en')).not.toContain('boom');
  });

  it('explains client-side failures (no answer from the server)', () => {
    expect(errorMessage(new ApiError(0, 'network_error', 'Failed to fetch'), 'zh-CN')).toBe(
      '网络连接失败，请检查网络后重试。',
    );
  });
});
