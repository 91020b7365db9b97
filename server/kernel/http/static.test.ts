import fs from 'node:fs';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../../scripts/build/precompress';
import { createApp } from '../../app';
import { FEATURES } from '../../features';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import type { Feature } from '../feature';
import { createRouter } from './router';
import { COMPRESS_THRESHOLD_BYTES, IMMUTABLE, isHashedAsset, REVALIDATE } from './static';

/** A raw response: undici's fetch would negotiate and decode on its own, hiding what was sent. */
interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
}

function raw(base: string, p: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    // Host and path given apart: a URL string would be normalised (`%2e%2e` resolved) before sending.
    const { hostname, port } = new URL(base);
    const req = http.request({ hostname, port, path: p, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The body as the client would see it after undoing Content-Encoding. */
function decoded(r: Raw): string {
  const enc = r.headers['content-encoding'];
  if (enc === 'br') return zlib.brotliDecompressSync(r.bytes).toString('utf8');
  if (enc === 'gzip') return zlib.gunzipSync(r.bytes).toString('utf8');
  expect(enc).toBeUndefined();
  return r.bytes.toString('utf8');
}

function varies(r: Raw): boolean {
  return String(r.headers.vary ?? '')
    .toLowerCase()
    .split(/\s*,\s*/)
    .includes('accept-encoding');
}

// Fixture build output: text that compresses well, like real bundles.
const APP_JS = `${Array.from({ length: 400 }, (_, i) => `export const value${i} = "chunk ${i}";`).join('\n')}\n`;
const INDEX_HTML = `<!doctype html><html><head><title>app</title>${'<link rel="modulepreload" href="/assets/x.js">'.repeat(40)}</head><body><div id="root"></div><script type="module" src="/assets/app-Bx12cd34.js"></script></body></html>`;
const TINY_JS = 'export const a = 1;\n';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const MEDIA_BYTES = 64 * 1024;

/** Test-only routes: a large and a small JSON body and a video body, to exercise the compressor. */
/** How often the `/counted` probe's body was turned into JSON. */
let serialised = 0;

const probe: Feature = {
  name: 'compression-probe',
  routes: () => {
    const router = createRouter('/api/test-compression');
    router.get('/large', (ctx) => {
      ctx.body = {
        items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `候选人 ${i}`, stage: 'new' })),
      };
    });
    router.get('/small', (ctx) => {
      ctx.body = { ok: true };
    });
    router.get('/counted', (ctx) => {
      ctx.body = {
        toJSON() {
          serialised += 1;
          return { ok: true, n: serialised };
        },
      };
    });
    router.get('/video', (ctx) => {
      ctx.type = 'video/webm';
      ctx.body = Buffer.alloc(MEDIA_BYTES, 7);
    });
    return [router];
  },
};

describe('isHashedAsset', () => {
  it('treats only Vite assets as content-hashed', () => {
    expect(isHashedAsset('/assets/index-B8Vll4xK.js')).toBe(true);
    expect(isHashedAsset('/index.html')).toBe(false);
    expect(isHashedAsset('/')).toBe(false);
    expect(isHashedAsset('/booking/assets/x.js')).toBe(false);
  });
});

