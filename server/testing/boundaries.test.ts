/**
 * The sandbox is driven over HTTP only. This test reads every source file of the product
 * (`server/`, `bot/`, `shared/`, `miniapp/src/`), resolves its imports and fails when one reaches
 * into `scripts/`: product code never imports the scripts, and tests reach the sandbox through
 * `server/testing/sandboxClient.ts`. The exceptions: `server/testing/sandbox.ts`, which starts
 * the sandbox server itself, and tests that run a build step on their fixtures (`scripts/build/`,
 * e.g. precompressing a mini-app folder exactly as `vite build` does); neither is sandbox state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The one file allowed to import the sandbox (to start it). */
const SANDBOX_ENTRY = 'server/testing/sandbox.ts';
const SCANNED = ['server', 'bot', 'shared', 'miniapp/src'];

/** Every .ts/.tsx file under `dir` (relative to the repository), skipping dependencies and builds. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (/\.(ts|tsx|mts|cts)$/.test(e.name)) out.push(child);
    }
  };
  if (fs.existsSync(path.join(ROOT, dir))) walk(dir);
  return out;
}

/** Module specifiers of static imports, re-exports, `import type` and dynamic `import()`. */
function importSpecifiers(source: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) specs.push(m[1]);
  return specs;
}

/** What `source` (the text of `file`, relative to the repository) imports under `scripts/`. */
function scriptTargets(file: string, source: string): string[] {
  const targets: string[] = [];
  for (const spec of importSpecifiers(source)) {
    if (!spec.startsWith('.')) continue;
    const target = path
      .relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), spec))
      .split(path.sep)
      .join('/');
    if (target === 'scripts' || target.startsWith('scripts/')) targets.push(target);
  }
  return targets;
}

/** Files (relative) that import something under `scripts/`, with what they import. */
function scriptImports(files: string[]): Array<{ file: string; target: string }> {
  return files.flatMap((file) =>
    scriptTargets(file, fs.readFileSync(path.join(ROOT, file), 'utf8')).map((target) => ({ file, target })),
  );
}

describe('import boundaries around the sandbox', () => {
  it('finds imports of every form (the check itself can fail)', () => {
    // Built at run time so this file's own source does not contain the imports it tests.
    const S = ['scr', 'ipts'].join('');
    const sample = [
      `import { a } from '../../${S}/sandbox/state';`,
      `import type { B } from '../${S}/sandbox/modules/robot';`,
      `export { c } from '../../${S}/sandbox/server';`,
      `import '../${S}/sandbox/main';`,
      `const m = await import('../../${S}/sandbox/modules/oss');`,
      `import {\n  d,\n  e,\n} from "../../${S}/sandbox/org";`,
    ].join('\n');
    expect(importSpecifiers(sample)).toEqual([
      `../../${S}/sandbox/state`,
      `../${S}/sandbox/modules/robot`,
      `../../${S}/sandbox/server`,
      `../../${S}/sandbox/org`,
      `../${S}/sandbox/main`,
      `../../${S}/sandbox/modules/oss`,
    ]);
    // Resolved against the importing file's folder: two levels up from server/testing/ is the
    // repository root, from server/features/x/ it is still inside server/.
    expect(scriptTargets('server/testing/z.test.ts', sample)).toEqual([
      'scripts/sandbox/state',
      'scripts/sandbox/server',
      'scripts/sandbox/org',
      'scripts/sandbox/modules/oss',
    ]);
    expect(scriptTargets('server/features/x/y.test.ts', sample)).toEqual([]);
  });

  it('no file under server/, bot/, shared/ or miniapp/src/ imports scripts/, except the sandbox entry point', () => {
    const files = SCANNED.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain(SANDBOX_ENTRY);
    const buildStepInTest = (f: { file: string; target: string }) =>
      /\.test\.tsx?$/.test(f.file) && f.target.startsWith('scripts/build/');
    const offending = scriptImports(files).filter((f) => f.file !== SANDBOX_ENTRY && !buildStepInTest(f));
    expect(offending).toEqual([]);
  });

  it('the entry point imports only the sandbox server (start-up), not its state or modules', () => {
    const targets = scriptImports([SANDBOX_ENTRY]).map((f) => f.target);
    expect(targets).toEqual(['scripts/sandbox/server']);
  });
});
