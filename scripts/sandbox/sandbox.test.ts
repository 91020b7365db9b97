import ContactClient, * as $contact from '@alicloud/dingtalk/dist/contact_1_0/client';
import OAuthClient, * as $oauth from '@alicloud/dingtalk/dist/oauth2_1_0/client';
import * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ORG } from '../../server/kernel/db/seeds/demoCompany';
import { type Sandbox, startSandbox } from './server';

const APP_URL = 'http://app.example.test';
const CREDS = { appKey: DEMO_ORG.appKey, appSecret: DEMO_ORG.appSecret };
const CLIENT = { clientId: DEMO_ORG.appKey, clientSecret: DEMO_ORG.appSecret };
const CALLBACK = 'http://127.0.0.1:3000/auth/dingtalk/callback';

let clock = Date.UTC(2025, 0, 6, 2, 0, 0);
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, appUrl: APP_URL, now: () => clock });
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.state.reset();
  clock += 10_000; // a fresh QPS second for every test
});

interface Res {
  status: number;
  type: string | null;
  body: any;
}

async function call(path: string, init: RequestInit = {}): Promise<Res> {
  const r = await fetch(sb.url + path, init);
  return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Res> {
  return call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function appToken(): Promise<string> {
  return (await post('/v1.0/oauth2/accessToken', CREDS)).body.accessToken;
}

function sdkConfig() {
  return new $OpenApi.Config({ protocol: 'http', endpoint: `127.0.0.1:${sb.port}` });
}

/** Runs the OAuth2 login page like a browser: load it, press an account's button, follow nothing. */
async function loginThroughPage(unionid: string, scope = 'openid'): Promise<URL> {
  const q = new URLSearchParams({
    client_id: DEMO_ORG.appKey,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope,
    prompt: 'consent',
    state: 'csrf-123',
  });
  const pageRes = await fetch(`${sb.url}/oauth2/auth?${q}`);
  expect(pageRes.status).toBe(200);
  expect(await pageRes.text()).toContain(`data-testid="login-as-${unionid}"`);
  q.set('unionid', unionid);
  const r = await fetch(`${sb.url}/oauth2/auth`, { method: 'POST', body: q, redirect: 'manual' });
  expect(r.status).toBe(302);
  return new URL(r.headers.get('location')!);
}

describe('app access tokens', () => {
  it('issues a token on the new API and returns the same one while it is valid', async () => {
    const a = await post('/v1.0/oauth2/accessToken', CREDS);
    expect(a.status).toBe(200);
    expect(a.type).toContain('application/json');
    expect(a.body).toEqual({ accessToken: expect.stringMatching(/^[0-9a-f]{32}$/), expireIn: 7200 });
    clock += 7000_000; // close to expiry: asking again returns the same token and extends it
    const b = await post('/v1.0/oauth2/accessToken', CREDS);
    expect(b.body.accessToken).toBe(a.body.accessToken);
    clock += 7000_000; // only valid because it was extended
    const old = await call(`/topapi/v2/user/get?access_token=${a.body.accessToken}`, {
      method: 'POST',
      body: JSON.stringify({ userid: 'hr01' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(old.body.errcode).toBe(0);
  });

  it('rejects bad credentials with invalidClientIdOrSecret (HTTP 400)', async () => {
    const r = await post('/v1.0/oauth2/accessToken', { appKey: DEMO_ORG.appKey, appSecret: 'wrong' });
    expect(r.status).toBe(400);
    expect(r.type).toContain('application/json');
    expect(r.body).toEqual({
      code: 'invalidClientIdOrSecret',
      message: '无效的clientId或者clientSecret',
      requestid: expect.any(String),
    });
  });

  it('serves the old gettoken from the same token store', async () => {
    const token = await appToken();
    const r = await call(`/gettoken?appkey=${CREDS.appKey}&appsecret=${CREDS.appSecret}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 });
    const bad = await call(`/gettoken?appkey=${CREDS.appKey}&appsecret=nope`);
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ errcode: 40096, errmsg: '不合法的appKey或appSecret' });
  });

  it('expires tokens after 7200 s on the sandbox clock', async () => {
    const token = await appToken();
    clock += 7200_000;
    const r = await call('/v1.0/contact/users/me', { headers: { 'x-acs-dingtalk-access-token': token } });
    expect(r.body.code).toBe('InvalidAuthentication');
    expect(await appToken()).not.toBe(token);
  });

  it('expireAppTokens invalidates cached tokens on both hosts until the product refreshes', async () => {
    const token = await appToken();
    expect(sb.state.expireAppTokens()).toBe(1);
    const oldApi = await post(`/topapi/v2/user/getuserinfo?access_token=${token}`, { code: 'x' });
    expect(oldApi.body).toMatchObject({ errcode: 88, sub_code: '40014', sub_msg: '不合法的access_token' });
    const fresh = await appToken();
    expect(fresh).not.toBe(token);
    const code = sb.state.issueAuthCode('hr01');
    const retry = await post(`/topapi/v2/user/getuserinfo?access_token=${fresh}`, { code });
    expect(retry.body.errcode).toBe(0);
    // The request log lets tests count token fetches.
    expect(sb.state.calls.filter((c) => c.path === '/v1.0/oauth2/accessToken')).toHaveLength(2);
  });

  it('works through the real SDK (getAccessToken), including its TeaError on bad credentials', async () => {
    const client = new OAuthClient(sdkConfig());
    const res = await client.getAccessToken(new $oauth.GetAccessTokenRequest(CREDS));
    expect(res.statusCode).toBe(200);
    expect(res.body?.expireIn).toBe(7200);
    expect(res.body?.accessToken).toBe(await appToken());
    const err: any = await client
      .getAccessToken(new $oauth.GetAccessTokenRequest({ appKey: CREDS.appKey, appSecret: 'bad' }))
      .catch((e) => e);
    expect(err.code).toBe('invalidClientIdOrSecret');
    // TeaError prefixes the code: "<code>: code: <http>, <message> request id: <requestid>".
    expect(err.message).toMatch(/code: 400, 无效的clientId或者clientSecret request id: [0-9A-F-]{36}$/);
    expect(err.data).toMatchObject({ statusCode: 400, requestid: expect.any(String) });
  });
});

describe('new-API token rules', () => {
  it('wants the token in x-acs-dingtalk-access-token only', async () => {
    const token = await appToken();
    for (const r of [
      await call('/v1.0/contact/users/me'),
      await call('/v1.0/contact/users/me', { headers: { authorization: `Bearer ${token}` } }),
      await call(`/v1.0/contact/users/me?access_token=${token}`),
    ]) {
      expect(r.status).toBe(400);
      expect(r.type).toContain('application/json');
      expect(r.body).toMatchObject({
        code: 'AuthenticationFailed.MissingParameter',
        requestid: expect.any(String),
      });
    }
  });

  it('answers InvalidAuthentication for unknown tokens and for an app token where a user token is needed', async () => {
    for (const token of ['not-a-token', await appToken()]) {
      const r = await call('/v1.0/contact/users/me', { headers: { 'x-acs-dingtalk-access-token': token } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        code: 'InvalidAuthentication',
        message: '不合法的access_token',
        requestid: expect.any(String),
      });
    }
  });

  it('answers unknown new-API paths with the gateway 404 shape', async () => {
    const r = await call('/v1.0/nothing/here', {
      headers: { 'x-acs-dingtalk-access-token': await appToken() },
    });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: 'InvalidAction.NotFound', requestid: expect.any(String) });
  });
});

describe('old-API token rules', () => {
  it('wraps token errors in errcode 88, always HTTP 200', async () => {
    const blank = await post('/topapi/v2/user/get', { userid: 'hr01' });
    expect(blank.status).toBe(200);
    expect(blank.body).toMatchObject({ errcode: 88, sub_code: '40000', sub_msg: 'access_token is blank' });
    expect(blank.body.errmsg).toEqual(expect.any(String));
    const invalid = await post('/topapi/v2/user/get?access_token=nope', { userid: 'hr01' });
    expect(invalid.status).toBe(200);
    expect(invalid.body).toMatchObject({ errcode: 88, sub_code: '40014', sub_msg: '不合法的access_token' });
  });

  it('answers unknown old paths with errcode 22', async () => {
    const r = await post(`/topapi/no/such/thing?access_token=${await appToken()}`, {});
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ errcode: 22, errmsg: 'Invalid method' });
  });
});

describe('employee identity (免登)', () => {
  it('swaps an in-app auth code for the user, once', async () => {
    const token = await appToken();
    const code = sb.state.issueAuthCode('hr01');
    const r = await post(`/topapi/v2/user/getuserinfo?access_token=${token}`, { code });
    expect(r.body).toMatchObject({
      errcode: 0,
      errmsg: 'ok',
      result: {
        userid: 'hr01',
        unionid: 'uid-hr01-Wl3kQ',
        name: '王晓燕',
        device_id: expect.any(String),
        sys: expect.any(Boolean),
        sys_level: expect.any(Number),
        associated_unionid: expect.any(String),
      },
    });
    const again = await post(`/topapi/v2/user/getuserinfo?access_token=${token}`, { code });
    expect(again.body).toMatchObject({ errcode: 40078, errmsg: '不存在的临时授权码' });
  });

  it('rejects unknown and expired (5 min) codes', async () => {
    const token = await appToken();
    const unknown = await post(`/topapi/v2/user/getuserinfo?access_token=${token}`, { code: 'made-up' });
    expect(unknown.body.errcode).toBe(40078);
    const code = sb.state.issueAuthCode('int01');
    clock += 5 * 60_000;
    const expired = await post(`/topapi/v2/user/getuserinfo?access_token=${token}`, { code });
    expect(expired.body.errcode).toBe(40078);
    const inTime = sb.state.issueAuthCode('int01');
    clock += 5 * 60_000 - 1;
    const ok = await post(`/topapi/v2/user/getuserinfo?access_token=${token}`, { code: inTime });
    expect(ok.body.result.userid).toBe('int01');
  });

  it('refuses to issue codes for people outside the org', () => {
    expect(() => sb.state.issueAuthCode('nobody')).toThrow();
  });
});

describe('contacts', () => {
  it('returns member details and 60121 for unknown users', async () => {
    const token = await appToken();
    const r = await post(`/topapi/v2/user/get?access_token=${token}`, { userid: 'mgr01', language: 'zh_CN' });
    expect(r.body).toMatchObject({
      errcode: 0,
      result: {
        userid: 'mgr01',
        unionid: 'uid-mgr01-Tq2nB',
        name: '李建国',
        mobile: '13800000011',
        title: '研发总监',
        dept_id_list: [20],
      },
    });
    const missing = await post(`/topapi/v2/user/get?access_token=${token}`, {
      userid: 'ghost',
      language: 'zh_CN',
    });
    expect(missing.body).toMatchObject({ errcode: 60121, errmsg: '找不到该用户' });
  });

  it('maps a unionid to a member userid, and 60121 for outside accounts', async () => {
    const token = await appToken();
    const r = await post(`/topapi/user/getbyunionid?access_token=${token}`, { unionid: 'uid-int02-Kb9tE' });
    expect(r.body).toMatchObject({ errcode: 0, result: { contact_type: 0, userid: 'int02' } });
    const outsider = await post(`/topapi/user/getbyunionid?access_token=${token}`, {
      unionid: 'uid-cand01-Aa1',
    });
    expect(outsider.body.errcode).toBe(60121);
  });
});

describe('OAuth2 web login', () => {
  const base = {
    client_id: DEMO_ORG.appKey,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid',
    prompt: 'consent',
    state: 's1',
  };

  it('shows a login page listing DingTalk accounts (candidates with a unionid, and employees)', async () => {
    const r = await fetch(`${sb.url}/oauth2/auth?${new URLSearchParams(base)}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    const html = await r.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('data-testid="login-as-uid-cand01-Aa1"');
    expect(html).toContain('data-testid="login-as-uid-hr01-Wl3kQ"');
    expect(html).not.toContain('陈静'); // no DingTalk account
  });

  it('rejects bad authorize requests with a 400 page and no redirect', async () => {
    const { redirect_uri: _omit, ...noRedirect } = base;
    const { prompt: _p, ...noPrompt } = base;
    for (const q of [
      { ...base, client_id: 'someone-else' },
      { ...base, response_type: 'token' },
      noPrompt,
      noRedirect,
    ]) {
      const r = await fetch(`${sb.url}/oauth2/auth?${new URLSearchParams(q)}`, { redirect: 'manual' });
      expect(r.status).toBe(400);
      expect(r.headers.get('location')).toBeNull();
      expect(await r.text()).toContain('data-testid="oauth-error"');
    }
  });

  it('redirects with authCode and state when an account is picked, error=access_denied on deny', async () => {
    const url = await loginThroughPage('uid-cand02-Bb2');
    expect(url.origin + url.pathname).toBe(CALLBACK);
    expect(url.searchParams.get('authCode')).toMatch(/^[0-9a-f]{32}$/);
    expect(url.searchParams.get('state')).toBe('csrf-123');

    const deny = new URLSearchParams({ ...base, action: 'deny' });
    const r = await fetch(`${sb.url}/oauth2/auth`, { method: 'POST', body: deny, redirect: 'manual' });
    expect(r.status).toBe(302);
    const denied = new URL(r.headers.get('location')!);
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('s1');
    expect(denied.searchParams.has('authCode')).toBe(false);
  });

  it('exchanges the code for user tokens via the SDK and answers contact users/me via the SDK', async () => {
    const url = await loginThroughPage('uid-cand01-Aa1');
    const oauth = new OAuthClient(sdkConfig());
    const tokens = await oauth.getUserToken(
      new $oauth.GetUserTokenRequest({
        ...CLIENT,
        code: url.searchParams.get('authCode')!,
        grantType: 'authorization_code',
      }),
    );
    expect(tokens.body).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expireIn: 7200,
    });
    expect(tokens.body?.corpId).toBeUndefined();

    const contact = new ContactClient(sdkConfig());
    const me = await contact.getUserWithOptions(
      'me',
      new $contact.GetUserHeaders({ xAcsDingtalkAccessToken: tokens.body!.accessToken }),
      new $Util.RuntimeOptions({}),
    );
    expect(me.body).toMatchObject({
      nick: '张三',
      avatarUrl: expect.stringContaining('/avatars/'),
      email: 'zhangsan@example.com',
      openId: expect.any(String),
      unionId: 'uid-cand01-Aa1',
      visitor: false,
    });
    // Only the openid scope was granted: no phone number (reference §3.4).
    expect(me.body?.mobile).toBeUndefined();

    // A refresh token yields a new pair and is spent.
    const refreshed = await oauth.getUserToken(
      new $oauth.GetUserTokenRequest({
        ...CLIENT,
        refreshToken: tokens.body!.refreshToken,
        grantType: 'refresh_token',
      }),
    );
    expect(refreshed.body?.accessToken).not.toBe(tokens.body?.accessToken);
    const reused: any = await oauth
      .getUserToken(
        new $oauth.GetUserTokenRequest({
          ...CLIENT,
          refreshToken: tokens.body!.refreshToken,
          grantType: 'refresh_token',
        }),
      )
      .catch((e) => e);
    expect(reused.statusCode ?? reused.data?.statusCode).toBe(400);
  });

  it('returns the mobile with Contact.User.mobile and corpId with corpid (members only)', async () => {
    const url = await loginThroughPage('uid-int03-Lc1uF', 'openid Contact.User.mobile corpid');
    const t = await post('/v1.0/oauth2/userAccessToken', {
      ...CLIENT,
      code: url.searchParams.get('authCode'),
      grantType: 'authorization_code',
    });
    expect(t.body.corpId).toBe(DEMO_ORG.corpId);
    const me = await call('/v1.0/contact/users/me', {
      headers: { 'x-acs-dingtalk-access-token': t.body.accessToken },
    });
    expect(me.body).toMatchObject({
      nick: '孙丽',
      mobile: '13800000023',
      stateCode: '86',
      unionId: 'uid-int03-Lc1uF',
    });
  });

  it('rejects bad, reused and expired codes with invalidAuthCode and a bad client with invalidClientIdOrSecret', async () => {
    const code = sb.state.issueOAuthCode('uid-cand05-Ee5', CALLBACK);
    const badClient = await post('/v1.0/oauth2/userAccessToken', {
      clientId: CLIENT.clientId,
      clientSecret: 'x',
      code,
      grantType: 'authorization_code',
    });
    expect(badClient.status).toBe(400);
    expect(badClient.body.code).toBe('invalidClientIdOrSecret');

    const exchange = (c: string) =>
      post('/v1.0/oauth2/userAccessToken', { ...CLIENT, code: c, grantType: 'authorization_code' });
    expect((await exchange(code)).status).toBe(200);
    for (const r of [await exchange(code), await exchange('made-up')]) {
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        code: 'invalidAuthCode',
        message: '无效的authCode',
        requestid: expect.any(String),
      });
    }
    const late = sb.state.issueOAuthCode('uid-cand05-Ee5', CALLBACK);
    clock += 5 * 60_000;
    expect((await exchange(late)).body.code).toBe('invalidAuthCode');
  });

  it('does not accept in-app (免登) codes at userAccessToken (undocumented there)', async () => {
    const code = sb.state.issueAuthCode('hr01');
    const r = await post('/v1.0/oauth2/userAccessToken', {
      ...CLIENT,
      code,
      grantType: 'authorization_code',
    });
    expect(r.body.code).toBe('invalidAuthCode');
  });
});

describe('rate limit', () => {
  it('allows qpsLimit calls per app per API per second, then 90018 / HTTP 403', async () => {
    const token = await appToken();
    const get = () => post(`/topapi/v2/user/get?access_token=${token}`, { userid: 'hr01' });
    for (let i = 0; i < 20; i++) expect((await get()).body.errcode).toBe(0);
    expect((await get()).body).toMatchObject({ errcode: 90018 });
    // Another API has its own budget.
    const other = await post(`/topapi/user/getbyunionid?access_token=${token}`, {
      unionid: 'uid-hr01-Wl3kQ',
    });
    expect(other.body.errcode).toBe(0);
    clock += 1000;
    expect((await get()).body.errcode).toBe(0);

    const user = sb.state.issueOAuthCode('uid-cand01-Aa1', CALLBACK);
    const t = await post('/v1.0/oauth2/userAccessToken', {
      ...CLIENT,
      code: user,
      grantType: 'authorization_code',
    });
    const me = () =>
      call('/v1.0/contact/users/me', { headers: { 'x-acs-dingtalk-access-token': t.body.accessToken } });
    for (let i = 0; i < 20; i++) expect((await me()).status).toBe(200);
    const limited = await me();
    expect(limited.status).toBe(403);
    expect(limited.body).toMatchObject({
      code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
      requestid: expect.any(String),
    });
  });

  it('does not limit token endpoints', async () => {
    for (let i = 0; i < 30; i++) expect((await post('/v1.0/oauth2/accessToken', CREDS)).status).toBe(200);
  });
});

describe('console and test API', () => {
  it('renders the console with an "open as" button per employee and candidates opening the app', async () => {
    const r = await fetch(`${sb.url}/`);
    const html = await r.text();
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('钉钉沙箱 / DingTalk sandbox');
    expect(html).toContain('data-testid="open-as-hr01"');
    expect(html).toContain('data-testid="open-as-int04"');
    expect(html).toContain(`href="${APP_URL}/"`);
    expect(html).toContain('data-testid="tab-org"');
    expect((await fetch(`${sb.url}/console`)).status).toBe(200);
  });

  it('describes the org', async () => {
    const r = await call('/api/sandbox/org');
    expect(r.body).toMatchObject({
      corpId: DEMO_ORG.corpId,
      appKey: DEMO_ORG.appKey,
      agentId: DEMO_ORG.agentId,
    });
    expect(r.body.employees).toHaveLength(8);
    expect(r.body.externalAccounts).toHaveLength(10);
    expect(r.body.departments.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.body)).not.toContain(DEMO_ORG.appSecret);
  });

  it('issues auth codes the product can swap, and validates input', async () => {
    const r = await post('/api/sandbox/authcodes', { userid: 'hr02' });
    expect(r.status).toBe(201);
    const who = await post(`/topapi/v2/user/getuserinfo?access_token=${await appToken()}`, {
      code: r.body.code,
    });
    expect(who.body.result.userid).toBe('hr02');
    expect((await post('/api/sandbox/authcodes', { userid: 'ghost' })).status).toBe(404);
    expect((await post('/api/sandbox/authcodes', {})).status).toBe(400);
  });

  it('issues OAuth codes, expires tokens, lists calls and resets', async () => {
    const oc = await post('/api/sandbox/oauth-codes', { unionid: 'uid-cand03-Cc3', redirectUri: CALLBACK });
    expect(oc.status).toBe(201);
    const t = await post('/v1.0/oauth2/userAccessToken', {
      ...CLIENT,
      code: oc.body.code,
      grantType: 'authorization_code',
    });
    expect(t.status).toBe(200);

    const token = await appToken();
    expect((await post('/api/sandbox/tokens/expire', {})).body).toEqual({ expired: 1 });
    expect(sb.state.appKeyOf(token)).toBeUndefined();

    const calls = await call('/api/sandbox/calls');
    expect(calls.body.calls.map((c: { path: string }) => c.path)).toEqual([
      '/v1.0/oauth2/userAccessToken',
      '/v1.0/oauth2/accessToken',
    ]);
    expect(calls.body.calls[0]).toMatchObject({ method: 'POST', status: 200, at: clock });

    await post('/api/sandbox/reset', {});
    expect((await call('/api/sandbox/calls')).body.calls).toEqual([]);
  });
});

describe('options', () => {
  it('accepts another org and QPS limit', async () => {
    const other = await startSandbox({
      appUrl: APP_URL,
      qpsLimit: 1,
      now: () => clock, // fixed during the test, so both calls fall in one second
      org: { corpId: 'dingothercorp', appKey: 'otherkey', appSecret: 'othersecret' },
    });
    try {
      const r = await fetch(`${other.url}/v1.0/oauth2/accessToken`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ appKey: 'otherkey', appSecret: 'othersecret' }),
      });
      const { accessToken } = await r.json();
      const get = () =>
        fetch(`${other.url}/topapi/v2/user/get?access_token=${accessToken}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userid: 'hr01' }),
        }).then((x) => x.json());
      expect((await get()).errcode).toBe(0);
      expect((await get()).errcode).toBe(90018);
    } finally {
      await other.close();
    }
  });
});
