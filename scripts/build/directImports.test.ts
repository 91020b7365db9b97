import { describe, expect, it } from 'vitest';
import { parseBarrel, rewriteImports } from './directImports';

const BARREL = `import './global';
export { setDefaultConfig } from './components/config-provider';
export { default as Button } from './components/button';
export { default as Tag } from './components/tag';
export { createErrorBlock } from './components/error-block';`;

describe('direct imports instead of the antd-mobile barrel', () => {
  const table = parseBarrel('antd-mobile', 'es', BARREL);

  it('reads default and named re-exports', () => {
    expect(table.get('Button')).toEqual({ from: 'antd-mobile/es/components/button', name: 'default' });
    expect(table.get('createErrorBlock')).toEqual({
      from: 'antd-mobile/es/components/error-block',
      name: 'createErrorBlock',
    });
    expect(table.has('global')).toBe(false);
  });

  it("imports each component from its own module, keeping the barrel's side effect and the line count", () => {
    const code = 'import {\n  Button,\n  Tag as T,\n  createErrorBlock\n} from "antd-mobile";\nconst x = 1;';
    const out = rewriteImports(code, 'antd-mobile', table);
    expect(out).toContain('import "antd-mobile/es/global";');
    expect(out).toContain('import Button from "antd-mobile/es/components/button";');
    expect(out).toContain('import T from "antd-mobile/es/components/tag";');
    expect(out).toContain(
      'import { createErrorBlock as createErrorBlock } from "antd-mobile/es/components/error-block";',
    );
    expect(out).not.toMatch(/from "antd-mobile";/);
    expect(out.split('\n')).toHaveLength(code.split('\n').length);
  });

  it('leaves an import alone when one of its names is not a re-export of the barrel', () => {
    const code = "import { Button, Unknown } from 'antd-mobile';";
    expect(rewriteImports(code, 'antd-mobile', table)).toBe(code);
  });

  it('leaves other packages and other import forms alone', () => {
    const code = "import * as A from 'antd-mobile';\nimport { Button } from 'antd-mobile-x';";
    expect(rewriteImports(code, 'antd-mobile', table)).toBe(code);
  });
});
