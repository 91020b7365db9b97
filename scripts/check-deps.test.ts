import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The dependency check must fail when the layout is broken: each rule gets a fixture tree with
 * one violation (and the project itself must pass, which `npm test` runs as its own step).
 */
const script = path.resolve(__dirname, 'check-deps.mjs');
const trees: string[] = [];

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deps-'));
  trees.push(dir);
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'preserve', moduleResolution: 'bundler', jsx: 'react-jsx' },
    }),
  );
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function check(dir: string) {
  const r = spawnSync(process.execPath, [script], {
    env: { ...process.env, DEPS_ROOT: dir },
    encoding: 'utf8',
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

afterAll(() => {
  for (const d of trees) fs.rmSync(d, { recursive: true, force: true });
});

describe('dependency rules', () => {
  it('passes a tree that follows the arrows', () => {
    const r = check(
      tree({
        'shared/a.ts': 'export const a = 1;\n',
        'server/features/x/index.ts': "export { b } from './b';\n",
        'server/features/x/b.ts': "import { a } from '../../../shared/a';\nexport const b = a;\n",
        'server/features/y/index.ts': "import { b } from '../x';\nexport const c = b;\n",
        'miniapp/src/App.tsx':
          "import { a } from '../../shared/a';\nexport const App = () => <div>{a}</div>;\n",
      }),
    );
    expect(r.out).toContain('no dependency violations');
    expect(r.code).toBe(0);
  });

  it('fails on each broken arrow and on a cycle, including one through type-only imports', () => {
    const r = check(
      tree({
        'server/s.ts': 'export const s = 1;\n',
        'scripts/tool.ts': 'export const t = 1;\n',
        'server/features/f/impl.ts': 'export const f = 1;\n',
        'server/features/f/index.ts': "export { f } from './impl';\n",
        // one violation per rule, each in its own file so the report names them all
        'server/kernel/a.ts': "import type { B } from './b';\nexport type A = { b?: B };\n",
        'server/kernel/b.ts': "import type { A } from './a';\nexport type B = { a?: A };\n",
        'miniapp/src/Page.tsx': "import { s } from '../../server/s';\nexport const P = () => <i>{s}</i>;\n",
        'shared/x.ts': "import { s } from '../server/s';\nexport const x = s;\n",
        'bot/m.ts': "import { s } from '../server/s';\nexport const m = s;\n",
        'server/p.ts': "import { t } from '../scripts/tool';\nexport const p = t;\n",
        'server/kernel/k.ts': "import { f } from '../features/f/impl';\nexport const k = f;\n",
        'server/features/g/index.ts': "import { f } from '../f/impl';\nexport const g = f;\n",
      }),
    );
    expect(r.code).toBe(1);
    for (const [rule, file] of [
      ['no-circular', 'server/kernel/a.ts'],
      ['miniapp-only-shared', 'miniapp/src/Page.tsx'],
      ['shared-is-a-leaf', 'shared/x.ts'],
      ['bot-only-shared', 'bot/m.ts'],
      ['product-not-scripts', 'server/p.ts'],
      ['kernel-knows-no-feature', 'server/kernel/k.ts'],
      ['features-through-index', 'server/features/g/index.ts'],
    ]) {
      expect(r.out).toMatch(new RegExp(`${rule}: ${file.replace(/\./g, '\\.')}`));
    }
    // the allowed imports in the same tree are not reported
    expect(r.out).not.toMatch(/server\/features\/f\/index\.ts →/);
  });
});
