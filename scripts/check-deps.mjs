#!/usr/bin/env node
/**
 * `npm run deps` (and step "dependencies" of `npm test`): import cycles and the layout's arrows,
 * checked by dependency-cruiser with the rules in `.dependency-cruiser.cjs`.
 *
 * Why the resolver shim: the project compiles with TypeScript 7, which ships no JavaScript compiler
 * API, and dependency-cruiser parses TypeScript (type-only imports included) with that API. So the
 * project also installs TypeScript 5.9 under the alias `typescript5`, and this script makes
 * dependency-cruiser (and only it) load `typescript5` when it asks for `typescript`. The project's
 * own type check always runs TypeScript 7 (`node_modules/typescript/bin/tsc`).
 * Plain .mjs so it runs before anything is compiled.
 */
import fs from 'node:fs';
import Module, { createRequire, register } from 'node:module';
import path from 'node:path';

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// DEPS_ROOT: check another tree with this project's rules (the rule tests use a fixture tree).
const root = process.env.DEPS_ROOT ? path.resolve(process.env.DEPS_ROOT) : here;
const CRUISER = `${path.sep}dependency-cruiser${path.sep}`;

// CommonJS side: dependency-cruiser reads `typescript/package.json` through createRequire.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (/^typescript(\/|$)/.test(request) && parent?.filename?.includes(CRUISER)) {
    return resolveFilename.call(this, request.replace(/^typescript/, 'typescript5'), parent, ...rest);
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
// ES module side: dependency-cruiser loads the compiler with import('typescript').
const hook = `export async function resolve(spec, ctx, next) {
  if (/^typescript(\\/|$)/.test(spec) && ctx.parentURL && ctx.parentURL.includes('/dependency-cruiser/')) {
    return next(spec.replace(/^typescript/, 'typescript5'), ctx);
  }
  return next(spec, ctx);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url);

const { cruise } = await import('dependency-cruiser');
const config = createRequire(import.meta.url)(path.join(here, '.dependency-cruiser.cjs'));

process.chdir(root);
const targets = ['server', 'shared', 'bot', 'miniapp/src'].filter((t) => fs.existsSync(path.join(root, t)));
const result = await cruise(
  targets,
  { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden }, outputType: 'err-long' },
  undefined,
  { tsConfig: { fileName: 'tsconfig.json' } },
);
process.stdout.write(typeof result.output === 'string' ? result.output : JSON.stringify(result.output));
process.exitCode = result.exitCode > 0 ? 1 : 0;
