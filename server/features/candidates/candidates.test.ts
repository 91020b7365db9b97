import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { invitationTokenOf } from '../../kernel/http/tokens';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

/** Signs a candidate in by a fresh invitation link (created by HR through the API). */
async function candidateToken(
  t: TestApp,
  hrToken: string,
  name: string,
): Promise<{ token: string; id: number }> {
  const inv = await t.orm.em
    .fork()
    .findOneOrFail(Invitation, { candidate: { name } }, { populate: ['candidate'] });
  const created = await t.api('POST', '/api/invitations', {
    token: hrToken,
    body: { candidateId: inv.candidate.id, jobId: inv.job.id },
  });
  const link = invitationTokenOf(created.body.invitation.url);
  const res = await t.api('POST', '/api/auth/invitation', { body: { token: link } });
  return { token: res.body.token, id: inv.candidate.id };
}

describeEachDialect('candidate access policy', (dialect) => {
  let t: TestApp;
  let hr: string;
  let ids: Record<string, number>;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
    const all = await t.orm.em.fork().find(Candidate, {});
    ids = Object.fromEntries(all.map((c) => [c.name, c.id]));
  });
  afterAll(async () => t?.close());

  it('a candidate reads their own profile but never another candidate (404, no probing)', async () => {
    const a = await candidateToken(t, hr, '陈静');
    const own = await t.api('GET', `/api/candidates/${a.id}`, { token: a.token });
    expect(own.status).toBe(200);
    expect(own.body.candidate.name).toBe('陈静');
    const other = await t.api('GET', `/api/candidates/${ids['张三']}`, { token: a.token });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    const missing = await t.api('GET', '/api/candidates/999999', { token: a.token });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(other.body);
    const list = await t.api('GET', '/api/candidates', { token: a.token });
    expect(list.status).toBe(403);
  });

  it('HR sees every candidate with contact details; reads are audited', async () => {
    const list = await t.api('GET', '/api/candidates', { token: hr });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(12);
    const one = await t.api('GET', `/api/candidates/${ids['张三']}`, { token: hr });
    expect(one.body.candidate.mobile).toBe('13900000001');
    const audits = await t.orm.em
      .fork()
      .count(AuditLog, { action: 'candidate.viewed', objectId: String(ids['张三']) });
    expect(audits).toBeGreaterThanOrEqual(1);
  });

  it('a hiring manager sees only candidates of their department, with masked mobiles', async () => {
    const mgr = await t.signInEmployee('mgr02'); // 销售部
    const list = await t.api('GET', '/api/candidates', { token: mgr });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { name: string }) => c.name).sort()).toEqual(
      ['冯小明', '吴十', '郑小红'].sort(),
    );
    expect(list.body.items[0].mobile).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect((await t.api('GET', `/api/candidates/${ids['吴十']}`, { token: mgr })).status).toBe(200);
    expect((await t.api('GET', `/api/candidates/${ids['张三']}`, { token: mgr })).status).toBe(404);
  });

  it('an interviewer reaches no HR route and no unassigned candidate', async () => {
    // int01 reviews 研发中心's applications (demo seed), int03 those of 产品与设计部.
    const int = await t.signInEmployee('int03');
    expect((await t.api('GET', '/api/candidates', { token: int })).status).toBe(403);
    expect((await t.api('GET', `/api/candidates/${ids['张三']}`, { token: int })).status).toBe(404);
    const assigned = await t.signInEmployee('int01');
    expect((await t.api('GET', `/api/candidates/${ids['张三']}`, { token: assigned })).status).toBe(200);
    const inv = await t.api('POST', '/api/invitations', {
      token: int,
      body: { candidateId: ids['张三'], jobId: 1 },
    });
    expect(inv.status).toBe(403);
    expect(inv.body.error.code).toBe('forbidden');
  });

  it('invitations validate their input and refer to existing rows', async () => {
    const bad = await t.api('POST', '/api/invitations', { token: hr, body: { candidateId: 'x', jobId: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.candidateId');
    const noJob = await t.api('POST', '/api/invitations', {
      token: hr,
      body: { candidateId: ids['张三'], jobId: 99999 },
    });
    expect(noJob.status).toBe(404);
    const before = await t.orm.em.fork().count(Invitation, {});
    const noCand = await t.api('POST', '/api/invitations', {
      token: hr,
      body: { candidateId: 99999, jobId: 1 },
    });
    expect(noCand.status).toBe(404);
    expect(await t.orm.em.fork().count(Invitation, {})).toBe(before);
    const badId = await t.api('GET', '/api/candidates/abc', { token: hr });
    expect(badId.status).toBe(400);
    expect(badId.body.error.details[0].field).toBe('params.id');
  });
});
