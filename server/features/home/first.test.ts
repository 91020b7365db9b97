import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { HOME_FIRST_PARTS, type HomeFirstPart } from '../../../shared/api/home';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { issueSessionToken } from '../../kernel/http/tokens';
import { sessionToken } from '../../testing/booking';
import { makeApplication, makeBooking, makeCandidate, makeJob, makeReport } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

/** The separate read each part of `GET /api/home/first` stands for (the mini-app's paths). */
const SEPARATE: Record<HomeFirstPart, (locale: string) => string> = {
  me: () => '/api/me',
  interview: (locale) => `/api/interview?locale=${locale}`,
  bookings: () => '/api/bookings/mine',
  feedback: () => '/api/feedback',
  timeline: () => '/api/home/timeline',
};

describeEachDialect('GET /api/home/first: a candidate’s first screen in one read', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());
  afterEach(() => {
    t.clock.now = null;
  });

  /** A candidate invited to a job with a plan, a booking and a released report, and their token. */
  async function candidateWithHistory(title: string, locale = 'zh-CN') {
    const em = t.orm.em.fork();
    const job = await makeJob(em, { title });
    const candidate = await makeCandidate(em, { locale });
    const app = await makeApplication(em, { candidate, job });
    const booking = await makeBooking(em, { application: app });
    const report = await makeReport(em, { application: app, releasedAt: new Date(Date.now() - 60_000) });
    return { candidate, app, booking, report, token: await sessionToken(t, 'candidate', candidate.id) };
  }

  /** Every part next to what its own route answers now (the clock held still between them). */
  async function compare(token: string, locale: string) {
    t.clock.now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const first = await t.api('GET', `/api/home/first?locale=${locale}`, { token });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body.parts).sort()).toEqual([...HOME_FIRST_PARTS].sort());
    for (const name of HOME_FIRST_PARTS) {
      const separate = await t.api('GET', SEPARATE[name](locale), { token });
      expect(first.body.parts[name], name).toEqual({ status: separate.status, body: separate.body });
    }
    return first.body.parts;
  }

  it('each part is what its own route answers, in the asked locale', async () => {
    const { app, booking, report, token } = await candidateWithHistory('首读岗位');
    const zh = await compare(token, 'zh-CN');
    expect(zh.me.body.me).toMatchObject({ kind: 'candidate', home: 'candidate' });
    expect(zh.interview).toMatchObject({ status: 200, body: { job: { id: app.job.id } } });
    expect(zh.interview.body.notice.locale).toBe('zh-CN');
    expect(zh.bookings.body.items.map((b: { id: number }) => b.id)).toEqual([booking.id]);
    expect(zh.feedback.body.items.map((f: { id: number }) => f.id)).toEqual([report.id]);
    expect(zh.timeline).toMatchObject({ status: 200, body: { applicationId: app.id } });
    const en = await compare(token, 'en');
    expect(en.interview.body.notice.locale).toBe('en');
  });

  it('a part that fails carries its own status and error: no interview is 404, the rest answer', async () => {
    const em = t.orm.em.fork();
    const nobody = await makeCandidate(em);
    const token = await sessionToken(t, 'candidate', nobody.id);
    const parts = await compare(token, 'zh-CN');
    expect(parts.interview).toEqual({
      status: 404,
      body: { error: expect.objectContaining({ code: 'not_found' }) },
    });
    expect(parts.timeline.status).toBe(404);
    expect(parts.me.status).toBe(200);
    expect(parts.bookings).toEqual({ status: 200, body: { items: [], applications: [] } });
    expect(parts.feedback).toEqual({ status: 200, body: { items: [] } });
  });

  it('never carries another candidate’s rows', async () => {
    const mine = await candidateWithHistory('我的岗位甲');
    const theirs = await candidateWithHistory('别人的岗位乙');
    const parts = await compare(mine.token, 'zh-CN');
    const text = JSON.stringify(parts);
    expect(text).toContain('我的岗位甲');
    expect(text).not.toContain('别人的岗位乙');
    expect(parts.me.body.me.id).toBe(mine.candidate.id);
    expect(parts.bookings.body.items.map((b: { id: number }) => b.id)).not.toContain(theirs.booking.id);
    expect(parts.feedback.body.items.map((f: { id: number }) => f.id)).not.toContain(theirs.report.id);
    expect(parts.timeline.body.applicationId).toBe(mine.app.id);
  });

  it('refuses employees, the signed-out, expired and revoked sessions, and a bad locale', async () => {
    const { candidate, token } = await candidateWithHistory('拒绝岗位');
    const hr = await t.signInEmployee('hr01');
    const employee = await t.api('GET', '/api/home/first?locale=zh-CN', { token: hr });
    expect(employee.status).toBe(403);
    expect(employee.body.parts).toBeUndefined();
    const interviewer = await t.signInEmployee('int01');
    expect((await t.api('GET', '/api/home/first', { token: interviewer })).status).toBe(403);

    const signedOut = await t.api('GET', '/api/home/first?locale=zh-CN');
    expect(signedOut.status).toBe(401);
    expect(signedOut.body.error.code).toBe('unauthenticated');

    const yesterday = new Date(Date.now() - 86_400_000);
    const { token: expiredToken } = await issueSessionToken(
      t.config.session.secret,
      { kind: 'candidate', id: candidate.id, invitationJobId: null },
      60,
      yesterday,
    );
    const expired = await t.api('GET', '/api/home/first?locale=zh-CN', { token: expiredToken });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('session_expired');

    const bad = await t.api('GET', '/api/home/first?locale=fr', { token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await t.api('GET', '/api/home/first?x=1', { token })).status).toBe(400);

    // Sessions ended (erasure, a bumped generation): refused as every route refuses them.
    await t.orm.em.fork().nativeUpdate(Candidate, { id: candidate.id }, { sessionGeneration: 1 });
    const revoked = await t.api('GET', '/api/home/first?locale=zh-CN', { token });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('session_revoked');
  });
});
