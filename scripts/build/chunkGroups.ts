/**
 * What a lazy screen needs, as a rolldown code-splitting group: the modules its code reaches
 * through static imports, so they can share one chunk instead of the many small ones rolldown
 * makes by which other screens share each module (see `miniapp/vite.config.ts`).
 *
 * Barrels (a package's `index.js` that only re-exports, like antd-mobile-icons' 300 icons or
 * ahooks' hooks) would make everything behind them reachable, so a barrel is followed only to
 * the modules of the names the importing module imports. A module the walk misses still loads:
 * rolldown's automatic chunking places it, in a chunk of its own.
 */
import path from 'node:path';
import type { ChunkingContext } from 'rolldown';

/** The parts of rolldown's module info the walk reads. */
export interface ModuleGraph {
  getModuleInfo(id: string): { code: string | null; importedIds: readonly string[] } | null;
}

const COMMENTS = /\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm;

/**
 * Whether `code` only imports and re-exports (a barrel): every statement is an `import`, an
 * `export ... from` or an `export { ... }` list.
 */
export function isBarrel(code: string): boolean {
  const statements = code
    .replace(COMMENTS, '')
    .split(/;|\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (statements.length < 2) return false;
  return statements.every((s) => /^import\s/.test(s) || /^export\s*(\*|\{)/.test(s) || /^['"]/.test(s));
}

/** Names a module imports by name or as default, from any module (`import { a as b }` gives `a`). */
export function importedNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/import\s+([\w$]+)?\s*,?\s*(?:\{([^}]*)\})?\s*from\s*['"]/g)) {
    if (m[1]) names.add(m[1]);
    for (const part of (m[2] ?? '').split(',')) {
      const name = part.trim().split(/\s+as\s+/)[0];
      if (name && name !== 'type') names.add(name);
    }
  }
  return names;
}

/**
 * A barrel's names and where each comes from: `import a from './a'` + `export { a }`,
 * `import { b } from './b'`, `export { default as C } from './c'`, and its `export *` sources.
 */
export function barrelSources(code: string): { named: Map<string, string>; star: string[] } {
  const named = new Map<string, string>();
  const star: string[] = [];
  for (const m of code.matchAll(/import\s+([\w$]+)?\s*,?\s*(?:\{([^}]*)\})?\s*from\s*['"]([^'"]+)['"]/g)) {
    if (m[1]) named.set(m[1], m[3]);
    for (const part of (m[2] ?? '').split(',')) {
      const [imported, local = imported] = part.trim().split(/\s+as\s+/);
      if (imported) named.set(local.trim(), m[3]);
    }
  }
  for (const m of code.matchAll(/export\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g))
    for (const part of m[1].split(',')) {
      const [, exported] = part.trim().match(/(?:[\w$]+\s+as\s+)?([\w$]+)$/) ?? [];
      if (exported) named.set(exported, m[2]);
    }
  for (const m of code.matchAll(/export\s*\*\s*from\s*['"]([^'"]+)['"]/g)) star.push(m[1]);
  return { named, star };
}

/** The id among `candidates` that `spec`, imported from `importer`, resolved to. */
function resolveAmong(importer: string, spec: string, candidates: readonly string[]): string | undefined {
  if (!spec.startsWith('.'))
    return candidates.find(
      (id) => id.includes(`/node_modules/${spec}/`) || id.endsWith(`/node_modules/${spec}`),
    );
  const base = path.posix.resolve(path.posix.dirname(importer), spec).replace(/\.[cm]?js$/, '');
  return candidates.find((id) => {
    const bare = id.replace(/\.(?:[cm]?js|tsx?)$/, '');
    return bare === base || bare === `${base}/index`;
  });
}

/**
 * Module ids statically reachable from `entry`, following barrels only to the names asked for.
 */
export function staticClosure(entry: string, graph: ModuleGraph): Set<string> {
  const ids = new Set<string>();
  const visit = (id: string) => {
    if (ids.has(id)) return;
    ids.add(id);
    const info = graph.getModuleInfo(id);
    if (!info) return;
    const wanted = importedNames(info.code ?? '');
    for (const dep of info.importedIds) {
      const code = graph.getModuleInfo(dep)?.code ?? '';
      if (isBarrel(code)) visitBarrel(dep, code, wanted, new Set());
      else visit(dep);
    }
  };
  const visitBarrel = (barrel: string, code: string, wanted: Set<string>, seen: Set<string>) => {
    if (seen.has(barrel)) return;
    seen.add(barrel);
    ids.add(barrel);
    const deps = graph.getModuleInfo(barrel)?.importedIds ?? [];
    const { named, star } = barrelSources(code);
    const targets = new Set<string>();
    for (const name of wanted) {
      const spec = named.get(name);
      const id = spec ? resolveAmong(barrel, spec, deps) : undefined;
      if (id) targets.add(id);
    }
    for (const spec of star) {
      const id = resolveAmong(barrel, spec, deps);
      if (id) targets.add(id);
    }
    // Side-effect imports (`import './global'`) run whatever is asked for.
    for (const m of code.matchAll(/import\s*['"]([^'"]+)['"]/g)) {
      const id = resolveAmong(barrel, m[1], deps);
      if (id) targets.add(id);
    }
    for (const id of targets) {
      const depCode = graph.getModuleInfo(id)?.code ?? '';
      if (isBarrel(depCode)) visitBarrel(id, depCode, wanted, seen);
      else visit(id);
    }
  };
  visit(entry);
  return ids;
}

/**
 * A code-splitting group named `name` holding what `entry` (a lazy screen's module) reaches
 * statically. Modules of a group with a higher priority (the first load's) stay there.
 */
export function screenGroup(name: string, entry: string, priority: number) {
  let cached: { of: unknown; ids: Set<string> } | null = null;
  return {
    debugName: name,
    name: (id: string, ctx: ChunkingContext) => {
      const info = ctx.getModuleInfo(entry);
      if (!info) return null;
      // The info object is the same for one chunking pass and new for the next build.
      if (cached?.of !== info) cached = { of: info, ids: staticClosure(entry, ctx) };
      return cached.ids.has(id) ? name : null;
    },
    priority,
  };
}
