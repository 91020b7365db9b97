import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The CSP sources (`'sha256-…'`) that allow the app shell's inline scripts.
 *
 * The build writes one script into `index.html` (`miniapp/src/inlineReads.ts`: the first reads of
 * a load, sent while the page is parsed). The page's `script-src` stays `'self'` plus the hash of
 * exactly that text, never `'unsafe-inline'`: an injected script still does not run. The hash is
 * taken from the file being served, so a rebuild while the server runs (the front-end bench
 * does that) is allowed at once, and nothing can drift between the build and the header.
 */

/** `<script>` elements without attributes (the build's inline scripts; `src` ones are files). */
const INLINE_SCRIPT = /<script>([\s\S]*?)<\/script>/g;

/** `'sha256-…'` of each inline script of `html`, in document order. */
export function inlineScriptSources(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`,
  );
}

let cached: { file: string; mtimeMs: number; size: number; sources: string[] } | null = null;

/**
 * {@link inlineScriptSources} of `dist/index.html`, read again only when the file changed (its
 * size or mtime); empty when there is none.
 */
export function appShellScriptSources(dist: string): string[] {
  const file = path.join(dist, 'index.html');
  let stats: fs.Stats;
  try {
    stats = fs.statSync(file);
  } catch {
    return [];
  }
  if (cached?.file !== file || cached.mtimeMs !== stats.mtimeMs || cached.size !== stats.size)
    cached = {
      file,
      mtimeMs: stats.mtimeMs,
      size: stats.size,
      sources: inlineScriptSources(fs.readFileSync(file, 'utf8')),
    };
  return cached.sources;
}
