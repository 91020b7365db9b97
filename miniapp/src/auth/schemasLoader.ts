/**
 * Loads the sign-in routes' schema (`schemas.ts`, a chunk of its own with zod). The start-up
 * entry calls it when no session is stored, so the chunk downloads alongside the app; sign-in's
 * requests reuse it.
 */
export const loadAuthSchemas = () => import('./schemas');
