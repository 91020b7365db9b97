import type { ApiErrorBody } from '../../shared/api/auth';
import {
  ERRORS,
  type ErrorCodeWithStatus,
  type FieldProblem,
  type ServerErrorCode,
} from '../../shared/errors';

export type { FieldProblem } from '../../shared/errors';

/**
 * Every error the API shows a client. Its code comes from the catalogue in `shared/errors.ts`
 * (an uncatalogued code does not compile) and so does its HTTP status; clients branch on the
 * code and show the catalogue's text, the English message is for developers and logs. One
 * middleware (`http/errors.ts`) turns these, zod failures and ORM errors into
 * `{ error: { code, message, details? } }`.
 */
export class AppError extends Error {
  /** HTTP status, from the catalogue. */
  readonly status: number;

  constructor(
    readonly code: ServerErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    const status = ERRORS[code].status;
    // A 4xx is an answer, not a bug: no stack trace (capturing one is most of the cost of
    // refusing 900 requests in a booking rush). 5xx keep theirs.
    const limit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.status = status;
    this.name = 'AppError';
  }

  /** The JSON body clients receive. */
  toBody(): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details !== undefined ? { details: this.details } : {}),
      },
    };
  }
}

/** 400 `validation_failed`: the request is malformed; `details` lists the fields. */
export function validationError(problems: FieldProblem[]): AppError {
  const first = problems[0];
  const message = first ? `Invalid ${first.field}: ${first.message}` : 'Invalid request';
  return new AppError('validation_failed', message, problems);
}

/** 400 with a specific code. */
export function badRequest(code: ErrorCodeWithStatus<400>, message: string, details?: unknown): AppError {
  return new AppError(code, message, details);
}

/** 401: not signed in, or the credential is invalid/expired. */
export function unauthorized(
  code: ErrorCodeWithStatus<401> = 'unauthenticated',
  message = 'Sign-in required',
): AppError {
  return new AppError(code, message);
}

/** 403: signed in but not allowed. */
export function forbidden(
  code: ErrorCodeWithStatus<403> = 'forbidden',
  message = 'You are not allowed to do this',
): AppError {
  return new AppError(code, message);
}

/** 404: the object does not exist or the caller may not know it exists. */
export function notFound(what: string, code: ErrorCodeWithStatus<404> = 'not_found'): AppError {
  return new AppError(code, `${what} not found`);
}

/** 409: the state changed under the caller (slot taken, already decided, duplicate). */
export function conflict(code: ErrorCodeWithStatus<409>, message: string, details?: unknown): AppError {
  return new AppError(code, message, details);
}

/** 429 with Retry-After in seconds. */
export function rateLimited(retryAfterSeconds: number): AppError {
  const s = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError(
    'rate_limited',
    `Too many requests; retry in ${s} s`,
    { retryAfterSeconds: s },
    { 'Retry-After': String(s) },
  );
}

/** 502: an upstream service (DingTalk, OSS, ASR) failed in a way the client cannot fix. */
export function upstreamError(code: ErrorCodeWithStatus<502>, message: string, details?: unknown): AppError {
  return new AppError(code, message, details);
}
