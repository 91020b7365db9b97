import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api';

/** How often a failed read is tried again before its error is shown. */
export const MAX_READ_RETRIES = 2;

/**
 * Whether a failed read is worth another try. Only failures that may pass by themselves are:
 * no answer at all (network, status 0) and server trouble (5xx, 429). A 4xx (validation,
 * permission, not found, conflict, expired session) gives the same answer again, and a response
 * of the wrong shape is a bug, so those show their error at once. An abort is the screen going
 * away, never retried.
 */
export function shouldRetryRead(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_READ_RETRIES) return false;
  if (!(error instanceof ApiError)) return false;
  if (error.code === 'bad_response') return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/** Wait before retry `attempt` (0-based): 0.5 s, 1 s, 2 s ... capped at 4 s. */
export function retryDelay(attempt: number): number {
  return Math.min(500 * 2 ** attempt, 4000);
}

/**
 * The app's one query client. Reads retry per {@link shouldRetryRead}; writes never retry (a
 * booking or a decision sent twice is not the same as once; the server's idempotency covers
 * the user's own repeat, not ours). Screens load when they mount and after the mutations that
 * change what they show (each mutation invalidates its queries), not on window focus: a
 * candidate switching to the camera permission dialog must not reload the interview.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetryRead, retryDelay, refetchOnWindowFocus: false, staleTime: 0 },
      mutations: { retry: false },
    },
  });
}

/**
 * How long reads loaded just before a screen's first render count as fresh (the candidate home's,
 * `homes/preload.ts`): the screen then finds them loaded, where the default (stale at once) would
 * read them all again on mount. A change made elsewhere still invalidates them at once.
 */
export const PRELOADED_FRESH_MS = 10_000;

/** The app's one query client (cache, retries, invalidation), shared by the app and its loaders. */
export const queryClient = createQueryClient();
