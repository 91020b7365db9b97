import { isMessageKey } from '../i18n';
import type { I18n } from '../locale';
import type { SignInFailure } from './bootstrap';

/**
 * The sentence shown for a failure in the current language. Known codes have their own message;
 * for others the generic one is used, because server messages are not translated.
 */
export function failureText(t: I18n['t'], failure: SignInFailure): string {
  const key = `error.${failure.code}`;
  if (isMessageKey(key)) return t(key);
  if (failure.code.startsWith('http_5')) return t('error.config_unavailable');
  return t('error.unknown');
}
