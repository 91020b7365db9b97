/**
 * The sign-in responses' schemas, the only ones the mini-app checks responses against: zod and
 * these schemas are a chunk of their own (about 20 KB compressed, 150 KB of script to compile),
 * which the start-up entry starts loading alongside the app's code rather than inside it, so a
 * slow phone compiles and runs it while the app is still downloading (issue 18). Load it with
 * `loadAuthSchemas` (`schemasLoader.ts`).
 */
import { z } from 'zod';
import { signInResponse } from '../../../shared/api/auth';

export { authConfigSchema, meResponse } from '../../../shared/api/auth';

/**
 * A sign-in response. The OAuth2 exchange adds `nextPath`: the page the user was on when they
 * started signing in (passed as `?next=` to the start route), to return to afterwards.
 */
export const signInResult = signInResponse.extend({ nextPath: z.string().optional() });
