import { NotFoundError, UniqueConstraintViolationException } from '@mikro-orm/core';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  rateLimited,
  unauthorized,
  upstreamError,
} from '../errors';
import { createLogger } from '../logger';
import type { AppContext } from './context';
import { answerError, errorMiddleware } from './errors';

/** A tiny app whose routes throw each kind of error, rendered by the real middleware. */
const throwers: Record<string, () => never> = {
  bad: () => {
    throw badRequest('unknown_slot', 'No such slot', { field: 'x' });
  },
  unauth: () => {
    throw unauthorized('session_expired', 'Session expired');
  },
  forbidden: () => {
    throw forbidden();
  },
  missing: () => {
    throw notFound('Booking');
  },
  conflict: () => {
    throw conflict('slot_full', 'Slot is full');
  },
  limited: () => {
    throw rateLimited(7.2);
  },
  upstream: () => {
    throw upstreamError('dingtalk_unavailable', 'DingTalk down');
  },
  zod: () => {
    z.strictObject({ a: z.string() }).parse({ a: 1 });
    throw new Error('unreachable');
  },
  gone: () => {
    throw new AppError('rebook_link_expired', 'Link expired');
  },
  tooBig: () => {
    throw new AppError('upload_too_large', 'Too large', { maxMegabytes: 200 });
  },
  ormMissing: () => {
    throw new NotFoundError('User not found');
  },
  ormUnique: () => {
    throw new UniqueConstraintViolationException(
      new Error("Duplicate entry 'x' for key 'users_unique' (secret sql)"),
    );
  },
  deadlock: () => {
    throw Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), {
      errno: 1213,
    });
  },
  crash: () => {
    throw new Error('database password is hunter2');
  },
};

describe('error mapping', () => {
  let url: string;
  let server: ReturnType<Koa['listen']>;
  beforeAll(async () => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      ctx.state.requestId = 'req-test-1234';
      ctx.state.log = createLogger('silent');
      await next();
    });
    app.use(errorMiddleware as unknown as Koa.Middleware);
    app.use((ctx) => {
      const name = ctx.path.slice(1);
      if (throwers[name]) throwers[name]();
      (ctx as unknown as AppContext).status = 404;
    });
    server = await new Promise((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const get = async (p: string) => {
    const res = await fetch(url + p);
    return { status: res.status, body: await res.json(), headers: res.headers };
  };

  it.each([
    ['/bad', 400, 'unknown_slot'],
    ['/gone', 410, 'rebook_link_expired'],
    ['/tooBig', 413, 'upload_too_large'],
    ['/unauth', 401, 'session_expired'],
    ['/forbidden', 403, 'forbidden'],
    ['/missing', 404, 'not_found'],
    ['/conflict', 409, 'slot_full'],
    ['/limited', 429, 'rate_limited'],
    ['/upstream', 502, 'dingtalk_unavailable'],
    ['/zod', 400, 'validation_failed'],
    ['/ormMissing', 404, 'not_found'],
    ['/ormUnique', 409, 'duplicate'],
    ['/deadlock', 409, 'concurrent_update'],
    ['/api/nothing-here', 404, 'route_not_found'],
  ])('%s -> %i %s', async (p, status, code) => {
    const res = await get(p);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
  });

  it('names the field of a zod failure', async () => {
    const res = await get('/zod');
    expect(res.body.error.details).toEqual([
      { field: 'body.a', message: expect.any(String), kind: 'invalid' },
    ]);
  });

  it('takes the status from the catalogue and keeps the English message and details', async () => {
    const res = await get('/tooBig');
    expect(res.body).toEqual({
      error: { code: 'upload_too_large', message: 'Too large', details: { maxMegabytes: 200 } },
    });
  });

  it('sends Retry-After with 429', async () => {
    const res = await get('/limited');
    expect(res.headers.get('retry-after')).toBe('8');
  });

  it('shows a plain 500 with the request id and no internals', async () => {
    const res = await get('/crash');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong (request req-test-1234)' },
    });
    const unique = await get('/ormUnique');
    expect(JSON.stringify(unique.body)).not.toContain('secret sql');
  });
});

describe("answerError: one read's error inside a response that answers several", () => {
  const ctxWith = () => {
    const error = vi.fn();
    return { ctx: { state: { requestId: 'req-part-42', log: { error } } } as unknown as AppContext, error };
  };

  it('keeps a known error as it is and logs only a 5xx', () => {
    const { ctx, error } = ctxWith();
    expect(answerError(ctx, notFound('Interview')).toBody()).toEqual({
      error: { code: 'not_found', message: 'Interview not found' },
    });
    expect(answerError(ctx, new NotFoundError('gone')).status).toBe(404);
    expect(error).not.toHaveBeenCalled();
    expect(answerError(ctx, upstreamError('dingtalk_unavailable', 'down')).status).toBe(502);
    expect(error).toHaveBeenCalledTimes(1);
  });

  it('turns anything else into the plain 500 with the request id, and logs the cause', () => {
    const { ctx, error } = ctxWith();
    const cause = new Error('database password is hunter2');
    const answered = answerError(ctx, cause);
    expect(answered.status).toBe(500);
    expect(answered.toBody()).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong (request req-part-42)' },
    });
    expect(error).toHaveBeenCalledWith({ err: cause, requestId: 'req-part-42' }, 'unhandled error');
  });
});
