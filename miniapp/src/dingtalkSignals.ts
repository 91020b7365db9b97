/*
 * Whether the page may run inside a DingTalk client, without dingtalk-jsapi: a module of its own
 * so the start-up entry can ask (`homes/earlyHome.ts`) without carrying the app's DingTalk calls.
 */

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
