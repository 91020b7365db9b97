/**
 * Starts the whole product on one machine: the DingTalk/Alibaba Cloud sandbox and the server
 * (all roles) pointed at it, on an embedded or given database. Used by `npm run demo` and by
 * browser tests, so the demo and the tests run the same wiring.
 */
import path from 'node:path';
import { loadConfig } from '../server/kernel/config';
import { migrateUp, openOrm } from '../server/kernel/db/orm';
import { createLogger } from '../server/kernel/logger';
import { startServer } from '../server/main';
import { freePort } from './ports';
import { startSandbox } from './sandbox/server';

/** Options of {@link startStack}. */
export interface StackOptions {
  /** Folder for the SQLite file and local objects. */
  dataDir: string;
  /** mysql://... to run on MySQL/MariaDB instead of SQLite. */
  databaseUrl?: string;
  /** App port (0 or omitted: a free port). */
  port?: number;
  /** Sandbox port (0 or omitted: a free port). */
  sandboxPort?: number;
  /** Extra environment for the server config. */
  env?: Record<string, string>;
  logLevel?: string;
}

/** A running stack. */
export interface Stack {
  appUrl: string;
  sandboxUrl: string;
  sandbox: Awaited<ReturnType<typeof startSandbox>>;
  server: Awaited<ReturnType<typeof startServer>>;
  close(): Promise<void>;
}

/** Starts sandbox + server; the database is migrated and the demo company seeded. */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const port = opts.port || (await freePort());
  const appUrl = `http://localhost:${port}`;
  const sandbox = await startSandbox({ port: opts.sandboxPort ?? 0, appUrl });
  try {
    const config = loadConfig({
      APP_MODE: 'demo',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: appUrl,
      DATA_DIR: opts.dataDir,
      DATABASE_URL: opts.databaseUrl ?? `sqlite:${path.join(opts.dataDir, 'app.db')}`,
      SANDBOX_URL: sandbox.url,
      LOG_LEVEL: opts.logLevel ?? 'warn',
      ...opts.env,
    });
    // While a feature's migration is not generated yet, TEST_SCHEMA_SYNC=1 creates its tables
    // from the entities before the server migrates and seeds (same rule as the test harness).
    if (process.env.TEST_SCHEMA_SYNC === '1') {
      const orm = await openOrm(config.database);
      try {
        await migrateUp(orm);
        await orm.schema.update({ safe: true });
      } finally {
        await orm.close(true);
      }
    }
    const server = await startServer(config, createLogger(config.logLevel));
    return {
      appUrl,
      sandboxUrl: sandbox.url,
      sandbox,
      server,
      async close() {
        await server.close();
        await sandbox.close();
      },
    };
  } catch (err) {
    await sandbox.close();
    throw err;
  }
}
