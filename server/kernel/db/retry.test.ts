import { describe, expect, it } from 'vitest';
import { isRetryableDbError, retryOnDeadlock } from './retry';

describe('retryOnDeadlock', () => {
  it('retries deadlock victims and returns the eventual result', async () => {
    let calls = 0;
    const result = await retryOnDeadlock(async () => {
      calls++;
      if (calls < 3)
        throw Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213 });
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up after the attempts and never retries other errors', async () => {
    let calls = 0;
    const deadlock = Object.assign(new Error('x'), { errno: 1213 });
    await expect(
      retryOnDeadlock(async () => {
        calls++;
        throw deadlock;
      }, 2),
    ).rejects.toBe(deadlock);
    expect(calls).toBe(2);
    calls = 0;
    await expect(
      retryOnDeadlock(async () => {
        calls++;
        throw new Error('booking_changed');
      }),
    ).rejects.toThrow('booking_changed');
    expect(calls).toBe(1);
  });

  it('recognises MariaDB, MikroORM and SQLite lock errors', () => {
    expect(isRetryableDbError({ errno: 1205 })).toBe(true);
    expect(isRetryableDbError({ name: 'DeadlockException', message: '' })).toBe(true);
    expect(isRetryableDbError(new Error('SQLITE_BUSY: database is locked'))).toBe(true);
    expect(isRetryableDbError(new Error('Duplicate entry'))).toBe(false);
  });
});
