/**
 * Helpers for lean read paths that run plain SQL through the ORM's connection (`em.execute`)
 * instead of hydrating entities they would only serialise. The two dialects hand back column
 * values differently: SQLite (libsql) stores datetimes as epoch milliseconds and booleans as
 * 0/1; MySQL/MariaDB (mysql2 with date strings, UTC) returns `YYYY-MM-DD HH:MM:SS.sss`.
 */

/** A datetime column value from either dialect as a Date (null stays null). */
export function sqlDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v));
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return new Date(Number(v));
    // Stored in UTC (the ORM forces the UTC time zone); the string carries no zone of its own.
    return new Date(v.includes('T') ? v : `${v.replace(' ', 'T')}Z`);
  }
  throw new TypeError(`not a datetime column value: ${String(v)}`);
}

/** A boolean column value (0/1, '0'/'1' or boolean) from either dialect. */
export function sqlBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 1n;
}

/** `?, ?, ?` for an `in (...)` list of `n` values (n >= 1). */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
