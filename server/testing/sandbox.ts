/**
 * The one place under `server/` that touches the sandbox's code: it starts a sandbox (the same
 * server `npm run sandbox` runs) in this process on a free port. Everything else, tests and the
 * harness included, talks to it over HTTP through {@link SandboxClient}. A test
 * (`server/testing/boundaries.test.ts`) fails if another file under `server/`, `bot/` or
 * `miniapp/src/` imports from `scripts/sandbox/`.
 */
import { startSandbox } from '../../scripts/sandbox/server';
import { SandboxClient } from './sandboxClient';

/** Options of {@link startTestSandbox}. */
export interface TestSandboxOptions {
  /** The mini-app's URL the console's "open as" buttons go to (default: nowhere useful). */
  appUrl?: string;
  /** Port (default: a free one). */
  port?: number;
  /** Calls allowed per app, per API, per second (default 20, DingTalk's). */
  qpsLimit?: number;
}

/** A running sandbox: its URL, a client for its test hooks, and `close`. */
export interface TestSandbox {
  url: string;
  client: SandboxClient;
  close(): Promise<void>;
}

/** Starts a sandbox for a test. Its clock is moved with `client.setClockOffset`. */
export async function startTestSandbox(opts: TestSandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({
    port: opts.port ?? 0,
    appUrl: opts.appUrl ?? 'http://localhost:1',
    qpsLimit: opts.qpsLimit,
  });
  return { url: sandbox.url, client: new SandboxClient(sandbox.url), close: () => sandbox.close() };
}
