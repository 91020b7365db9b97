/**
 * `@alicloud/dingtalk` modules are CommonJS with `exports.default = Client`. Depending on the
 * loader (tsx/Node ESM vs vitest/Vite) a default import yields either the class or the whole
 * `module.exports`; this picks the class either way.
 */
export function sdkClient<T>(mod: T): T {
  const m = mod as unknown as { default?: unknown };
  return (typeof m === 'function' ? m : typeof m.default === 'function' ? m.default : mod) as T;
}
