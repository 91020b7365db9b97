import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERRORS } from '../../shared/errors';
import { ApiError, apiRequest } from './api';
import { errorText, hasErrorText, loadErrorTexts } from './errorCatalogue';
import { messagesVersion } from './i18n';

// One module instance per file (vitest isolates files), so the catalogue starts unloaded here.
describe('error texts on demand', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the mini-app’s own codes before the catalogue is loaded, and loads it for a server code', async () => {
    expect(hasErrorText('network_error')).toBe(true);
    expect(errorText('network_error', 'zh-CN')).toBe(ERRORS.network_error.zh);
    expect(errorText('http_502', 'en')).toBe(ERRORS.config_unavailable.en);
    expect(hasErrorText('slot_full')).toBe(false);

    // A failed request whose code is not in the first load waits for the catalogue: the caller's
    // toast then shows the code's own sentence, never the generic one.
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Response.json({ error: { code: 'slot_full', message: 'full' } }, { status: 409 })),
    );
    const before = messagesVersion();
    const err = await apiRequest('/api/bookings', { method: 'POST', body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(hasErrorText('slot_full')).toBe(true);
    expect(errorText((err as ApiError).code, 'zh-CN')).toBe(ERRORS.slot_full.zh);
    // Texts drawn before it arrived re-render (the locale provider subscribes to this).
    expect(messagesVersion()).toBeGreaterThan(before);
    await loadErrorTexts();
    expect(errorText('rate_limited', 'en', { retryAfterSeconds: 30 })).toContain('30');
  });
});

describe('error texts when the catalogue cannot load', () => {
  it('falls back to the generic sentence', async () => {
    vi.resetModules();
    vi.doMock('../../shared/errors', () => {
      throw new Error('chunk gone');
    });
    const mod = await import('./errorCatalogue');
    expect(mod.errorText('slot_full', 'en')).toBe('Something went wrong. Please try again later.');
    await expect(mod.loadErrorTexts()).rejects.toThrow();
    expect(mod.hasErrorText('slot_full')).toBe(false);
    vi.doUnmock('../../shared/errors');
  });
});
