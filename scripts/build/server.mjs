#!/usr/bin/env node
/**
 * Compiles the server to one ES module, `build/server.mjs`, which `npm start` runs with plain
 * Node. Why: the tsx loader that `npm run demo` and the tests use transforms every module at
 * start-up and keeps its caches; measured on a web process it about doubled the memory that
 * loading our dependencies takes (`npm run bench -- api`, idle and peak RSS). esbuild (already
 * installed with Vite and tsx) strips the types and bundles our own files; npm packages stay
 * external and load from node_modules as usual.
 *
 * Run by `npm run build` and before `npm start` (`prestart`), about a second. The file is
 * written to a temporary name and renamed, so several processes started together never run a
 * half-written bundle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const out = path.join(root, 'build', 'server.mjs');

const result = await build({
  entryPoints: [path.join(root, 'server/main.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  outfile: out,
  write: false,
  logLevel: 'warning',
});
fs.mkdirSync(path.dirname(out), { recursive: true });
for (const file of result.outputFiles) {
  const tmp = `${file.path}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, file.contents);
  fs.renameSync(tmp, file.path);
}
