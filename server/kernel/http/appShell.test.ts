import { describe, expect, it } from 'vitest';
import { appShellHeadersOf } from './appShell';

describe("the app shell's headers, from its HTML", () => {
  it('hashes each inline script as browsers do and preloads the module scripts it names', () => {
    const html =
      '<head><script type="module" crossorigin src="/assets/index-a1.js"></script>' +
      '<link rel="modulepreload" crossorigin href="/assets/app-b2.js"><link rel="stylesheet" href="/x.css">' +
      '<script>alert(1)</script></head><body><script src="/classic.js"></script></body>';
    expect(appShellHeadersOf(html)).toEqual({
      // sha256 of `alert(1)`, the CSP specification's own example.
      scriptSources: ["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"],
      link: '</assets/index-a1.js>; rel=modulepreload; crossorigin, </assets/app-b2.js>; rel=modulepreload; crossorigin',
    });
  });

  it('names nothing for a page without scripts (development, or a build that failed half way)', () => {
    expect(appShellHeadersOf('<!doctype html><title>app</title>')).toEqual({ scriptSources: [], link: null });
  });
});
