/**
 * Test harness: a migrated database of either dialect, the sandbox, and the real app on a
 * real port. Tests talk HTTP to it with fetch, the same way the mini-app does, and to the
 * sandbox through its HTTP hooks ({@link SandboxClient}).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import type { DestinationStream } from 'pino';
import { afterAll, beforeAll, describe } from 'vitest';
import { createApp } from '../app';
import { type Config, type DatabaseConfig, loadConfig } from '../kernel/config';
import { loadMigrator, migrateUp, type Orm, openOrm } from '../kernel/db/orm';
import { seedDemoCompany } from '../kernel/db/seeds/seed';
import { dialectOf } from '../kernel/db/tx';
import type { AppDeps } from '../kernel/http/context';
import { createDingTalk, type DingTalk } from '../kernel/integrations/dingtalk';
import { type AppObjectStore, createObjectStore } from '../kernel/integrations/storage';
import { createLogger } from '../kernel/logger';
import { startServer } from '../main';
import { createRuntime, type Runtime } from '../runtime';
import { copyMigratedTemplate, isEmptyDatabase } from './mysqlTemplate';
import { startTestSandbox } from './sandbox';
import type { SandboxClient } from './sandboxClient';

/** The dialects this run covers: SQLite always, MySQL/MariaDB when MYSQL_URL is set. */
export type Dialect = 'sqlite' | 'mysql';

let mysqlNoticePrinted = false;
/** Dialects to run database tests on. */
export function testDialects(): Dialect[] {
  if (process.env.MYSQL_URL) return ['sqlite', 'mysql'];
  if (!mysqlNoticePrinted) {
    mysqlNoticePrinted = true;
    process.stdout.write(
      'NOTICE: MYSQL_URL is not set; MySQL/MariaDB suites are skipped (CI always sets it).\n',
    );
  }
  return ['sqlite'];
}

/** `describe` once per dialect, with the dialect in the title. */
export function describeEachDialect(title: string, fn: (dialect: Dialect) => void): void {
  for (const dialect of testDialects()) describe(`${title} [${dialect}]`, () => fn(dialect));
}

/**
 * A fresh, migrated database of `dialect` and an ORM on it for the enclosing suite: opened before
 * its tests (`beforeAll`), closed and removed after them. Returns the ORM's getter.
 */
export function useTestOrm(dialect: Dialect): () => Orm {
  let orm: Orm | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createTestDatabase(dialect);
    drop = created.drop;
    orm = await openOrm(created.db);
    await migrateDb(orm);
  });
  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });
  return () => {
    if (!orm) throw new Error('the test ORM is opened before the suite runs');
    return orm;
  };
}

/** A fresh, empty database of the given dialect and a function that removes it. */
export async function createTestDatabase(
  dialect: Dialect,
): Promise<{ db: DatabaseConfig; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-db-'));
    const file = path.join(dir, 'test.db');
    return {
      db: { dialect: 'sqlite', file, url: `sqlite:${file}` },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = process.env.MYSQL_URL;
  if (!base) throw new Error('MYSQL_URL is not set');
  const name = `aii_test_${randomBytes(5).toString('hex')}`;
  const admin = await mysql.createConnection(base);
  await admin.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    db: { dialect: 'mysql', url: url.toString(), poolMax: 20 },
    drop: () => dropMysqlDatabase(base, name),
  };
}

/** MariaDB's "can't rmdir, directory not empty": ER_DB_DROP_RMDIR. */
const ER_DB_DROP_RMDIR = 1010;

/**
 * Drops a test database. MariaDB 10.6+ can leave a dropped table's file on disk for a moment
 * (InnoDB deletes it in the background), so `drop database` now and then fails with "can't
 * rmdir, directory not empty" (seen in CI after a suite whose tests all passed). That is worth a
 * few retries, and after them a warning rather than a failed suite: the database has a random
 * name and holds only this suite's test data.
 */
export async function dropMysqlDatabase(base: string, name: string, attempts = 6): Promise<void> {
  const c = await mysql.createConnection(base);
  try {
    for (let i = 1; ; i++) {
      try {
        await c.query(`drop database if exists \`${name}\``);
        return;
      } catch (err) {
        if ((err as { errno?: number }).errno !== ER_DB_DROP_RMDIR) throw err;
        if (i >= attempts) {
          process.stderr.write(`WARNING: test database ${name} left behind: ${(err as Error).message}\n`);
          return;
        }
        await new Promise((r) => setTimeout(r, 250 * i));
      }
    }
  } finally {
    await c.end();
  }
}