describeEachDialect('serving the mini-app: precompressed, negotiated, cached by content hash', (dialect) => {
  let t: TestApp;
  let dist: string;
  let server: Server;
  let base: string;
  let emptyServer: Server;
  let emptyBase: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.mkdirSync(path.join(dist, '.vite'));
    fs.writeFileSync(path.join(dist, 'index.html'), INDEX_HTML);
    fs.writeFileSync(path.join(dist, 'assets', 'app-Bx12cd34.js'), APP_JS);
    fs.writeFileSync(path.join(dist, 'assets', 'tiny-Ab12Cd34.js'), TINY_JS);
    fs.writeFileSync(path.join(dist, 'assets', 'logo-Zz99Yy88.png'), PNG);
    fs.writeFileSync(path.join(dist, '.vite', 'manifest.json'), '{"secret":"build internals"}');
    // The same step the build runs.
    await precompressDir(dist);

    const listen = async (dir: string) => {
      const app = createApp(t.deps, { miniappDist: dir, features: [...FEATURES, probe] });
      const s: Server = await new Promise((resolve) => {
        const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
      });
      const addr = s.address() as { port: number };
      return { s, url: `http://127.0.0.1:${addr.port}` };
    };
    ({ s: server, url: base } = await listen(dist));
    ({ s: emptyServer, url: emptyBase } = await listen(path.join(dist, 'not-built')));
  });
  afterAll(async () => {
    for (const s of [server, emptyServer]) {
      s?.closeAllConnections();
      await new Promise<void>((r) => (s ? s.close(() => r()) : r()));
    }
    await t?.close();
    if (dist) fs.rmSync(dist, { recursive: true, force: true });
  });

  it('the build step wrote brotli and gzip variants only where they pay off', () => {
    expect(fs.existsSync(path.join(dist, 'assets', 'app-Bx12cd34.js.br'))).toBe(true);
    expect(fs.existsSync(path.join(dist, 'assets', 'app-Bx12cd34.js.gz'))).toBe(true);
    expect(fs.existsSync(path.join(dist, 'index.html.br'))).toBe(true);
    // Too small to gain, and already compressed: no variants.
    expect(fs.existsSync(path.join(dist, 'assets', 'tiny-Ab12Cd34.js.br'))).toBe(false);
    expect(fs.existsSync(path.join(dist, 'assets', 'logo-Zz99Yy88.png.br'))).toBe(false);
    // The manifest is never served, so it is not compressed either.
    expect(fs.existsSync(path.join(dist, '.vite', 'manifest.json.br'))).toBe(false);
  });

  it('sends brotli when accepted, with an immutable year-long cache for a hashed asset', async () => {
    const r = await raw(base, '/assets/app-Bx12cd34.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-type']).toMatch(/javascript/);
    expect(r.headers['cache-control']).toBe(IMMUTABLE);
    expect(varies(r)).toBe(true);
    expect(Number(r.headers['content-length'])).toBe(r.bytes.length);
    expect(r.bytes.length).toBeLessThan(APP_JS.length / 4);
    expect(decoded(r)).toBe(APP_JS);
  });

  it('sends gzip to a client without brotli, and honours q=0', async () => {
    const gz = await raw(base, '/assets/app-Bx12cd34.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(decoded(gz)).toBe(APP_JS);
    const noBr = await raw(base, '/assets/app-Bx12cd34.js', { 'accept-encoding': 'br;q=0, gzip' });
    expect(noBr.headers['content-encoding']).toBe('gzip');
  });

  it('sends the file as it is without Accept-Encoding or when nothing usable is offered', async () => {
    const offers: Array<Record<string, string>> = [
      {},
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'br;q=0, gzip;q=0' },
    ];
    for (const headers of offers) {
      const r = await raw(base, '/assets/app-Bx12cd34.js', headers);
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBeUndefined();
      expect(r.bytes.toString('utf8')).toBe(APP_JS);
      expect(r.headers['cache-control']).toBe(IMMUTABLE);
      expect(varies(r)).toBe(true);
    }
  });

  it('revalidates index.html on every load, at / and at any app route (SPA fallback)', async () => {
    for (const p of ['/', '/index.html', '/booking/12/ai', '/pipeline/jobs/3']) {
      const r = await raw(base, p, { 'accept-encoding': 'br, gzip' });
      expect(r.status, p).toBe(200);
      expect(r.headers['content-type'], p).toMatch(/text\/html/);
      expect(r.headers['cache-control'], p).toBe(REVALIDATE);
      expect(r.headers['content-encoding'], p).toBe('br');
      expect(varies(r), p).toBe(true);
      expect(decoded(r), p).toBe(INDEX_HTML);
    }
  });

  it('answers a matching ETag with 304 and no body; variants have their own ETags', async () => {
    const br = await raw(base, '/', { 'accept-encoding': 'br' });
    const plain = await raw(base, '/');
    expect(br.headers.etag).toMatch(/^W\/"/);
    expect(plain.headers.etag).toMatch(/^W\/"/);
    expect(br.headers.etag).not.toBe(plain.headers.etag);

    const again = await raw(base, '/', { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers['cache-control']).toBe(REVALIDATE);

    // A stale validator (another build's index.html) gets the full file.
    const stale = await raw(base, '/', { 'accept-encoding': 'br', 'if-none-match': 'W/"1-1"' });
    expect(stale.status).toBe(200);
    expect(decoded(stale)).toBe(INDEX_HTML);

    const asset = await raw(base, '/assets/app-Bx12cd34.js', { 'accept-encoding': 'gzip' });
    const cond = await raw(base, '/assets/app-Bx12cd34.js', {
      'accept-encoding': 'gzip',
      'if-none-match': String(asset.headers.etag),
    });
    expect(cond.status).toBe(304);
  });

  it('HEAD gets the headers of GET without a body', async () => {
    const r = await raw(base, '/assets/app-Bx12cd34.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['cache-control']).toBe(IMMUTABLE);
    expect(r.bytes.length).toBe(0);
  });

  it('a missing hashed asset is a 404, not the app shell', async () => {
    const r = await raw(base, '/assets/app-OLDBUILD.js', { 'accept-encoding': 'br, gzip' });
    expect(r.status).toBe(404);
    expect(r.headers['content-type'] ?? '').not.toMatch(/html/);
    expect(r.headers['cache-control'] ?? '').not.toContain('immutable');
    expect(r.headers['content-encoding']).toBeUndefined();
  });

  it('small and incompressible files go out as they are', async () => {
    const tiny = await raw(base, '/assets/tiny-Ab12Cd34.js', { 'accept-encoding': 'br, gzip' });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.bytes.toString('utf8')).toBe(TINY_JS);
    const png = await raw(base, '/assets/logo-Zz99Yy88.png', { 'accept-encoding': 'br, gzip' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.headers['cache-control']).toBe(IMMUTABLE);
    expect(png.bytes.equals(PNG)).toBe(true);
  });

  it('never serves build internals or files outside dist', async () => {
    const manifest = await raw(base, '/.vite/manifest.json');
    expect(manifest.bytes.toString('utf8')).not.toContain('build internals');
    for (const p of [
      '/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2fpackage.json',
    ]) {
      const r = await raw(base, p);
      expect(r.bytes.toString('utf8'), p).not.toMatch(/"dependencies"|root:x:0/);
      expect(r.status, p).toBe(404);
    }
  });

  it('says the mini-app is not built instead of serving nothing', async () => {
    const r = await raw(emptyBase, '/booking/1/ai');
    expect(r.status).toBe(503);
    expect(r.bytes.toString('utf8')).toContain('npm run build');
  });

  it('compresses a large JSON response by Accept-Encoding, not a small one', async () => {
    const br = await raw(base, '/api/test-compression/large', { 'accept-encoding': 'gzip, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(varies(br)).toBe(true);
    const body = decoded(br);
    expect(Buffer.byteLength(body)).toBeGreaterThan(COMPRESS_THRESHOLD_BYTES);
    expect(JSON.parse(body).items).toHaveLength(200);
    expect(br.bytes.length).toBeLessThan(Buffer.byteLength(body) / 3);
    // API responses keep their own cache policy.
    expect(br.headers['cache-control']).toBe('no-store');

    const gz = await raw(base, '/api/test-compression/large', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decoded(gz)).items[199].name).toBe('候选人 199');

    const none = await raw(base, '/api/test-compression/large');
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(none.bytes.toString('utf8')).items).toHaveLength(200);

    // Encodings the static files do not come in are not offered for the API either.
    const zstd = await raw(base, '/api/test-compression/large', { 'accept-encoding': 'zstd, deflate' });
    expect(zstd.headers['content-encoding']).toBeUndefined();

    const small = await raw(base, '/api/test-compression/small', { 'accept-encoding': 'br, gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.bytes.toString('utf8'))).toEqual({ ok: true });
  });

  it('turns a JSON body into text once, with its JSON type and exact length', async () => {
    serialised = 0;
    const r = await raw(base, '/api/test-compression/counted', { 'accept-encoding': 'br, gzip' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(r.headers['content-length'])).toBe(r.bytes.length);
    expect(JSON.parse(r.bytes.toString('utf8'))).toEqual({ ok: true, n: 1 });
    // koa alone would have serialised it twice: once to measure it for the compressor, once to send it.
    expect(serialised).toBe(1);
  });

  it('never compresses media again', async () => {
    const r = await raw(base, '/api/test-compression/video', { 'accept-encoding': 'br, gzip' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('video/webm');
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.bytes.length).toBe(MEDIA_BYTES);
  });

  it('real API errors still come back as JSON through the compressor', async () => {
    const r = await raw(base, '/api/nope', { 'accept-encoding': 'br, gzip' });
    expect(r.status).toBe(404);
    expect(JSON.parse(decoded(r)).error.code).toBe('route_not_found');
  });
});
