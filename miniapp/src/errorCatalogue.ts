import { CLIENT_ERRORS } from '../../shared/clientErrors';
import type { ErrorLocale } from '../../shared/errors';
import { messagesChanged } from './i18n';

/** The full catalogue module (`shared/errors.ts`), once loaded. */
type Catalogue = typeof import('../../shared/errors');

let catalogue: Catalogue | null = null;
let pending: Promise<void> | null = null;

/**
 * Loads the full error catalogue (its own chunk: every server code's texts, in both languages)
 * and re-renders translated texts once it is in. The first load carries only the codes the
 * mini-app makes up itself (`shared/clientErrors.ts`), which is all it can show offline; a failed
 * request waits for this before it rejects (see `api.ts`), and screens with forms load it with
 * their code (`lazyScreen`). A failed load is retried on the next call.
 */
export function loadErrorTexts(): Promise<void> {
  if (catalogue) return Promise.resolve();
  pending ??= import('../../shared/errors').then(
    (mod) => {
      catalogue = mod;
      messagesChanged();
    },
    (error: unknown) => {
      pending = null;
      throw error;
    },
  );
  return pending;
}

/** Whether {@link errorText} can show `code`'s own text right now (no catalogue load needed). */
export function hasErrorText(code: string): boolean {
  return catalogue !== null || Object.hasOwn(CLIENT_ERRORS, code) || /^http_5\d\d$/.test(code);
}

/**
 * The sentence for an error code in `locale` (see `errorText` in `shared/errors.ts`). Until the
 * full catalogue is in, a server code reads as the generic text and starts the load; the
 * locale provider then re-renders with the real text. Failed requests never get there: they
 * reject only once their code's text is loaded.
 */
export function errorText(code: string, locale: ErrorLocale, details?: unknown): string {
  if (catalogue) return catalogue.errorText(code, locale, details);
  const lang = locale === 'en' ? 'en' : 'zh';
  if (Object.hasOwn(CLIENT_ERRORS, code)) return CLIENT_ERRORS[code as keyof typeof CLIENT_ERRORS][lang];
  if (/^http_5\d\d$/.test(code)) return CLIENT_ERRORS.config_unavailable[lang];
  void loadErrorTexts().catch(() => {});
  return CLIENT_ERRORS.unknown[lang];
}
