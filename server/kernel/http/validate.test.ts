import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorText } from '../../../shared/errors';
import { AppError } from '../errors';
import type { AppContext } from './context';
import { validate } from './validate';

const body = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  email: z.email().optional(),
  count: z.number().int().min(1).optional(),
  tags: z.array(z.string()).min(1).optional(),
});

/** Runs the validate middleware on a request body and returns the error it throws. */
async function refuse(input: unknown): Promise<AppError> {
  const ctx = { request: { body: input, is: () => 'application/json' }, query: {} } as unknown as AppContext;
  try {
    await validate({ body })(ctx as never, async () => {});
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('the body was accepted');
}

describe('validate', () => {
  it('passes a valid body through as ctx.input', async () => {
    const ctx = {
      request: { body: { reason: ' ill ' }, is: () => 'application/json' },
      query: {},
    } as unknown as AppContext & {
      input: { body: { reason: string } };
    };
    let reached = false;
    await validate({ body })(ctx as never, async () => {
      reached = true;
    });
    expect(reached).toBe(true);
    expect(ctx.input.body.reason).toBe('ill');
  });

  it.each([
    ['a missing field', {}, 'body.reason', 'required'],
    ['an empty string', { reason: '' }, 'body.reason', 'required'],
    ['a blank string (trimmed)', { reason: '   ' }, 'body.reason', 'required'],
    ['an empty list', { reason: 'x', tags: [] }, 'body.tags', 'required'],
    ['a null', { reason: null }, 'body.reason', 'required'],
    ['a wrong type', { reason: 7 }, 'body.reason', 'invalid'],
    ['a bad format', { reason: 'x', email: 'nope' }, 'body.email', 'invalid'],
    ['a number below its minimum', { reason: 'x', count: 0 }, 'body.count', 'invalid'],
    ['a string over its maximum', { reason: 'x'.repeat(501) }, 'body.reason', 'invalid'],
    ['an unknown field', { reason: 'x', admin: true }, 'body.admin', 'unknown'],
  ])('tells %s apart: %j -> %s %s', async (_name, input, field, kind) => {
    const err = await refuse(input);
    expect([err.status, err.code]).toEqual([400, 'validation_failed']);
    expect(err.message).toContain(field);
    expect((err.details as Array<{ field: string; kind: string }>)[0]).toMatchObject({ field, kind });
  });

  it('gives the mini-app what it needs to say "请填写：原因" (issue 11)', async () => {
    const err = await refuse({ reason: '' });
    expect(errorText(err.code, 'zh-CN', err.details)).toBe('请填写：原因');
    expect(errorText(err.code, 'en', err.details)).toBe('Please fill in: reason');
    const bad = await refuse({ reason: 'x', email: 'nope' });
    expect(errorText(bad.code, 'zh-CN', bad.details)).toBe('请检查：邮箱');
  });

  it('reads and checks the query only for a route with a query schema', async () => {
    const params = z.strictObject({ id: z.coerce.number().int().positive() });
    const query = z.strictObject({ page: z.coerce.number().int().min(1) });
    let reads = 0;
    const ctxWith = (q: Record<string, string>, id: string) => {
      const ctx = { request: { is: () => null }, params: { id } } as unknown as AppContext & { input: any };
      Object.defineProperty(ctx, 'query', {
        get: () => {
          reads++;
          return q;
        },
      });
      return ctx;
    };
    // No query schema: the query is never parsed (it is ignored, as before), params are checked.
    const plain = ctxWith({ junk: 'x' }, '7');
    await validate({ params })(plain as never, async () => {});
    expect(reads).toBe(0);
    expect(plain.input).toEqual({ params: { id: 7 } });
    const badId = ctxWith({}, '0');
    await expect(validate({ params })(badId as never, async () => {})).rejects.toMatchObject({
      code: 'validation_failed',
      details: [expect.objectContaining({ field: 'params.id' })],
    });
    // With one: read, coerced, and a bad or unknown field is named.
    const paged = ctxWith({ page: '2' }, '7');
    await validate({ query, params })(paged as never, async () => {});
    expect(reads).toBe(1);
    expect(paged.input).toEqual({ query: { page: 2 }, params: { id: 7 } });
    for (const [q, field] of [
      [{ page: '0' }, 'query.page'],
      [{ page: '1', extra: 'x' }, 'query.extra'],
    ] as const)
      await expect(validate({ query })(ctxWith(q, '7') as never, async () => {})).rejects.toMatchObject({
        code: 'validation_failed',
        details: [expect.objectContaining({ field })],
      });
  });
});
