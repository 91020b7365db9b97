import { describe, expect, it } from 'vitest';
import { placeholders, sqlBool, sqlDate } from './raw';

describe('raw column values', () => {
  it('reads datetimes of both dialects as the same instant', () => {
    const at = new Date('2026-12-04T14:13:58.549Z');
    expect(sqlDate(at.getTime())?.toISOString()).toBe(at.toISOString());
    expect(sqlDate(String(at.getTime()))?.toISOString()).toBe(at.toISOString());
    expect(sqlDate('2026-12-04 14:13:58.549')?.toISOString()).toBe(at.toISOString());
    expect(sqlDate(at)).toBe(at);
    expect(sqlDate(null)).toBeNull();
    expect(() => sqlDate({})).toThrow(/datetime/);
  });
  it('reads booleans and builds placeholders', () => {
    expect([1, '1', true, 0, '0', false, null].map(sqlBool)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(placeholders(3)).toBe('?, ?, ?');
  });
});
