import { describe, expect, it, vi } from 'vitest';
import type { AuthConfig, Me, SignInResponse } from '../../../shared/api/auth';
import { ApiError } from '../api';
import { type BootstrapDeps, bootstrapSignIn, safeNextPath } from './bootstrap';
import type { StoredSession } from './session';

const NOW = Date.parse('2025-06-01T08:00:00Z');
const CONFIG: AuthConfig = {
  corpId: 'dingcorp',
  clientId: 'dingapp',
  demo: true,
  oauthStartUrl: '/api/auth/oauth/start',
};
const HR: Me = {
  id: 1,
  kind: 'employee',
  name: '王晓燕',
  roles: ['hr'],
  department: '人力资源部',
  home: 'hr',
  locale: 'zh-CN',
  invitationJobId: null,
};
const CANDIDATE: Me = {
  ...HR,
  id: 2,
  kind: 'candidate',
  name: '张三',
  roles: [],
  department: null,
  home: 'candidate',
};

function signedIn(me: Me): SignInResponse {
  return { token: `t-${me.id}`, expiresAt: new Date(NOW + 3_600_000).toISOString(), me };
}

/** Deps where everything succeeds unless a test overrides it; session kept in memory. */
function deps(path: string, overrides: Partial<BootstrapDeps> = {}, stored: StoredSession | null = null) {
  let session = stored;
  const d: BootstrapDeps = {
    url: new URL(path, 'https://app.example.com'),
    getConfig: vi.fn(async () => CONFIG),
    getMe: vi.fn(async () => HR),
    signIn: vi.fn(async () => signedIn(HR)),
    getSession: () => session,
    saveSession: (s) => {
      session = s;
    },
    clearSession: () => {
      session = null;
    },
    inDingTalk: vi.fn(async () => false),
    requestAuthCode: vi.fn(async () => 'dd-code'),
    now: () => NOW,
    ...overrides,
  };
  return { d, session: () => session };
}

const valid: StoredSession = { token: 'old', expiresAt: new Date(NOW + 600_000).toISOString() };
const expired: StoredSession = { token: 'old', expiresAt: new Date(NOW + 10_000).toISOString() };

