/**
 * A second web process on the same database, sandbox and runtime as a {@link TestApp}, with a
 * changed configuration (e.g. `DINGTALK_EVENT_MODE=http` beside a Stream worker), so a test can
 * compare what each mode mounts and accepts.
 */
import type { Server } from 'node:http';
import { createApp } from '../app';
import type { Config } from '../kernel/config';
import { apiClient, type TestApp } from './harness';

/** A running variant app. */
export interface VariantApp {
  url: string;
  config: Config;
  api: TestApp['api'];
  close(): Promise<void>;
}

/** Starts the app again with `patch` applied to the test app's configuration. */
export async function startVariantApp(t: TestApp, patch: (c: Config) => Config): Promise<VariantApp> {
  const config = patch(t.config);
  const app = createApp({ ...t.deps, config });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const api = apiClient(url);
  return {
    url,
    config,
    api,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The configuration with DingTalk events arriving by HTTP callback. */
export const httpEventMode = (c: Config): Config => ({
  ...c,
  dingtalk: { ...c.dingtalk, eventMode: 'http' },
});
