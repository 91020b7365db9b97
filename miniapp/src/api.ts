import type { ApiErrorBody } from '../../shared/api/auth';
import type { ErrorCode } from '../../shared/errors';
import { clearSession, getSession } from './auth/session';
import { hasErrorText, loadErrorTexts } from './errorCatalogue';
import { takePrefetched } from './prefetch';

/**
 * Error codes the client itself produces, next to the server's snake_case codes, so the UI can
 * treat every failure the same way (its text comes from the catalogue in `shared/errors.ts`).
 */
export type ClientErrorCode = Extract<ErrorCode, 'network_error' | 'bad_response' | 'unauthorized'>;

/** A failed API call: the server's `{ error: { code, message } }`, or a client-side failure. */
export class ApiError extends Error {
  /** HTTP status, or 0 when the request never got an answer. */
  readonly status: number;
  /** Stable snake_case code (server's, or a {@link ClientErrorCode}). */
  readonly code: string;
  readonly details?: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    // Errors made outside apiRequest (uploads) carry server codes too: start loading their text.
    if (!hasErrorText(code)) void loadErrorTexts().catch(() => {});
  }
}

/** Called after a 401 on an authenticated request, once the session has been cleared. */
let onUnauthorized: (() => void) | null = null;

/** Registers what happens when the server rejects the session (the auth layer shows sign-in). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/**
 * What {@link apiRequest} checks an answer with: a zod schema, or a check of the same form
 * without zod (`auth/shapes.ts`, for the start-up's answers).
 */
export interface ResponseParser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: unknown[] } };
}

/** Options of {@link apiRequest}. */
export interface ApiRequestOptions<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /**
   * Validates the response body; a mismatch is a `bad_response` error rather than a crash later.
   * May be a promise (a schema whose module is still loading): the request does not wait for it.
   */
  schema?: ResponseParser<T> | Promise<ResponseParser<T>>;
  /**
   * Send the stored token (default true). Sign-in routes pass false: a stale token must not
   * turn their 4xx into a "session ended" bounce.
   */
  auth?: boolean;
  signal?: AbortSignal;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Calls the product API (same origin, `/api/...`) and returns the parsed body.
 * Throws {@link ApiError} for every failure. On a 401 to an authenticated request it clears the
 * stored session and calls the unauthorized handler, so any screen can just await and let the
 * app return to sign-in.
 */
export async function apiRequest<T = unknown>(path: string, options: ApiRequestOptions<T> = {}): Promise<T> {
  const { method = 'GET', body, schema, auth = true, signal } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  // A FormData body (file uploads) sets its own multipart type and boundary.
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  const session = auth ? getSession() : null;
  if (session) headers.Authorization = `Bearer ${session.token}`;

  // A GET the start-up already sent for this session (prefetch.ts) is answered by its response.
  const early = method === 'GET' && body === undefined ? takePrefetched(path, session?.token ?? null) : null;
  let response: Response;
  try {
    response = await (early ??
      fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body),
        // Same-origin cookies carry the OAuth state for /api/auth/oauth/exchange.
        credentials: 'same-origin',
        signal,
      }));
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', error instanceof Error ? error.message : String(error));
  }

  const payload = await readJson(response);
  if (!response.ok) {
    if (response.status === 401 && session) {
      clearSession();
      onUnauthorized?.();
    }
    if (isErrorBody(payload)) {
      const { code, message, details } = payload.error;
      // The first load has only the mini-app's own error texts: fetch the catalogue before the
      // caller shows this error (a toast is drawn once), and show the generic text if that fails.
      if (!hasErrorText(code)) await loadErrorTexts().catch(() => {});
      throw new ApiError(response.status, code, message, details);
    }
    const code = response.status === 401 ? 'unauthorized' : `http_${response.status}`;
    throw new ApiError(response.status, code, response.statusText || code);
  }

  if (!schema) return payload as T;
  let check: ResponseParser<T>;
  try {
    check = await schema;
  } catch (error) {
    // The schema's chunk did not load: as if the answer never came (the caller may retry).
    throw new ApiError(0, 'network_error', error instanceof Error ? error.message : String(error));
  }
  const parsed = check.safeParse(payload);
  if (!parsed.success) {
    throw new ApiError(
      response.status,
      'bad_response',
      `Unexpected response from ${path}`,
      parsed.error.issues,
    );
  }
  return parsed.data;
}
