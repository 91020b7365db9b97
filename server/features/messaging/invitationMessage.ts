/**
 * HR's "send the invitation through DingTalk": the invitation message queued in HR's own
 * transaction. A candidate who is a member of the organisation (same unionId as an active
 * employee, or the same mobile) gets a DingTalk work notice; anyone else gets the mini-app inbox
 * and the SMS/e-mail gateway when one is configured. The key names the invitation and the send
 * (`invitation:12:message` for the first, `invitation:12:resend:2` for the second resend), so a
 * retried request never sends twice, and the minute sweep's own message for a new invitation
 * (same first key) is the same row.
 */

import { botLocale } from '../../../bot/messages';
import { routes } from '../../../shared/routes';
import type { Config } from '../../kernel/config';
import type { ICandidate } from '../../kernel/db/entities/Candidate';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { CHANNELS } from './channels';
import { candidateTargets, notify, type Target } from './recipients';

/** The active employee who is this candidate (by unionId, else by mobile), if any. */
async function memberOf(em: Em, candidate: ICandidate): Promise<{ dingtalkUserId: string } | null> {
  if (candidate.unionId) {
    const u = await em.findOne(
      User,
      { unionId: candidate.unionId, active: true },
      { fields: ['dingtalkUserId'] },
    );
    if (u) return u;
  }
  if (candidate.mobile)
    return em.findOne(User, { mobile: candidate.mobile, active: true }, { fields: ['dingtalkUserId'] });
  return null;
}

/**
 * Queues the invitation message of one invitation. `sendNo` 0 is the first send; resends count
 * up. Returns the number of rows queued (one per channel).
 */
export async function queueInvitationMessage(
  em: Em,
  props: {
    config: Pick<Config, 'notifications'>;
    invitation: { id: number; expiresAt: Date };
    candidate: ICandidate;
    job: { title: string };
    applicationId: number;
    token: string;
    sendNo: number;
    now: Date;
    timezone?: string;
  },
): Promise<number> {
  const { candidate } = props;
  const member = await memberOf(em, candidate);
  const targets: Target[] = member
    ? [
        {
          kind: 'employee',
          id: member.dingtalkUserId,
          channel: CHANNELS.workNotice,
          locale: botLocale(candidate.locale),
        },
      ]
    : await candidateTargets(em, candidate, props.config.notifications);
  await notify(em, targets, {
    key:
      props.sendNo === 0
        ? `invitation:${props.invitation.id}:message`
        : `invitation:${props.invitation.id}:resend:${props.sendNo}`,
    topic: 'invitation.message',
    aggregate: `application:${props.applicationId}`,
    template: 'candidate.invitation',
    data: {
      candidateName: candidate.name,
      jobTitle: props.job.title,
      deadlineAt: props.invitation.expiresAt.toISOString(),
      link: routes.invite(props.token),
      timezone: props.timezone ?? 'Asia/Shanghai',
    },
    dueAt: props.now,
  });
  return targets.length;
}
