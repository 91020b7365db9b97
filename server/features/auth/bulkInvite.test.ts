/**
 * HR's bulk invitation at the size an import brings (hundreds of candidates): every invitation
 * is written with its application, messages and audit rows; each one's work stays out of the
 * batch's own identity map (in it, every flush walked all the invitations made before: quadratic
 * CPU on a web process); and the batch is still all or none in one transaction.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../kernel/actor';
import { Application } from '../../kernel/db/entities/Application';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { User } from '../../kernel/db/entities/User';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { bulkInvite } from './manageInvitations';

describeEachDialect('bulk invitation', (dialect) => {
  let t: TestApp;
  let hr: string;
  let jobId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
    jobId = (await t.orm.em.fork().findOneOrFail(Job, { slug: 'backend' })).id;
  }, 60_000);
  afterAll(async () => t?.close());

  async function newCandidates(n: number, tag: string): Promise<number[]> {
    const em = t.orm.em.fork();
    const made = Array.from({ length: n }, (_, i) =>
      em.create(Candidate, { name: `批量${tag}${i}`, mobile: null, locale: 'zh-CN' } as never),
    );
    await em.flush();
    return made.map((c) => c.id);
  }

  it("writes every invitation with its application, message and audit, none of it held in the batch's identity map", async () => {
    const ids = await newCandidates(40, 'a');
    const em = t.orm.em.fork();
    const user = await em.findOneOrFail(User, { dingtalkUserId: 'hr01' });
    const actor = { kind: 'employee', id: user.id, user, roles: user.roles, departmentId: null } as Actor;
    const res = await bulkInvite({
      em,
      config: t.config,
      actor,
      now: new Date(),
      context: { ip: '127.0.0.1', requestId: 'bulk-test' },
      jobId,
      candidateIds: ids,
      channel: 'dingtalk',
    });
    expect(res.invitations).toHaveLength(40);
    expect(res.skipped).toEqual([]);
    for (const v of res.invitations) {
      expect(v.status).toBe('active');
      expect(v.url).toContain('/invite#');
    }
    // Only what the batch read up front stays in its identity map; in the old code every
    // invitation, application and message piled up there.
    const kinds = new Set(
      [...em.getUnitOfWork().getIdentityMap()].map((e) => (e as object).constructor.name),
    );
    for (const k of ['Invitation', 'Application', 'OutboxMessage']) expect([...kinds]).not.toContain(k);

    const check = t.orm.em.fork();
    const invs = await check.find(Invitation, { candidate: { $in: ids }, job: jobId });
    expect(invs).toHaveLength(40);
    expect(await check.count(Application, { candidate: { $in: ids }, job: jobId })).toBe(40);
    expect(
      await check.count(AuditLog, {
        action: 'invitation.created',
        objectId: { $in: invs.map((i) => String(i.id)) },
      }),
    ).toBe(40);
    // Every invitation's message is queued (one row per channel and recipient, keyed by it).
    for (const v of res.invitations) expect(v.messagesQueued).toBeGreaterThan(0);
    const keys = await check.find(OutboxMessage, { idempotencyKey: { $like: 'invitation:%:message%' } });
    const withMessage = new Set(keys.map((m) => Number(m.idempotencyKey.split(':')[1])));
    expect(invs.every((i) => withMessage.has(i.id))).toBe(true);
    const sent = await check.find(Invitation, { id: { $in: invs.map((i) => i.id) } });
    expect(sent.every((i) => i.sendCount === 1)).toBe(true);

    // The same batch again invites nobody twice.
    const again = await t.api('POST', '/api/invitations/bulk', {
      token: hr,
      body: { jobId, candidateIds: ids },
    });
    expect(again.status).toBe(201);
    expect(again.body.invitations).toHaveLength(0);
    expect(again.body.skipped).toHaveLength(40);
  });

  it('is all or none: one invitation the database refuses mid-batch leaves nothing of the batch', async () => {
    const ids = await newCandidates(9, 'b');
    const bad = ids[4];
    const conn = t.orm.em.fork().getConnection();
    if (dialect === 'sqlite')
      await conn.execute(
        `create trigger refuse_invite before insert on invitations when new.candidate_id = ${bad}
         begin select raise(abort, 'refused for the test'); end`,
      );
    else
      await conn.execute(
        `create trigger refuse_invite before insert on invitations for each row
         if new.candidate_id = ${bad} then
           signal sqlstate '45000' set message_text = 'refused for the test';
         end if`,
      );
    try {
      const audits = await t.orm.em.fork().count(AuditLog, { action: 'invitations.bulk_created' });
      const res = await t.api('POST', '/api/invitations/bulk', {
        token: hr,
        body: { jobId, candidateIds: ids, channel: 'dingtalk' },
      });
      expect(res.status).toBeGreaterThanOrEqual(500);
      const check = t.orm.em.fork();
      expect(await check.count(Invitation, { candidate: { $in: ids } })).toBe(0);
      expect(await check.count(Application, { candidate: { $in: ids } })).toBe(0);
      expect(await check.count(AuditLog, { action: 'invitations.bulk_created' })).toBe(audits);
    } finally {
      await conn.execute('drop trigger refuse_invite');
    }
    // Without the refusal the same batch goes through whole.
    const ok = await t.api('POST', '/api/invitations/bulk', {
      token: hr,
      body: { jobId, candidateIds: ids },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.invitations).toHaveLength(9);
  });
});