describe('bootstrapSignIn', () => {
  it('is unavailable when the config cannot be loaded', async () => {
    const { d } = deps('/', {
      getConfig: async () => Promise.reject(new ApiError(0, 'network_error', 'down')),
    });
    const result = await bootstrapSignIn(d);
    expect(result).toMatchObject({
      status: 'unavailable',
      failure: { code: 'config_unavailable', restart: false },
    });
  });

  it('uses a valid stored session without asking for a new code', async () => {
    const { d } = deps('/', { inDingTalk: async () => true }, valid);
    const result = await bootstrapSignIn(d);
    expect(result).toMatchObject({ status: 'signedIn', me: HR });
    expect(d.requestAuthCode).not.toHaveBeenCalled();
    expect(d.signIn).not.toHaveBeenCalled();
  });

  it('drops a session about to expire and falls through to 免登 inside DingTalk', async () => {
    const { d, session } = deps('/', { inDingTalk: async () => true }, expired);
    const result = await bootstrapSignIn(d);
    expect(d.getMe).not.toHaveBeenCalled();
    expect(d.requestAuthCode).toHaveBeenCalledWith('dingcorp', 'dingapp');
    expect(d.signIn).toHaveBeenCalledWith('/api/auth/dingtalk', { code: 'dd-code' });
    expect(result).toMatchObject({ status: 'signedIn', inDingTalk: true });
    expect(session()?.token).toBe('t-1');
  });

  it('falls through when the server rejects the stored session', async () => {
    const { d, session } = deps(
      '/',
      { getMe: async () => Promise.reject(new ApiError(401, 'unauthorized', 'no')) },
      valid,
    );
    const result = await bootstrapSignIn(d);
    expect(result).toMatchObject({ status: 'signedOut', failure: null });
    expect(session()).toBeNull();
  });

  it('keeps the session and offers a retry when /api/me fails for another reason', async () => {
    const { d, session } = deps(
      '/',
      { getMe: async () => Promise.reject(new ApiError(0, 'network_error', 'x')) },
      valid,
    );
    const result = await bootstrapSignIn(d);
    expect(result).toMatchObject({ status: 'signedOut', failure: { code: 'network_error', restart: false } });
    expect(session()).toEqual(valid);
  });

  it('lets a sandbox code in the URL win over a stored session, and strips it', async () => {
    const { d } = deps('/?corpid=c&sandbox_auth_code=sb', {}, valid);
    const result = await bootstrapSignIn(d);
    expect(d.getMe).not.toHaveBeenCalled();
    expect(d.signIn).toHaveBeenCalledWith('/api/auth/dingtalk', { code: 'sb' });
    expect(result).toMatchObject({ status: 'signedIn', replaceUrl: '/?corpid=c' });
  });

  it('exchanges the OAuth2 callback and goes home', async () => {
    const { d } = deps('/auth/callback?authCode=ac&state=st', {
      signIn: vi.fn(async () => signedIn(CANDIDATE)),
    });
    const result = await bootstrapSignIn(d);
    expect(d.signIn).toHaveBeenCalledWith('/api/auth/oauth/exchange', { code: 'ac', state: 'st' });
    expect(result).toMatchObject({ status: 'signedIn', me: CANDIDATE, replaceUrl: '/' });
  });

  it('reports a cancelled OAuth2 login without calling the server', async () => {
    const { d } = deps('/auth/callback?error=access_denied&state=st');
    const result = await bootstrapSignIn(d);
    expect(d.signIn).not.toHaveBeenCalled();
    expect(result).toMatchObject({
      status: 'signedOut',
      failure: { code: 'oauth_cancelled', cancelled: true, restart: true },
      replaceUrl: '/',
    });
  });

  it('passes the server error code through and restarts from sign-in for a spent credential', async () => {
    const { d } = deps('/invite/tok', {
      signIn: async () => Promise.reject(new ApiError(410, 'invitation_expired', 'expired')),
    });
    const result = await bootstrapSignIn(d);
    expect(d.inDingTalk).toHaveBeenCalled();
    expect(result).toMatchObject({
      status: 'signedOut',
      failure: { code: 'invitation_expired', restart: true },
      replaceUrl: '/',
    });
  });

  it('keeps the URL credential after a transient failure so retry can reuse it', async () => {
    const { d } = deps('/invite/tok', {
      signIn: async () => Promise.reject(new ApiError(503, 'http_503', 'busy')),
    });
    const result = await bootstrapSignIn(d);
    expect(result).toMatchObject({ status: 'signedOut', failure: { restart: false }, replaceUrl: null });
  });

  it('shows a retryable failure when DingTalk gives no code', async () => {
    const { d } = deps('/', {
      inDingTalk: async () => true,
      requestAuthCode: async () => Promise.reject(new Error('denied')),
    });
    const result = await bootstrapSignIn(d);
    expect(result).toMatchObject({
      status: 'signedOut',
      failure: { code: 'dingtalk_auth_failed', restart: false },
    });
  });

  it('shows the sign-in page in an ordinary browser with nothing to go on', async () => {
    const { d } = deps('/me');
    const result = await bootstrapSignIn(d);
    expect(result).toEqual({
      status: 'signedOut',
      config: CONFIG,
      inDingTalk: false,
      failure: null,
      replaceUrl: null,
    });
    expect(d.signIn).not.toHaveBeenCalled();
  });
});

describe('safeNextPath', () => {
  it('accepts same-origin paths that are not sign-in URLs', () => {
    expect(safeNextPath('/interviews/5?x=1', true)).toBe('/interviews/5?x=1');
    expect(safeNextPath('/', true)).toBeNull();
    expect(safeNextPath(undefined, true)).toBeNull();
    expect(safeNextPath('//evil.example.com/x', true)).toBeNull();
    expect(safeNextPath('https://evil.example.com/', true)).toBeNull();
    expect(safeNextPath('/\\evil.example.com', true)).toBeNull();
    expect(safeNextPath('/auth/callback?authCode=a&state=b', true)).toBeNull();
    expect(safeNextPath('/invite/tok', true)).toBeNull();
  });

  it('returns to nextPath after the OAuth2 exchange', async () => {
    const { d } = deps('/auth/callback?authCode=ac&state=st', {
      signIn: vi.fn(async () => ({ ...signedIn(CANDIDATE), nextPath: '/me' })),
    });
    expect(await bootstrapSignIn(d)).toMatchObject({ status: 'signedIn', replaceUrl: '/me' });
  });
});
