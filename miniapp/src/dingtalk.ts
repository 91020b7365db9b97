/**
 * The few dingtalk-jsapi calls the app makes, each guarded. The library (about 290 KB) is loaded
 * only when the page may be inside a DingTalk client ({@link mayBeInDingTalk}): invited candidates
 * open the app in an ordinary browser, where it is useless, so their first load never fetches it.
 */

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

/** What {@link mayBeInDingTalk} looks at (a parameter so tests can pass other pages' globals). */
export interface PageSignals {
  userAgent: string;
  globals: Record<string, unknown>;
}

function currentPage(): PageSignals {
  return {
    userAgent: typeof navigator === 'undefined' ? '' : navigator.userAgent,
    globals: (typeof window === 'undefined' ? {} : window) as unknown as Record<string, unknown>,
  };
}

/**
 * A cheap check, without loading dingtalk-jsapi, of what the library itself looks at to find a
 * DingTalk client: `DingTalk` (or `TaurusApp`, 专属钉钉) in the user agent on phones and PC, or
 * the bridges DingTalk injects (`window.dingtalk` on PC, `nuva` on iOS, `dd.dtBridge` in
 * mini-programs). False means certainly not DingTalk; true still needs the library's verdict.
 */
export function mayBeInDingTalk(page: PageSignals = currentPage()): boolean {
  if (/DingTalk|TaurusApp/i.test(page.userAgent)) return true;
  const g = page.globals;
  const dd = g.dd as { dtBridge?: unknown } | undefined;
  return (
    (typeof g.dingtalk === 'object' && g.dingtalk !== null) ||
    (typeof g.nuva === 'object' && g.nuva !== null) ||
    typeof dd?.dtBridge === 'function'
  );
}

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
