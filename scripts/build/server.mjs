#!/usr/bin/env node
/**
 * Compiles the server to an ES module, `build/server.mjs` (plus the chunks it loads on demand under
 * `build/chunks/`), which `npm start` runs with plain
 * Node. Why: the tsx loader that `npm run demo` and the tests use transforms every module at
 * start-up and keeps its caches; measured on a web process it about doubled the memory that
 * loading our dependencies takes (`npm run bench -- api`, idle and peak RSS). esbuild (already
 * installed with Vite and tsx) strips the types and bundles our own files; npm packages stay
 * external and load from node_modules as usual.
 *
 * Run by `npm run build` and before `npm start` (`prestart`), about a second. Each file is
 * written to a temporary name and renamed, chunks before the entry, so several processes started
 * together never run a half-written bundle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const out = path.join(root, 'build', 'server.mjs');

const result = await build({
  entryPoints: { server: path.join(root, 'server/main.ts') },
  bundle: true,
  // Our modules imported with `import()` (each dialect's migrations, which pull in MikroORM's
  // migrator) become chunks loaded on first use, as under tsx. Without splitting esbuild inlines
  // them and hoists their package imports to the top of server.mjs, so every process would load
  // what only a migrating process needs (about 10 MB resident, `npm run bench -- api`).
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  outdir: path.dirname(out),
  outExtension: { '.js': '.mjs' },
  // Content-hashed, so a process started from an older build keeps loading its own chunks.
  chunkNames: 'chunks/[name]-[hash]',
  write: false,
  logLevel: 'warning',
});
fs.mkdirSync(path.join(path.dirname(out), 'chunks'), { recursive: true });
// Chunks first, the entry last: a process started meanwhile runs either the old entry with its
// old chunks (still there: hashed names) or the new entry with its chunks already written.
const entryLast = [...result.outputFiles].sort(
  (a, b) => Number(a.path.startsWith(out)) - Number(b.path.startsWith(out)),
);
for (const file of entryLast) {
  const tmp = `${file.path}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, file.contents);
  fs.renameSync(tmp, file.path);
}
