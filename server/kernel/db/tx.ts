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
import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { SqlitePlatform } from '@mikro-orm/sql';
import { type Pool as CallbackPool, createPool, type PoolConnection, type PoolOptions } from 'mysql2';
import type { Actor } from '../actor';
import { type AuditContext, audit } from '../audit';
import { enqueue, OUTBOX_COLUMNS, type OutboxEntry, outboxValues } from '../outbox/enqueue';
import { type Em, isTx, type RunResult, type Tx } from './types';

export { isTx, type RunResult, type Tx } from './types';

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC, as MikroORM writes `datetime(3)` on MySQL. */
function mysqlInstant(v: Date | number): string {
  const d = typeof v === 'number' ? new Date(v) : v;
  return d.toISOString().replace('T', ' ').slice(0, 23);
}

/** A {@link Tx} for either (code that is called from both ORM and plain-SQL transactions). */
export function asTx(x: Em | Tx): Tx {
  return isTx(x) ? x : emTx(x);
}

/** Which dialect an entity manager talks to. */
export function dialectOf(em: Em): 'mysql' | 'sqlite' {
  // The platform, not the driver class: the libSQL driver then loads only where SQLite is used.
  return em.getPlatform() instanceof SqlitePlatform ? 'sqlite' : 'mysql';
}

