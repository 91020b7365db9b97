import {
  ForeignKeyConstraintViolationException,
  NotFoundError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import type { Next } from 'koa';
import { ZodError } from 'zod';
import { isRetryableDbError } from '../db/retry';
import { AppError, conflict, notFound } from '../errors';
import type { AppContext } from './context';
import { zodProblems } from './validate';

/**
 * The one place errors become responses. Known errors keep their status and code; ORM
 * not-found becomes 404 and unique violations 409 (a duplicate lost a race); anything else is
 * logged with the request id and shown as a plain 500 without internals.
 */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError)
    return new AppError('validation_failed', 'Invalid request', zodProblems(err, 'body'));
  if (err instanceof NotFoundError) return notFound('Resource');
  if (err instanceof UniqueConstraintViolationException)
    return conflict('duplicate', 'A record with the same key already exists');
  if (err instanceof ForeignKeyConstraintViolationException)
    return conflict('reference_conflict', 'A referenced record is missing or still in use');
  // A lock race the command did not retry: the state changed under the caller, like any conflict.
  if (isRetryableDbError(err))
    return conflict('concurrent_update', 'Someone changed the same data at the same moment; please retry');
  const e = err as { status?: number; type?: string; expose?: boolean; message?: string };
  // Errors from Koa and its libraries that carry an HTTP status (`ctx.throw`, `http-errors`).
  if (e?.status === 413) return new AppError('payload_too_large', 'Request body is too large');
  if (e?.status === 415)
    return new AppError('unsupported_media_type', 'Send JSON with content-type application/json');
  if (e?.status === 400 && e.expose) return new AppError('malformed_body', 'Request body is not valid JSON');
  if (e?.status === 404) return notFound('Route');
  if (e?.status === 405) return new AppError('method_not_allowed', 'Method not allowed');
  return null;
}

/** Answers the request with `err`: its status, headers and `{ error: { code, message, details? } }`. */
export function sendError(ctx: AppContext, err: AppError): void {
  ctx.status = err.status;
  ctx.body = err.toBody();
  if (err.headers) ctx.set(err.headers);
}

/**
 * The error a request answers for `err`, logged as the error middleware logs it: known errors
 * as they are (a 5xx logged), anything else logged with the request id and shown as a plain 500.
 * Also for a route that answers several reads in one response, each with its own error
 * (`GET /api/home/first`).
 */
export function answerError(ctx: AppContext, err: unknown): AppError {
  const known = toAppError(err);
  if (known) {
    if (known.status >= 500) ctx.state.log.error({ err }, 'request failed');
    return known;
  }
  ctx.state.log.error({ err, requestId: ctx.state.requestId }, 'unhandled error');
  return new AppError('internal_error', `Something went wrong (request ${ctx.state.requestId})`);
}

/** Koa middleware rendering every thrown error as `{ error: { code, message, details? } }`. */
export async function errorMiddleware(ctx: AppContext, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) {
      throw notFound(`Route ${ctx.method} ${ctx.path}`, 'route_not_found');
    }
  } catch (err) {
    sendError(ctx, answerError(ctx, err));
  }
}
