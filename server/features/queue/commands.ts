/**
 * Acting on the work queue: closing an item with a note (audited; for a candidate's own request
 * the note is the answer and the candidate is told), and the reminder sweep that tells each
 * item's owner before it falls due (keyed by item and due date, so it is written once however
 * often and in however many processes the sweep runs).
 */
import { QUEUE_KIND_LABELS } from '../../../shared/api/queue';
import { type AuditContext, audit } from '../../kernel/audit';
import type { Config } from '../../kernel/config';
import { Application } from '../../kernel/db/entities/Application';
import { Approval } from '../../kernel/db/entities/Approval';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { QueueClosure } from '../../kernel/db/entities/QueueClosure';
import { ReviewTask } from '../../kernel/db/entities/Scoring';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { conflict, notFound } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';
import { assertCan } from '../../kernel/policies';
import { decideAccommodation } from '../accommodations';
import { queueCandidateMessage, queueEmployeeMessage } from '../messaging';
import { DUE_SOON_HOURS, openItems } from './items';

/**
 * Closes one item with a note. Review tasks are marked done (a candidate's explanation or
 * human-review request is answered with the note, and the candidate told); an accommodation is
 * declined with the note; failed messages and stale approvals get a closure row. Closing an
 * item that is already closed is 409 `queue_item_closed` (two HR people, one closure).
 */
export async function closeQueueItem(props: {
  em: Em;
  config: Pick<Config, 'notifications'>;
  actor: Actor;
  key: string;
  note: string;
  now: Date;
  context: AuditContext;
}): Promise<{ candidateNotified: boolean }> {
  const { actor, now } = props;
  assertCan(actor, 'queue.manage', undefined);
  const [type, idText] = props.key.split(':');
  const id = Number(idText);
  if (type === 'accommodation') {
    await decideAccommodation({ ...props, id, decision: 'decline' });
    return { candidateNotified: true };
  }
  return props.em.transactional(async (em) => {
    let candidateNotified = false;
    if (type === 'task') {
      const task = await em.findOne(ReviewTask, { id });
      if (!task) throw notFound('Queue item');
      const won = await em.nativeUpdate(
        ReviewTask,
        { id, status: 'open' },
        { status: 'done', resolvedById: actor.id, resolvedAt: now },
      );
      if (won === 0) throw conflict('queue_item_closed', 'This item was already closed');
      if ((task.kind === 'explanation' || task.kind === 'human_review') && task.requestedByCandidateId) {
        const app = await em.findOneOrFail(Application, { id: task.application.id });
        const candidate = await em.findOneOrFail(Candidate, { id: task.requestedByCandidateId });
        const job = await em.findOneOrFail(Job, { id: app.job.id });
        await queueCandidateMessage(em, props.config, candidate, {
          key: `task:${task.id}:answered`,
          topic: 'queue.answered',
          aggregate: `application:${app.id}`,
          template: 'candidate.request_answered',
          data: { jobTitle: job.title, kind: task.kind, granted: null, answer: props.note },
          dueAt: now,
        });
        candidateNotified = true;
      }
    } else if (type === 'message') {
      const row = await em.findOne(OutboxMessage, { id, status: 'failed', channel: { $ne: 'event' } });
      if (!row) throw notFound('Queue item');
    } else if (type === 'approval') {
      const row = await em.findOne(Approval, { id });
      if (!row) throw notFound('Queue item');
    } else throw notFound('Queue item');
    if (await em.findOne(QueueClosure, { itemKey: props.key }))
      throw conflict('queue_item_closed', 'This item was already closed');
    // The unique item key makes a simultaneous second closure fail (409 through the error map).
    em.create(QueueClosure, { itemKey: props.key, note: props.note, closedById: actor.id, closedAt: now });
    audit(
      em,
      actor,
      'queue.closed',
      { type: 'queue_item', id: props.key },
      { note: props.note, candidateNotified },
      props.context,
    );
    await em.flush();
    return { candidateNotified };
  });
}

/**
 * Reminds each item's owner (the recruiter who invited the candidate, the HR who asked for the
 * approval; every HR when nobody owns it) once per item and due date, within
 * {@link DUE_SOON_HOURS} hours of the due date and after it. Returns how many reminders were new.
 */
export async function remindQueueOwners(em: Em, now: Date, timezone = 'Asia/Shanghai'): Promise<number> {
  const horizon = now.getTime() + DUE_SOON_HOURS * 3_600_000;
  const due = (await openItems(em, now)).filter((i) => Date.parse(i.dueAt) <= horizon);
  if (!due.length) return 0;
  const hr = (
    await em.find(User, { active: true }, { fields: ['id', 'dingtalkUserId', 'locale', 'roles'] })
  ).filter((u) => u.roles.includes('hr'));
  let added = 0;
  for (const item of due) {
    const owners = item.ownerIds.length
      ? await em.find(
          User,
          { id: { $in: item.ownerIds }, active: true },
          { fields: ['id', 'dingtalkUserId', 'locale'] },
        )
      : hr;
    await em.transactional(async (tx) => {
      for (const owner of owners.length ? owners : hr) {
        const key = `queue:${item.key}:due:${Date.parse(item.dueAt)}`;
        const exists = await tx.count(OutboxMessage, {
          idempotencyKey: { $like: `${key}:%:${owner.dingtalkUserId}` },
        });
        if (exists) continue;
        await queueEmployeeMessage(tx, owner, {
          key,
          topic: 'queue.reminder',
          aggregate: `queue:${item.key}`,
          template: 'hr.queue_due',
          data: {
            items: [
              {
                kind:
                  owner.locale === 'en' ? QUEUE_KIND_LABELS[item.kind].en : QUEUE_KIND_LABELS[item.kind].zh,
                candidateName: item.candidateName ?? '—',
                dueAt: item.dueAt,
              },
            ],
            timezone,
          },
          dueAt: now,
        });
        added++;
      }
    });
  }
  return added;
}
