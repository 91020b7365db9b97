/**
 * Messages that follow from stored facts rather than from an event: the invitation message and
 * the invitation-deadline nudges. Creating an invitation emits no event, so the worker sweeps
 * every minute; keys are stable (`invitation:12:message`, `application:7:deadline:…:nudge:2880m`),
 * so any number of sweeps in any number of processes write each row once.
 */

import { routes } from '../../../shared/routes';
import type { Config } from '../../kernel/config';
import { Application } from '../../kernel/db/entities/Application';
import { type IInvitation, Invitation } from '../../kernel/db/entities/Invitation';
import type { Em } from '../../kernel/db/orm';
import { placeholders } from '../../kernel/db/raw';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { query } from '../../kernel/db/tx';
import { issueInvitationToken } from '../../kernel/http/tokens';
import { candidateTargets, notify } from './recipients';

/** Stages in which the candidate has not yet submitted the AI interview. */
const NOT_SUBMITTED = ['invited', 'booked', 'interviewing'];

/** Topic prefix of deadline nudges (cancelled when the interview is submitted). */
export const DEADLINE_NUDGE_TOPIC = 'nudge.deadline.';

/**
 * Enqueues the invitation message of invitations created in the last day, and the deadline
 * nudges of applications not yet submitted. Returns how many invitations were looked at.
 *
 * Each invitation is its own transaction, run again when MariaDB picks it as a deadlock victim
 * (HR creating invitations at the same time takes locks on the same applications). One that
 * still fails does not stop the others: the sweep finishes and then throws one error naming
 * the failed invitations, so the job's failure is logged and the next wake tries them again.
 */
export async function sweepInvitations(
  em: Em,
  now: Date,
  config: Pick<Config, 'session' | 'notifications'>,
  timezone = 'Asia/Shanghai',
): Promise<number> {
  const s = config.notifications;
  const horizon = Math.max(0, ...s.invitationNudges) * 60_000;
  const invitations = await em.find(
    Invitation,
    {
      revokedAt: null,
      expiresAt: { $gt: now },
      $or: [
        { createdAt: { $gt: new Date(now.getTime() - 86_400_000) } },
        { expiresAt: { $lte: new Date(now.getTime() + horizon + 3600_000) } },
      ],
    },
    { populate: ['candidate', 'job'], limit: 5000, orderBy: { id: 'asc' } },
  );
  const failed: Array<{ id: number; err: unknown }> = [];
  for (const inv of await stillToQueue(em, invitations, now, s)) {
    try {
      // A fresh fork per invitation: a transaction on `em` itself starts from, flushes and merges
      // back into `em`'s identity map, which holds every invitation, candidate and job read
      // above and grows with each application read here; each commit's flush then walked all of
      // it (quadratic in the invitations swept).
      await retryOnDeadlock(() => sweepOne(em.fork(), inv, now, config, timezone));
    } catch (err) {
      failed.push({ id: inv.id, err });
    }
  }
  if (failed.length)
    throw new Error(
      `invitation sweep: ${failed.length} of ${invitations.length} invitations failed (ids ${failed
        .map((f) => f.id)
        .join(', ')}): ${String((failed[0].err as Error)?.message ?? failed[0].err)}`,
      { cause: failed[0].err },
    );
  return invitations.length;
}

/** The key prefix of an invitation's message (a row per target: `<prefix>:<channel>:<id>`). */
const messageKey = (invitationId: number) => `invitation:${invitationId}:message`;
/** The key prefix of an application's deadline nudge `m` minutes before `expiresAt`. */
const nudgeKey = (applicationId: number, expiresAt: Date, m: number) =>
  `application:${applicationId}:deadline:${expiresAt.getTime()}:nudge:${m}m`;

/**
 * The invitations a sweep still has something to queue for: the sweep looks at every invitation
 * of the last day every minute, and one whose message and future nudges are all in the outbox
 * already (or whose application has moved past the interview) would only write nothing again,
 * at the cost of a transaction and several reads each; with a thousand invitations a day that
 * kept a worker's core half busy (BENCHMARKS.md, load). Two reads for the whole batch decide it
 * (applications, then the outbox rows of their aggregates); an invitation with any expected row
 * missing is swept as before, and the keys keep a repeat harmless.
 */
