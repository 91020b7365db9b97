import { describe, expect, it } from 'vitest';
import { findUrlCredential, oauthStartHref, urlWithoutCredential } from './urlCredential';

const at = (path: string) => new URL(path, 'https://app.example.com');

describe('findUrlCredential', () => {
  it('takes the sandbox code only in demo mode', () => {
    const url = at('/?corpid=dingcorp&sandbox_auth_code=abc');
    expect(findUrlCredential(url, true)).toEqual({ kind: 'sandbox', code: 'abc' });
    expect(findUrlCredential(url, false)).toBeNull();
  });

  it('reads the OAuth2 callback with authCode, or with code', () => {
    expect(findUrlCredential(at('/auth/callback?authCode=c1&state=s1'), false)).toEqual({
      kind: 'oauth',
      code: 'c1',
      state: 's1',
    });
    expect(findUrlCredential(at('/auth/callback/?code=c2&state=s2'), false)).toEqual({
      kind: 'oauth',
      code: 'c2',
      state: 's2',
    });
  });

  it('reports a cancelled or incomplete callback', () => {
    expect(findUrlCredential(at('/auth/callback?error=access_denied&state=s'), false)).toEqual({
      kind: 'oauthCancelled',
      error: 'access_denied',
    });
    expect(findUrlCredential(at('/auth/callback?authCode=c'), false)).toEqual({ kind: 'oauthInvalid' });
    expect(findUrlCredential(at('/auth/callback'), false)).toEqual({ kind: 'oauthInvalid' });
  });

  it('reads an invitation token, decoded', () => {
    // Current links carry the token in the fragment (never sent to a server, never logged).
    expect(findUrlCredential(at('/invite#eyJ.abc-def.sig'), false)).toEqual({
      kind: 'invitation',
      token: 'eyJ.abc-def.sig',
    });
    expect(findUrlCredential(at('/invite#'), false)).toBeNull();
    expect(findUrlCredential(at('/invite'), false)).toBeNull();
    expect(urlWithoutCredential(at('/invite#t'), { kind: 'invitation', token: 't' })).toBe('/');
    expect(findUrlCredential(at('/invite/eyJ.abc%2Bdef.sig'), false)).toEqual({
      kind: 'invitation',
      token: 'eyJ.abc+def.sig',
    });
    expect(findUrlCredential(at('/invite/'), false)).toBeNull();
    expect(findUrlCredential(at('/invite/a/b'), false)).toBeNull();
  });

  it('finds nothing on ordinary pages', () => {
    expect(findUrlCredential(at('/'), true)).toBeNull();
    expect(findUrlCredential(at('/me?corpid=x'), true)).toBeNull();
  });
});

describe('urlWithoutCredential', () => {
  it('strips only the sandbox code and keeps the rest of the address', () => {
    const url = at('/me?corpid=dingcorp&sandbox_auth_code=abc#top');
    expect(urlWithoutCredential(url, { kind: 'sandbox', code: 'abc' })).toBe('/me?corpid=dingcorp#top');
    expect(urlWithoutCredential(at('/?sandbox_auth_code=abc'), { kind: 'sandbox', code: 'abc' })).toBe('/');
  });

  it('sends callback and invitation pages home', () => {
    expect(
      urlWithoutCredential(at('/auth/callback?authCode=c&state=s'), { kind: 'oauth', code: 'c', state: 's' }),
    ).toBe('/');
    expect(urlWithoutCredential(at('/invite/t'), { kind: 'invitation', token: 't' })).toBe('/');
  });
});

describe('oauthStartHref', () => {
  it('adds the current page as next, except for the home and the callback', () => {
    const start = '/api/auth/oauth/start';
    expect(oauthStartHref(start, { pathname: '/', search: '' })).toBe(start);
    expect(oauthStartHref(start, { pathname: '/auth/callback', search: '?error=x' })).toBe(start);
    expect(oauthStartHref(start, { pathname: '/interviews/5', search: '?step=2' })).toBe(
      `${start}?next=%2Finterviews%2F5%3Fstep%3D2`,
    );
    expect(oauthStartHref(`${start}?x=1`, { pathname: '/me', search: '' })).toBe(`${start}?x=1&next=%2Fme`);
  });
});
