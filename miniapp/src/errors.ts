import { useCallback } from 'react';
import { ApiError } from './api';
import { errorText } from './errorCatalogue';
import type { Lang } from './i18n';
import { useI18n } from './locale';

/**
 * The sentence to show for anything a call threw, in `lang`: the catalogue's text for the error
 * code (`shared/errors.ts`, loaded on demand: `errorCatalogue.ts`), filled from its details. Never the server's English message, and
 * never a stack or exception text for errors that are not API errors.
 */
export function errorMessage(err: unknown, lang: Lang): string {
  return err instanceof ApiError ? errorText(err.code, lang, err.details) : errorText('unknown', lang);
}

/** {@link errorMessage} in the current UI language: `const errorOf = useErrorText(); Toast.show(errorOf(e))`. */
export function useErrorText(): (err: unknown) => string {
  const { lang } = useI18n();
  return useCallback((err: unknown) => errorMessage(err, lang), [lang]);
}
