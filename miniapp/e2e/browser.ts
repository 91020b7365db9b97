/**
 * Headless Chromium for browser tests, driven by playwright-core against Debian's `chromium`
 * package (never `npx playwright install`: the machines here cannot download browsers, and one
 * system browser keeps every run on the same engine).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';

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
}

/** A running browser with its own profile; `close()` also deletes the profile directory. */
export interface LaunchedBrowser {
  /** The (persistent) context; open pages with `context.newPage()`. */
  context: BrowserContext;
  /** A fresh, isolated browser (new profile: no cookies or localStorage carried over). */
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

/**
 * Starts headless Chromium with a throw-away profile. Playwright's `launch()` refuses
 * `--user-data-dir`, so this uses a persistent context in a fresh `mkdtemp` directory: each call
 * gets a clean profile, and nothing leaks between tests or into the user's home.
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

  const userDataDir = await mkdtemp(path.join(tmpdir(), 'aiv-chromium-'));
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

  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args,
      locale: 'zh-CN',
      timezoneId: BROWSER_TIME_ZONE,
      permissions: fakeMedia ? ['camera', 'microphone'] : [],
      ...device,
      ...opts.contextOptions,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
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
        // Chromium may still be flushing the profile for a moment after close; retry removal.
        await rm(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      }
    },
  };
}
