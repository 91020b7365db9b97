/**
 * `npm run bench -- frontend [--runs=3] [--skip-baseline] [--scripts] [--requests] [--trace=PREFIX]`
 *
 * A candidate's first load on a throttled mid-range phone: Debian's Chromium (headless, a fresh
 * profile per load, so nothing is cached) driven through the DevTools protocol with 4x CPU
 * slowdown, 1.6 Mbps down, 750 kbps up and 150 ms latency, against the real server process
 * (embedded defaults: demo mode on SQLite, web role) serving a production build of the mini-app.
 *
 * Two pages: the sign-in page (`/`, signed out) and the candidate's home (`/`, signed in as the
 * demo candidate 张三 with a stored session). For each, `runs` loads and the median of: compressed
 * JavaScript bytes on the wire, total bytes on the wire, number of scripts, DOMContentLoaded and
 * largest contentful paint (PerformanceObserver `largest-contentful-paint`, last entry once the
 * page is settled, with its element), and `ready`: when the page's own content first appeared (the
 * sign-in button, the candidate home).
 * Whether dingtalk-jsapi was fetched is reported too.
 *
 * Baseline in the same run, with the same server and browser: the app as it was built before the
 * split (one bundle, `MINIAPP_BUNDLE=single`, no precompressed files) fetched without
 * compression (`Accept-Encoding: identity`). `--baseline=PATH` measures another checkout instead
 * (e.g. `git worktree add --detach ../base main`, its `miniapp/dist` built beforehand): its own
 * server process and build, loaded alternately with this checkout's (this, base, this, base...)
 * so both see the same machine load; the rows then say `this checkout` and `baseline`.
 *
 * `--scripts` also prints every script of the last load of each page: path, bytes on the wire and
 * when it finished (ms after navigation), to see what a page fetches and in what order.
 * `--requests` prints every request of the last load of each page as a waterfall: when it was
 * sent, when its response headers and its last byte arrived (ms after navigation), on which
 * connection and whether that connection was new, to see where the time before the LCP goes.
 * `--trace=PREFIX` writes a DevTools trace of every load to `PREFIX-<time>.json` (the main
 * thread's tasks: parsing, compiling, running, layout, paint), for DevTools' Performance panel.
 *
 * Budget (issue 18): at most 150 KB of compressed JavaScript and LCP under 1.5 s on both pages
 * (medians); the process exits 1 when the optimised build is over it on either, and says which.
 * It refuses to run without a Chinese font (`fc-list :lang=zh`, {@link cjkFontProblem}): the
 * LCP of pages drawn in boxes says nothing about a phone.
 * The machine's load average at the start and end is reported: timings on a shared machine are
 * only as good as its load.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { BROWSER_TIME_ZONE, launchBrowser } from '../../miniapp/e2e/browser';
import { zoneMemo } from '../../miniapp/src/deviceZone';
import { startDemoServer } from './demoServer';
import { arg, median, report } from './report';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const DIST = path.join(REPO, 'miniapp', 'dist');
const KB = 1024;

/** The throttled phone profile of issue 18. */
export const PROFILE = {
  cpuSlowdown: 4,
  downKbps: 1600,
  upKbps: 750,
  latencyMs: 150,
} as const;

/** Budget for a candidate's first load (issue 18). */
export const BUDGET = { compressedJsKB: 150, lcpMs: 1500 } as const;

/**
 * Why the bench cannot judge the budget on this machine, or null when it can: `fcList` is what
 * `fc-list :lang=zh family` printed (null when it could not run). Without a Chinese font Chromium
 * draws Han characters as boxes of another size than real glyphs, so which element is the largest
 * paint, and when it paints, is not what a phone shows: the LCP would be an artefact.
 */
export function cjkFontProblem(fcList: string | null): string | null {
  if (fcList === null)
    return 'frontend bench: `fc-list` could not run (fontconfig missing?), so whether Chromium has a Chinese font is unknown';
  if (fcList.trim() === '')
    return (
      'frontend bench: no Chinese font on this machine (`fc-list :lang=zh` lists none): Chromium would draw ' +
      'Han characters as boxes and the LCP figures would be artefacts; install one first ' +
      '(`apt-get install -y fonts-noto-cjk`, what Android phones use)'
    );
  return null;
}

/** {@link cjkFontProblem} of this machine. */
function machineCjkFontProblem(): string | null {
  const listed = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return cjkFontProblem(listed.error || listed.status !== 0 ? null : listed.stdout);
}

