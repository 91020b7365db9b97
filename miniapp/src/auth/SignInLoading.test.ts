import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { LANGS, type Lang, translate } from '../i18n';
import { SHELL_TEXTS, shellTexts } from './shellTexts';

// antd-mobile's CommonJS build (what Node loads here) requires its stylesheets; the loading
// state uses none of its components (the sign-in button and the demo tag are not drawn).
vi.mock('antd-mobile', () => ({}));
// The default language, as the app starts without a stored choice (a test may switch it).
let lang: Lang = 'zh-CN';
vi.mock('../locale', () => ({
  useI18n: () => ({ lang, t: (key: string) => translate(lang, key as never) }),
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

  it('holds the notes under the button, the largest text with a Chinese font, from the first paint', () => {
    expect(staticShell()).toContain(`>${translate('zh-CN', 'signin.inviteNote')}</p>`);
    expect(staticShell()).toContain(`>${translate('zh-CN', 'signin.employeeNote')}</p>`);
  });

  for (const other of LANGS.filter((l) => l !== 'zh-CN'))
    it(`becomes what React renders in ${other} when only the texts shellLang.ts writes change`, () => {
      // What localizeShell does, on the markup: each element's text, nothing else.
      let shell = staticShell();
      const texts = shellTexts((key) => translate(other, key));
      for (const [selector, key] of SHELL_TEXTS) {
        const before = `>${translate('zh-CN', key)}<`;
        expect(shell.split(before), selector).toHaveLength(2);
        shell = shell.replace(before, `>${texts[selector]}<`);
      }
      lang = other;
      try {
        expect(shell).toBe(renderToString(createElement(SignInPage)));
      } finally {
        lang = 'zh-CN';
      }
    });
});