/**
 * Applies migrations. While a feature is being developed its entities may be ahead of the
 * committed migrations: `TEST_SCHEMA_SYNC=1` then syncs the rest from the entities. CI never
 * sets it, and `server/kernel/db/migrations.test.ts` fails until the migration is generated.
 * An empty MySQL/MariaDB database gets a copy of a migrated template instead of the migrations
 * one by one (seconds instead of 10-20 s; see `mysqlTemplate.ts`), unless `TEST_REAL_MIGRATIONS=1`.
 */
export async function migrateDb(orm: Orm): Promise<void> {
  if (await usesTemplate(orm)) {
    await copyMigratedTemplate(process.env.MYSQL_URL as string, orm.config.get('clientUrl') as string);
  }
  await migrateUp(orm);
  if (process.env.TEST_SCHEMA_SYNC === '1') await orm.schema.update({ safe: true });
}

/** Whether {@link migrateDb} may copy the template: MySQL, the committed migrations, an empty database. */
async function usesTemplate(orm: Orm): Promise<boolean> {
  if (process.env.TEST_REAL_MIGRATIONS === '1' || !process.env.MYSQL_URL) return false;
  if (dialectOf(orm.em) !== 'mysql') return false;
  await loadMigrator(orm);
  // A test that hands the ORM its own migration list wants exactly those migrations run.
  const own = orm.config.get('migrations').migrationsList;
  if (own !== (await import('../kernel/db/migrations/mysql')).migrations) return false;
  return isEmptyDatabase(orm);
}

/**
 * Takes a migrated database back to just before the migration whose name ends with `suffix`,
 * one step at a time, newest first (each later migration's own `down`). Tests of a migration on
 * existing data write that data through today's entities first, then come back here: the
 * entities are always ahead of an older schema, so they cannot write to it.
 */
export async function revertThrough(orm: Orm, suffix: string): Promise<void> {
  const hit = (names: string[]) => names.some((n) => n.endsWith(suffix));
  if (!hit((await orm.migrator.getExecuted()).map((m) => m.name)))
    throw new Error(`no executed migration ends with ${suffix}`);
  for (let reverted: string[] = []; !hit(reverted); ) {
    reverted = (await orm.migrator.down()).map((m) => m.name);
    if (!reverted.length) throw new Error(`nothing left to revert before ${suffix}`);
  }
}

/** A running app for a test. */
export interface TestApp {
  url: string;
  config: Config;
  orm: Orm;
  /** The sandbox's test hooks over HTTP (`sandbox.url` is its base URL). */
  sandbox: SandboxClient;
  dingtalk: DingTalk;
  /** The app's object store (a throw-away folder per test, or the sandbox's OSS). */
  storage: AppObjectStore;
  /** The dependencies the app was created with (to build a variant app in a test). */
  deps: AppDeps;
  /** The features' registries wired to this app's database (jobs, consumers, Stream callbacks). */
  runtime: Runtime;
  /** The app's clock: real time until a test sets or advances it (expiry tests). */
  clock: { now: Date | null; advance(ms: number): void };
  /** Calls the API; `token` adds the bearer header. Returns status, parsed body and headers. */
  api: ApiClient;
  /** Signs an employee in through the real 免登 flow and returns the session token. */
  signInEmployee(userid: string): Promise<string>;
  close(): Promise<void>;
}

/** Calls the app's API; `token` adds the bearer header. Returns status, parsed body and headers. */
export type ApiClient = <T = any>(
  method: string,
  path: string,
  opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
) => Promise<{ status: number; body: T; headers: Headers }>;

