import { createRequire } from 'node:module';
/**
 * `@alicloud/dingtalk` modules are CommonJS with `exports.default = Client`. Depending on the
 * loader (tsx/Node ESM vs vitest/Vite) a default import yields either the class or the whole
 * `module.exports`; this picks the class either way.
 */
export function sdkClient<T>(mod: T): T {
  const m = mod as unknown as { default?: unknown };
  return (typeof m === 'function' ? m : typeof m.default === 'function' ? m.default : mod) as T;
}

const require = createRequire(import.meta.url);

/**
 * An SDK module required on first use. The `@alicloud` modules (the OpenAPI runtime and each
 * product's client with its model classes) take ~30 MB resident together; a process loads only
 * the ones it calls. The proxy forwards every property read to the module, so `new $wf.X()`
 * reads as before; types come from `import type`.
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
