import { readStored } from './storage';

/** Languages the UI speaks. The values match `Me.locale` from the API. */
export const LANGS = ['zh-CN', 'en'] as const;
/** One UI language. */
export type Lang = (typeof LANGS)[number];

/** The language used until the user or their profile says otherwise. */
export const DEFAULT_LANG: Lang = 'zh-CN';

/** Narrows an untrusted string (localStorage, API) to a supported language. */
export function asLang(value: unknown): Lang | null {
  return LANGS.includes(value as Lang) ? (value as Lang) : null;
}

/** Storage key of the language the user chose on this device. */
export const LANG_KEY = 'lang';

/** The language the user chose on this device, if any (the UI's language until they change it). */
export function storedLang(): Lang | null {
  return asLang(readStored(LANG_KEY));
}
