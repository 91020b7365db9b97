/**
 * The public job page through the API: reading a job without signing in, applying (validation
 * naming the field, consent required, duplicates merged by mobile/e-mail, a second application
 * to the same job not doubled), the referrer token (内推 with the sharer's name; a forged one
 * ignored), paused and closed jobs refusing, the per-address rate limit, and share links.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { sessionToken } from '../../testing/booking';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { readReferralToken, referralToken } from './referral';

describeEachDialect('public job page', (dialect) => {
  let t: TestApp;
  let hr: string;
  let backendId: number;
  // Each test applies from its own address (the app trusts the proxy's X-Forwarded-For), so the
  // per-address budget of one test does not spend another's.
  let ipN = 0;
  const nextIp = () => `198.51.100.${++ipN}`;
  const apply = (slug: string, body: unknown, ip: string) =>
    t.api('POST', `/api/public/jobs/${slug}/applications`, { body, headers: { 'x-forwarded-for': ip } });
  const candidatesNamed = (name: string) => t.orm.em.fork().find(Candidate, { name });

  beforeAll(async () => {
    t = await startTestApp(dialect, { env: { TRUST_PROXY: 'true' } });
    hr = await t.signInEmployee('hr01');
    backendId = (await t.orm.em.fork().findOneOrFail(Job, { slug: 'backend' })).id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('anyone reads an open job: title, department, location, how the interview works, the notice', async () => {
    const res = await t.api('GET', '/api/public/jobs/backend?lang=en');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: 'backend', state: 'open', referrer: null });
    expect(res.body.title).toBeTruthy();
    expect(res.body.department).toBeTruthy();
    expect(res.body.interview.questionCount).toBeGreaterThan(0);
    expect(res.body.interview.expectedMinutes).toBeGreaterThan(0);
    expect(res.body.interview.deadlineDays).toBe(t.config.invitationTtlDays);
    expect(res.body.notice.locale).toBe('en');
    expect(res.body.notice.sections.map((s: { id: string }) => s.id)).toContain('never');
    // Nothing about people: no contact, no ids of HR or candidates.
    expect(JSON.stringify(res.body)).not.toMatch(/mobile|email|hiringManager/i);
    expect((await t.api('GET', '/api/public/jobs/no-such-job')).status).toBe(404);
  });

  it('an application creates the candidate and their application, which HR then finds', async () => {
    const res = await apply('backend', { name: '路人甲', mobile: '139 1234 5601', consent: true }, nextIp());
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ status: 'received' });
    const [c] = await candidatesNamed('路人甲');
    expect(c).toMatchObject({ mobileKey: '+8613912345601', source: 'other', referrer: null });
    const app = await t.orm.em.fork().findOneOrFail(Application, { candidate: c.id, job: backendId });
    expect(app.stage).toBe('invited');
    expect(app.deadlineAt).toBeNull();
    const list = await t.api('GET', `/api/candidates?q=${encodeURIComponent('路人甲')}`, { token: hr });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: number }) => i.id)).toContain(c.id);
    const audits = await t.orm.em
      .fork()
      .find(AuditLog, { action: 'application.applied', objectId: String(app.id) });
    expect(audits).toHaveLength(1);
    // The audit names the job and the person by id, never their contact details.
    expect(JSON.stringify(audits[0].details)).not.toContain('13912345601');
  });

  it('bad input is refused naming the field, and creates nothing', async () => {
    const before = await t.orm.em.fork().count(Candidate, {});
    const cases: Array<[unknown, string]> = [
      [{ name: '', mobile: '13912345602', consent: true }, 'body.name'],
      [{ name: '乙', mobile: '12345', consent: true }, 'body.mobile'],
      [{ name: '乙', email: 'not-an-address', consent: true }, 'body.email'],
      [{ name: '乙', consent: true }, 'body.mobile'],
      [{ name: '乙', mobile: '13912345602' }, 'body.consent'],
      [{ name: '乙', mobile: '13912345602', consent: false }, 'body.consent'],
    ];
    for (const [i, [body, field]] of cases.entries()) {
      // A fresh address per case: this test is about validation, not the budget.
      const res = await apply('backend', body, `203.0.113.${i + 1}`);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain(field);
    }
    expect(await t.orm.em.fork().count(Candidate, {})).toBe(before);
  });

  it('the same person applying again (by mobile, then by e-mail) is merged, never doubled', async () => {
    const ip = nextIp();
    expect((await apply('backend', { name: '丙', mobile: '13912345603', consent: true }, ip)).status).toBe(
      201,
    );
    const before = await t.orm.em.fork().count(Candidate, {});
    const apps = async () => {
      const [c] = await candidatesNamed('丙');
      return t.orm.em.fork().count(Application, { candidate: c.id });
    };
    expect(await apps()).toBe(1);
    // Same mobile written differently, plus an e-mail: the e-mail is filled in, no new row.
    const again = await apply(
      'backend',
      { name: '丙', mobile: '+86 139-1234-5603', email: 'Bing@Example.com', consent: true },
      ip,
    );
    expect(again.status).toBe(201);
    // Same answer as a first application: a stranger learns nothing about who is known.
    expect(again.body).toEqual({ status: 'received' });
    expect(await t.orm.em.fork().count(Candidate, {})).toBe(before);
    const [c] = await candidatesNamed('丙');
    expect(c.emailKey).toBe('bing@example.com');
    expect(await apps()).toBe(1);
    // By e-mail alone, to another job: the same person, a second application.
    expect((await apply('pm', { name: '丙', email: 'bing@example.com', consent: true }, ip)).status).toBe(
      201,
    );
    expect(await t.orm.em.fork().count(Candidate, {})).toBe(before);
    expect(await apps()).toBe(2);
    // A seeded candidate (张三, 13900000001) applying is merged into their row.
    const seeded = await t.orm.em.fork().findOneOrFail(Candidate, { mobileKey: '+8613900000001' });
    expect((await apply('sales', { name: '张三', mobile: '13900000001', consent: true }, ip)).status).toBe(
      201,
    );
    expect(await t.orm.em.fork().count(Candidate, { mobileKey: '+8613900000001' })).toBe(1);
    expect(await t.orm.em.fork().count(Application, { candidate: seeded.id })).toBeGreaterThanOrEqual(1);
  });

  it('mobile and e-mail of two different people: refused, nothing written', async () => {
    const ip = nextIp();
    await apply('backend', { name: '丁', mobile: '13912345604', consent: true }, ip);
    await apply('backend', { name: '戊', email: 'wu@example.com', consent: true }, ip);
    const before = await t.orm.em.fork().count(Application, {});
    const res = await apply(
      'pm',
      { name: '丁', mobile: '13912345604', email: 'wu@example.com', consent: true },
      ip,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('candidate_contact_conflict');
    expect(await t.orm.em.fork().count(Application, {})).toBe(before);
  });

  it('a share link carries a referrer token: the application is 内推 with the sharer named', async () => {
    const em = t.orm.em.fork();
    // A candidate shares a job they applied to.
    const zhang = await em.findOneOrFail(Candidate, { mobileKey: '+8613900000001' });
    const app = await em.findOneOrFail(Application, { candidate: zhang.id }, { populate: ['job'] });
    const token = await sessionToken(t, 'candidate', zhang.id);
    const share = await t.api('GET', `/api/jobs/${app.job.id}/share`, { token });
    expect(share.status).toBe(200);
    const url = new URL(share.body.url);
    expect(url.pathname).toBe(`/j/${app.job.slug}`);
    const ref = url.searchParams.get('r') as string;
    expect(readReferralToken(t.config.session.secret, ref)).toEqual({ kind: 'candidate', id: zhang.id });
    // The link is no credential: it signs nobody in.
    expect((await t.api('GET', '/api/me', { token: ref })).status).toBe(401);
    expect(share.body.url).not.toMatch(/invite|#/);
    // The page names the sharer; the application records them.
    const page = await t.api('GET', `/api/public/jobs/${app.job.slug}?r=${encodeURIComponent(ref)}`);
    expect(page.body.referrer).toBe(zhang.name);
    const res = await apply(
      app.job.slug,
      { name: '己', email: 'ji@example.com', consent: true, ref },
      nextIp(),
    );
    expect(res.status).toBe(201);
    const [ji] = await candidatesNamed('己');
    expect(ji).toMatchObject({ source: 'referral', referrer: zhang.name });
    // An edited token (someone else's id with this MAC) counts as no referrer, not an error.
    const forged = ref.replace(/^c\d+/, 'c999');
    expect(
      (
        await apply(
          app.job.slug,
          { name: '庚', email: 'geng@example.com', consent: true, ref: forged },
          nextIp(),
        )
      ).status,
    ).toBe(201);
    expect((await candidatesNamed('庚'))[0]).toMatchObject({ source: 'other', referrer: null });
    // Employees share any job (内推); a candidate cannot get a link for a job they did not apply to.
    const empShare = await t.api('GET', `/api/jobs/${backendId}/share?lang=en`, { token: hr });
    expect(empShare.status).toBe(200);
    expect(empShare.body.text).toMatch(/AI video interview/);
    const otherJob = await em.findOneOrFail(Job, { slug: { $nin: [app.job.slug] } });
    const hasOther = await em.count(Application, { candidate: zhang.id, job: otherJob.id });
    if (!hasOther) expect((await t.api('GET', `/api/jobs/${otherJob.id}/share`, { token })).status).toBe(404);
    expect((await t.api('GET', `/api/jobs/${backendId}/share`)).status).toBe(401);
    expect(referralToken(t.config.session.secret, { kind: 'employee', id: 1 })).toMatch(/^e1\./);
  });

  it('a paused or closed job shows its state and refuses applications', async () => {
    const em = t.orm.em.fork();
    const job = await em.findOneOrFail(Job, { slug: 'sales' });
    const ip = nextIp();
    try {
      job.pausedAt = new Date();
      await em.flush();
      expect((await t.api('GET', '/api/public/jobs/sales')).body.state).toBe('paused');
      const paused = await apply('sales', { name: '辛', mobile: '13912345608', consent: true }, ip);
      expect(paused.status).toBe(409);
      expect(paused.body.error.code).toBe('job_not_open');
      job.pausedAt = null;
      job.status = 'closed';
      await em.flush();
      expect((await t.api('GET', '/api/public/jobs/sales')).body.state).toBe('closed');
      const closed = await apply('sales', { name: '辛', mobile: '13912345608', consent: true }, ip);
      expect([closed.status, closed.body.error.code]).toEqual([409, 'job_not_open']);
      expect(await candidatesNamed('辛')).toHaveLength(0);
    } finally {
      job.status = 'open';
      job.pausedAt = null;
      await em.flush();
    }
  });

  it('one address may send 5 applications in 10 minutes; the 6th gets 429 with Retry-After', async () => {
    // At the start of a 10-minute window, so the hits cannot straddle two windows.
    t.clock.now = new Date(Math.ceil(Date.now() / 600_000) * 600_000 + 1000);
    const ip = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await apply('backend', { name: '壬', mobile: '13912345609', consent: true }, ip)).status,
      );
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    const refused = await apply('backend', { name: '壬', mobile: '13912345609', consent: true }, ip);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Bad requests spend the budget too (they are counted before the body is read).
    const ip2 = nextIp();
    for (let i = 0; i < 5; i++) await apply('backend', { name: '' }, ip2);
    expect((await apply('backend', { name: '癸', mobile: '13912345610', consent: true }, ip2)).status).toBe(
      429,
    );
    // Another address is not affected.
    expect(
      (await apply('backend', { name: '癸', mobile: '13912345610', consent: true }, nextIp())).status,
    ).toBe(201);
  });
});
