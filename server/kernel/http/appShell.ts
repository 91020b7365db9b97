import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * What the server adds to the app shell (`index.html`) response, read from the file itself.
 *
 * - The CSP sources (`'sha256-…'`) of its inline scripts. The build writes one
 *   (`miniapp/src/inlineReads.ts`: the first reads of a load, sent while the page is parsed). The
 *   page's `script-src` stays `'self'` plus the hash of exactly that text, never
 *   `'unsafe-inline'`: an injected script still does not run.
 * - A `Link` header preloading its module scripts (the entry and the chunks it names for
 *   `modulepreload`). Why: on a slow phone the browser found them only once it had committed and
 *   started parsing the page, 0.2–0.6 s after the HTML had arrived (`npm run bench -- frontend
 *   --requests`); the header is read before any of that.
 *
 * Both come from the file being served, so a rebuild while the server runs (the front-end bench
 * does that) is picked up at once, and nothing can drift between the build and the headers.
 */
export interface AppShellHeaders {
  /** `'sha256-…'` of each inline script, in document order. */
  scriptSources: string[];
  /** The `Link` header's value, or null when the page has no module scripts. */
  link: string | null;
}

/** `<script>` elements without attributes (the build's inline scripts; `src` ones are files). */
const INLINE_SCRIPT = /<script>([\s\S]*?)<\/script>/g;
/** The module scripts a page loads first: its entry and its `modulepreload` links. */
const MODULE_FILE =
  /<script type="module" crossorigin src="(\/[^"]+)"><\/script>|<link rel="modulepreload" crossorigin href="(\/[^"]+)">/g;

/** {@link AppShellHeaders} of an app shell's HTML. */
export function appShellHeadersOf(html: string): AppShellHeaders {
  const scriptSources = [...html.matchAll(INLINE_SCRIPT)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`,
  );
  const files = [...html.matchAll(MODULE_FILE)].map((m) => m[1] ?? m[2]);
  const link = files.length ? files.map((f) => `<${f}>; rel=modulepreload; crossorigin`).join(', ') : null;
  return { scriptSources, link };
}

let cached: { file: string; mtimeMs: number; size: number; headers: AppShellHeaders } | null = null;

/**
 * {@link appShellHeadersOf} `dist/index.html`, read again only when the file changed (its size or
 * mtime); nothing when there is none.
 */
export function appShellHeaders(dist: string): AppShellHeaders {
  const file = path.join(dist, 'index.html');
  let stats: fs.Stats;
  try {
    stats = fs.statSync(file);
  } catch {
    return { scriptSources: [], link: null };
  }
  if (cached?.file !== file || cached.mtimeMs !== stats.mtimeMs || cached.size !== stats.size)
    cached = {
      file,
      mtimeMs: stats.mtimeMs,
      size: stats.size,
      headers: appShellHeadersOf(fs.readFileSync(file, 'utf8')),
    };
  return cached.headers;
}
