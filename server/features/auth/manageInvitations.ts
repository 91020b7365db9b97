/**
 * HR's invitation work after the first link: invite many candidates at once (an imported batch),
 * send an invitation through DingTalk, resend it, revoke it, and list a candidate's invitations
 * with a fresh link to copy. The invitation row stays the authority: a revoked row refuses its
 * links whatever token they carry.
 */
import type { BulkInviteResponse, InvitationView, InviteChannel } from '../../../shared/api/candidates';
import { absoluteAppUrl, routes } from '../../../shared/routes';
import { type AuditContext, audit } from '../../kernel/audit';
import type { Config } from '../../kernel/config';
import { Application } from '../../kernel/db/entities/Application';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { CandidateImport } from '../../kernel/db/entities/CandidateImport';
import { type IInvitation, Invitation } from '../../kernel/db/entities/Invitation';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import type { Em } from '../../kernel/db/orm';
import { badRequest, conflict, notFound } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { issueInvitationToken } from '../../kernel/http/tokens';
import { cancelPending } from '../../kernel/outbox/enqueue';
import { assertCan } from '../../kernel/policies';
import { queueInvitationMessage } from '../messaging';
import { createInvitationIn } from './createInvitation';

type Deps = { em: Em; config: Config; actor: Actor; now: Date; context: AuditContext };

/** The invitation text HR pastes into an SMS or an e-mail (Chinese first, as candidates read it). */
export function invitationText(
  candidateName: string,
  jobTitle: string,
  url: string,
  expiresAt: Date,
): string {
  const until = expiresAt.toISOString().slice(0, 10);
  return `${candidateName}，您好！诚邀您参加「${jobTitle}」的 AI 视频面试，请在 ${until} 前打开链接完成：${url}（链接仅限本人使用，请勿转发）`;
}

function statusOf(inv: Pick<IInvitation, 'revokedAt' | 'expiresAt'>, now: Date): InvitationView['status'] {
  if (inv.revokedAt) return 'revoked';
  return inv.expiresAt <= now ? 'expired' : 'active';
}

/** An invitation as HR sees it, with a freshly signed link while it is active. */
export async function presentInvitation(
  em: Em,
  config: Config,
  inv: IInvitation,
  now: Date,
): Promise<InvitationView> {
  const status = statusOf(inv, now);
  const candidate = inv.candidate.name
    ? inv.candidate
    : await em.findOneOrFail(Candidate, { id: inv.candidate.id });
  const job = inv.job.title ? inv.job : await em.findOneOrFail(Job, { id: inv.job.id });
  const url =
    status === 'active'
      ? absoluteAppUrl(
          config.publicUrl,
          routes.invite(await issueInvitationToken(config.session.secret, inv.id, inv.expiresAt)),
        )
      : null;
  const messagesQueued = await em.count(OutboxMessage, {
    idempotencyKey: { $like: `invitation:${inv.id}:%` },
  });
  return {
    id: inv.id,
    candidateId: candidate.id,
    candidateName: candidate.name,
    jobId: job.id,
    jobTitle: job.title,
    status,
    createdAt: inv.createdAt.toISOString(),
    expiresAt: inv.expiresAt.toISOString(),
    revokedAt: inv.revokedAt?.toISOString() ?? null,
    firstUsedAt: inv.firstUsedAt?.toISOString() ?? null,
    url,
    messageText: url ? invitationText(candidate.name, job.title, url, inv.expiresAt) : null,
    messagesQueued,
  };
}

/** Queues the DingTalk message of `inv` (the next send number) and counts the send. */
async function sendThroughDingTalk(em: Em, d: Deps, inv: IInvitation, applicationId: number): Promise<void> {
  const candidate = await em.findOneOrFail(Candidate, { id: inv.candidate.id });
  const job = await em.findOneOrFail(Job, { id: inv.job.id });
  const token = await issueInvitationToken(d.config.session.secret, inv.id, inv.expiresAt);
  await queueInvitationMessage(em, {
    config: d.config,
    invitation: inv,
    candidate,
    job,
    applicationId,
    token,
    sendNo: inv.sendCount,
    now: d.now,
  });
  inv.sendCount += 1;
}

/**
 * Invites one candidate (the `POST /api/invitations` route): the link, and with the `dingtalk`
 * channel the message queued in the same transaction.
 */
export async function inviteOne(
  d: Deps & { candidateId: number; jobId: number; expiresInDays?: number; channel: InviteChannel },
): Promise<InvitationView> {
  return d.em.transactional(async (em) => {
    const made = await createInvitationIn(em, d);
    if (d.channel === 'dingtalk')
      await sendThroughDingTalk(em, d, made.rows.invitation, made.rows.application.id);
    await em.flush();
    return presentInvitation(em, d.config, made.rows.invitation, d.now);
  });
}

/**
 * Invites many candidates to one job in one transaction (all or none). Candidates with an
 * active invitation to the job are skipped (not invited twice); an unknown id refuses the batch.
 */
