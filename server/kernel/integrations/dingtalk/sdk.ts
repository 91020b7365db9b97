import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * An SDK module required on first use. The `@alicloud` modules (the OpenAPI runtime and each
 * product's client with its model classes) take ~30 MB resident together; a process loads only
 * the ones it calls. The proxy forwards every property read to the module, so `new $wf.X()`
 * reads as before; types come from `import type`. `require` always yields the CommonJS
 * `module.exports`, so a client class is `$mod.default` under tsx, vitest and the bundle alike
 * (an ESM default import gave the class under one loader and the whole module under another).
 */
export function lazySdk<T extends object>(id: string): T {
  let mod: T | null = null;
  return new Proxy({} as T, {
    get(_target, prop) {
      if (!mod) mod = require(id) as T;
      return Reflect.get(mod, prop);
    },
  });
}