async function stillToQueue(
  em: Em,
  invitations: IInvitation[],
  now: Date,
  s: Config['notifications'],
): Promise<IInvitation[]> {
  const out: IInvitation[] = [];
  for (let i = 0; i < invitations.length; i += 500) {
    const batch = invitations.slice(i, i + 500);
    const apps = await query<{ id: number; candidate_id: number; job_id: number; stage: string }>(
      em,
      `select id, candidate_id, job_id, stage from applications where candidate_id in (${placeholders(batch.length)})`,
      batch.map((inv) => inv.candidate.id),
    );
    const appOf = new Map(apps.map((a) => [`${a.candidate_id}|${a.job_id}`, a]));
    const aggregates = [...new Set(apps.map((a) => `application:${a.id}`))];
    const keys = aggregates.length
      ? await query<{ idempotency_key: string }>(
          em,
          `select idempotency_key from outbox where aggregate in (${placeholders(aggregates.length)})`,
          aggregates,
        )
      : [];
    // Every prefix of every key up to a colon: `<notice key>:<channel>:<target>` holds its notice's key.
    const queued = new Set<string>();
    for (const { idempotency_key: key } of keys)
      for (let at = key.indexOf(':'); at > 0; at = key.indexOf(':', at + 1)) queued.add(key.slice(0, at));
    for (const inv of batch) {
      const app = appOf.get(`${inv.candidate.id}|${inv.job.id}`);
      if (!app || !NOT_SUBMITTED.includes(app.stage)) continue;
      const expected: string[] = [];
      if (inv.createdAt.getTime() > now.getTime() - 86_400_000 && inv.sendCount === 0)
        expected.push(messageKey(inv.id));
      for (const m of s.invitationNudges)
        if (inv.expiresAt.getTime() - m * 60_000 > now.getTime())
          expected.push(nudgeKey(Number(app.id), inv.expiresAt, m));
      if (expected.some((k) => !queued.has(k))) out.push(inv);
    }
  }
  return out;
}

/** One invitation's message and nudges, in one transaction (keys make a repeat a no-op). */
async function sweepOne(
  em: Em,
  inv: IInvitation,
  now: Date,
  config: Pick<Config, 'session' | 'notifications'>,
  timezone: string,
): Promise<void> {
  const s = config.notifications;
  await em.transactional(async (tx) => {
    const app = await tx.findOne(Application, { candidate: inv.candidate.id, job: inv.job.id });
    if (!app || !NOT_SUBMITTED.includes(app.stage)) return;
    const targets = await candidateTargets(tx, inv.candidate, s);
    // Not when HR already sent it through DingTalk (then the message exists under its own key).
    if (inv.createdAt.getTime() > now.getTime() - 86_400_000 && inv.sendCount === 0) {
      const token = await issueInvitationToken(config.session.secret, inv.id, inv.expiresAt);
      await notify(tx, targets, {
        key: messageKey(inv.id),
        topic: 'invitation.message',
        aggregate: `application:${app.id}`,
        template: 'candidate.invitation',
        data: {
          candidateName: inv.candidate.name,
          jobTitle: inv.job.title,
          deadlineAt: inv.expiresAt.toISOString(),
          link: routes.invite(token),
          timezone,
        },
        dueAt: now,
      });
    }
    for (const m of s.invitationNudges) {
      const dueAt = new Date(inv.expiresAt.getTime() - m * 60_000);
      if (dueAt <= now) continue;
      await notify(tx, targets, {
        key: nudgeKey(app.id, inv.expiresAt, m),
        topic: `${DEADLINE_NUDGE_TOPIC}${m}m`,
        aggregate: `application:${app.id}`,
        template: 'candidate.deadline_nudge',
        data: {
          jobTitle: inv.job.title,
          deadlineAt: inv.expiresAt.toISOString(),
          timezone,
          applicationId: app.id,
          hoursLeft: Math.round(m / 60),
        },
        dueAt,
      });
    }
  });
}
