/**
 * The database types every layer names (a leaf module: the ORM set-up, the SQL transaction seam,
 * the outbox and the audit trail all use them without importing one another in a circle).
 */
import type { AbstractSqlDriver, MikroORM, SqlEntityManager } from '@mikro-orm/sql';
import type { Actor } from '../actor';
import type { AuditContext } from '../audit';
import type { OutboxEntry } from '../outbox/entry';

/** The ORM type used across the server (either dialect). */
export type Orm = MikroORM<AbstractSqlDriver>;
/** The SQL entity manager (query builder, `execute`, locking). */
export type Em = SqlEntityManager<AbstractSqlDriver>;

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
  /** An entity manager of the same database (per-database lookups: event wiring, caches). */
  readonly base: Em;
  /** Runs a query and returns its rows. `?` placeholders. */
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a write and returns affected rows and the insert id. */
  run(sql: string, params?: readonly unknown[]): Promise<RunResult>;
  /** Several writes in order (one round trip where the driver allows); stops at the first error. */
  runAll(statements: Array<[string, readonly unknown[]]>): Promise<RunResult[]>;
  /**
   * A write whose result only decides whether the transaction may commit (a compare-and-swap):
   * `check` returns the error to fail with, or null. The plain-SQL transaction sends it with
   * its next statement or its COMMIT (saving a round trip), so the error may surface from a
   * later call; the ORM one runs it at once. Either way the transaction never commits past a
   * failed check.
   */
  runChecked(
    sql: string,
    params: readonly unknown[],
    check: (r: RunResult) => Error | null,
    opts?: {
      /**
       * This transaction holds a lock that makes the check pass (it read the row FOR UPDATE),
       * so the write may share a round trip with COMMIT; a failure is then reported as a broken
       * invariant after the fact.
       */
      lockedByRead?: boolean;
    },
  ): Promise<void>;
  /**
   * Reads that are about to be made (`all` with the same SQL and parameters): the plain-SQL
   * transaction sends them at the end of its next round trip and answers the later `all` from
   * that result, unless this transaction wrote in between. A hint: the ORM one ignores it.
   */
  prefetch(reads: Array<[string, readonly unknown[]]>): void;
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

/** True for a {@link Tx} (as opposed to an entity manager). */
export function isTx(x: unknown): x is Tx {
  return typeof x === 'object' && x !== null && 'dialect' in x && typeof (x as Tx).run === 'function';
}
