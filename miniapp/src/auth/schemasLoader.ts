/**
 * Loads the sign-in responses' schemas (`schemas.ts`, a chunk of its own with zod). The start-up
 * entry calls it first, so the chunk downloads alongside the app; sign-in's requests reuse it.
 */
export const loadAuthSchemas = () => import('./schemas');
