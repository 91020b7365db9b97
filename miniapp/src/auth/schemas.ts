/**
 * The sign-in routes' response schema: zod and this schema are a chunk of their own (about 20 KB
 * compressed, 150 KB of script to compile), loaded only when a sign-in may follow: the start-up
 * entry requests it when no session is stored, and a sign-in request asks for it otherwise
 * (issue 18). The start-up's own reads (config, `/api/me`) are checked
 * without zod (`shapes.ts`), so a returning user's first screen never waits for this chunk.
 * Load it with `loadAuthSchemas` (`schemasLoader.ts`).
 */
import { z } from 'zod';
import { signInResponse } from '../../../shared/api/auth';

/**
 * A sign-in response. The OAuth2 exchange adds `nextPath`: the page the user was on when they
 * started signing in (passed as `?next=` to the start route), to return to afterwards.
 */
export const signInResult = signInResponse.extend({ nextPath: z.string().optional() });
