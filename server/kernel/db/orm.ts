import fs from 'node:fs';
import path from 'node:path';
import type { MigrationObject, Options } from '@mikro-orm/core';
import { LibSqlDriver } from '@mikro-orm/libsql';
import { MariaDbDriver } from '@mikro-orm/mariadb';
import { Migrator } from '@mikro-orm/migrations';
import { MySqlDriver } from '@mikro-orm/mysql';
import { MikroORM } from '@mikro-orm/sql';
import mysql from 'mysql2/promise';
import type { DatabaseConfig } from '../config';
import type { Logger } from '../logger';
import { entities } from './entities';
import { migrations as mysqlMigrations } from './migrations/mysql';
import { migrations as sqliteMigrations } from './migrations/sqlite';
import { closeNativePool } from './tx';
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

/** Options shared by runtime and the migration generator. */
export function ormOptions(
  db: DatabaseConfig,
  opts: { logger?: Logger; migrationsList?: MigrationObject[]; flavor?: 'mysql' | 'mariadb' } = {},
): Partial<Options> {
  const dialectMigrations =
    opts.migrationsList ?? (db.dialect === 'mysql' ? mysqlMigrations : sqliteMigrations);
  const common: Partial<Options> = {
    entities,
    extensions: [Migrator],
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
      migrationsList: dialectMigrations,
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
  if (db.dialect === 'mysql') {
    return {
      ...common,
      driver: opts.flavor === 'mariadb' ? MariaDbDriver : MySqlDriver,
      clientUrl: db.url,
      pool: { min: 0, max: db.poolMax },
    } as Partial<Options>;
  }
  if (db.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(db.file)), { recursive: true });
  return { ...common, driver: LibSqlDriver, dbName: db.file } as Partial<Options>;
}

/** Opens the ORM for the configured database. Does not migrate. */
export async function openOrm(
  db: DatabaseConfig,
  opts: { logger?: Logger; migrationsList?: MigrationObject[] } = {},
): Promise<Orm> {
  const flavor = db.dialect === 'mysql' ? await detectMysqlFlavor(db.url) : undefined;
  const orm = (await MikroORM.init(ormOptions(db, { ...opts, flavor }))) as unknown as Orm;
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
