/**
 * A small SQL seam for hot paths: `Tx` runs plain SQL in a transaction and collects the rows
 * every transaction writes on the side (outbox messages, audit entries).
 *
 * Two implementations:
 * - `emTx(em)` wraps a MikroORM entity manager (either dialect): statements go through
 *   `em.execute` in the manager's transaction, outbox and audit rows through the unit of work
 *   exactly as `enqueue`/`audit` have always done. Used wherever a command already runs in an
 *   ORM transaction.
 * - `inTransaction(em, fn)` on MySQL/MariaDB borrows a connection from the pool MikroORM
 *   already owns (no extra connections) and talks mysql2 directly: BEGIN, the statements,
 *   one multi-row INSERT per side table, COMMIT. On SQLite it is `em.transactional` + `emTx`.
 *   The booking rush (1,000 simultaneous requests) spends most of its time in per-statement ORM
 *   overhead (query building, hydration, unit-of-work diffing), which is why winners of an AI
 *   slot commit through this path (see BENCHMARKS.md, booking).
 *
 * Values are converted per dialect with `tx.date()`/`tx.json()`: MikroORM stores instants as
 * UTC `datetime(3)` text on MySQL and as epoch milliseconds on SQLite, and plain SQL must
 * write what the ORM reads back.
 */
