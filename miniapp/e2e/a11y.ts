/**
 * Accessibility checks in the browser tests: axe-core (the maintained rule engine, installed as a
 * dev dependency) runs inside the page; a test fails on any serious or critical violation, with
 * the rule, the help text and the offending elements in the message.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One violation as axe reports it (the fields the failure message needs). */
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; html: string }>;
}

/** Runs axe on the page as it is now; the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  // Evaluated over the DevTools protocol: the app's CSP (script-src 'self') rightly refuses an
  // injected <script>, and the check must not need the app to relax it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    })) as { violations: Violation[] };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Waits (up to 5 s) until no toast is up, nothing is mid-fade and no CSS transition runs. */
async function settled(page: Page): Promise<void> {
  await page
    .waitForFunction(
      () =>
        !document.querySelector('.adm-toast-mask') &&
        ![...document.querySelectorAll<HTMLElement>('[style*="opacity"]')].some((e) => {
          const o = Number.parseFloat(getComputedStyle(e).opacity);
          return o > 0 && o < 1;
        }) &&
        !document
          .getAnimations()
          .some((a) => a.constructor.name === 'CSSTransition' && a.playState === 'running'),
      null,
      { timeout: 5_000 },
    )
    .catch(() => {});
}

/** Fails with a readable list when the page has a serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  // A toast (antd-mobile's, ~2 s) or a dialog checked while it fades in or out is measured at
  // partial opacity, a contrast it never has when read: the screen is checked once toasts have
  // gone and nothing is mid-fade (antd-mobile animates opacity in inline styles, and a button
  // just enabled runs a CSS transition from its disabled opacity).
  // Checked twice, 150 ms apart: a toast raised by a mutation's own callback shows up just after
  // the refetched data the test waited for, so one quiet moment is not yet a settled screen.
  await settled(page);
  await page.waitForTimeout(150);
  await settled(page);
  const bad = await seriousViolations(page);
  if (bad.length)
    throw new Error(
      `${screen}: ${bad.length} serious/critical accessibility violation(s):\n${bad
        .map((v) => `- [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.html}`).join('\n')}`)
        .join('\n')}`,
    );
}

/**
 * Text at 200 %: browser zoom of 200 % gives the page half the CSS pixels, so the phone's
 * viewport is halved; nothing may then need sideways scrolling and `selector` must stay visible.
 */
export async function expectReflowsAt200(page: Page, selector: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 390, height: 844 };
  await page.setViewportSize({ width: Math.round(size.width / 2), height: Math.round(size.height / 2) });
  try {
    await page.waitForTimeout(200);
    const { scroll, width } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    if (scroll > width + 1) throw new Error(`At 200 % the page scrolls sideways (${scroll} > ${width} px)`);
    const box = await page.locator(selector).first().boundingBox();
    if (!box || box.width <= 0 || box.x < 0 || box.x + box.width > width + 1)
      throw new Error(`At 200 % ${selector} is cut off: ${JSON.stringify(box)} in ${width} px`);
  } finally {
    await page.setViewportSize(size);
  }
}