/** A {@link Tx} over an entity manager (see the file comment). */
export function emTx(em: Em): Tx {
  const dialect = dialectOf(em);
  return {
    dialect,
    em,
    base: em,
    all: <T>(sql: string, params: readonly unknown[] = []) => em.execute<T[]>(sql, [...params], 'all'),
    run: async (sql: string, params: readonly unknown[] = []) => {
      const r = await em.execute<{ affectedRows: number; insertId: number }>(sql, [...params], 'run');
      return { affectedRows: Number(r.affectedRows), insertId: Number(r.insertId) };
    },
    async runAll(statements) {
      const out: RunResult[] = [];
      for (const [sql, params] of statements) out.push(await this.run(sql, params));
      return out;
    },
    async runChecked(sql, params, check) {
      const failed = check(await this.run(sql, params));
      if (failed) throw failed;
    },
    prefetch() {},
    date: (v) => sqlDate(em, v),
    json: (v) => JSON.stringify(v),
    // The unit of work inserts the row at flush, at the end of the transaction. An INSERT … ON
    // DUPLICATE KEY at once was tried (one statement instead of a keyed read and the flush's
    // insert): it saved no measurable CPU, and it holds the outbox's key locks for the rest of the
    // transaction, which the web's bookings, starts and submits (they write outbox rows too)
    // could wait on (BENCHMARKS.md, load).
    enqueue: async (entry) => {
      await enqueue(em, entry);
    },
    audit: (actor, action, object, details = null, context = {}) =>
      audit(em, actor, action, object, details, context),
  };
}

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
  private checked: Array<{
    sql: string;
    params: readonly unknown[];
    check: (r: RunResult) => Error | null;
    locked: boolean;
  }> = [];
  /** Reads to send with the next round trip, each with its {@link paramsKey} (made once). */
  private prefetched: Array<[string, readonly unknown[], string]> = [];
  /**
   * Prefetched results by statement text, then by {@link paramsKey}. Two levels rather than one
   * key of text and parameters joined: a joined key is a new string, hashed (and so copied
   * whole) on every lookup, and the grant's joined read is long; the statement texts are
   * module constants whose hash V8 keeps. An inner map never stays empty.
   */
  private fetched = new Map<string, Map<string, unknown>>();
  private begun = false;

  constructor(
    private readonly conn: PoolConnection,
    readonly base: Em,
    private readonly readCommitted = false,
  ) {}

  /**
   * Sends statements in one round trip (this pool allows several statements per query; every
   * value is still a bound `?` parameter). The transaction's BEGIN rides on its first query.
   */
  private async send(statements: Array<[string, readonly unknown[]]>): Promise<unknown[]> {
    const checks = this.checked;
    this.checked = [];
    // Prefetched reads go last: they see every write of this round trip, like a later `all`.
    const reads = this.prefetched;
    this.prefetched = [];
    const list: Array<[string, readonly unknown[]]> = [
      ...(this.begun
        ? []
        : this.readCommitted
          ? ([
              // Applies to the next transaction only; the pooled connection keeps its default.
              ['set transaction isolation level read committed', []],
              ['begin', []],
            ] as Array<[string, readonly unknown[]]>)
          : [['begin', []] as [string, readonly unknown[]]]),
      ...checks.map((c): [string, readonly unknown[]] => [c.sql, c.params]),
      ...statements,
      ...reads.map(([sql, params]): [string, readonly unknown[]] => [sql, params]),
    ];
    this.begun = true;
    let results: unknown[];
    try {
      const res = await run(
        this.conn,
        list.map(([sql]) => sql).join(';\n'),
        list.flatMap(([, p]) => p),
      );
      results = list.length === 1 ? [res] : (res as unknown[]);
    } catch (err) {
      // Callers catch the same exception classes as on the ORM path (unique, deadlock...).
      throw convert(this.base, err);
    }
    const n = results.length;
    const readResults = results.slice(n - reads.length);
    for (let i = 0; i < reads.length; i++) {
      const [sql, , key] = reads[i];
      const bySql = this.fetched.get(sql) ?? new Map<string, unknown>();
      if (!bySql.size) this.fetched.set(sql, bySql);
      bySql.set(key, readResults[i]);
    }
    const checkResults = results.slice(n - reads.length - statements.length - checks.length);
    for (const [i, c] of checks.entries()) {
      const r = checkResults[i] as { affectedRows: number; insertId: number };
      const failed = c.check({ affectedRows: r.affectedRows, insertId: r.insertId });
      if (failed) throw failed;
    }
    return results.slice(n - reads.length - statements.length, n - reads.length);
  }

  async runChecked(
    sql: string,
    params: readonly unknown[],
    check: (r: RunResult) => Error | null,
    opts: { lockedByRead?: boolean } = {},
  ): Promise<void> {
    this.forget();
    this.checked.push({ sql, params, check, locked: opts.lockedByRead === true });
  }

  prefetch(reads: Array<[string, readonly unknown[]]>): void {
    for (const [sql, params] of reads) {
      const key = paramsKey(params);
      if (this.fetched.get(sql)?.has(key) || this.prefetched.some((r) => r[2] === key && r[0] === sql))
        continue;
      this.prefetched.push([sql, params, key]);
    }
  }

  /** A write makes earlier prefetched results stale (those naming `table`, or all). */
  private forget(table?: string): void {
    if (!this.fetched.size) return;
    if (!table) {
      this.fetched.clear();
      return;
    }
    const re = new RegExp(`\\b${table}\\b`, 'i');
    for (const sql of this.fetched.keys()) if (re.test(sql)) this.fetched.delete(sql);
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const bySql = this.fetched.get(sql);
    if (bySql) {
      const key = paramsKey(params);
      if (bySql.has(key)) {
        const rows = bySql.get(key);
        bySql.delete(key);
        if (!bySql.size) this.fetched.delete(sql);
        return rows as T[];
      }
    }
    // Asked for before a round trip carried it (emit prefetches its handlers' reads, then the
    // first handler reads at once): sent once, now, not once more among the prefetched reads.
    if (this.prefetched.length) {
      const key = paramsKey(params);
      this.prefetched = this.prefetched.filter((r) => r[0] !== sql || r[2] !== key);
    }
    const list = [...this.pendingFor(sql), [sql, params] as [string, readonly unknown[]]];
    const results = await this.send(list);
    return results[list.length - 1] as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<RunResult> {
    this.forget();
    const [res] = await this.send([...this.pendingFor(sql), [sql, params]]).then((r) => r.slice(-1));
    const r = res as { affectedRows: number; insertId: number };
    return { affectedRows: r.affectedRows, insertId: r.insertId };
  }

  /** Several writes in one round trip, in order; stops at the first error. */
  async runAll(statements: Array<[string, readonly unknown[]]>): Promise<RunResult[]> {
    this.forget();
    const pending = statements.flatMap(([sql]) => this.pendingFor(sql));
    const res = (await this.send([...pending, ...statements])).slice(pending.length);
    return res.map((r) => {
      const x = r as { affectedRows: number; insertId: number };
      return { affectedRows: x.affectedRows, insertId: x.insertId };
    });
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
    this.forget('outbox');
    this.outbox.set(entry.key, outboxValues(entry, mysqlInstant));
  }

  audit(
    actor: Actor | null,
    action: string,
    object: { type: string; id?: string | number | null },
    details: Record<string, unknown> | null = null,
    context: AuditContext = {},
  ): void {
    this.forget('audit_log');
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

  /** The collected rows a statement naming their table must see first (sent before it). */
  private pendingFor(sql: string): Array<[string, unknown[]]> {
    const out: Array<[string, unknown[]]> = [];
    if (this.outbox.size && /\boutbox\b/i.test(sql)) out.push(this.outboxInsert());
    if (this.auditRows.length && /\baudit_log\b/i.test(sql)) out.push(this.auditInsert());
    return out;
  }

  private outboxInsert(): [string, unknown[]] {
    const rows = [...this.outbox.values()];
    this.outbox.clear();
    const marks = `(${OUTBOX_COLUMNS.map(() => '?').join(',')})`;
    // Idempotent by key: a row another transaction already wrote is kept, ours is dropped
    // (`id = id` is a no-op update; unlike INSERT IGNORE it lets every other error through).
    return [
      `insert into outbox (${OUTBOX_COLUMNS.join(',')}) values ${rows.map(() => marks).join(',')}
       on duplicate key update id = id`,
      rows.flat(),
    ];
  }

  private auditInsert(): [string, unknown[]] {
    const rows = this.auditRows;
    this.auditRows = [];
    const marks = `(${AUDIT_COLUMNS.map(() => '?').join(',')})`;
    return [
      `insert into audit_log (${AUDIT_COLUMNS.join(',')}) values ${rows.map(() => marks).join(',')}`,
      rows.flat(),
    ];
  }

  /** Writes the collected rows and commits, in one round trip. */
  async commit(): Promise<void> {
    if (!this.begun && !this.outbox.size && !this.auditRows.length && !this.checked.length) return;
    const statements: Array<[string, readonly unknown[]]> = [];
    if (this.outbox.size) statements.push(this.outboxInsert());
    if (this.auditRows.length) statements.push(this.auditInsert());
    // Checked writes are judged on their results, so COMMIT must not ride with them, unless a
    // lock this transaction holds already guarantees them.
    if (this.checked.some((c) => !c.locked)) {
      await this.send(statements);
      await this.send([['commit', []]]);
      return;
    }
    try {
      await this.send([...statements, ['commit', []]]);
    } catch (err) {
      if (err instanceof Error && !('errno' in err) && !(err instanceof DriverException))
        throw new Error(`a locked compare-and-swap failed after COMMIT (invariant broken): ${err.message}`);
      throw err;
    }
  }

  /** True once BEGIN was sent (a rollback is needed on failure). */
  get started(): boolean {
    return this.begun;
  }
}

/** What tells apart two reads of the same statement text: their parameters. */
function paramsKey(params: readonly unknown[]): string {
  return JSON.stringify(params);
}

/**
 * One statement on a mysql2 pool or connection. The callback API on purpose: mysql2's promise
 * wrapper captures a stack trace for every query, a measurable share of the booking rush.
 */
function run(
  target: CallbackPool | PoolConnection,
  sql: string,
  params: readonly unknown[],
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    (target as PoolConnection).query(sql, params as unknown[], (err: unknown, res: unknown) =>
      err ? reject(err) : resolve(res),
    );
  });
}

