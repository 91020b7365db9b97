import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { invitationTokenOf } from '../../kernel/http/tokens';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

describeEachDialect('demographic self-identification', (dialect) => {
  let t: TestApp;
  let candidate: string;
  let hr: string;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
    const inv = await t.orm.em.fork().findOneOrFail(Invitation, { candidate: { name: '陈静' } });
    const created = await t.api('POST', '/api/invitations', {
      token: hr,
      body: { candidateId: inv.candidate.id, jobId: inv.job.id },
    });
    const link = invitationTokenOf(created.body.invitation.url);
    candidate = (await t.api('POST', '/api/auth/invitation', { body: { token: link } })).body.token;
  });
  afterAll(async () => t?.close());

  it('is optional, set and deleted by the candidate alone, and audited without its content', async () => {
    expect((await t.api('GET', '/api/me/demographics', { token: candidate })).body).toEqual({
      demographics: {},
    });
    const put = await t.api('PUT', '/api/me/demographics', {
      token: candidate,
      body: { sex: 'female', ageBand: '25-34', disability: null },
    });
    expect(put.status).toBe(200);
    expect(put.body.demographics).toEqual({ sex: 'female', ageBand: '25-34' });
    expect((await t.api('GET', '/api/me/demographics', { token: candidate })).body.demographics).toEqual({
      sex: 'female',
      ageBand: '25-34',
    });
    const audits = await t.orm.em.fork().find(AuditLog, { action: 'demographics.updated' });
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits[0].details)).not.toContain('female');
    expect((await t.api('DELETE', '/api/me/demographics', { token: candidate })).status).toBe(204);
    expect((await t.api('GET', '/api/me/demographics', { token: candidate })).body.demographics).toEqual({});
  });

  it('refuses employees and bad values, changing nothing', async () => {
    expect((await t.api('GET', '/api/me/demographics', { token: hr })).status).toBe(403);
    const bad = await t.api('PUT', '/api/me/demographics', { token: candidate, body: { sex: 'robot' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.sex');
    const extra = await t.api('PUT', '/api/me/demographics', { token: candidate, body: { religion: 'x' } });
    expect(extra.status).toBe(400);
    expect(extra.body.error.details[0].field).toBe('body.religion');
    expect((await t.api('GET', '/api/me/demographics', { token: candidate })).body.demographics).toEqual({});
    expect((await t.api('GET', '/api/me/demographics')).status).toBe(401);
  });
});
