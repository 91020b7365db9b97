/**
 * Headless Chromium for browser tests, driven by playwright-core against Debian's `chromium`
 * package (never `npx playwright install`: the machines here cannot download browsers, and one
 * system browser keeps every run on the same engine).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';

/** Where Debian's chromium package installs the browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The zone the test browser runs in (the product's users are in China), whatever the machine's. */
export const BROWSER_TIME_ZONE = 'Asia/Shanghai';

/** A phone-sized screen (iPhone 12-14 class), since candidates use the app on their phones. */
export const MOBILE_VIEWPORT = { width: 390, height: 844 } as const;

/** Options of {@link launchBrowser}. */
export interface LaunchBrowserOptions {
  /**
   * Replace camera and microphone with Chromium's fake devices and auto-accept the permission
   * prompt, so recording flows run unattended.
   */
  fakeMedia?: boolean;
  /** A WAV file the fake microphone plays (implies fakeMedia), so recordings carry real speech. */
  fakeAudioFile?: string;
  /** Desktop-sized window instead of the phone default. */
  desktop?: boolean;
  /** Extra context options (locale, base URL, ...), merged over the defaults. */
  contextOptions?: BrowserContextOptions;
  /** Extra Chromium flags. */
  args?: string[];
  /** A Chromium process for this launch alone instead of the shared one (see {@link launchBrowser}). */
  ownProcess?: boolean;
}

/** A clean browser: its own context; `close()` closes it (and the Chromium when no one else uses it). */
export interface LaunchedBrowser {
  /** The browser context; open pages with `context.newPage()`. */
  context: BrowserContext;
  /** Another clean browser with the same options (no cookies or localStorage carried over). */
  fresh(): Promise<LaunchedBrowser>;
  close(): Promise<void>;
}

/** Whether the system Chromium is installed. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Whether browser tests can run: use as `describe.skipIf(!browserTestsRunnable())`. Without
 * Chromium they are skipped with a notice on a developer machine, but on CI (`CI` set) a missing
 * browser must fail loudly instead of passing by skipping, so then this says yes and
 * {@link launchBrowser} throws.
 */
export function browserTestsRunnable(): boolean {
  if (chromiumAvailable()) return true;
  if (process.env.CI) return true;
  console.warn(
    `[browser tests] Chromium not found at ${CHROMIUM_PATH}: skipping (apt-get install -y chromium)`,
  );
  return false;
}

/** Flags that keep a test browser quiet, offline-friendly and deterministic. */
const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
];

/** A Chromium process shared by the launches of one test process that ask for the same flags. */
interface SharedChromium {
  browser: Promise<Browser>;
  /** Launches holding a context in it. */
  users: number;
  idle?: NodeJS.Timeout;
}

const shared = new Map<string, SharedChromium>();

/** Starts headless Debian Chromium with `args` (Playwright gives it a throw-away profile). */
function startChromium(args: string[]): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}

/**
 * How long a shared Chromium with no context open stays up. Long enough for the next test file
 * of the same worker to start its stack and reuse it; the timer does not keep the process alive,
 * and Playwright kills the browsers it launched when the process exits.
 */
const IDLE_CLOSE_MS = 10_000;

/**
 * The Chromium for `args`: the running one of this process, or a new one. Starting Chromium costs
 * 3-6 s of CPU on the 2-core machine (a new profile, the browser and GPU processes) against about
 * 1 s for a new context in a running browser, and the browser tests ask for a clean browser
 * dozens of times.
 */
function acquire(args: string[]): { browser: Promise<Browser>; release: () => Promise<void> } {
  const key = args.join('\n');
  let entry = shared.get(key);
  if (!entry) {
    const browser = startChromium(args);
    const created: SharedChromium = { browser, users: 0 };
    entry = created;
    shared.set(key, created);
    const forget = () => {
      if (shared.get(key) === created) shared.delete(key);
    };
    // A browser that failed to start or crashed is not handed out again.
    browser.then((b) => b.on('disconnected', forget), forget);
  }
  const mine = entry;
  mine.users += 1;
  if (mine.idle) clearTimeout(mine.idle);
  mine.idle = undefined;
  let released = false;
  return {
    browser: mine.browser,
    async release() {
      if (released) return;
      released = true;
      mine.users -= 1;
      if (mine.users > 0) return;
      mine.idle = setTimeout(() => {
        if (mine.users > 0) return;
        if (shared.get(key) === mine) shared.delete(key);
        void mine.browser.then((b) => b.close()).catch(() => {});
      }, IDLE_CLOSE_MS);
      mine.idle.unref();
    },
  };
}

/**
 * A clean headless Chromium: a new browser context (its own cookies, storage, cache and
 * permissions: nothing leaks between tests) in a Chromium process shared with the other launches
 * of this test process that use the same flags. A launch with the fake camera and microphone, or
 * with `ownProcess` (for measurements that must not find a warm browser process: the front-end
 * bench), starts a Chromium for itself instead, closed with it. Playwright gives a launched
 * browser a throw-away profile directory of its own and deletes it on close.
 */
export async function launchBrowser(opts: LaunchBrowserOptions = {}): Promise<LaunchedBrowser> {
  if (!chromiumAvailable()) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}; install it with: apt-get install -y chromium`);
  }
  const fakeMedia = opts.fakeMedia || Boolean(opts.fakeAudioFile);
  const args = [...BASE_ARGS];
  if (fakeMedia) {
    args.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream');
    if (opts.fakeAudioFile)
      args.push(`--use-file-for-fake-audio-capture=${path.resolve(opts.fakeAudioFile)}`);
  }
  if (opts.args) args.push(...opts.args);

  const device: BrowserContextOptions = opts.desktop
    ? { viewport: { width: 1280, height: 800 } }
    : {
        viewport: { ...MOBILE_VIEWPORT },
        screen: { ...MOBILE_VIEWPORT },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        userAgent:
          'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) ' +
          'Chrome/124.0.0.0 Mobile Safari/537.36',
      };

  // The fake camera and microphone belong to the process: with two pages of one Chromium
  // recording at once, the second page's recording did not start (seen when the shared process
  // kept the fake devices), so a launch with fake devices gets a Chromium of its own.
  const own = opts.ownProcess || args.some((a) => a.startsWith('--use-fake-device-for-media-stream'));
  const held = own
    ? (() => {
        const browser = startChromium(args);
        return { browser, release: () => browser.then((b) => b.close()).catch(() => {}) };
      })()
    : acquire(args);
  let context: BrowserContext;
  try {
    context = await (await held.browser).newContext({
      locale: 'zh-CN',
      timezoneId: BROWSER_TIME_ZONE,
      permissions: fakeMedia ? ['camera', 'microphone'] : [],
      ...device,
      ...opts.contextOptions,
    });
  } catch (error) {
    await held.release();
    throw error;
  }

  let closed = false;
  return {
    context,
    fresh: () => launchBrowser(opts),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        await held.release();
      }
    },
  };
}