/** Production build of the mini-app into miniapp/dist (a child process: NODE_ENV=production). */
function build(single: boolean): void {
  const vite = path.join(REPO, 'node_modules', 'vite', 'bin', 'vite.js');
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  if (single) env.MINIAPP_BUNDLE = 'single';
  else delete env.MINIAPP_BUNDLE;
  const res = spawnSync(
    process.execPath,
    [vite, 'build', '--config', path.join(REPO, 'miniapp', 'vite.config.ts')],
    {
      cwd: REPO,
      env,
      encoding: 'utf8',
    },
  );
  if (res.status !== 0) throw new Error(`vite build failed:\n${res.stderr || res.stdout}`);
}

/** Chunk files that hold dingtalk-jsapi, from the build manifest. */
function jsapiFiles(): Set<string> {
  const manifestPath = path.join(DIST, '.vite', 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, { file: string }>;
  return new Set(
    Object.entries(manifest)
      .filter(([src]) => src.includes('node_modules/dingtalk-jsapi/'))
      .map(([, c]) => `/${c.file}`),
  );
}

/** One page load's figures. */
interface Load {
  jsBytes: number;
  totalBytes: number;
  scripts: number;
  dclMs: number;
  lcpMs: number;
  /** When the page's own content (sign-in button, candidate home) appeared. */
  readyMs: number;
  /** The element of the last LCP entry (tag and first class), to see what the figure times. */
  lcpElement: string;
  jsapi: boolean;
  encodings: string[];
  /** Every script: path, bytes on the wire, finished at (ms after the navigation started). */
  scriptList: Array<{ path: string; bytes: number; doneMs: number }>;
  /** Every request, in the order sent (ms after the navigation started). */
  requestList: RequestTiming[];
}

/** One request of a load, for `--requests`. */
interface RequestTiming {
  path: string;
  type: string;
  sentMs: number;
  /** Response headers in; -1 when it never answered. */
  headersMs: number;
  /** Last byte in; -1 when it never finished. */
  doneMs: number;
  bytes: number;
  connection: number;
  /** Whether the request opened its connection (connect time in its timing). */
  newConnection: boolean;
}

/**
 * Records LCP candidates from the very start of the page (added before any script runs), and
 * when the page's own content (`selector`) first appears: on the candidate home the largest
 * element is the static sign-in header, so LCP alone would not say when the home is there.
 */
const observers = (selector: string) => `
  window.__lcp = 0;
  window.__ready = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__lcp = e.renderTime || e.loadTime || e.startTime;
      const el = e.element;
      window.__lcpElement = el ? el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') : '(removed)';
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new MutationObserver((_, observer) => {
    if (document.querySelector(${JSON.stringify(selector)})) {
      window.__ready = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

/**
 * `zoneMemo` as the test browser's page computes it: in its zone (`BROWSER_TIME_ZONE`), which is
 * not this process's, so the offsets are taken with `TZ` set to it for the moment.
 */
function browserZoneMemo(): string {
  const before = process.env.TZ;
  process.env.TZ = BROWSER_TIME_ZONE;
  try {
    return zoneMemo(BROWSER_TIME_ZONE);
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

/**
 * Loads `url` once in a fresh browser profile under the throttled profile and returns what it
 * cost. `session` is put in localStorage first (the candidate home); `identity` turns off
 * compression (baseline).
 */
async function loadOnce(
  url: string,
  opts: {
    session?: { token: string; expiresAt: string };
    identity: boolean;
    readySelector: string;
    tracePrefix?: string;
  },
  jsapi: Set<string>,
): Promise<Load> {
  // A Chromium of its own per load: a browser process left warm by the load before would
  // flatter the next one's figures.
  const browser = await launchBrowser({ ownProcess: true });
  try {
    const page: Page = await browser.context.newPage();
    if (opts.session) {
      const value = JSON.stringify(opts.session);
      await page.addInitScript((v) => window.localStorage.setItem('aiv.session', v), value);
      // What a returning candidate's earlier visit left besides the session: the device's zone
      // (miniapp/src/deviceZone.ts). A build that does not read it (a baseline) is unaffected.
      await page.addInitScript((v) => window.localStorage.setItem('aiv.zone', v), browserZoneMemo());
    }
    await page.addInitScript(observers(opts.readySelector));
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: PROFILE.latencyMs,
      downloadThroughput: (PROFILE.downKbps * 1000) / 8,
      uploadThroughput: (PROFILE.upKbps * 1000) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpuSlowdown });
    // The baseline asks for no compression (the table's js_encoding column shows what came back).
    if (opts.identity)
      await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });

    const requests = new Map<string, { type: string; url: string; encoding: string }>();
    let jsBytes = 0;
    let totalBytes = 0;
    let scripts = 0;
    let jsapiFetched = false;
    const encodings = new Set<string>();
    const scriptList: Load['scriptList'] = [];
    const requestList = new Map<string, RequestTiming>();
    let startedAt = 0;
    const sinceStart = (timestamp: number) => Math.round((timestamp - startedAt) * 1000);
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!startedAt && e.type === 'Document') startedAt = e.timestamp;
      const url = new URL(e.request.url);
      if (url.protocol.startsWith('http'))
        requestList.set(e.requestId, {
          path: url.pathname + url.search,
          type: e.type ?? '',
          sentMs: sinceStart(e.timestamp),
          headersMs: -1,
          doneMs: -1,
          bytes: 0,
          connection: -1,
          newConnection: false,
        });
    });
    cdp.on('Network.responseReceived', (e) => {
      const timing = requestList.get(e.requestId);
      if (timing) {
        timing.headersMs = sinceStart(e.timestamp);
        timing.connection = e.response.connectionId;
        timing.newConnection = (e.response.timing?.connectStart ?? -1) >= 0;
      }
      const encoding = String(
        Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1] ??
          'identity',
      );
      requests.set(e.requestId, { type: e.type, url: e.response.url, encoding });
    });
    cdp.on('Network.loadingFinished', (e) => {
      totalBytes += e.encodedDataLength;
      const timing = requestList.get(e.requestId);
      if (timing) {
        timing.doneMs = sinceStart(e.timestamp);
        timing.bytes = e.encodedDataLength;
      }
      const r = requests.get(e.requestId);
      if (r?.type === 'Script') {
        jsBytes += e.encodedDataLength;
        scripts++;
        scriptList.push({
          path: new URL(r.url).pathname,
          bytes: e.encodedDataLength,
          doneMs: Math.round((e.timestamp - startedAt) * 1000),
        });
        encodings.add(r.encoding);
        if (jsapi.has(new URL(r.url).pathname)) jsapiFetched = true;
      }
    });

    const traceFile = opts.tracePrefix;
    const traceEvents: unknown[] = [];
    if (traceFile) {
      cdp.on('Tracing.dataCollected', (e) => traceEvents.push(...e.value));
      await cdp.send('Tracing.start', {
        categories:
          'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing,loading,netlog',
        transferMode: 'ReportEvents',
      });
    }
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    // Waits for the page's own content through the observers' flag, not `page.waitForSelector`:
    // that makes Playwright compile and run its injected script in the page, 70-80 ms of the
    // throttled main thread right when the home's card is being built (seen in traces).
    const shown = await cdp.send('Runtime.evaluate', {
      expression: `new Promise((resolve) => {
        const started = Date.now();
        const check = () => (window.__ready || Date.now() - started > 120000 ? resolve(window.__ready > 0) : setTimeout(check, 50));
        check();
      })`,
      awaitPromise: true,
      returnByValue: true,
    });
    if (shown.result.value !== true) throw new Error(`${url}: ${opts.readySelector} never appeared`);
    await page.waitForLoadState('networkidle', { timeout: 120_000 });
    // Let a last paint land before reading the final LCP entry.
    await page.waitForTimeout(500);
    const { lcp, dcl, ready, lcpElement } = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const w = window as unknown as { __lcp: number; __ready: number; __lcpElement?: string };
      return {
        lcp: w.__lcp,
        dcl: nav.domContentLoadedEventEnd,
        ready: w.__ready,
        lcpElement: w.__lcpElement ?? '',
      };
    });
    if (traceFile) {
      const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
      await cdp.send('Tracing.end');
      await done;
      fs.writeFileSync(`${traceFile}-${Date.now()}.json`, JSON.stringify(traceEvents));
    }
    await cdp.detach();
    return {
      jsBytes,
      totalBytes,
      scripts,
      dclMs: dcl,
      lcpMs: lcp,
      readyMs: ready,
      lcpElement,
      jsapi: jsapiFetched,
      encodings: [...encodings],
      scriptList,
      requestList: [...requestList.values()],
    };
  } finally {
    await browser.close();
  }
}

/** Median figures of `runs` loads. */
async function measure(
  runs: number,
  url: string,
  opts: Parameters<typeof loadOnce>[1],
  jsapi: Set<string>,
): Promise<Load & { loads: Load[] }> {
  const loads: Load[] = [];
  for (let i = 0; i < runs; i++) loads.push(await loadOnce(url, opts, jsapi));
  return summarise(loads);
}

/** Median figures of some loads (the last one's lists). */
function summarise(loads: Load[]): Load & { loads: Load[] } {
  return {
    jsBytes: median(loads.map((l) => l.jsBytes)),
    totalBytes: median(loads.map((l) => l.totalBytes)),
    scripts: median(loads.map((l) => l.scripts)),
    dclMs: median(loads.map((l) => l.dclMs)),
    lcpMs: median(loads.map((l) => l.lcpMs)),
    readyMs: median(loads.map((l) => l.readyMs)),
    lcpElement: loads[loads.length - 1].lcpElement,
    jsapi: loads.some((l) => l.jsapi),
    encodings: [...new Set(loads.flatMap((l) => l.encodings))],
    scriptList: loads[loads.length - 1].scriptList,
    requestList: loads[loads.length - 1].requestList,
    loads,
  };
}

/** What is over budget on each page (median figures), in words; empty when both are within it. */
export function overBudget(pages: Array<[string, Pick<Load, 'jsBytes' | 'lcpMs' | 'jsapi'>]>): string[] {
  const over: string[] = [];
  for (const [name, m] of pages) {
    if (m.jsBytes > BUDGET.compressedJsKB * KB) over.push(`${name}: ${Math.round(m.jsBytes / KB)} KB of JS`);
    if (m.lcpMs >= BUDGET.lcpMs) over.push(`${name}: LCP ${Math.round(m.lcpMs)} ms`);
    if (m.jsapi) over.push(`${name}: fetched dingtalk-jsapi`);
  }
  return over;
}

/** `--scripts` and `--requests`: the lists of the last load of each page. */
function printLists(args: string[], pages: Array<[string, Load & { loads: Load[] }]>): void {
  if (args.includes('--scripts'))
    for (const [pageName, m] of pages) {
      console.log(`scripts of the last ${pageName} load:`);
      console.table(
        m.scriptList.map((x) => ({ path: x.path, KB: +(x.bytes / KB).toFixed(1), done_ms: x.doneMs })),
      );
    }
  if (args.includes('--requests'))
    for (const [pageName, m] of pages) {
      const last = m.loads[m.loads.length - 1];
      console.log(
        `requests of the last ${pageName} load (DCL ${Math.round(last.dclMs)} ms, LCP ${Math.round(last.lcpMs)} ms):`,
      );
      console.table(
        m.requestList.map((x) => ({
          path: x.path.length > 48 ? `${x.path.slice(0, 47)}…` : x.path,
          type: x.type,
          KB: +(x.bytes / KB).toFixed(1),
          sent: x.sentMs,
          headers: x.headersMs,
          done: x.doneMs,
          conn: x.newConnection ? `${x.connection} (new)` : x.connection,
        })),
      );
    }
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  // No verdict without real glyphs: refuse before building or measuring anything.
  const fontProblem = machineCjkFontProblem();
  if (fontProblem) throw new Error(fontProblem);
  const loadAtStart = os.loadavg().map((x) => +x.toFixed(2));
  const runs = arg(args, 'runs', 3);
  const baselineRepo = args.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);
  const withBaseline = !args.includes('--skip-baseline') && !baselineRepo;
  if (baselineRepo && !fs.existsSync(path.join(baselineRepo, 'miniapp', 'dist', 'index.html')))
    throw new Error(
      `--baseline: build ${baselineRepo}/miniapp/dist first (npx vite build --config miniapp/vite.config.ts)`,
    );
  let builtFinal = false;
  const server = await startDemoServer(REPO);
  const other = baselineRepo
    ? await startDemoServer(path.resolve(baselineRepo)).catch(async (err) => {
        await server.stop();
        throw err;
      })
    : null;
  const base = server.base;
  const session = server.session;
  try {
    const tracePrefix = args.find((a) => a.startsWith('--trace='))?.slice('--trace='.length);
    const signin = { identity: false, readySelector: '[data-testid="oauth-login"]', tracePrefix };
    const home = { identity: false, session, readySelector: '[data-testid="home-candidate"]', tracePrefix };

    type Row = Record<string, string | number | boolean>;
    const rows: Row[] = [];
    const row = (pageName: string, variant: string, m: Load): Row => ({
      page: pageName,
      build: variant,
      js_KB: Math.round(m.jsBytes / KB),
      total_KB: Math.round(m.totalBytes / KB),
      scripts: m.scripts,
      dcl_ms: Math.round(m.dclMs),
      lcp_ms: Math.round(m.lcpMs),
      ready_ms: Math.round(m.readyMs),
      jsapi_fetched: m.jsapi,
      js_encoding: m.encodings.join('+') || '-',
    });

    if (other) {
      build(false);
      builtFinal = true;
      const jsapi = jsapiFiles();
      const urls = [`${base}/`, `${other.base}/`];
      const signins: Load[][] = [[], []];
      const homes: Load[][] = [[], []];
      // Alternating, and swapping who goes first each run, so neither side always follows the other.
      for (let i = 0; i < runs; i++)
        for (const k of i % 2 ? [1, 0] : [0, 1]) {
          signins[k].push(await loadOnce(urls[k], signin, jsapi));
          homes[k].push(await loadOnce(urls[k], { ...home, session: k ? other.session : session }, jsapi));
        }
      const s = summarise(signins[0]);
      const h = summarise(homes[0]);
      rows.push(row('sign-in', 'this checkout', s), row('sign-in', 'baseline', summarise(signins[1])));
      rows.push(
        row('candidate home', 'this checkout', h),
        row('candidate home', 'baseline', summarise(homes[1])),
      );
      const over = overBudget([
        ['sign-in', s],
        ['candidate home', h],
      ]);
      report('frontend', rows, {
        runs,
        baseline: baselineRepo,
        loadAverage: { start: loadAtStart, end: os.loadavg().map((x) => +x.toFixed(2)) },
        over,
        profile: PROFILE,
        budget: BUDGET,
        withinBudget: over.length === 0,
        perLoad: Object.fromEntries(
          (
            [
              ['signin', signins],
              ['home', homes],
            ] as const
          ).flatMap(([name, sides]) =>
            sides.map((loads, k) => [
              `${name}_${k ? 'baseline' : 'this'}`,
              loads.map((l) => ({
                lcp: Math.round(l.lcpMs),
                ready: Math.round(l.readyMs),
                el: l.lcpElement,
              })),
            ]),
          ),
        ),
      });
      printLists(args, [
        ['sign-in (this checkout)', s],
        ['sign-in (baseline)', summarise(signins[1])],
        ['candidate home (this checkout)', h],
        ['candidate home (baseline)', summarise(homes[1])],
      ]);
      if (over.length) process.exitCode = 1;
      return;
    }
    if (withBaseline) {
      build(true);
      const jsapi = new Set<string>();
      const s = await measure(runs, `${base}/`, { ...signin, identity: true }, jsapi);
      const h = await measure(runs, `${base}/`, { ...home, identity: true }, jsapi);
      rows.push(row('sign-in', 'baseline: one bundle, uncompressed', s));
      rows.push(row('candidate home', 'baseline: one bundle, uncompressed', h));
    }
    build(false);
    builtFinal = true;
    const jsapi = jsapiFiles();
    const s = await measure(runs, `${base}/`, signin, jsapi);
    const h = await measure(runs, `${base}/`, home, jsapi);
    rows.push(row('sign-in', 'split + precompressed', s));
    rows.push(row('candidate home', 'split + precompressed', h));

    // Both pages are held to the budget: the sign-in page (a new candidate's first load) and the
    // home (a returning candidate's).
    const over = overBudget([
      ['sign-in', s],
      ['candidate home', h],
    ]);
    const withinBudget = over.length === 0;
    report('frontend', rows, {
      runs,
      // The machine is shared: its load when the measuring started and ended (1, 5, 15 min).
      loadAverage: { start: loadAtStart, end: os.loadavg().map((x) => +x.toFixed(2)) },
      over,
      profile: PROFILE,
      budget: BUDGET,
      withinBudget,
      perLoad: {
        signin: s.loads.map((l) => ({
          js: l.jsBytes,
          lcp: Math.round(l.lcpMs),
          lcpElement: l.lcpElement,
          ready: Math.round(l.readyMs),
        })),
        home: h.loads.map((l) => ({
          js: l.jsBytes,
          lcp: Math.round(l.lcpMs),
          lcpElement: l.lcpElement,
          ready: Math.round(l.readyMs),
        })),
      },
    });
    printLists(args, [
      ['sign-in', s],
      ['candidate home', h],
    ]);
    if (!withinBudget) {
      console.error(
        `over budget (compressed JS <= ${BUDGET.compressedJsKB} KB, LCP < ${BUDGET.lcpMs} ms, no dingtalk-jsapi): ${over.join('; ')}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await server.stop();
    await other?.stop();
    // Never leave the baseline build behind for the browser tests to pick up.
    if (!builtFinal) fs.rmSync(DIST, { recursive: true, force: true });
  }
}