export async function bulkInvite(
  d: Deps & {
    jobId: number;
    candidateIds?: number[];
    importId?: number;
    channel: InviteChannel;
    expiresInDays?: number;
  },
): Promise<BulkInviteResponse> {
  assertCan(d.actor, 'invitation.manage', undefined);
  return d.em.transactional(async (em) => {
    let ids = d.candidateIds ?? [];
    if (d.importId) {
      const batch = await em.findOne(CandidateImport, { id: d.importId });
      if (!batch) throw notFound('Import');
      if (batch.status !== 'confirmed')
        throw badRequest('import_empty', 'Confirm the import before inviting its candidates');
      ids = batch.candidateIds ?? [];
    }
    ids = [...new Set(ids)];
    const found = await em.find(Candidate, { id: { $in: ids } }, { fields: ['id'] });
    const missing = ids.filter((id) => !found.some((c) => c.id === id));
    if (missing.length) throw notFound(`Candidate ${missing.join(', ')}`);
    const active = await em.find(Invitation, {
      job: d.jobId,
      candidate: { $in: ids },
      revokedAt: null,
      expiresAt: { $gt: d.now },
    });
    const skipped = active.map((i) => ({ candidateId: i.candidate.id, invitationId: i.id }));
    const skip = new Set(skipped.map((s) => s.candidateId));
    const out: InvitationView[] = [];
    for (const candidateId of ids) {
      if (skip.has(candidateId)) continue;
      // Each invitation in a fresh identity map on the same transaction: in the batch's own, every
      // flush walked every invitation, application and message made before it (quadratic: 500
      // invitations took 7-16 s of CPU). All or none still holds: one transaction.
      const one = em.fork({ clear: true, keepTransactionContext: true });
      const made = await createInvitationIn(one, { ...d, candidateId, jobId: d.jobId });
      if (d.channel === 'dingtalk')
        await sendThroughDingTalk(one, d, made.rows.invitation, made.rows.application.id);
      await one.flush();
      out.push(await presentInvitation(one, d.config, made.rows.invitation, d.now));
    }
    audit(
      em,
      d.actor,
      'invitations.bulk_created',
      { type: 'job', id: d.jobId },
      { invited: out.length, skipped: skipped.length, channel: d.channel, importId: d.importId ?? null },
      d.context,
    );
    await em.flush();
    return { invitations: out, skipped };
  });
}

/** Loads an invitation for HR (404 for unknown ids). */
async function load(em: Em, id: number): Promise<IInvitation> {
  const inv = await em.findOne(Invitation, { id }, { populate: ['candidate', 'job'] });
  if (!inv) throw notFound('Invitation');
  return inv;
}

/** Resends an active invitation: a fresh link, and with `dingtalk` a new message. */
export async function resendInvitation(
  d: Deps & { id: number; channel: InviteChannel },
): Promise<InvitationView> {
  assertCan(d.actor, 'invitation.manage', undefined);
  return d.em.transactional(async (em) => {
    const inv = await load(em, d.id);
    if (statusOf(inv, d.now) !== 'active')
      throw conflict('invitation_not_active', 'This invitation was revoked or has expired');
    const app = await em.findOneOrFail(Application, { candidate: inv.candidate.id, job: inv.job.id });
    if (d.channel === 'dingtalk') await sendThroughDingTalk(em, d, inv, app.id);
    audit(
      em,
      d.actor,
      'invitation.resent',
      { type: 'invitation', id: inv.id },
      { channel: d.channel },
      d.context,
    );
    await em.flush();
    return presentInvitation(em, d.config, inv, d.now);
  });
}

/**
 * Revokes an invitation: its links stop working at once (sign-in answers `invitation_revoked`),
 * and its pending messages are cancelled unless another active invitation covers the application.
 * Revoking a revoked invitation changes nothing.
 */
export async function revokeInvitation(d: Deps & { id: number }): Promise<InvitationView> {
  assertCan(d.actor, 'invitation.manage', undefined);
  return d.em.transactional(async (em) => {
    const inv = await load(em, d.id);
    if (!inv.revokedAt) {
      inv.revokedAt = d.now;
      const others = await em.count(Invitation, {
        id: { $ne: inv.id },
        candidate: inv.candidate.id,
        job: inv.job.id,
        revokedAt: null,
        expiresAt: { $gt: d.now },
      });
      const app = await em.findOne(Application, { candidate: inv.candidate.id, job: inv.job.id });
      if (app && others === 0) {
        await cancelPending(em, `application:${app.id}`, 'invitation.');
        await cancelPending(em, `application:${app.id}`, 'nudge.deadline.');
      }
      audit(em, d.actor, 'invitation.revoked', { type: 'invitation', id: inv.id }, null, d.context);
      await em.flush();
    }
    return presentInvitation(em, d.config, inv, d.now);
  });
}

/** Every invitation of a candidate, newest first. */
export async function invitationsOfCandidate(
  em: Em,
  config: Config,
  candidateId: number,
  now: Date,
): Promise<InvitationView[]> {
  const rows = await em.find(
    Invitation,
    { candidate: candidateId },
    { populate: ['candidate', 'job'], orderBy: { id: 'desc' } },
  );
  return Promise.all(rows.map((r) => presentInvitation(em, config, r, now)));
}
