/**
 * Migrated MySQL/MariaDB test databases by copying a template instead of migrating each one.
 *
 * Applying every migration to an empty MariaDB takes 9-18 s on the 2-core test machine (each
 * ALTER rebuilds its table and syncs it to disk), and the suite migrates a database for almost
 * every MariaDB describe block. The finished schema is copied in about 1 s: every table's own
 * `show create table` (columns, indexes, foreign keys, options), the triggers in their firing
 * order, and the rows the migrations left (the migrator's own table), so `migrator.down()` and
 * `revertThrough` work on a copy as on a migrated database.
 *
 * The template is migrated for real, once, by the first test process that needs it, under a
 * server-wide lock. Its name carries a hash of the migration sources, so a changed migration
 * builds a new template; it is kept between runs. `server/kernel/db/migrations.test.ts` compares
 * a copy with a database migrated step by step, and `TEST_REAL_MIGRATIONS=1` turns copying off.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { migrateUp, migrationsDir, type Orm, openOrm } from '../kernel/db/orm';

/** One trigger of the template, as information_schema describes it. */
interface TriggerDef {
  name: string;
  table: string;
  timing: string;
  event: string;
  order: number;
  statement: string;
  sqlMode: string;
  charset: string;
  collation: string;
}

/** What a copy needs from the template (read once per process). */
interface TemplateSchema {
  name: string;
  tables: Array<{ name: string; ddl: string; hasRows: boolean }>;
  triggers: TriggerDef[];
}

/** Connections that create tables side by side: DDL waits on disk syncs more than on CPU. */
const COPY_CONNECTIONS = 3;

let cached: Promise<TemplateSchema> | undefined;

/** The template database's name: the base database's name and a hash of the migration sources. */
export function templateName(baseUrl: string): string {
  const hash = createHash('sha256');
  const dir = migrationsDir('mysql');
  // The dialect's migrations and the shared SQL builders beside them (trigger bodies).
  for (const d of [dir, path.dirname(dir)]) {
    for (const f of fs
      .readdirSync(d)
      .filter((n) => n.endsWith('.ts'))
      .sort()) {
      hash.update(f).update(fs.readFileSync(path.join(d, f)));
    }
  }
  const base = new URL(baseUrl).pathname.slice(1).replace(/\W+/g, '_') || 'db';
  return `aii_tpl_${base}_${hash.digest('hex').slice(0, 12)}`.slice(0, 64);
}