const NATIVE_POOLS = new WeakMap<object, CallbackPool | null>();

/**
 * The mysql2 pool of the plain-SQL path (null on SQLite): the ORM's connection settings (URL,
 * UTC, date strings, pool size) plus `multipleStatements`, so a transaction's BEGIN and first
 * statement, or its side-table inserts and COMMIT, share a round trip. Kept apart from the
 * ORM's own pool on purpose: only this module's code, which binds every value as a `?`
 * parameter, can send several statements at once. Closed by {@link closeNativePool}
 * (`openOrm` wires it to `orm.close`). Synchronous (it never waits): every plain read and write
 * asks for it, and an async lookup was a promise and a microtask per statement.
 */
function nativePool(em: Em): CallbackPool | null {
  const connection = em.getConnection() as unknown as { mapOptions?: (o: PoolOptions) => PoolOptions };
  if (NATIVE_POOLS.has(connection)) return NATIVE_POOLS.get(connection) ?? null;
  const pool =
    dialectOf(em) === 'mysql' && connection.mapOptions
      ? createPool({
          ...connection.mapOptions({}),
          multipleStatements: true,
        })
      : null;
  NATIVE_POOLS.set(connection, pool);
  return pool;
}

/** Closes the plain-SQL pool of `em`'s database, if one was opened. */
export async function closeNativePool(em: Em): Promise<void> {
  const connection = em.getConnection() as object;
  const pool = NATIVE_POOLS.get(connection);
  NATIVE_POOLS.delete(connection);
  if (pool) await new Promise<void>((resolve) => pool.end(() => resolve()));
}

