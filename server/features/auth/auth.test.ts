import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { Job } from '../../kernel/db/entities/Job';
import { OAuthState } from '../../kernel/db/entities/OAuthState';
import { User } from '../../kernel/db/entities/User';
import { invitationTokenOf } from '../../kernel/http/tokens';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

const tokenCalls = async (t: TestApp) =>
  (await t.sandbox.calls()).filter((c) => c.path === '/v1.0/oauth2/accessToken').length;

/** Runs the OAuth2 flow like a browser: start -> sandbox login form -> callback params. */
async function oauthLogin(t: TestApp, unionid: string) {
  const start = await t.api('GET', '/api/auth/oauth/start?next=/home');
  expect(start.status).toBe(302);
  const location = start.headers.get('location')!;
  const cookie = start.headers.get('set-cookie')!.split(';')[0];
  const authorize = new URL(location);
  expect(authorize.pathname).toBe('/oauth2/auth');
  expect(authorize.searchParams.get('prompt')).toBe('consent');
  expect(authorize.searchParams.get('redirect_uri')).toBe('http://localhost:1/auth/callback');
  const page = await fetch(location);
  expect(page.status).toBe(200);
  const form = new URLSearchParams({ ...Object.fromEntries(authorize.searchParams), unionid });
  const picked = await fetch(`${t.sandbox.url}/oauth2/auth`, {
    method: 'POST',
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  expect(picked.status).toBe(302);
  const callback = new URL(picked.headers.get('location')!);
  return { code: callback.searchParams.get('authCode')!, state: callback.searchParams.get('state')!, cookie };
}

describeEachDialect('sign-in', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('employee 免登: auth code -> getuserinfo -> session -> /api/me', async () => {
    const code = await t.sandbox.issueAuthCode('hr01');
    const res = await t.api('POST', '/api/auth/dingtalk', { body: { code } });
    expect(res.status).toBe(200);
    expect(res.body.me).toMatchObject({
      kind: 'employee',
      name: '王晓燕',
      home: 'hr',
      department: '人力资源部',
    });
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await t.api('GET', '/api/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.me.roles).toEqual(['hr', 'admin']);
    const audits = await t.orm.em.fork().find(AuditLog, { action: 'auth.sign_in', objectType: 'user' });
    expect(audits.length).toBeGreaterThan(0);
  });

  it('lands each employee on the home of their role', async () => {
    for (const [userid, home] of [
      ['mgr01', 'manager'],
      ['int01', 'interviewer'],
    ] as const) {
      const res = await t.api('POST', '/api/auth/dingtalk', {
        body: { code: await t.sandbox.issueAuthCode(userid) },
      });
      expect(res.body.me.home).toBe(home);
    }
  });

  it('a reused auth code is refused with 401 auth_code_invalid', async () => {
    const code = await t.sandbox.issueAuthCode('int01');
    expect((await t.api('POST', '/api/auth/dingtalk', { body: { code } })).status).toBe(200);
    const again = await t.api('POST', '/api/auth/dingtalk', { body: { code } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('auth_code_invalid');
  });

  it('an expired auth code (older than 5 minutes) is refused', async () => {
    const code = await t.sandbox.issueAuthCode('int02');
    await t.sandbox.setClockOffset(5 * 60_000 + 1000);
    try {
      const res = await t.api('POST', '/api/auth/dingtalk', { body: { code } });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('auth_code_invalid');
    } finally {
      await t.sandbox.setClockOffset(0);
    }
  });

  it('a forged auth code is refused and creates no user', async () => {
    const before = await t.orm.em.fork().count(User, {});
    const res = await t.api('POST', '/api/auth/dingtalk', { body: { code: 'forged-code-123' } });
    expect(res.status).toBe(401);
    expect(await t.orm.em.fork().count(User, {})).toBe(before);
  });

  it('a member without a role is recorded for HR and refused with 403 no_access', async () => {
    const em = t.orm.em.fork();
    const user = await em.findOneOrFail(User, { dingtalkUserId: 'int03' });
    user.roles = [];
    await em.flush();
    try {
      const res = await t.api('POST', '/api/auth/dingtalk', {
        body: { code: await t.sandbox.issueAuthCode('int03') },
      });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('no_access');
    } finally {
      user.roles = ['interviewer'];
      await em.flush();
    }
  });

  it('refreshes the app token once when DingTalk rejects it, and shares one fetch between concurrent callers', async () => {
    const before = await tokenCalls(t);
    t.dingtalk.core.tokens.clear();
    const codes = await Promise.all(
      ['hr02', 'int01', 'int02', 'int04', 'mgr02'].map((u) => t.sandbox.issueAuthCode(u)),
    );
    const results = await Promise.all(
      codes.map((code) => t.api('POST', '/api/auth/dingtalk', { body: { code } })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect((await tokenCalls(t)) - before).toBe(1);

    await t.sandbox.expireAppTokens();
    const after = await t.api('POST', '/api/auth/dingtalk', {
      body: { code: await t.sandbox.issueAuthCode('hr01') },
    });
    expect(after.status).toBe(200);
    expect((await tokenCalls(t)) - before).toBe(2);
    const userinfoCalls = (await t.sandbox.calls()).filter((c) => c.path === '/topapi/v2/user/getuserinfo');
    // The rejected call and its retry.
    expect(userinfoCalls.slice(-2).map((c) => c.status)).toEqual([200, 200]);
  });

  it('candidate OAuth2: login page -> authCode -> userAccessToken -> contact/users/me, keyed by unionId', async () => {
    const { code, state, cookie } = await oauthLogin(t, 'uid-cand01-Aa1');
    const res = await t.api('POST', '/api/auth/oauth/exchange', {
      body: { code, state },
      headers: { cookie },
    });
    expect(res.status).toBe(200);
    expect(res.body.me).toMatchObject({ kind: 'candidate', name: '张三', home: 'candidate' });
    expect(res.body.nextPath).toBe('/home');
    const me = await t.api('GET', '/api/me', { token: res.body.token });
    expect(me.body.me.kind).toBe('candidate');
  });

  it('OAuth2 state must match the browser cookie, be unused and unexpired', async () => {
    const a = await oauthLogin(t, 'uid-cand02-Bb2');
    const noCookie = await t.api('POST', '/api/auth/oauth/exchange', {
      body: { code: a.code, state: a.state },
    });
    expect(noCookie.status).toBe(401);
    expect(noCookie.body.error.code).toBe('oauth_state_invalid');
    const ok = await t.api('POST', '/api/auth/oauth/exchange', {
      body: { code: a.code, state: a.state },
      headers: { cookie: a.cookie },
    });
    expect(ok.status).toBe(200);
    const replay = await t.api('POST', '/api/auth/oauth/exchange', {
      body: { code: a.code, state: a.state },
      headers: { cookie: a.cookie },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('oauth_state_invalid');

    const b = await oauthLogin(t, 'uid-cand02-Bb2');
    t.clock.advance(11 * 60_000);
    try {
      const late = await t.api('POST', '/api/auth/oauth/exchange', {
        body: { code: b.code, state: b.state },
        headers: { cookie: b.cookie },
      });
      expect(late.status).toBe(401);
      expect(late.body.error.code).toBe('oauth_state_invalid');
    } finally {
      t.clock.now = null;
    }
  });

  it('two concurrent callbacks with the same state: exactly one signs in', async () => {
    const a = await oauthLogin(t, 'uid-cand03-Cc3');
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.api('POST', '/api/auth/oauth/exchange', {
          body: { code: a.code, state: a.state },
          headers: { cookie: a.cookie },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const row = await t.orm.em.fork().findOneOrFail(OAuthState, { nonce: a.state });
    expect(row.usedAt).not.toBeNull();
  });

  it('a reused OAuth2 authCode is refused by DingTalk and mapped to 401', async () => {
    const a = await oauthLogin(t, 'uid-cand04-Dd4');
    expect(
      (
        await t.api('POST', '/api/auth/oauth/exchange', {
          body: { code: a.code, state: a.state },
          headers: { cookie: a.cookie },
        })
      ).status,
    ).toBe(200);
    const b = await oauthLogin(t, 'uid-cand04-Dd4');
    const res = await t.api('POST', '/api/auth/oauth/exchange', {
      body: { code: a.code, state: b.state },
      headers: { cookie: b.cookie },
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('auth_code_invalid');
  });

  it('invitation links: valid, tampered, expired, revoked', async () => {
    const hr = await t.signInEmployee('hr01');
    const em = t.orm.em.fork();
    const inv = await em.findOneOrFail(
      Invitation,
      { candidate: { name: '陈静' } },
      { populate: ['candidate', 'job'] },
    );
    const created = await t.api('POST', '/api/invitations', {
      token: hr,
      body: { candidateId: inv.candidate.id, jobId: inv.job.id, expiresInDays: 2 },
    });
    expect(created.status).toBe(201);
    const token = invitationTokenOf(created.body.invitation.url);

    const ok = await t.api('POST', '/api/auth/invitation', { body: { token } });
    expect(ok.status).toBe(200);
    expect(ok.body.me).toMatchObject({ kind: 'candidate', name: '陈静', invitationJobId: inv.job.id });
    // The same link works again (resume on another phone).
    expect((await t.api('POST', '/api/auth/invitation', { body: { token } })).status).toBe(200);

    const [h, p, s] = token.split('.');
    const tamperedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: '1' }),
    ).toString('base64url');
    for (const bad of [`${h}.${tamperedPayload}.${s}`, `${token.slice(0, -2)}xx`, 'not-a-token']) {
      const res = await t.api('POST', '/api/auth/invitation', { body: { token: bad } });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invitation_invalid');
    }

    t.clock.advance(3 * 86_400_000);
    try {
      const late = await t.api('POST', '/api/auth/invitation', { body: { token } });
      expect(late.status).toBe(401);
      expect(late.body.error.code).toBe('invitation_expired');
    } finally {
      t.clock.now = null;
    }

    const row = await em.findOneOrFail(Invitation, { id: created.body.invitation.id });
    row.revokedAt = new Date();
    await em.flush();
    const revoked = await t.api('POST', '/api/auth/invitation', { body: { token } });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('invitation_revoked');

    // A link to a job that has closed meanwhile: refused with the catalogue's status.
    row.revokedAt = null;
    const job = await em.findOneOrFail(Job, { id: row.job.id });
    job.status = 'closed';
    await em.flush();
    try {
      const closed = await t.api('POST', '/api/auth/invitation', { body: { token } });
      expect([closed.status, closed.body.error.code]).toEqual([409, 'job_closed']);
      // HR cannot invite to it either: the same code, the same status.
      const refused = await t.api('POST', '/api/invitations', {
        token: hr,
        body: { candidateId: inv.candidate.id, jobId: inv.job.id, expiresInDays: 2 },
      });
      expect([refused.status, refused.body.error.code]).toEqual([409, 'job_closed']);
    } finally {
      job.status = 'open';
      await em.flush();
    }
  });

  it('a session token expires and a tampered one is refused', async () => {
    const token = await t.signInEmployee('int01');
    const [h, p, s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: '1' })).toString('base64url')}.${s}`;
    const bad = await t.api('GET', '/api/me', { token: forged });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('session_invalid');
    t.clock.advance(t.config.session.ttlMinutes * 60_000 + 1000);
    try {
      const late = await t.api('GET', '/api/me', { token });
      expect(late.status).toBe(401);
      expect(late.body.error.code).toBe('session_expired');
    } finally {
      t.clock.now = null;
    }
    expect((await t.api('GET', '/api/me')).body.error.code).toBe('unauthenticated');
  });

  it('bad input names the field and changes nothing', async () => {
    const missing = await t.api('POST', '/api/auth/dingtalk', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_failed');
    expect(missing.body.error.details[0].field).toBe('body.code');
    const unknown = await t.api('POST', '/api/auth/dingtalk', { body: { code: 'x', admin: true } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].field).toBe('body.admin');
    const wrongType = await t.api('POST', '/api/auth/dingtalk', { body: { code: 42 } });
    expect(wrongType.body.error.details[0]).toMatchObject({ field: 'body.code' });
    const malformed = await t.api('POST', '/api/auth/dingtalk', {
      body: '{"code":',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_body');
    const huge = await t.api('POST', '/api/auth/dingtalk', { body: { code: 'x'.repeat(400_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const next = await t.api('GET', '/api/auth/oauth/start?next=//evil.example.com');
    expect(next.status).toBe(400);
    expect(next.body.error.details[0].field).toBe('query.next');
    // A backslash is a slash to browsers: /\evil.example and friends are refused the same way.
    for (const bad of ['/\\evil.example', '/\\/evil.example', '/home\\..\\..\\evil', '/ evil']) {
      const r = await t.api('GET', `/api/auth/oauth/start?next=${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.error.details[0].field).toBe('query.next');
    }
    expect((await t.api('GET', '/api/auth/oauth/start?next=%2Fapplications%2F3%3Ftab%3Dx')).status).toBe(302);
  });
});

describeEachDialect('sign-in rate limit', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false, env: { RATE_LIMIT_SIGNIN_PER_MINUTE: '3' } });
  });
  afterAll(async () => t?.close());

  it('answers 429 with Retry-After once an IP exceeds the sign-in limit', async () => {
    // The limiter's windows are whole minutes: hits that straddled a minute's end would be split
    // between two. Frozen just after a minute starts, they all fall in one.
    t.clock.now = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 1000);
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await t.api('POST', '/api/auth/dingtalk', { body: { code: `x${i}` } })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const res = await t.api('POST', '/api/auth/invitation', { body: { token: 'x' } });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.body.error.code).toBe('rate_limited');
    } finally {
      t.clock.now = null;
    }
  });
});
