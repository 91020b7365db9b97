import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { translate } from '../i18n';

// antd-mobile's CommonJS build (what Node loads here) requires its stylesheets; the loading
// state uses none of its components (the sign-in button and the demo tag are not drawn).
vi.mock('antd-mobile', () => ({}));
// The default language, as the app starts without a stored choice.
vi.mock('../locale', () => ({
  useI18n: () => ({ lang: 'zh-CN', t: (key: string) => translate('zh-CN', key as never) }),
}));

const { SignInPage } = await import('./SignInPage');

/** The static sign-in screen `index.html` carries inside `#root`, between its marker comments. */
function staticShell(): string {
  const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
  const match = html.match(/<!--static-header-->([\s\S]*?)<!--\/static-header-->/);
  if (!match) throw new Error('index.html has no static-header block');
  return match[1].trim();
}

describe("index.html's static sign-in screen", () => {
  it('is exactly what React renders while sign-in runs, so React hydrates it instead of replacing it', () => {
    const rendered = renderToString(createElement(SignInPage));
    expect(staticShell()).toBe(rendered);
  });

  it('has no whitespace between its tags (hydration would meet text nodes React did not render)', () => {
    expect(staticShell()).not.toMatch(/>\s+</);
  });
});
