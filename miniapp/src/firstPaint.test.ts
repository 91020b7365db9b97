import { describe, expect, it } from 'vitest';
import { DINGTALK_CLASS, EARLY_HOME_CLASS, firstPaintClasses } from './firstPaint';

/** A token shaped like the server's (header.claims.signature), for a `k` claim. */
const tokenFor = (kind: string) => `h.${btoa(JSON.stringify({ k: kind })).replace(/=+$/, '')}.sig`;
const session = (kind: string) => ({ token: tokenFor(kind), expiresAt: '2099-01-01T00:00:00Z' });

describe("<html>'s first-paint marks", () => {
  it("hide the sign-in screen where the early home paints: a candidate's session, the home's address", () => {
    expect(firstPaintClasses({ stored: session('candidate'), path: '/', inDingTalk: false })).toEqual([
      EARLY_HOME_CLASS,
    ]);
  });

  it('keep it for a fresh sign-in, an employee, another address and inside DingTalk', () => {
    expect(firstPaintClasses({ stored: null, path: '/', inDingTalk: false })).toEqual([]);
    expect(firstPaintClasses({ stored: session('employee'), path: '/', inDingTalk: false })).toEqual([]);
    expect(
      firstPaintClasses({ stored: session('candidate'), path: '/interview', inDingTalk: false }),
    ).toEqual([]);
    expect(firstPaintClasses({ stored: session('candidate'), path: '/', inDingTalk: true })).toEqual([
      DINGTALK_CLASS,
    ]);
  });

  it('keep it for a token it cannot read', () => {
    expect(
      firstPaintClasses({ stored: { token: 'garbage', expiresAt: '' }, path: '/', inDingTalk: false }),
    ).toEqual([]);
  });
});