/** An {@link ApiClient} for the app at `url` (redirects are returned, not followed). */
export function apiClient(url: string): ApiClient {
  return async (method, p, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${url}${p}`, {
      method,
      headers,
      body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
      redirect: 'manual',
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body, headers: res.headers };
  };
}

/** Signs `userid` in through the real 免登 flow (sandbox auth code -> app) and returns the session token. */
async function signIn(api: ApiClient, sandbox: SandboxClient, userid: string): Promise<string> {
  const code = await sandbox.issueAuthCode(userid);
  const res = await api('POST', '/api/auth/dingtalk', { body: { code } });
  if (res.status !== 200)
    throw new Error(`sign-in as ${userid} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** Starts sandbox + migrated (and seeded) database + app on a random port. */
export async function startTestApp(
  dialect: Dialect,
  opts: {
    seed?: boolean;
    env?: Record<string, string>;
    /** Where the app's log goes (a test that reads the log; set LOG_LEVEL in `env` too). */
    logStream?: DestinationStream;
    /** The sandbox's calls per app, per API, per second (default 20, DingTalk's). */
    qpsLimit?: number;
  } = {},
): Promise<TestApp> {
  const { db, drop } = await createTestDatabase(dialect);
  const sandbox = await startTestSandbox({ qpsLimit: opts.qpsLimit });
  // Local objects go to a throw-away folder, never into the repository's ./data.
  const objectsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-objects-'));
  const config = loadConfig({
    APP_MODE: 'test',
    STORAGE_LOCAL_DIR: objectsDir,
    PORT: '0',
    DATABASE_URL: db.url,
    SANDBOX_URL: sandbox.url,
    PUBLIC_URL: 'http://localhost:1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RATE_LIMIT_SIGNIN_PER_MINUTE: '100000',
    ...opts.env,
  });
  const logger = createLogger(config.logLevel, opts.logStream);
  const orm = await openOrm(db);
  await migrateDb(orm);
  if (opts.seed !== false) await seedDemoCompany(orm.em);
  const dingtalk = createDingTalk(config.dingtalk, logger, { throttleDelayMs: 20 });
  const clock: TestApp['clock'] = {
    now: null,
    advance(ms: number) {
      this.now = new Date((this.now ?? new Date()).getTime() + ms);
    },
  };
  const nowFn = () => clock.now ?? new Date();
  const storage = createObjectStore(config, () => nowFn().getTime());
  // The same wiring as a production process: the features' registries on this database.
  const runtime = createRuntime({ config, orm, logger, dingtalk, storage, now: nowFn });
  const { deps } = runtime;
  const app = createApp(deps);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const api = apiClient(url);
  return {
    url,
    config,
    orm,
    sandbox: sandbox.client,
    dingtalk,
    storage,
    deps,
    runtime,
    clock,
    api,
    signInEmployee: (userid: string) => signIn(api, sandbox.client, userid),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await orm.close(true);
      await sandbox.close();
      await drop();
      fs.rmSync(objectsDir, { recursive: true, force: true });
    },
  };
}

/** A whole product for browser tests: sandbox + server with every role, serving the built mini-app. */
export interface TestStack {
  /** The mini-app and API (the server's public URL). */
  appUrl: string;
  /** The sandbox's console and DingTalk endpoints. */
  sandboxUrl: string;
  /** The sandbox's test hooks over HTTP. */
  sandbox: SandboxClient;
  config: Config;
  /** The server's database (to build data with the factories and to check results). */
  orm: Orm;
  /** A throw-away folder for the server's local objects and the test's own files. */
  dataDir: string;
  api: ApiClient;
  /** Signs an employee in through the real 免登 flow and returns the session token. */
  signInEmployee(userid: string): Promise<string>;
  close(): Promise<void>;
}

/** Options of {@link startTestStack}. */
export interface TestStackOptions {
  /** Database dialect (default SQLite). */
  dialect?: Dialect;
  /** Extra server environment (e.g. `ROLES: 'web'`, `STORAGE_DRIVER: 'oss'`). */
  env?: Record<string, string>;
}

/** A port nobody listens on right now (the server's public URL must be known before it starts). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts the product the way `npm run demo` does, on a fresh database: the sandbox, then the
 * server with all roles (web, worker, bot) in demo mode (migrated, demo company seeded, sandbox
 * codes accepted), serving `miniapp/dist`. Browser tests use this; API tests use
 * {@link startTestApp}, which wires the same runtime without background jobs.
 */
export async function startTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const { db, drop } = await createTestDatabase(opts.dialect ?? 'sqlite');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-stack-'));
  const port = await freePort();
  const appUrl = `http://localhost:${port}`;
  const sandbox = await startTestSandbox({ appUrl });
  const cleanup = async () => {
    await sandbox.close();
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const config = loadConfig({
      APP_MODE: 'demo',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: appUrl,
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      SANDBOX_URL: sandbox.url,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      ...opts.env,
    });
    if (process.env.TEST_SCHEMA_SYNC === '1') {
      // Same rule as startTestApp: tables of a feature whose migration is not generated yet.
      const orm = await openOrm(db);
      try {
        await migrateDb(orm);
      } finally {
        await orm.close(true);
      }
    }
    const server = await startServer(config, createLogger(config.logLevel));
    const api = apiClient(appUrl);
    return {
      appUrl,
      sandboxUrl: sandbox.url,
      sandbox: sandbox.client,
      config,
      orm: server.orm,
      dataDir,
      api,
      signInEmployee: (userid: string) => signIn(api, sandbox.client, userid),
      async close() {
        await server.close();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
