/** Types for testOutput.mjs (plain JavaScript so `npm test` runs before anything is compiled). */
export function failureExcerpt(output: string, limit?: number): string;
export function failureGist(excerpt: string, limit?: number): string[];
