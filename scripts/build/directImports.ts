/**
 * Rewrites `import { Button, Tag } from 'antd-mobile'` (and the same from `antd-mobile-icons`) in
 * the mini-app's own modules into imports of each component's own module, the way
 * babel-plugin-import does for antd.
 *
 * Why: the mini-app puts everything its first load needs into one chunk (rolldown's `$initial`
 * group in `miniapp/vite.config.ts`), which takes each module statically reachable from the entry.
 * Through the packages' barrels (`es/index.js` re-exports every component) every component is
 * reachable, so the first chunk grew to 660 KB; with direct imports only the components a module
 * names are. Tree-shaking the output is unchanged: each module still only keeps what it uses.
 *
 * antd-mobile's barrel has one side effect (`import './global'`: the theme's CSS variables), so a
 * rewritten module imports it too; it runs once, as before.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

/** How one name the barrel exports is imported from its own module. */
interface Target {
  /** Bare specifier of the module (`antd-mobile/es/components/tag`). */
  from: string;
  /** The name in that module, or `default`. */
  name: string;
}

/** Barrels rewritten, with what a rewritten module must still import for the barrel's side effects. */
const BARRELS: Record<string, { sideEffect?: string }> = {
  'antd-mobile': { sideEffect: 'antd-mobile/es/global' },
  'antd-mobile-icons': {},
};

/**
 * Reads a barrel's `export { default as X } from './x'` / `export { a, b as c } from './y'` lines
 * into name -> target. Exported for its test.
 */
export function parseBarrel(pkg: string, barrelDir: string, source: string): Map<string, Target> {
  const targets = new Map<string, Target>();
  for (const m of source.matchAll(/export\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/g)) {
    const rel = m[2].replace(/\.js$/, '');
    const from = `${pkg}/${path.posix.join(barrelDir, rel)}`;
    for (const part of m[1].split(',')) {
      const [local, exported = local] = part.trim().split(/\s+as\s+/);
      if (local) targets.set(exported.trim(), { from, name: local.trim() });
    }
  }
  return targets;
}

/**
 * Rewrites the named imports from `pkg` in `code` (already plain JavaScript: Vite's TypeScript
 * transform ran before). Names the barrel does not re-export, and other import forms, are left
 * as they were. The new imports stay on the line of the old one, so line numbers do not move.
 */
export function rewriteImports(code: string, pkg: string, targets: Map<string, Target>): string {
  const pattern = new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*['"]${pkg}['"];?`, 'g');
  return code.replace(pattern, (whole, names: string) => {
    const parts = names
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const imports: string[] = [];
    for (const part of parts) {
      const [imported, local = imported] = part.split(/\s+as\s+/).map((s) => s.trim());
      const target = targets.get(imported);
      if (!target) return whole;
      imports.push(
        target.name === 'default'
          ? `import ${local} from ${JSON.stringify(target.from)};`
          : `import { ${target.name} as ${local} } from ${JSON.stringify(target.from)};`,
      );
    }
    const sideEffect = BARRELS[pkg]?.sideEffect;
    const lines = (whole.match(/\n/g) ?? []).join('');
    return `${sideEffect ? `import ${JSON.stringify(sideEffect)};` : ''}${imports.join(' ')}${lines}`;
  });
}

/** The Vite plugin (build only: the dev server pre-bundles the packages whole anyway). */
export function directImports(): Plugin {
  const require = createRequire(import.meta.url);
  const tables = new Map<string, Map<string, Target>>();
  return {
    name: 'aiv-direct-imports',
    apply: 'build',
    buildStart() {
      for (const pkg of Object.keys(BARRELS)) {
        const pkgDir = path.dirname(require.resolve(`${pkg}/package.json`));
        const barrel = 'es/index.js';
        tables.set(pkg, parseBarrel(pkg, 'es', fs.readFileSync(path.join(pkgDir, barrel), 'utf8')));
      }
    },
    transform(code, id) {
      if (id.includes('node_modules') || !/\.[jt]sx?$/.test(id.split('?')[0])) return null;
      let out = code;
      for (const [pkg, targets] of tables) if (out.includes(pkg)) out = rewriteImports(out, pkg, targets);
      return out === code ? null : { code: out, map: null };
    },
  };
}
