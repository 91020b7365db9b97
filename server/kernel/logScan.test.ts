/**
 * No credential ever reaches a log line (TRUST.md). Runs the candidate's whole path through the
 * real app at debug level (OAuth2 and invitation sign-in, booking, consent, upload grant,
 * resumable upload, the worker delivering the invitation message), plus the ways a token could
 * leak by mistake (old path-form invitation links, a forged upload token, an OAuth callback
 * page), captures every log line and scans it for every token and secret the run issued.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nextMonday } from '../testing/booking';
import { describeEachDialect, startTestApp, type TestApp } from '../testing/harness';
import { completeAndCheck, makeRecordings } from '../testing/interview';
import { Candidate } from './db/entities/Candidate';
import { Job } from './db/entities/Job';
import { invitationTokenOf } from './http/tokens';
import { startJobs } from './jobs/registry';
import { scrubText } from './logger';

it('scrubText removes tokens in path positions, query strings, bearer headers and JWTs', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJzZXNzaW9uIn0.c2lnbmF0dXJlLXBhcnQ';
  const text = [
    `/invite/${jwt}`,
    '/api/uploads/u1.abcDEF123',
    'https://oapi.dingtalk.com/topapi/x?access_token=AT123&x=1',
    '/auth/callback?authCode=AC1&state=ST1',
    '/api/objects/k?t=OBJ1',
    '/bookings/new?rebook=RB1',
    `Bearer ${jwt}`,
    `token ${jwt} in a message`,
  ].join(' ');
  const out = scrubText(text);
  for (const secret of [jwt, 'u1.abcDEF123', 'AT123', 'AC1', 'ST1', 'OBJ1', 'RB1'])
    expect(out).not.toContain(secret);
  expect(out).toContain('/api/uploads/[redacted]');
  expect(out).toContain('access_token=[redacted]&x=1');
});

describeEachDialect('no credential in any log line', (dialect) => {
  let t: TestApp;
  let log = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-logscan-'));
  /** Every credential the run handled: each must be absent from the log. */
  const issued = new Map<string, string>();
  const keep = (what: string, value: unknown) => {
    if (typeof value === 'string' && value.length >= 6) issued.set(`${what}:${issued.size}`, value);
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, cb) {
        log += chunk.toString();
        cb();
      },
    });
    t = await startTestApp(dialect, { env: { LOG_LEVEL: 'debug' }, logStream: sink });
  }, 30_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the end-to-end flow leaves no token or secret in the log', async () => {
    // --- OAuth2 sign-in of a candidate, as a browser does it (real time: the sandbox's codes).
    const start = await t.api('GET', '/api/auth/oauth/start?next=/home');
    expect(start.status).toBe(302);
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0];
    keep('oauth cookie', cookie.split('=')[1]);
    const authorize = new URL(start.headers.get('location') as string);
    keep('oauth state', authorize.searchParams.get('state'));
    const picked = await fetch(`${t.sandbox.url}/oauth2/auth`, {
      method: 'POST',
      body: new URLSearchParams({ ...Object.fromEntries(authorize.searchParams), unionid: 'uid-cand01-Aa1' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    const callback = new URL(picked.headers.get('location') as string);
    const code = callback.searchParams.get('authCode') as string;
    const state = callback.searchParams.get('state') as string;
    keep('oauth code', code);
    // The browser lands on the callback page (the SPA) with the code and state in the query.
    expect((await t.api('GET', `/auth/callback?authCode=${code}&state=${state}`)).status).not.toBe(500);
    const oauth = await t.api('POST', '/api/auth/oauth/exchange', {
      body: { code, state },
      headers: { cookie },
    });
    expect(oauth.status, JSON.stringify(oauth.body)).toBe(200);
    keep('oauth session', oauth.body.token);
    expect((await t.api('GET', '/api/me', { token: oauth.body.token })).status).toBe(200);

    // --- From here on the app's clock: Monday morning, when AI interview windows are open.
    const monday = nextMonday(new Date()).getTime();
    t.clock.now = new Date(monday);
    const hr = await t.signInEmployee('hr01');
    keep('employee session', hr);

    // --- HR invites; the candidate opens the link and signs in with it.
    const em = t.orm.em.fork();
    const job = await em.findOneOrFail(Job, { slug: 'backend' });
    const cand = em.create(Candidate, {
      unionId: null,
      name: '日志扫描',
      mobile: '13911112222',
      email: null,
    });
    await em.flush();
    const inv = await t.api('POST', '/api/invitations', {
      token: hr,
      body: { candidateId: cand.id, jobId: job.id },
    });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    const invitation = invitationTokenOf(inv.body.invitation.url);
    keep('invitation', invitation);
    // The link carries the token in the fragment: the page request shows no token at all.
    expect(new URL(inv.body.invitation.url).pathname).toBe('/invite');
    expect(inv.body.invitation.url.endsWith(`#${invitation}`)).toBe(true);
    await t.api('GET', new URL(inv.body.invitation.url).pathname);
    // An older link (token in the path) still reaches the server: its path is logged redacted.
    await t.api('GET', `/invite/${invitation}`);
    const signIn = await t.api('POST', '/api/auth/invitation', { body: { token: invitation } });
    expect(signIn.status).toBe(200);
    const candidate = signIn.body.token as string;
    keep('candidate session', candidate);
    // A bad token in a body is refused, and named nowhere in the log either.
    await t.api('POST', '/api/auth/invitation', { body: { token: `${invitation}x` } });

    // --- Booking an AI interview window.
    const apps = await t.api('GET', '/api/my/applications', { token: candidate });
    const applicationId = apps.body.items[0].id as number;
    const slots = await t.api('GET', `/api/bookings/slots?applicationId=${applicationId}&kind=ai_interview`, {
      token: candidate,
    });
    expect(slots.status, JSON.stringify(slots.body)).toBe(200);
    const booked = await t.api('POST', '/api/bookings', {
      token: candidate,
      body: { applicationId, kind: 'ai_interview', startAt: slots.body.slots[0].startAt },
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    t.clock.now = new Date(new Date(slots.body.slots[0].startAt).getTime() + 60_000);

    // --- Consent, start, an upload grant and the resumable upload.
    const notice = await t.api('GET', '/api/interview', { token: candidate });
    expect(
      (
        await t.api('POST', '/api/interview/consent', {
          token: candidate,
          body: {
            noticeHash: notice.body.notice.hash,
            locale: 'zh-CN',
            videoProcessing: true,
            aiEvaluation: true,
            personOnly: false,
          },
        })
      ).status,
    ).toBe(201);
    expect((await t.api('POST', '/api/interview/start', { token: candidate, body: {} })).status).toBe(200);
    const next = await t.api('POST', '/api/interview/next', { token: candidate });
    const answerId = next.body.answer.id as number;
    const { speech } = await makeRecordings(dir);
    const data = fs.readFileSync(speech);
    const g = await t.api('POST', `/api/interview/answers/${answerId}/grant`, {
      token: candidate,
      body: { contentType: 'video/webm', bytes: data.length },
    });
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    const grantUrl = g.body.grant.url as string;
    const uploadToken = grantUrl.split('/').pop() as string;
    keep('upload grant', uploadToken);
    const put = (offset: number, body: Buffer) =>
      fetch(`${t.url}${grantUrl}`, {
        method: 'PUT',
        headers: {
          'content-type': 'video/webm',
          'upload-offset': String(offset),
          'upload-length': String(data.length),
        },
        body: new Uint8Array(body),
      });
    // A wrong offset first (an error response), then the whole file.
    expect((await put(7, data.subarray(7))).status).toBeGreaterThanOrEqual(400);
    expect((await put(0, data)).status).toBe(200);
    const done = await completeAndCheck(t, candidate, answerId, g.body.grant.attempt);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    // Probing with forged tokens in every position: refused, and logged without them.
    const forged = 'u9.forgedUploadTokenValue123';
    keep('forged upload token', forged);
    expect((await fetch(`${t.url}/api/uploads/${forged}`, { method: 'PUT', body: 'x' })).status).toBeLessThan(
      500,
    );
    await t.api('GET', '/api/me', { token: `${candidate.slice(0, -2)}xx` });

    // --- The worker: the invitation message (with its link) goes out through the sandbox.
    const runner = startJobs(t.runtime.jobs, t.deps, ['worker'], { timers: false });
    try {
      await runner.run('messaging.invitations');
      await runner.run('messaging.deliver');
    } finally {
      await runner.stop();
    }

    // The secrets of the configuration itself.
    keep('SESSION_SECRET', t.config.session.secret);
    keep('DINGTALK_APP_SECRET', t.config.dingtalk.appSecret);
    keep('DINGTALK_CALLBACK_TOKEN', t.config.dingtalk.callback.token);
    keep('DINGTALK_CALLBACK_AES_KEY', t.config.dingtalk.callback.aesKey);
    keep('ASR key', t.config.asr.dashscope.apiKey);

    for (const [what, value] of issued) {
      expect(log.includes(value), `${what} appears in the log`).toBe(false);
      // JWTs: not even the signature part.
      const sig = value.split('.')[2];
      if (sig && sig.length > 10)
        expect(log.includes(sig), `${what} (signature) appears in the log`).toBe(false);
    }
    // The log is real and covers the flow (a scan of an empty log proves nothing).
    const lines = log.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(20);
    expect(log).toContain('"path":"/api/uploads/[redacted]"');
    expect(log).toContain('"path":"/invite/[redacted]"');
    expect(log).toContain('"path":"/api/auth/invitation"');
  }, 60_000);
});
