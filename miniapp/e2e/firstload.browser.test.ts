/**
 * A candidate's first load against the real server and sandbox: what the browser fetches.
 * Outside DingTalk it must not fetch dingtalk-jsapi, nor any chunk of HR's, interviewers' or
 * managers' screens, nor the interview screen before it is opened; scripts come compressed and
 * within the budget of issue 18. Controls in the same file prove the checks can fail: inside a
 * DingTalk client the library is fetched, and HR's home fetches HR's chunks.
 * Which file holds which module comes from the build manifest (`dist/.vite/manifest.json`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../scripts/stack';
import { browserTestsRunnable, type LaunchedBrowser, launchBrowser } from './browser';
import { DIST_DIR, ensureMiniappBuilt, responseTo } from './helpers';

type Manifest = Record<string, { file: string; name?: string; isEntry?: boolean; isDynamicEntry?: boolean }>;

/** Screens only employees open (each a lazy chunk of its own). */
const EMPLOYEE_SCREENS = [
  'src/pipeline/PipelinePage.tsx',
  'src/pipeline/ApplicationPage.tsx',
  'src/interview/PlanEditor.tsx',
  'src/booking/PlansPage.tsx',
  'src/booking/AvailabilityPage.tsx',
  'src/quality/QualityPage.tsx',
  'src/reports/ReportsPage.tsx',
  'src/reports/ReportPage.tsx',
  'src/notifications/FailuresPage.tsx',
];
/** The candidate's heavy screens, loaded when opened, not with the home. */
const CANDIDATE_HEAVY_SCREENS = ['src/interview/InterviewPage.tsx', 'src/booking/BookPage.tsx'];

const DINGTALK_UA =
  'Mozilla/5.0 (Linux; U; Android 13; zh-CN; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/69.0 ' +
  'Mobile Safari/537.36 AliApp(DingTalk/7.5.10) com.alibaba.android.rimet/36869795 language/zh-CN';

/** Budget of issue 18 for a candidate's first load. */
const JS_BUDGET_BYTES = 150 * 1024;

/** Scripts the page fetched from the app, with their bytes on the wire and encoding. */
interface Fetched {
  path: string;
  type: string;
  bytes: number;
  encoding: string;
}

function record(page: Page, appUrl: string): Fetched[] {
  const fetched: Fetched[] = [];
  const origin = new URL(appUrl).origin;
  page.on('requestfinished', async (request) => {
    const url = new URL(request.url());
    if (url.origin !== origin) return;
    try {
      const response = await request.response();
      const sizes = await request.sizes();
      fetched.push({
        path: url.pathname,
        type: request.resourceType(),
        bytes: sizes.responseBodySize,
        encoding: (await response?.headerValue('content-encoding')) ?? 'identity',
      });
    } catch (err) {
      // A request still finishing when the test closes its page (background refetches) has no
      // sizes to read any more; the assertions only use what finished while the page was open.
      if (!/has been closed/.test(String(err))) throw err;
    }
  });
  return fetched;
}

/** The page's Content-Security-Policy reports from now on (a blocked inline script says so here). */
function cspViolations(page: Page): string[] {
  const blocked: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) blocked.push(m.text());
  });
  return blocked;
}

/**
 * Page script (`addInitScript`): every distinct element matching `selector` ever added to the
 * page, from the HTML parser on, in `window.added` (a record's subtree is read when the observer
 * runs, so one element can show up in several records). A node React replaces shows up twice.
 */
function trackAdded(selector: string): void {
  const w = window as unknown as { added: Element[] };
  w.added = [];
  new MutationObserver((records) => {
    for (const r of records)
      for (const node of r.addedNodes)
        if (node instanceof Element)
          for (const el of [node, ...node.querySelectorAll('*')])
            if (el.matches(selector) && !w.added.includes(el)) w.added.push(el);
  }).observe(document, { childList: true, subtree: true });
}

/** What `watchHomeCard` records in the page (see there). */
interface CardWatch {
  early: string | null;
  react: string | null;
  most: number;
  lcp: Array<boolean | null>;
  shift: number;
  /** The static sign-in screen's `visibility` in the first frame that holds it (null: never seen). */
  shellAtFirstFrame: string | null;
}

/** What `watchSignIn` records in the page (see there). */
interface SignInWatch {
  noteAtFirstFrame: string | null;
  lcp: Array<{ selector: string; static: boolean }>;
  shift: number;
}