import { type DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { LibSqlDriver } from '@mikro-orm/libsql';
import type { Pool as CallbackPool } from 'mysql2';
import type { PoolConnection, Pool as PromisePool } from 'mysql2/promise';
import { type AuditContext, audit } from '../audit';
import type { Actor } from '../http';
import { enqueue, type OutboxEntry, outboxRow } from '../outbox/enqueue';
import type { Em } from './orm';

/** Result of a write statement. */
export interface RunResult {
  affectedRows: number;
  insertId: number;
}

/** A transaction that speaks SQL (see the file comment). */
export interface Tx {
  readonly dialect: 'mysql' | 'sqlite';
  /** The ORM manager behind this transaction, when there is one (ORM-only code needs it). */
  readonly em: Em | null;
  /** Runs a query and returns its rows. `?` placeholders. */
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a write and returns affected rows and the insert id. */
  run(sql: string, params?: readonly unknown[]): Promise<RunResult>;
  /** An instant as this dialect stores it. */
  date(v: Date | number): string | number;
  /** A JSON value as a column value. */
  json(v: unknown): string;
  /** Adds an outbox row to this transaction (idempotent by key). */
  enqueue(entry: OutboxEntry): Promise<void>;
  /** Adds an audit row to this transaction. */
  audit(
    actor: Actor | null,
    action: string,
    object: { type: string; id?: string | number | null },
    details?: Record<string, unknown> | null,
    context?: AuditContext,
  ): void;
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC, as MikroORM writes `datetime(3)` on MySQL. */
function mysqlInstant(v: Date | number): string {
  const d = typeof v === 'number' ? new Date(v) : v;
  return d.toISOString().replace('T', ' ').slice(0, 23);
}

/** True for a {@link Tx} (as opposed to an entity manager). */
export function isTx(x: unknown): x is Tx {
  return typeof x === 'object' && x !== null && 'dialect' in x && typeof (x as Tx).run === 'function';
}

/** A {@link Tx} for either (code that is called from both ORM and plain-SQL transactions). */
export function asTx(x: Em | Tx): Tx {
  return isTx(x) ? x : emTx(x);
}

/** Which dialect an entity manager talks to. */
export function dialectOf(em: Em): 'mysql' | 'sqlite' {
  return em.getDriver() instanceof LibSqlDriver ? 'sqlite' : 'mysql';
}

/** A {@link Tx} over an entity manager (see the file comment). */
export function emTx(em: Em): Tx {
  const dialect = dialectOf(em);
  return {
    dialect,
    em,
    all: <T>(sql: string, params: readonly unknown[] = []) => em.execute<T[]>(sql, [...params], 'all'),
    run: async (sql: string, params: readonly unknown[] = []) => {
      const r = await em.execute<{ affectedRows: number; insertId: number }>(sql, [...params], 'run');
      return { affectedRows: Number(r.affectedRows), insertId: Number(r.insertId) };
    },
    date: (v) => (dialect === 'sqlite' ? (typeof v === 'number' ? v : v.getTime()) : mysqlInstant(v)),
    json: (v) => JSON.stringify(v),
    enqueue: async (entry) => {
      await enqueue(em, entry);
    },
    audit: (actor, action, object, details = null, context = {}) =>
      audit(em, actor, action, object, details, context),
  };
}

const OUTBOX_COLUMNS = [
  'idempotency_key',
  'topic',
  'aggregate',
  'recipient_kind',
  'recipient_id',
  'channel',
  'payload',
  'due_at',
  'status',
  'attempts',
  'created_at',
] as const;

const AUDIT_COLUMNS = [
  'actor_kind',
  'actor_id',
  'action',
  'object_type',
  'object_id',
  'details',
  'ip',
  'request_id',
  'at',
] as const;

/**
 * A {@link Tx} over one mysql2 connection inside BEGIN/COMMIT. Outbox and audit rows are
 * collected and written as one multi-row INSERT each before COMMIT (a statement that names
 * one of those tables writes them first, so reads and updates see them).
 */
class MysqlTx implements Tx {
  readonly dialect = 'mysql' as const;
  readonly em = null;
  private outbox = new Map<string, unknown[]>();
  private auditRows: unknown[][] = [];

  constructor(private readonly conn: PoolConnection) {}

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    await this.flushFor(sql);
    const [rows] = await this.conn.query(sql, params as unknown[]);
    return rows as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<RunResult> {
    await this.flushFor(sql);
    const [res] = await this.conn.query(sql, params as unknown[]);
    const r = res as { affectedRows: number; insertId: number };
    return { affectedRows: r.affectedRows, insertId: r.insertId };
  }

  date(v: Date | number): string {
    return mysqlInstant(v);
  }

  json(v: unknown): string {
    return JSON.stringify(v);
  }

  async enqueue(entry: OutboxEntry): Promise<void> {
    // Same key twice in one transaction: the first wins (as with the ORM path).
    if (this.outbox.has(entry.key)) return;
    const r = outboxRow(entry);
    const now = mysqlInstant(Date.now());
    this.outbox.set(entry.key, [
      r.idempotencyKey,
      r.topic,
      r.aggregate,
      r.recipientKind,
      r.recipientId,
      r.channel,
      JSON.stringify(r.payload),
      mysqlInstant(r.dueAt),
      'pending',
      0,
      now,
    ]);
  }

  audit(
    actor: Actor | null,
    action: string,
    object: { type: string; id?: string | number | null },
    details: Record<string, unknown> | null = null,
    context: AuditContext = {},
  ): void {
    this.auditRows.push([
      actor ? actor.kind : 'system',
      actor ? actor.id : null,
      action,
      object.type,
      object.id === undefined || object.id === null ? null : String(object.id),
      details === null ? null : JSON.stringify(details),
      context.ip ?? null,
      context.requestId ?? null,
      // audit_log.at is a second-precision datetime.
      mysqlInstant(Date.now()).slice(0, 19),
    ]);
  }

  private async flushFor(sql: string): Promise<void> {
    if (this.outbox.size && /\boutbox\b/i.test(sql)) await this.flushOutbox();
    if (this.auditRows.length && /\baudit_log\b/i.test(sql)) await this.flushAudit();
  }

  private async flushOutbox(): Promise<void> {
    const rows = [...this.outbox.values()];
    this.outbox.clear();
    const marks = `(${OUTBOX_COLUMNS.map(() => '?').join(',')})`;
    // Idempotent by key: a row another transaction already wrote is kept, ours is dropped
    // (`id = id` is a no-op update; unlike INSERT IGNORE it lets every other error through).
    await this.conn.query(
      `insert into outbox (${OUTBOX_COLUMNS.join(',')}) values ${rows.map(() => marks).join(',')}
       on duplicate key update id = id`,
      rows.flat(),
    );
  }

  private async flushAudit(): Promise<void> {
    const rows = this.auditRows;
    this.auditRows = [];
    const marks = `(${AUDIT_COLUMNS.map(() => '?').join(',')})`;
    await this.conn.query(
      `insert into audit_log (${AUDIT_COLUMNS.join(',')}) values ${rows.map(() => marks).join(',')}`,
      rows.flat(),
    );
  }

  /** Writes the collected rows; called before COMMIT. */
  async flush(): Promise<void> {
    if (this.outbox.size) await this.flushOutbox();
    if (this.auditRows.length) await this.flushAudit();
  }
}

const NATIVE_POOLS = new WeakMap<object, PromisePool | null>();

/** The mysql2 pool MikroORM owns (null on SQLite). Shared: no extra connections are opened. */
export async function nativePool(em: Em): Promise<PromisePool | null> {
  const connection = em.getConnection() as unknown as {
    getNativeClient?: () => Promise<CallbackPool>;
  };
  if (NATIVE_POOLS.has(connection)) return NATIVE_POOLS.get(connection) ?? null;
  const pool =
    dialectOf(em) === 'mysql' && connection.getNativeClient
      ? (await connection.getNativeClient()).promise()
      : null;
  NATIVE_POOLS.set(connection, pool);
  return pool;
}

/** Maps a mysql2 error to the exception classes the ORM path throws (unique, deadlock...). */
function convert(em: Em, err: unknown): unknown {
  if (!(err instanceof Error) || !('errno' in err)) return err;
  const converted = em.getDriver().convertException(err) as DriverException;
  return converted instanceof UniqueConstraintViolationException || converted.name !== 'DriverException'
    ? converted
    : err;
}

/**
 * Runs `fn` in a transaction of its own (see the file comment). Rolls back and rethrows on any
 * error; database errors surface as the same MikroORM exception classes as on the ORM path.
 */
export async function inTransaction<T>(em: Em, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const pool = await nativePool(em);
  if (!pool) return em.fork().transactional((orm) => fn(emTx(orm)));
  const conn = await pool.getConnection();
  let broken = false;
  try {
    await conn.query('begin');
    const tx = new MysqlTx(conn);
    const out = await fn(tx);
    await tx.flush();
    await conn.query('commit');
    return out;
  } catch (err) {
    try {
      await conn.query('rollback');
    } catch {
      broken = true;
    }
    throw convert(em, err);
  } finally {
    if (broken) conn.destroy();
    else conn.release();
  }
}

/** Runs one statement outside any transaction (raw pool on MySQL, the ORM on SQLite). */
export async function query<T = Record<string, unknown>>(
  em: Em,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const pool = await nativePool(em);
  if (!pool) return em.fork().execute<T[]>(sql, [...params], 'all');
  try {
    const [rows] = await pool.query(sql, params as unknown[]);
    return rows as T[];
  } catch (err) {
    throw convert(em, err);
  }
}

/** Like {@link query} for a write; returns affected rows and the insert id. */
export async function execute(em: Em, sql: string, params: readonly unknown[] = []): Promise<RunResult> {
  const pool = await nativePool(em);
  if (!pool) return emTx(em.fork()).run(sql, params);
  try {
    const [res] = await pool.query(sql, params as unknown[]);
    const r = res as { affectedRows: number; insertId: number };
    return { affectedRows: r.affectedRows, insertId: r.insertId };
  } catch (err) {
    throw convert(em, err);
  }
}

/** An instant as `em`'s dialect stores it (for plain-SQL parameters). */
export function sqlDate(em: Em, v: Date | number): string | number {
  return dialectOf(em) === 'sqlite' ? (typeof v === 'number' ? v : v.getTime()) : mysqlInstant(v);
}

/** The entity manager behind `tx`; for handlers of events only emitted from ORM transactions. */
export function requireEm(tx: Tx): Em {
  if (!tx.em) throw new Error('this handler needs an ORM transaction, got a plain-SQL one');
  return tx.em;
}
