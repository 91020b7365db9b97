/**
 * The few dingtalk-jsapi calls the app makes, each guarded. The library (about 290 KB) is loaded
 * only when the page may be inside a DingTalk client ({@link mayBeInDingTalk}): invited candidates
 * open the app in an ordinary browser, where it is useless, so their first load never fetches it.
 */

import { mayBeInDingTalk, type PageSignals } from './dingtalkSignals';

type DingTalkApi = typeof import('dingtalk-jsapi');

let loading: Promise<DingTalkApi | null> | null = null;

/** Loads dingtalk-jsapi once; null if it cannot be loaded (the app then behaves as outside DingTalk). */
function loadDd(): Promise<DingTalkApi | null> {
  loading ??= import('dingtalk-jsapi').then(
    (mod) => ((mod as { default?: DingTalkApi }).default ?? mod) as DingTalkApi,
    () => null,
  );
  return loading;
}

/** The cheap check for a DingTalk client (`dingtalkSignals.ts`). */
export { mayBeInDingTalk, type PageSignals };

/** dingtalk-jsapi when the page runs inside a DingTalk client, else null (media capture fallback). */
export async function dingTalkApi(): Promise<DingTalkApi | null> {
  return (await isInDingTalk()) ? loadDd() : null;
}

/**
 * Whether the page runs inside a DingTalk client (`dd.env.platform !== 'notInDingTalk'`); in an
 * ordinary browser this answers without loading the library.
 */
export async function isInDingTalk(): Promise<boolean> {
  if (!mayBeInDingTalk()) return false;
  const dd = await loadDd();
  if (!dd) return false;
  const platform = String(dd.env?.platform ?? 'notInDingTalk');
  return platform !== 'notInDingTalk';
}

/** Resolves once the JSAPI bridge is ready; without `dd.config` DingTalk still fires ready. */
function whenReady(dd: DingTalkApi, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    // Some clients never call back without dd.config; go ahead after a while rather than hang.
    const timer = setTimeout(resolve, timeoutMs);
    dd.ready(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Why a DingTalk auth code could not be obtained. */
export class DingTalkAuthError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'DingTalkAuthError';
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null) {
    const { errorMessage, errorCode } = error as { errorMessage?: unknown; errorCode?: unknown };
    if (errorMessage || errorCode) return `${String(errorCode ?? '')} ${String(errorMessage ?? '')}`.trim();
  }
  return String(error);
}

/**
 * Asks the DingTalk client for a 免登 auth code (valid 5 minutes, single use).
 * Uses `dd.requestAuthCode({ corpId, clientId })` and falls back to the legacy
 * `dd.runtime.permission.requestAuthCode({ corpId })`, which clients older than 7.0.45 only have.
 */
export async function requestDingTalkAuthCode(corpId: string, clientId: string): Promise<string> {
  const dd = await loadDd();
  if (!dd) throw new DingTalkAuthError('dingtalk-jsapi could not be loaded');
  await whenReady(dd, 3000);

  let firstError: unknown;
  try {
    const { code } = await dd.requestAuthCode({ corpId, clientId });
    if (code) return code;
  } catch (error) {
    firstError = error;
  }
  try {
    const legacy = dd.runtime?.permission?.requestAuthCode;
    if (typeof legacy === 'function') {
      const { code } = await legacy({ corpId });
      if (code) return code;
    }
  } catch (error) {
    throw new DingTalkAuthError(describe(error), error);
  }
  throw new DingTalkAuthError(
    firstError ? describe(firstError) : 'DingTalk returned no auth code',
    firstError,
  );
}

/**
 * Sets the DingTalk client's title bar. Best effort: old clients lack the API and a failed
 * title must never break the page.
 */
export async function setDingTalkTitle(title: string): Promise<void> {
  if (!(await isInDingTalk())) return;
  const dd = await loadDd();
  try {
    await dd?.setNavigationTitle({ title });
  } catch {
    try {
      await dd?.biz?.navigation?.setTitle({ title });
    } catch {
      // Title stays as DingTalk shows it (document.title); nothing else to do.
    }
  }
}

/** What is shared to a chat: a title, a line of text and the link it opens. */
export interface ShareContent {
  title: string;
  content: string;
  url: string;
  /** Picture shown on the card (an https URL); none by default. */
  image?: string;
  /** What the copy fallback puts on the clipboard (default: title, text and link, one a line). */
  copyText?: string;
}

/** The part of dingtalk-jsapi {@link shareViaDingTalk} calls (a parameter so tests can record it). */
export interface ShareApi {
  biz: {
    util: {
      share: (params: import('dingtalk-jsapi/api/biz/util/share').IBizUtilShareParams) => Promise<unknown>;
    };
  };
}

/**
 * Opens DingTalk's share sheet for `c` (`biz.util.share`, type 1: to a DingTalk chat). Resolves
 * true once DingTalk took it; false when the person closed the sheet or the client refused, so
 * the caller can offer the copy-link fallback instead of a silent nothing.
 */
export async function shareViaDingTalk(dd: ShareApi, c: ShareContent): Promise<boolean> {
  try {
    await dd.biz.util.share({
      type: 1,
      url: c.url,
      title: c.title,
      content: c.content,
      image: c.image ?? '',
    });
    return true;
  } catch {
    return false;
  }
}

/** How a share ended: DingTalk's sheet took it, the link was copied, or neither worked. */
export type ShareOutcome = 'shared' | 'copied' | 'failed';

/** What {@link shareLink} uses (parameters so tests can stand in for the page). */
export interface ShareDeps {
  /** dingtalk-jsapi inside a DingTalk client, else null (without loading it outside). */
  dingTalk: () => Promise<ShareApi | null>;
  /** Puts text on the clipboard; throws when it cannot. */
  copy: (text: string) => Promise<void>;
}

/** Copies through the clipboard API, else a selected hidden text area (old WebViews, plain http). */
async function copyToClipboard(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Falls through to the text-area copy.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

const pageShareDeps: ShareDeps = {
  dingTalk: async () => (await dingTalkApi()) as ShareApi | null,
  copy: copyToClipboard,
};

/**
 * Shares `c` to a DingTalk chat inside DingTalk; outside (or when DingTalk's sheet fails),
 * copies "title + text + link" so it can be pasted into any chat. Never loads dingtalk-jsapi
 * outside DingTalk.
 */
export async function shareLink(c: ShareContent, deps: ShareDeps = pageShareDeps): Promise<ShareOutcome> {
  const dd = await deps.dingTalk();
  if (dd && (await shareViaDingTalk(dd, c))) return 'shared';
  try {
    await deps.copy(c.copyText ?? `${c.title}\n${c.content}\n${c.url}`);
    return 'copied';
  } catch {
    return 'failed';
  }
}
