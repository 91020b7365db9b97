/**
 * True for database errors where another transaction won a lock race and retrying the whole
 * transaction is the right answer: MySQL/MariaDB deadlock (1213) or lock wait timeout (1205),
 * SQLite busy.
 */
export function isRetryableDbError(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string; name?: string };
  return (
    e?.errno === 1213 ||
    e?.errno === 1205 ||
    e?.name === 'DeadlockException' ||
    e?.name === 'LockWaitTimeoutException' ||
    /SQLITE_BUSY|database is locked|Deadlock found|Lock wait timeout/i.test(
      String(e?.message ?? e?.code ?? ''),
    )
  );
}

/**
 * Runs a whole transaction again when the database chose it as a deadlock victim. The
 * function must start from fresh reads (or conditional updates on versions it read before),
 * so a retry sees the winner's change and fails cleanly instead of overwriting it.
 */
export async function retryOnDeadlock<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isRetryableDbError(err)) throw err;
      // A short, jittered pause so the two transactions do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * i));
    }
  }
}
