import fs from 'node:fs';
import path from 'node:path';
import type { MikroORM as CoreOrm, MigrationObject, Options } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/sql';
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../config';
import type { Logger } from '../logger';
import { entities } from './entities';
import { closeNativePool, dialectOf } from './tx';
import type { Orm } from './types';

export type { Em, Orm } from './types';

const HERE = path.dirname(new URL(import.meta.url).pathname);

/** Folder holding the generated migrations of a dialect. */
export function migrationsDir(dialect: DatabaseConfig['dialect']): string {
  return path.join(HERE, 'migrations', dialect);
}

/**
 * Which server a mysql:// URL reaches. MariaDB speaks the same protocol (mysql2 serves both)
 * but reports its schema differently (JSON as a CHECK-constrained longtext, quoted NULL
 * defaults), so schema diffing must use MikroORM's MariaDB platform to see no false changes.
 */
export async function detectMysqlFlavor(url: string): Promise<'mysql' | 'mariadb'> {
  const conn = await mysql.createConnection(url);
  try {
    const [rows] = await conn.query('select version() as v');
    return /mariadb/i.test(String((rows as Array<{ v: string }>)[0]?.v)) ? 'mariadb' : 'mysql';
  } finally {
    await conn.end();
  }
}

/** The MikroORM driver class of each database: loaded for the configured one only. */
async function driverClass(db: DatabaseConfig, flavor: 'mysql' | 'mariadb' | undefined) {
  if (db.dialect === 'sqlite') return (await import('@mikro-orm/libsql')).LibSqlDriver;
  return flavor === 'mariadb'
    ? (await import('@mikro-orm/mariadb')).MariaDbDriver
    : (await import('@mikro-orm/mysql')).MySqlDriver;
}

/**
 * Stands in for MikroORM's Migrator at start-up. `MikroORM.init` imports `@mikro-orm/migrations`
 * itself unless an extension of that name is configured; a process that never migrates
 * (production web and worker processes: migrations are `npm run db:migrate`) would then carry the
 * migrator and every migration class (about 10 MB resident). {@link loadMigrator} puts the real one
 * in place when a process migrates.
 */
const MIGRATOR_STAND_IN = {
  // MikroORM recognises extensions by name; an explicit one also survives bundling's renames.
  name: 'Migrator',
  register(orm: Pick<CoreOrm, 'config'>): void {
    orm.config.registerExtension('@mikro-orm/migrator', () => {
      throw new Error('the migrator is not loaded: call migrateUp or loadMigrator first');
    });
  },
};

/** Options shared by runtime and the migration generator. */
export async function ormOptions(
  db: DatabaseConfig,
  opts: { logger?: Logger; migrationsList?: MigrationObject[]; flavor?: 'mysql' | 'mariadb' } = {},
): Promise<Partial<Options>> {
  const common: Partial<Options> = {
    entities,
    extensions: [MIGRATOR_STAND_IN],
    // Entities are defined with defineEntity, so nothing needs reflection or TS metadata.
    discovery: { warnWhenNoEntities: true },
    // Dates are stored as UTC instants; display zones are applied in shared/ and the UI.
    timezone: '+00:00',
    forceUtcTimezone: true,
    allowGlobalContext: false,
    debug: false,
    logger: opts.logger ? (msg: string) => opts.logger?.debug(msg) : () => {},
    migrations: {
      path: migrationsDir(db.dialect),
      pathTs: migrationsDir(db.dialect),
      // Filled by loadMigrator (the dialect's list unless a test passed its own).
      migrationsList: opts.migrationsList,
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      tableName: 'mikro_orm_migrations',
    },
    // Triggers are written by migrations (the analytics rollups, kernel/db/migrations/
    // analyticsRollupsSql.ts), in each dialect's own SQL, not declared on entities: the schema
    // diff must not propose dropping them.
    schemaGenerator: { ignoreTriggers: true },
  };
  const driver = await driverClass(db, opts.flavor);
  if (db.dialect === 'mysql') {
    return {
      ...common,
      driver,
      clientUrl: db.url,
      pool: { min: 0, max: db.poolMax },
    } as Partial<Options>;
  }
  if (db.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(db.file)), { recursive: true });
  return { ...common, driver, dbName: db.file } as Partial<Options>;
}

/**
 * Loads MikroORM's migrator and this dialect's migrations into `orm` (once), so `orm.migrator`
 * works. Only processes that migrate or generate migrations pay for them.
 */
export async function loadMigrator(orm: Orm): Promise<void> {
  if (loadedMigrators.has(orm)) return;
  const { Migrator: RealMigrator } = await import('@mikro-orm/migrations');
  const options = orm.config.get('migrations');
  if (!options.migrationsList) {
    options.migrationsList =
      dialectOf(orm.em) === 'mysql'
        ? (await import('./migrations/mysql')).migrations
        : (await import('./migrations/sqlite')).migrations;
  }
  RealMigrator.register(orm as unknown as Parameters<typeof RealMigrator.register>[0]);
  loadedMigrators.add(orm);
}

const loadedMigrators = new WeakSet<Orm>();

/**
 * Opens the ORM for the configured database. Does not migrate. `migrator: false` leaves MikroORM's
 * migrator and the migrations unloaded until {@link migrateUp} or {@link loadMigrator} needs them
 * (the server's processes); by default `orm.migrator` is ready (scripts and tests).
 */
export async function openOrm(
  db: DatabaseConfig,
  opts: { logger?: Logger; migrationsList?: MigrationObject[]; migrator?: boolean } = {},
): Promise<Orm> {
  const flavor = db.dialect === 'mysql' ? await detectMysqlFlavor(db.url) : undefined;
  const orm = (await MikroORM.init(await ormOptions(db, { ...opts, flavor }))) as unknown as Orm;
  if (opts.migrator !== false) await loadMigrator(orm);
  // The plain-SQL path (db/tx.ts) may open a pool of its own; it closes with the ORM.
  const close = orm.close.bind(orm);
  orm.close = async (force?: boolean) => {
    await closeNativePool(orm.em);
    return close(force);
  };
  if (db.dialect === 'sqlite') {
    // WAL lets readers proceed while the single writer commits; busy_timeout makes a second
    // writer wait instead of failing with SQLITE_BUSY (the embedded default runs one process).
    const em = orm.em.fork();
    if (db.file !== ':memory:') await em.getConnection().execute('pragma journal_mode = wal');
    await em.getConnection().execute('pragma busy_timeout = 5000');
    await em.getConnection().execute('pragma foreign_keys = on');
  }
  return orm;
}

/** Applies pending migrations; returns the names applied. */
export async function migrateUp(orm: Orm): Promise<string[]> {
  await loadMigrator(orm);
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

/** True when the database answers a trivial query (readiness probe). */
export async function pingDatabase(orm: Orm): Promise<boolean> {
  try {
    await orm.em.fork().getConnection().execute('select 1 as ok');
    return true;
  } catch {
    return false;
  }
}