function withDatabase(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function quote(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** Migrates the template unless a complete one is there; the lock keeps parallel test processes to one builder. */
async function ensureTemplate(baseUrl: string, name: string): Promise<void> {
  const conn = await mysql.createConnection(baseUrl);
  try {
    const lock = `aii_tpl_${name.slice(-12)}`;
    const [[got]] = await conn.query<mysql.RowDataPacket[]>('select get_lock(?, 600) as ok', [lock]);
    if (got?.ok !== 1) throw new Error(`timed out waiting for the lock on test template ${name}`);
    try {
      const expected = (await import('../kernel/db/migrations/mysql')).migrations.length;
      const [[found]] = await conn.query<mysql.RowDataPacket[]>(
        'select count(*) as n from information_schema.tables where table_schema = ? and table_name = ?',
        [name, 'mikro_orm_migrations'],
      );
      if (Number(found?.n) === 1) {
        const [[done]] = await conn.query<mysql.RowDataPacket[]>(
          `select count(*) as n from ${quote(name)}.mikro_orm_migrations`,
        );
        if (Number(done?.n) === expected) return;
      }
      // Missing or left half-built by a process that died: build it again from nothing.
      await conn.query(`drop database if exists ${quote(name)}`);
      await conn.query(`create database ${quote(name)} character set utf8mb4 collate utf8mb4_unicode_ci`);
      const orm = await openOrm({ dialect: 'mysql', url: withDatabase(baseUrl, name), poolMax: 2 });
      try {
        await migrateUp(orm);
      } finally {
        await orm.close(true);
      }
      // Templates of older migration sources for the same base database are of no further use.
      const [old] = await conn.query<mysql.RowDataPacket[]>(
        'select schema_name as n from information_schema.schemata where schema_name like ? and schema_name <> ?',
        [`${name.slice(0, -12).replace(/_/g, '\\_')}%`, name],
      );
      for (const o of old) await conn.query(`drop database if exists ${quote(String(o.n))}`);
    } finally {
      await conn.query('select release_lock(?)', [lock]);
    }
  } finally {
    await conn.end();
  }
}

/** Reads the template's tables, triggers and which tables hold rows. */
async function readTemplate(baseUrl: string): Promise<TemplateSchema> {
  const name = templateName(baseUrl);
  await ensureTemplate(baseUrl, name);
  const conn = await mysql.createConnection(withDatabase(baseUrl, name));
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      `select table_name as n from information_schema.tables
        where table_schema = ? and table_type = 'BASE TABLE' order by table_name`,
      [name],
    );
    const tables: TemplateSchema['tables'] = [];
    for (const { n } of rows) {
      const [[ddl]] = await conn.query<mysql.RowDataPacket[]>(`show create table ${quote(n)}`);
      const [[any]] = await conn.query<mysql.RowDataPacket[]>(
        `select exists(select 1 from ${quote(n)}) as has`,
      );
      tables.push({ name: n, ddl: String(ddl['Create Table']), hasRows: Number(any?.has) === 1 });
    }
    const [trig] = await conn.query<mysql.RowDataPacket[]>(
      `select trigger_name, event_object_table, action_timing, event_manipulation, action_order,
              action_statement, sql_mode, character_set_client, collation_connection
         from information_schema.triggers where trigger_schema = ?
        order by event_object_table, action_timing, event_manipulation, action_order`,
      [name],
    );
    const triggers = trig.map((t) => ({
      name: String(t.trigger_name ?? t.TRIGGER_NAME),
      table: String(t.event_object_table ?? t.EVENT_OBJECT_TABLE),
      timing: String(t.action_timing ?? t.ACTION_TIMING),
      event: String(t.event_manipulation ?? t.EVENT_MANIPULATION),
      order: Number(t.action_order ?? t.ACTION_ORDER),
      statement: String(t.action_statement ?? t.ACTION_STATEMENT),
      sqlMode: String(t.sql_mode ?? t.SQL_MODE),
      charset: String(t.character_set_client ?? t.CHARACTER_SET_CLIENT),
      collation: String(t.collation_connection ?? t.COLLATION_CONNECTION),
    }));
    return { name, tables, triggers };
  } finally {
    await conn.end();
  }
}

/**
 * Gives the empty MySQL/MariaDB database `url` the schema and migration history of a fully
 * migrated one, copied from the template of `baseUrl` (built on first use).
 */
export async function copyMigratedTemplate(baseUrl: string, url: string): Promise<void> {
  cached ??= readTemplate(baseUrl).catch((err) => {
    cached = undefined;
    throw err;
  });
  const tpl = await cached;
  const conns = await Promise.all(
    Array.from({ length: COPY_CONNECTIONS }, () =>
      mysql.createConnection({ uri: url, multipleStatements: false }),
    ),
  );
  try {
    // Foreign keys may name tables not created yet; the checks are per connection.
    await Promise.all(conns.map((c) => c.query('set foreign_key_checks = 0')));
    let next = 0;
    await Promise.all(
      conns.map(async (c) => {
        for (let i = next++; i < tpl.tables.length; i = next++) await c.query(tpl.tables[i].ddl);
      }),
    );
    const [first] = conns;
    for (const t of tpl.tables.filter((x) => x.hasRows)) {
      await first.query(`insert into ${quote(t.name)} select * from ${quote(tpl.name)}.${quote(t.name)}`);
    }
    // Triggers of one table and event fire in creation order: each table's in sequence.
    const byTable = new Map<string, TriggerDef[]>();
    for (const t of tpl.triggers) byTable.set(t.table, [...(byTable.get(t.table) ?? []), t]);
    const groups = [...byTable.values()];
    let g = 0;
    await Promise.all(
      conns.map(async (c) => {
        for (let i = g++; i < groups.length; i = g++) {
          for (const t of groups[i]) {
            await c.query('set session sql_mode = ?', [t.sqlMode]);
            await c.query(`set names ${t.charset} collate ${t.collation}`);
            await c.query(
              `create trigger ${quote(t.name)} ${t.timing} ${t.event} on ${quote(t.table)} for each row ${t.statement}`,
            );
          }
        }
      }),
    );
  } finally {
    await Promise.all(conns.map((c) => c.end()));
  }
}

/** True when `orm`'s database has no tables yet (a copy goes only into an empty database). */
export async function isEmptyDatabase(orm: Orm): Promise<boolean> {
  const [row] = await orm.em
    .fork()
    .getConnection()
    .execute('select count(*) as n from information_schema.tables where table_schema = database()');
  return Number(row?.n) === 0;
}