/**
 * Page script (`addInitScript`): what a sign-in page's load paints. The invitation note's text in
 * the first frame that holds it, each LCP entry's element (its tag and classes, and whether it is
 * a node the HTML parser made: index.html's static screen, marked before any script of the app
 * ran) and the layout shifts.
 */
function watchSignIn(): void {
  const w = window as unknown as { signin: SignInWatch };
  w.signin = { noteAtFirstFrame: null, lcp: [], shift: 0 };
  const parsed = new WeakSet<Element>();
  document.addEventListener('readystatechange', () => {
    if (document.readyState === 'interactive')
      for (const el of document.querySelectorAll('*')) parsed.add(el);
  });
  const frame = () => {
    const note = document.querySelector('.signin-note-invite');
    if (note) w.signin.noteAtFirstFrame = note.textContent;
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as Array<PerformanceEntry & { element: Element | null }>)
      w.signin.lcp.push({
        selector: e.element ? `${e.element.tagName.toLowerCase()}.${[...e.element.classList].join('.')}` : '',
        static: e.element ? parsed.has(e.element) : false,
      });
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as Array<PerformanceEntry & { value: number }>)
      w.signin.shift += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
}

describe.skipIf(!browserTestsRunnable())("a candidate's first load outside DingTalk", () => {
  let dataDir: string;
  let stack: Stack;
  let manifest: Manifest;
  const browsers: LaunchedBrowser[] = [];

  /**
   * The file holding a screen: its own chunk (a lazy import), or the shared chunk named after it
   * when another lazy screen imports it too (PipelinePage with ApplicationPage).
   */
  const chunkOf = (src: string) => {
    const name = path.basename(src, '.tsx');
    const entry =
      manifest[src] ??
      Object.entries(manifest).find(([key, c]) => key.startsWith('_') && c.name === name)?.[1];
    expect(entry, `${src} has no chunk of its own in the build manifest`).toBeDefined();
    return `/${entry?.file}`;
  };
  /** Sign-in's schema chunk with zod (`auth-schemas` in `miniapp/vite.config.ts`). */
  const schemasChunk = () => {
    const entry = Object.values(manifest).find((c) => c.name === 'auth-schemas');
    expect(entry, 'no auth-schemas chunk in the build manifest').toBeDefined();
    return `/${entry?.file}`;
  };
  const jsapiChunks = () =>
    Object.entries(manifest)
      .filter(([src]) => src.includes('node_modules/dingtalk-jsapi/'))
      .map(([, c]) => `/${c.file}`);

  async function freshPage(opts: Parameters<typeof launchBrowser>[0] = {}): Promise<Page> {
    const browser = await launchBrowser(opts);
    browsers.push(browser);
    return browser.context.newPage();
  }

  /**
   * A new, not yet opened page of a browser profile in which the demo candidate has signed in
   * (the session stays in the profile's storage), as in the first test: a returning candidate.
   */
  async function returningCandidatePage(): Promise<Page> {
    const page = await freshPage();
    await page.goto(stack.appUrl);
    await page.getByTestId('oauth-login').click();
    await page.getByTestId('login-as-uid-cand01-Aa1').click();
    await page.getByTestId('home-candidate').waitFor();
    await page.waitForLoadState('networkidle');
    return page.context().newPage();
  }

  beforeAll(async () => {
    ensureMiniappBuilt();
    manifest = JSON.parse(readFileSync(path.join(DIST_DIR, '.vite', 'manifest.json'), 'utf8')) as Manifest;
    dataDir = await mkdtemp(path.join(tmpdir(), 'aiv-firstload-e2e-'));
    stack = await startStack({ dataDir });
  });
  afterEach(async () => {
    await Promise.all(browsers.splice(0).map((b) => b.close()));
  });
  afterAll(async () => {
    await stack?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('signs in and reaches the home without dingtalk-jsapi, employee or interview chunks', async () => {
    expect(jsapiChunks().length).toBeGreaterThan(0);
    const page = await freshPage();
    const fetched = record(page, stack.appUrl);

    await page.goto(stack.appUrl);
    await page.getByTestId('oauth-login').waitFor();
    await page.waitForLoadState('networkidle');
    const signInScripts = fetched.filter((f) => f.type === 'script');

    await page.getByTestId('oauth-login').click();
    const account = page.getByTestId('login-as-uid-cand01-Aa1');
    await account.waitFor();
    await account.click();
    await page.getByTestId('home-candidate').waitFor();
    await page.getByTestId('iv-open').waitFor();
    await page.waitForLoadState('networkidle');

    const paths = fetched.map((f) => f.path);
    for (const file of jsapiChunks()) expect(paths, 'dingtalk-jsapi').not.toContain(file);
    for (const src of [...EMPLOYEE_SCREENS, ...CANDIDATE_HEAVY_SCREENS])
      expect(paths, src).not.toContain(chunkOf(src));

    // Scripts came brotli-compressed, and the sign-in page's are within the budget.
    expect(signInScripts.length).toBeGreaterThan(1);
    // (A few chunks of under 100 bytes have no variant: compressing them would not save anything.)
    const scripts = fetched.filter((f) => f.type === 'script');
    const precompressed = scripts.filter((f) => existsSync(path.join(DIST_DIR, `${f.path}.br`)));
    expect(precompressed.length).toBeGreaterThan(scripts.length / 2);
    for (const f of precompressed) expect(f.encoding, f.path).toBe('br');
    const signInBytes = signInScripts.reduce((n, f) => n + f.bytes, 0);
    expect(signInBytes).toBeLessThanOrEqual(JS_BUDGET_BYTES);

    // Opening the interview screen fetches its chunk then, and only then.
    // (Waiting starts before the click: the chunk may arrive before the click returns.)
    const interviewChunk = responseTo(
      page,
      (r) => new URL(r.url()).pathname === chunkOf('src/interview/InterviewPage.tsx'),
    );
    await page.getByTestId('iv-open').click();
    await interviewChunk;
  });

  it("a returning candidate's home: within the budget, its first reads sent once", async () => {
    // Coming back: a new page of the same profile, its requests recorded from the start.
    const again = await returningCandidatePage();
    const fetched = record(again, stack.appUrl);
    const gets: string[] = [];
    again.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/') && r.method() === 'GET') gets.push(`${url.pathname}${url.search}`);
    });
    // Which script sent each read: the one inlined in index.html (its frames name the page's own
    // address) rather than the entry's file, so they leave while the page is parsed.
    const senders = new Map<string, string>();
    const cdp = await again.context().newCDPSession(again);
    await cdp.send('Network.enable');
    cdp.on('Network.requestWillBeSent', (e) => {
      const url = new URL(e.request.url);
      if (url.pathname.startsWith('/api/'))
        senders.set(
          `${url.pathname}${url.search}`,
          e.initiator.stack?.callFrames[0]?.url ?? e.initiator.type,
        );
    });
    // The page's CSP allows that script by its hash: a mismatch would block it (and the entry would
    // send the reads later, unseen but for this).
    const blocked = cspViolations(again);
    await again.goto(stack.appUrl);
    await again.getByTestId('home-next').waitFor();
    await again.waitForLoadState('networkidle');
    expect(blocked).toEqual([]);
    for (const path of ['/api/auth/config', '/api/home/first?locale=zh-CN'])
      expect(senders.get(path), path).toBe(`${stack.appUrl.replace(/\/$/, '')}/`);

    const scripts = fetched.filter((f) => f.type === 'script');
    const bytes = scripts.reduce((n, f) => n + f.bytes, 0);
    expect(bytes, scripts.map((f) => f.path).join(' ')).toBeLessThanOrEqual(JS_BUDGET_BYTES);
    // Few files: the app, the home and their texts are a chunk each (miniapp/vite.config.ts).
    expect(scripts.length).toBeLessThanOrEqual(8);
    for (const file of jsapiChunks()) expect(fetched.map((f) => f.path)).not.toContain(file);
    // No zod on a returning user's start-up (auth/shapes.ts checks its answers): sign-in's schema
    // chunk loads only when a sign-in may follow (the control is the sign-in page's test below).
    expect(fetched.map((f) => f.path)).not.toContain(schemasChunk());

    // What the start-up sent early (earlyReads.ts) is what the home reads: the user and the
    // home's first reads as one request, sent exactly once, and none of its parts sent again on
    // its own, so an early read is never wasted nor repeated by the screen.
    expect(gets.filter((g) => g === '/api/home/first?locale=zh-CN')).toHaveLength(1);
    for (const path of [
      '/api/me',
      '/api/interview?locale=zh-CN',
      '/api/bookings/mine',
      '/api/feedback',
      '/api/home/timeline',
    ])
      expect(
        gets.filter((g) => g === path),
        path,
      ).toHaveLength(0);
    // React's home drew from those parts: the interview's next step (overview) and the
    // progress timeline are on the screen.
    await again.getByTestId('iv-open').waitFor();
    await again.getByTestId('home-timeline').waitFor();
    await again.close();
  });

  it("React keeps index.html's sign-in header: the one painted with the HTML is the sign-in page's", async () => {
    const page = await freshPage();
    // Every distinct header element ever added to the page, from the HTML parser on (a record's
    // subtree is read when the observer runs, so one element can show up in several records).
    await page.addInitScript(trackAdded, 'h1.signin-title');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const fetched = record(page, stack.appUrl);
    await page.goto(stack.appUrl);
    await page.getByTestId('oauth-login').waitFor();
    const { added, same } = await page.evaluate(() => {
      const w = window as unknown as { added: Element[] };
      return { added: w.added.length, same: w.added[0] === document.querySelector('h1.signin-title') };
    });
    expect(added).toBe(1);
    expect(same).toBe(true);
    // A hydration mismatch would surface as an error (and React would replace the nodes).
    expect(errors).toEqual([]);
    // Signed out, a sign-in follows: its schema chunk (zod) loads alongside the app's code.
    await page.waitForLoadState('networkidle');
    expect(fetched.map((f) => f.path)).toContain(schemasChunk());
  });

  for (const lang of ['zh-CN', 'en'] as const)
    it(`the sign-in page's largest paint is index.html's note, in the stored language, kept by React without a shift (${lang})`, async () => {
      const page = await freshPage();
      if (lang !== 'zh-CN') await page.addInitScript((l) => window.localStorage.setItem('aiv.lang', l), lang);
      await page.addInitScript(watchSignIn);
      await page.addInitScript(trackAdded, 'p.signin-note');
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const blocked = cspViolations(page);
      await page.goto(stack.appUrl);
      await page.getByTestId('oauth-login').waitFor();
      await page.waitForLoadState('networkidle');
      const seen = await page.evaluate(() => {
        const w = window as unknown as { signin: SignInWatch; added: Element[] };
        const notes = [...document.querySelectorAll('p.signin-note')];
        return {
          ...w.signin,
          added: w.added.length,
          kept: notes.length === w.added.length && notes.every((n, i) => n === w.added[i]),
          htmlLang: document.documentElement.lang,
        };
      });
      // Painted first in the stored language (shellLang.ts ran before the first frame).
      expect(seen.noteAtFirstFrame).toBe(
        lang === 'en'
          ? 'Invited candidates without DingTalk: open the link in your invitation text message or email.'
          : '没有钉钉的受邀候选人，请使用邀请短信或邮件中的链接直接进入。',
      );
      expect(seen.htmlLang).toBe(lang);
      // The largest paint is a note index.html carries (which one depends on the language's
      // wording), which React kept (hydrated, never re-added).
      expect(seen.lcp.at(-1)?.selector).toMatch(/^p\.signin-note\.signin-note-(invite|employee)$/);
      expect(seen.lcp.at(-1)?.static).toBe(true);
      expect(seen.added).toBe(2);
      expect(seen.kept).toBe(true);
      // The spinner became the button in its place: nothing moved.
      expect(seen.shift).toBe(0);
      // Both inline scripts are allowed by the page's CSP (a blocked one would leave the texts in
      // Chinese, or send the reads later), and hydration met no mismatch.
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
    });

  /**
   * Page script (`addInitScript`): what a returning candidate's load shows of the home's card.
   * The card the start-up entry paints before the app runs (`homes/earlyHome.ts`, in
   * `#early-home`) and React's card (`home-next`), each as first added; the most cards the page
   * held at once after any change (a change and its observer's callback share a task, so what
   * the observer counts is what could be painted); the LCP entries (whether their element was
   * the early card's) and the layout shifts.
   */
  function watchHomeCard(): void {
    const early = new WeakSet<Element>();
    const w = window as unknown as { card: CardWatch };
    w.card = { early: null, react: null, most: 0, lcp: [], shift: 0, shellAtFirstFrame: null };
    const frame = () => {
      const shell = document.querySelector('#root > .signin');
      if (shell) w.card.shellAtFirstFrame = getComputedStyle(shell).visibility;
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Array<PerformanceEntry & { element: Element | null }>)
        w.card.lcp.push(e.element ? early.has(e.element) : null);
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Array<PerformanceEntry & { value: number }>)
        w.card.shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    new MutationObserver((records) => {
      for (const r of records)
        for (const node of r.addedNodes) {
          if (!(node instanceof Element)) continue;
          if (node.id === 'early-home') {
            for (const el of [node, ...node.querySelectorAll('*')]) early.add(el);
            w.card.early ??= node.querySelector('.hm-next')?.outerHTML ?? null;
          }
          const react = node.matches('[data-testid="home-next"]')
            ? node
            : node.querySelector('[data-testid="home-next"]');
          if (react) w.card.react ??= react.outerHTML;
        }
      w.card.most = Math.max(w.card.most, document.querySelectorAll('.hm-next').length);
    }).observe(document, { childList: true, subtree: true });
  }

  for (const lang of ['zh-CN', 'en'] as const)
    it(`a returning candidate's card is painted before the app runs, and React's takes its place unchanged (${lang})`, async () => {
      const again = await returningCandidatePage();
      await again.addInitScript((l) => window.localStorage.setItem('aiv.lang', l), lang);
      await again.addInitScript(watchHomeCard);
      const errors: string[] = [];
      again.on('pageerror', (e) => errors.push(e.message));
      await again.goto(stack.appUrl);
      await again.getByTestId('home-deadline').waitFor();
      // The rest of the home (drawn after the card's first paint) and its reads.
      await again.getByTestId('home-timeline').waitFor();
      await again.getByTestId('section-candidate-feedback').waitFor();
      await again.waitForLoadState('networkidle');
      const seen = await again.evaluate(() => {
        const w = window as unknown as { card: CardWatch };
        return {
          ...w.card,
          earlyLeft: document.getElementById('early-home') !== null,
          rootHidden: document.getElementById('root')?.hidden ?? true,
        };
      });
      const withoutTestIds = (html: string | null) => html?.replace(/ data-testid="[^"]*"/g, '') ?? null;
      // Painted early, in the UI's language, and exactly what React renders (test ids aside).
      expect(seen.early).not.toBeNull();
      expect(seen.early).toContain(lang === 'en' ? 'Deadline: ' : '截止时间：');
      expect(withoutTestIds(seen.early)).toBe(withoutTestIds(seen.react));
      // Replaced, not doubled: never two cards in the page, the early one gone, React's shown.
      expect(seen.most).toBe(1);
      expect(seen.earlyLeft).toBe(false);
      expect(seen.rootHidden).toBe(false);
      // The page's largest paint is the early card's, and React's card (the same size, in the same
      // place) is no later candidate; nothing moved.
      expect(seen.lcp.at(-1)).toBe(true);
      expect(seen.shift).toBe(0);
      // The static "signing in" screen is never painted for the card's load (firstPaint.ts).
      expect(seen.shellAtFirstFrame).toBe('hidden');
      expect(errors).toEqual([]);
      await again.close();
    });

  it('control: inside a DingTalk client the library is fetched (and the employee note is never painted)', async () => {
    const page = await freshPage({ contextOptions: { userAgent: DINGTALK_UA } });
    // The employee note's `display` in the first frame that holds it: index.html carries it, the
    // inline script's mark hides it there (firstPaint.ts), so removing it later moves nothing.
    await page.addInitScript(() => {
      const w = window as unknown as { employeeNote?: string };
      const frame = () => {
        const note = document.querySelector('.signin-note-employee');
        if (note) w.employeeNote = getComputedStyle(note).display;
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    const jsapi = jsapiChunks();
    const seen = page.waitForRequest((r) => jsapi.includes(new URL(r.url()).pathname), { timeout: 60_000 });
    seen.catch(() => {}); // handled here; awaited below (see `responseTo`)
    await page.goto(stack.appUrl);
    await seen;
    expect(await page.evaluate(() => (window as unknown as { employeeNote?: string }).employeeNote)).toBe(
      'none',
    );
  });

  it("control: HR's home fetches HR's chunks", async () => {
    const page = await freshPage();
    const fetched = record(page, stack.appUrl);
    await page.goto(stack.sandboxUrl);
    await page.getByTestId('open-as-hr01').click();
    await page.getByTestId('home-hr').waitFor();
    await page.waitForLoadState('networkidle');
    const paths = fetched.map((f) => f.path);
    expect(paths).toContain(chunkOf('src/pipeline/PipelinePage.tsx'));
    for (const file of jsapiChunks()) expect(paths).not.toContain(file);
  });
});
