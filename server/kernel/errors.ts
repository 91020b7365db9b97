import type { ApiErrorBody } from '../../shared/api/auth';

/**
 * Every error the API shows a client. Each has an HTTP status and a stable snake_case code;
 * clients branch on the code, people read the message. One middleware (`middleware/errors.ts`)
 * turns these, zod failures and ORM errors into `{ error: { code, message, details? } }`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers (e.g. Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    // A 4xx is an answer, not a bug: no stack trace (capturing one is most of the cost of
    // refusing 900 requests in a booking rush). 5xx keep theirs.
    const limit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
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

/** One invalid field, as reported in `details` of a 400. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `body.code` or `query.limit`. */
  field: string;
  message: string;
}

/** 400: the request is malformed; `details` lists the fields. */
export function validationError(problems: FieldProblem[]): AppError {
  const first = problems[0];
  const message = first ? `Invalid ${first.field}: ${first.message}` : 'Invalid request';
  return new AppError(400, 'validation_failed', message, problems);
}

/** 400 with a specific code. */
export function badRequest(code: string, message: string, details?: unknown): AppError {
  return new AppError(400, code, message, details);
}

/** 401: not signed in, or the credential is invalid/expired. */
export function unauthorized(code = 'unauthenticated', message = 'Sign-in required'): AppError {
  return new AppError(401, code, message);
}

/** 403: signed in but not allowed. */
export function forbidden(code = 'forbidden', message = 'You are not allowed to do this'): AppError {
  return new AppError(403, code, message);
}

/** 404: the object does not exist or the caller may not know it exists. */
export function notFound(what: string, code = 'not_found'): AppError {
  return new AppError(404, code, `${what} not found`);
}

/** 409: the state changed under the caller (slot taken, already decided, duplicate). */
export function conflict(code: string, message: string, details?: unknown): AppError {
  return new AppError(409, code, message, details);
}

/** 429 with Retry-After in seconds. */
export function rateLimited(retryAfterSeconds: number): AppError {
  const s = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError(
    429,
    'rate_limited',
    `Too many requests; retry in ${s} s`,
    { retryAfterSeconds: s },
    { 'Retry-After': String(s) },
  );
}

/** 502: an upstream service (DingTalk, OSS, ASR) failed in a way the client cannot fix. */
export function upstreamError(service: string, message: string, details?: unknown): AppError {
  return new AppError(502, `${service}_unavailable`, message, details);
}
