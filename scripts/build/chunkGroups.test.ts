import { describe, expect, it } from 'vitest';
import { barrelSources, importedNames, isBarrel, type ModuleGraph, staticClosure } from './chunkGroups';

/** A module graph from `{ id: [code, importedIds] }`. */
function graph(modules: Record<string, [string, string[]]>): ModuleGraph {
  return {
    getModuleInfo: (id) => (modules[id] ? { code: modules[id][0], importedIds: modules[id][1] } : null),
  };
}

const ICONS = '/nm/node_modules/icons/es/index.js';

describe('what a lazy screen reaches', () => {
  it('tells barrels from modules with code of their own', () => {
    expect(isBarrel("export { default as A } from './A.js';\nexport { default as B } from './B.js';")).toBe(
      true,
    );
    expect(isBarrel("import a from './a';\nimport b from './b';\nexport { a, b };")).toBe(true);
    expect(isBarrel("import a from './a';\nexport const b = a + 1;")).toBe(false);
    expect(isBarrel("export { a } from './a';")).toBe(false);
  });

  it('reads the names a module imports and where a barrel gets each', () => {
    expect([...importedNames('import X, { a as b, c } from "m"; import { d } from \'n\';')]).toEqual([
      'X',
      'a',
      'c',
      'd',
    ]);
    const { named, star } = barrelSources(
      "import u from './useA';\nimport { v as w } from './v.js';\nexport { default as C } from './c';\nexport * from 'core';\nexport { u, w };",
    );
    expect(Object.fromEntries(named)).toEqual({ u: './useA', w: './v.js', C: './c' });
    expect(star).toEqual(['core']);
  });

  it('follows a barrel only to the names the importer asks for', () => {
    const g = graph({
      '/app/src/Home.tsx': [
        'import { Page } from "./Page"; import { A } from "icons";',
        ['/app/src/Page.tsx', ICONS],
      ],
      '/app/src/Page.tsx': ['export const Page = 1;', []],
      [ICONS]: [
        "export { default as A } from './A.js';\nexport { default as B } from './B.js';",
        ['/nm/node_modules/icons/es/A.js', '/nm/node_modules/icons/es/B.js'],
      ],
      '/nm/node_modules/icons/es/A.js': ['export default 1;', []],
      '/nm/node_modules/icons/es/B.js': ['export default 2;', []],
    });
    const ids = staticClosure('/app/src/Home.tsx', g);
    expect(ids.has('/app/src/Page.tsx')).toBe(true);
    expect(ids.has('/nm/node_modules/icons/es/A.js')).toBe(true);
    expect(ids.has('/nm/node_modules/icons/es/B.js')).toBe(false);
  });

  it("follows a barrel's `export *` and its side-effect imports", () => {
    const barrel = '/nm/node_modules/q/index.js';
    const g = graph({
      '/app/Home.tsx': ['import { useQ } from "q";', [barrel]],
      [barrel]: [
        "import './global';\nimport { useQ } from './useQ.js';\nexport * from 'core';\nexport { useQ };",
        [
          '/nm/node_modules/q/global/index.js',
          '/nm/node_modules/q/useQ.js',
          '/nm/node_modules/core/index.js',
        ],
      ],
      '/nm/node_modules/q/global/index.js': ["import './global.css';\nwindow.x = 1;", []],
      '/nm/node_modules/q/useQ.js': ['export const useQ = 1;', []],
      '/nm/node_modules/core/index.js': ['export const core = 1;', []],
    });
    expect([...staticClosure('/app/Home.tsx', g)].sort()).toEqual([
      '/app/Home.tsx',
      '/nm/node_modules/core/index.js',
      '/nm/node_modules/q/global/index.js',
      barrel,
      '/nm/node_modules/q/useQ.js',
    ]);
  });
});
