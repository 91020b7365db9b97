import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';
import {
  DEFAULT_LANG,
  LANG_KEY,
  type Lang,
  type MessageKey,
  type MessageParams,
  messagesVersion,
  storedLang,
  subscribeMessages,
  translate,
} from './i18n';
import { writeStored } from './storage';

/** What components get from {@link useI18n}. */
export interface I18n {
  lang: Lang;
  /** True once the user picked a language themselves (then their profile no longer decides). */
  chosen: boolean;
  /** Switches language and remembers the choice on this device. */
  setLang(lang: Lang): void;
  /** Adopts the profile's language unless the user already chose one here. */
  suggestLang(lang: Lang): void;
  t(key: MessageKey, params?: MessageParams): string;
  /** Grows when a lazy message catalogue was merged in (see `registerMessages`). */
  catalogues: number;
}

const I18nContext = createContext<I18n | null>(null);

/**
 * Provides the UI language to the app and switches antd-mobile's own texts (pickers, dialogs)
 * along with ours, so a screen never mixes languages.
 */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [stored] = useState(storedLang);
  const [lang, setLangState] = useState<Lang>(stored ?? DEFAULT_LANG);
  const [chosen, setChosen] = useState(stored !== null);

  const setLang = useCallback((next: Lang) => {
    writeStored(LANG_KEY, next);
    setChosen(true);
    setLangState(next);
  }, []);

  const suggestLang = useCallback(
    (next: Lang) => {
      if (!chosen) setLangState(next);
    },
    [chosen],
  );

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // A new translator whenever a lazy catalogue arrives, so texts drawn before it re-render. The
  // third argument is for hydrating index.html's static sign-in screen (start.tsx): same value.
  const catalogues = useSyncExternalStore(subscribeMessages, messagesVersion, messagesVersion);
  const value = useMemo<I18n>(
    () => ({
      lang,
      chosen,
      setLang,
      suggestLang,
      t: (key, params) => translate(lang, key, params),
      catalogues,
    }),
    [lang, chosen, setLang, suggestLang, catalogues],
  );

  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider locale={lang === 'en' ? enUS : zhCN}>{children}</ConfigProvider>
    </I18nContext.Provider>
  );
}

/** The current language, its translator and the language switch. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <LocaleProvider>');
  return value;
}
