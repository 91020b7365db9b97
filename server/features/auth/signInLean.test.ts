import { afterAll, beforeAll, expect, it } from 'vitest';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { Job } from '../../kernel/db/entities/Job';
import { sqlDate } from '../../kernel/db/raw';
import { invitationTokenOf } from '../../kernel/http/tokens';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { type SignInDeps, signInByInvitation, signInByInvitationOrm } from './signIn';
import { invitationSignInLean } from './signInLean';

const MINUTE = 60_000;

describeEachDialect(
  'invitation sign-in: the plain-SQL path writes and answers as the ORM path',
  (dialect) => {
    let t: TestApp;
    let hr: string;
    let candidateId: number;
    let jobId: number;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      hr = await t.signInEmployee('hr01');
      const inv = await t.orm.em
        .fork()
        .findOneOrFail(Invitation, { candidate: { name: '陈静' } }, { populate: ['candidate', 'job'] });
      candidateId = inv.candidate.id;
      jobId = inv.job.id;
    });
    afterAll(async () => t?.close());

    /** A fresh link for the candidate: its invitation id and token. */
    async function invite() {
      const created = await t.api('POST', '/api/invitations', {
        token: hr,
        body: { candidateId, jobId, expiresInDays: 2 },
      });
      expect(created.status).toBe(201);
      return {
        id: Number(created.body.invitation.id),
        token: invitationTokenOf(created.body.invitation.url),
      };
    }

    const deps = (now: Date): SignInDeps => ({
      em: t.orm.em.fork(),
      config: t.config,
      dingtalk: t.dingtalk,
      now,
      context: { ip: '10.1.2.3', requestId: 'req-lean-1' },
    });

    /** What a sign-in writes: the candidate's time, the link's first use, its audit rows. */
    async function rows(invitationId: number) {
      const em = t.orm.em.fork();
      const [c] = await em.execute('select last_sign_in_at, updated_at from candidates where id = ?', [
        candidateId,
      ]);
      const [i] = await em.execute('select first_used_at from invitations where id = ?', [invitationId]);
      const audit = await em.execute(
        `select actor_kind, actor_id, action, object_type, object_id, details, ip, request_id from audit_log
        where action = 'auth.sign_in' and object_type = 'candidate' and object_id = ? order by id`,
        [String(candidateId)],
      );
      return {
        lastSignInAt: c.last_sign_in_at,
        updatedAt: c.updated_at,
        firstUsedAt: i.first_used_at,
        audit: audit.map((a: Record<string, unknown>) => ({
          ...a,
          details: typeof a.details === 'string' ? JSON.parse(a.details) : a.details,
        })),
      };
    }

    /** Undoes a sign-in's writes so the other path starts from the same rows. */
    async function reset(
      invitationId: number,
      firstUsedAt: unknown,
      lastSignInAt: unknown,
      auditCount: number,
    ) {
      const em = t.orm.em.fork();
      await em.execute('update invitations set first_used_at = ? where id = ?', [firstUsedAt, invitationId]);
      await em.execute('update candidates set last_sign_in_at = ? where id = ?', [lastSignInAt, candidateId]);
      const audit = await em.execute<Array<{ id: number }>>(
        `select id from audit_log where action = 'auth.sign_in' and object_type = 'candidate' and object_id = ?
        order by id`,
        [String(candidateId)],
      );
      for (const a of audit.slice(auditCount)) await em.execute('delete from audit_log where id = ?', [a.id]);
    }

    it('first and later sign-ins: the same answer, the same rows', async () => {
      const { id, token } = await invite();
      const before = await rows(id);
      expect(before.firstUsedAt).toBeNull();
      for (const now of [new Date(Date.now() - 5 * MINUTE), new Date(Date.now() - 2 * MINUTE)]) {
        const start = await rows(id);
        const lean = await signInByInvitation(deps(now), token);
        const leanRows = await rows(id);
        await reset(id, start.firstUsedAt, start.lastSignInAt, start.audit.length);
        const orm = await signInByInvitationOrm(deps(now), id);
        const ormRows = await rows(id);
        // The same session (a token is a signature over the same claims at the same time).
        expect(JSON.stringify(lean)).toBe(JSON.stringify(orm));
        expect(lean.me).toMatchObject({ kind: 'candidate', id: candidateId, invitationJobId: jobId });
        // updated_at is the wall clock of each write; the rest must match exactly.
        expect({ ...leanRows, updatedAt: null }).toEqual({ ...ormRows, updatedAt: null });
        // Both write it (second precision on MariaDB: not before the start's second).
        for (const r of [leanRows, ormRows])
          expect((sqlDate(r.updatedAt) as Date).getTime()).toBeGreaterThanOrEqual(
            Math.floor((sqlDate(start.updatedAt) as Date).getTime() / 1000) * 1000,
          );
        expect(leanRows.audit).toHaveLength(start.audit.length + 1);
        expect(leanRows.audit.at(-1)).toMatchObject({
          action: 'auth.sign_in',
          ip: '10.1.2.3',
          request_id: 'req-lean-1',
          details: { method: 'invitation', invitationId: id },
        });
      }
      // The first use stays the first sign-in's time.
      const after = await rows(id);
      expect(after.firstUsedAt).not.toBeNull();
      expect(after.firstUsedAt).toEqual((await rows(id)).firstUsedAt);
      expect(await invitationSignInLean(deps(new Date()), id)).not.toBeNull();
    });

    it('a revoked, expired or closed-job link is declined and answered by the ORM path', async () => {
      const { id, token } = await invite();
      const em = t.orm.em.fork();
      const late = new Date(Date.now() + 3 * 86_400_000);
      expect(await invitationSignInLean(deps(late), id)).toBeNull();
      await expect(signInByInvitation(deps(late), token)).rejects.toMatchObject({
        code: 'invitation_expired',
      });
      await em.nativeUpdate(Invitation, { id }, { revokedAt: new Date() });
      expect(await invitationSignInLean(deps(new Date()), id)).toBeNull();
      const revoked = await t.api('POST', '/api/auth/invitation', { body: { token } });
      expect([revoked.status, revoked.body.error.code]).toEqual([401, 'invitation_revoked']);
      await em.nativeUpdate(Invitation, { id }, { revokedAt: null });
      await em.nativeUpdate(Job, { id: jobId }, { status: 'closed' });
      try {
        expect(await invitationSignInLean(deps(new Date()), id)).toBeNull();
        const closed = await t.api('POST', '/api/auth/invitation', { body: { token } });
        expect([closed.status, closed.body.error.code]).toEqual([409, 'job_closed']);
      } finally {
        await em.nativeUpdate(Job, { id: jobId }, { status: 'open' });
      }
      // Nothing was written by the refused sign-ins.
      expect((await rows(id)).firstUsedAt).toBeNull();
      expect(
        await invitationSignInLean(deps(new Date(Date.now() + 86_400_000 * 10)), 987_654_321),
      ).toBeNull();
    });

    it('two first sign-ins at once: both get a session, the first use is written once', async () => {
      const { id, token } = await invite();
      const start = await rows(id);
      const [a, b] = await Promise.all([
        t.api('POST', '/api/auth/invitation', { body: { token } }),
        t.api('POST', '/api/auth/invitation', { body: { token } }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const after = await rows(id);
      expect(after.firstUsedAt).not.toBeNull();
      expect(after.audit).toHaveLength(start.audit.length + 2);
    });
  },
);