/** Maps a mysql2 error to the exception classes the ORM path throws (unique, deadlock...). */
function convert(em: Em, err: unknown): unknown {
  if (!(err instanceof Error) || !('errno' in err) || err instanceof DriverException) return err;
  const converted = em.getDriver().convertException(err);
  return converted instanceof UniqueConstraintViolationException || converted.name !== 'DriverException'
    ? converted
    : err;
}

/**
 * Thrown inside a plain-SQL transaction that met a case only the ORM path handles (a handler of
 * an event that needs entities, say): the transaction rolls back and the caller, which catches
 * it, runs its ORM path instead.
 */
export class NeedsOrmPath extends Error {
  constructor(why: string) {
    super(`needs the ORM path: ${why}`);
    this.name = 'NeedsOrmPath';
  }
}

/** Options of {@link inTransaction}. */
export interface TransactionOptions {
  /**
   * MySQL: run at READ COMMITTED instead of the default REPEATABLE READ. Plain reads then see
   * the latest committed rows and locking statements take record locks without gap locks (an
   * INSERT ... SELECT, as the analytics triggers run, reads its source without locking it).
   * Only for transactions whose correctness rests on locking statements, never on a snapshot.
   * SQLite (one writer at a time) ignores it.
   */
  readCommitted?: boolean;
}

/**
 * Runs `fn` in a transaction of its own (see the file comment). Rolls back and rethrows on any
 * error; database errors surface as the same MikroORM exception classes as on the ORM path.
 */
export async function inTransaction<T>(
  em: Em,
  fn: (tx: Tx) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  const pool = nativePool(em);
  if (!pool) return em.fork().transactional((orm) => fn(emTx(orm)));
  const conn = await new Promise<PoolConnection>((resolve, reject) =>
    pool.getConnection((err, c) => (err ? reject(convert(em, err)) : resolve(c))),
  );
  let broken = false;
  const tx = new MysqlTx(conn, em, opts.readCommitted === true);
  try {
    const out = await fn(tx);
    await tx.commit();
    return out;
  } catch (err) {
    try {
      if (tx.started) await run(conn, 'rollback', []);
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
  const pool = nativePool(em);
  if (!pool) return em.fork().execute<T[]>(sql, [...params], 'all');
  try {
    return (await run(pool, sql, params)) as T[];
  } catch (err) {
    throw convert(em, err);
  }
}

/**
 * Runs one write outside any transaction (autocommit) and returns affected rows and the insert
 * id: one round trip on the raw pool on MySQL, the ORM on SQLite.
 */
export async function write(em: Em, sql: string, params: readonly unknown[] = []): Promise<RunResult> {
  const pool = nativePool(em);
  if (!pool) return emTx(em.fork()).run(sql, params);
  try {
    const r = (await run(pool, sql, params)) as { affectedRows: number; insertId: number };
    return { affectedRows: Number(r.affectedRows), insertId: Number(r.insertId) };
  } catch (err) {
    throw convert(em, err);
  }
}

/** A datetime column as the driver returns it (SQLite: epoch ms; MariaDB: UTC text; or a Date). */
export function instantOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof Date) return v.getTime();
  const text = String(v);
  return /^\d+$/.test(text) ? Number(text) : Date.parse(`${text.replace(' ', 'T')}Z`);
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

/**
 * Process memory that belongs to one database (caches, coalescers, the seat gate): keyed by
 * the ORM driver, so several databases in one process (tests) never share it.
 */
export function perDatabase<T>(cache: WeakMap<object, T>, em: Em, create: () => T): T {
  const driver = em.getDriver() as object;
  let value = cache.get(driver);
  if (value === undefined) {
    value = create();
    cache.set(driver, value);
  }
  return value;
}
