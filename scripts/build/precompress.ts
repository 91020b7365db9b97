/**
 * Brotli and gzip variants of the built mini-app, written next to each file at build time
 * (`app-1a2b.js` -> `app-1a2b.js.br`, `app-1a2b.js.gz`), so the server sends compressed bytes
 * without compressing on every request (see `server/kernel/http/static.ts`).
 *
 * Why a small Vite plugin on Node's zlib rather than a third-party compression plugin or a
 * post-build npm script: zlib has brotli built in (no dependency, nothing downloaded), the
 * files are compressed once so the slowest, smallest settings are affordable (brotli quality 11,
 * gzip level 9), and a plugin runs on every `vite build`, including the one the browser tests
 * start themselves, which an npm `postbuild` script would miss.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Text formats worth compressing; images, fonts in woff2 and media are compressed already. */
export const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|xml|map|webmanifest)$/i;

/** A variant is kept only if it saves at least this share of the file (else identity is as good). */
const MIN_SAVING = 0.1;

/** What {@link precompressDir} wrote for one file. */
export interface PrecompressedFile {
  /** Path relative to the folder. */
  file: string;
  bytes: number;
  /** Size of the `.br` variant, or null when it was not worth keeping. */
  br: number | null;
  /** Size of the `.gz` variant, or null when it was not worth keeping. */
  gz: number | null;
}

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    // `.vite/` holds the build manifest, which is read on disk, never served.
    if (entry.name.startsWith('.')) continue;
    const child = path.join(rel, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(dir, child)));
    else out.push(child);
  }
  return out;
}

/** Compresses one file's bytes; writes the variant only if it is worth it, else removes a stale one. */
async function writeVariant(target: string, original: number, data: Buffer): Promise<number | null> {
  if (data.length <= original * (1 - MIN_SAVING)) {
    await fs.writeFile(target, data);
    return data.length;
  }
  await fs.rm(target, { force: true });
  return null;
}

/**
 * Writes `.br` (quality 11) and `.gz` (level 9) next to every compressible file under `dir`.
 * Returns what it wrote, for the build log and tests.
 */
export async function precompressDir(dir: string): Promise<PrecompressedFile[]> {
  const files = (await listFiles(dir)).filter((f) => COMPRESSIBLE.test(f));
  return Promise.all(
    files.map(async (file) => {
      const full = path.join(dir, file);
      const data = await fs.readFile(full);
      const [br, gz] = await Promise.all([
        brotli(data, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
          },
        }),
        gzip(data, { level: zlib.constants.Z_BEST_COMPRESSION }),
      ]);
      return {
        file,
        bytes: data.length,
        br: await writeVariant(`${full}.br`, data.length, br),
        gz: await writeVariant(`${full}.gz`, data.length, gz),
      };
    }),
  );
}

/** Vite plugin: after the bundle is written, precompress the output folder ({@link precompressDir}). */
export function precompress(): Plugin {
  let outDir = '';
  let log: (message: string) => void = () => {};
  return {
    name: 'aiv-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
      log = (message) => config.logger.info(message);
    },
    async closeBundle() {
      const written = await precompressDir(outDir);
      const sum = (pick: (f: PrecompressedFile) => number) => written.reduce((n, f) => n + pick(f), 0);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
      log(
        `precompressed ${written.length} files: ${kb(sum((f) => f.bytes))} -> ` +
          `br ${kb(sum((f) => f.br ?? f.bytes))}, gzip ${kb(sum((f) => f.gz ?? f.bytes))}`,
      );
    },
  };
}
