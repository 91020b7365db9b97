import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import compress from 'koa-compress';
import send from 'koa-send';
import { notFound } from '../errors';
import { appShellHeaders } from './appShell';
import type { AppContext } from './context';

/**
 * Serving the built mini-app (`miniapp/dist`) and compressing responses.
 *
 * The build writes content-hashed files under `assets/` plus a brotli and a gzip variant of
 * every text file (`scripts/build/precompress.ts`). Here each request gets the variant its
 * `Accept-Encoding` allows (brotli first), with `Vary: Accept-Encoding` so caches keep them
 * apart; hashed assets are cached for a year as immutable (a new build has new names), while
 * `index.html`, the only file that names them, is revalidated on every load (`no-cache` with
 * an ETag, so a repeat visit costs a 304).
 */

/** `Cache-Control` of content-hashed build output (`/assets/...`). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** `Cache-Control` of everything else the app serves from disk (`index.html`, public files). */
export const REVALIDATE = 'no-cache';

/** Vite's `build.assetsDir`: every file in it carries a content hash in its name. */
const HASHED_DIR = '/assets/';

/** Whether a request path names a content-hashed build file. */
export function isHashedAsset(requestPath: string): boolean {
  return requestPath.startsWith(HASHED_DIR);
}

/**
 * Headers for a file about to be streamed: cache policy by path, `Vary`, and a weak ETag from
 * the size and mtime of the file actually sent (so the brotli, gzip and identity variants of one
 * URL have different validators, as they are different representations).
 */
function fileHeaders(requestPath: string) {
  return (res: ServerResponse, _file: string, stats: fs.Stats) => {
    res.setHeader('Cache-Control', isHashedAsset(requestPath) ? IMMUTABLE : REVALIDATE);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('ETag', `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`);
  };
}

/**
 * Sends one file of `dist` (or its precompressed variant). Returns 'missing' when there is no
 * such file and 'refused' for a path that is malformed or climbs out of `dist` (koa-send's 400
 * and 403, which would otherwise reach the error middleware as unexplained 500s).
 */
async function sendFile(
  ctx: AppContext,
  dist: string,
  file: string,
  requestPath: string,
): Promise<'sent' | 'missing' | 'refused'> {
  try {
    const sent = await send(ctx, file, {
      root: dist,
      index: 'index.html',
      brotli: true,
      gzip: true,
      // Dotfiles (the build manifest in `.vite/`) are not part of the app.
      hidden: false,
      setHeaders: fileHeaders(requestPath),
    });
    return sent ? 'sent' : 'missing';
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 404 || status === 400 || status === 403) {
      // koa-send may have set Content-Encoding before it found out there is nothing to send.
      ctx.remove('Content-Encoding');
      return status === 404 ? 'missing' : 'refused';
    }
    throw error;
  }
}

/**
 * The mini-app: files of `dist` as they are (precompressed when the client allows), and
 * `index.html` for every other non-API GET (the SPA's routes). A missing `/assets/` file is a
 * 404, never the app shell: a page still running an older build asks for chunks that a deploy
 * removed, and HTML in place of JavaScript would fail as a MIME error instead of a clear miss.
 */
export function serveMiniapp(dist: string) {
  return async function miniapp(ctx: AppContext, next: () => Promise<void>): Promise<void> {
    if (
      (ctx.method !== 'GET' && ctx.method !== 'HEAD') ||
      ctx.path.startsWith('/api/') ||
      ctx.body !== undefined
    ) {
      return next();
    }
    let sent = await sendFile(ctx, dist, ctx.path, ctx.path);
    // A path that climbs out of the folder or does not decode aims at nothing that exists here:
    // the API's plain 404 (route_not_found), nothing worth a stack trace in the log.
    if (sent === 'refused') throw notFound('File', 'route_not_found');
    if (sent === 'missing' && !isHashedAsset(ctx.path)) {
      if (!fs.existsSync(path.join(dist, 'index.html'))) {
        ctx.status = 503;
        ctx.type = 'text';
        ctx.body = 'The mini-app is not built yet: run `npm run build` (npm run demo does it for you).';
        return;
      }
      sent = await sendFile(ctx, dist, '/index.html', '/index.html');
    }
    if (sent !== 'sent') return next();
    // The app shell: its CSP names its inline scripts' hashes (security.ts), and a `Link` header
    // starts its module scripts before the page is parsed (appShell.ts).
    if (ctx.response.is('html')) {
      const shell = appShellHeaders(dist);
      ctx.state.scriptSources = shell.scriptSources;
      if (shell.link) ctx.set('Link', shell.link);
    }
    // Conditional GET: ctx.fresh compares If-None-Match / If-Modified-Since with the headers above.
    if (ctx.fresh) ctx.status = 304;
  };
}

/** Responses smaller than this go out as they are: they fit in one packet anyway. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/**
 * Compression of dynamic responses (the JSON API), negotiated from `Accept-Encoding`: brotli
 * at quality 4 (about gzip's speed at a better ratio; 11 is for build time only) or gzip.
 * Skips small bodies, media and other incompressible types (the `compressible` list, so video
 * answers and images are never compressed twice), partial content (range requests of media),
 * and anything that already has a `Content-Encoding` (the precompressed app files).
 */
export function compressResponses() {
  return compress({
    threshold: COMPRESS_THRESHOLD_BYTES,
    br: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    gzip: {},
    // Only the encodings the static files come in, so every client gets the same choice.
    deflate: false,
    zstd: false,
  });
}
