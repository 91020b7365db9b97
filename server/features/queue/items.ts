/**
 * HR's work queue (待办), assembled from where the work already lives: open review tasks
 * (the candidates' explanation and human-review requests, reports flagged for a person),
 * messages that failed for good, approvals waiting too long, pending accommodation requests.
 * Items that have no state of their own to close (a failed message, a waiting approval) are
 * hidden once a `QueueClosure` names them.
 */
import { QUEUE_KINDS, type QueueAction, type QueueItem, type QueueKind } from '../../../shared/api/queue';
import { AccommodationRequest } from '../../kernel/db/entities/AccommodationRequest';
import { Application } from '../../kernel/db/entities/Application';
import { Approval } from '../../kernel/db/entities/Approval';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { QueueClosure } from '../../kernel/db/entities/QueueClosure';
import { ReviewTask } from '../../kernel/db/entities/Scoring';
import type { Em } from '../../kernel/db/orm';

/** An approval still running after this long is "waiting too long" and enters the queue. */
export const STALE_APPROVAL_HOURS = 48;
/** HR should have chased a stale approval this long after it started. */
export const STALE_APPROVAL_DUE_HOURS = 72;
/** A message that failed for good should be dealt with within this long. */
export const FAILED_MESSAGE_DUE_HOURS = 48;
/** "Due soon": due within this long (the reminders and the counts use it). */
export const DUE_SOON_HOURS = 24;
/** Most rows read per source (a queue longer than this is a different problem). */
const PER_SOURCE = 500;

const H = 3_600_000;

/** An item plus who owns it (employee ids; empty means "every HR"). */
export interface OwnedItem extends QueueItem {
  ownerIds: number[];
}

/** The HR who invited the candidate to the job (the application's recruiter), if known. */
async function recruiters(em: Em, appIds: number[]): Promise<Map<number, number>> {
  if (!appIds.length) return new Map();
  const apps = await em.find(
    Application,
    { id: { $in: [...new Set(appIds)] } },
    { fields: ['candidate', 'job'] },
  );
  // One read for all: the latest invitation with a creator per (candidate, job).
  const invs = await em.find(
    Invitation,
    { candidate: { $in: [...new Set(apps.map((a) => a.candidate.id))] }, createdBy: { $ne: null } },
    { fields: ['candidate', 'job', 'createdBy'], orderBy: { id: 'asc' } },
  );
  const latest = new Map<string, number>();
  for (const i of invs) if (i.createdBy) latest.set(`${i.candidate.id}:${i.job.id}`, i.createdBy.id);
  const out = new Map<number, number>();
  for (const a of apps) {
    const owner = latest.get(`${a.candidate.id}:${a.job.id}`);
    if (owner !== undefined) out.set(a.id, owner);
  }
  return out;
}

function kindOfTask(kind: string): QueueKind {
  if (kind === 'explanation') return 'explanation';
  if (kind === 'human_review') return 'human_review';
  return 'report_review';
}

const ACTIONS: Record<QueueKind, QueueAction[]> = {
  explanation: ['reply', 'close'],
  human_review: ['rescore', 'reply', 'close'],
  report_review: ['rescore', 'close'],
  failed_message: ['retry', 'close'],
  stale_approval: ['close'],
  accommodation: ['grant', 'decline', 'approval'],
};

/** Every open item, soonest due first. */
export async function openItems(em: Em, now: Date): Promise<OwnedItem[]> {
  const items: OwnedItem[] = [];
  const closed = new Set(
    (await em.find(QueueClosure, {}, { fields: ['itemKey'], orderBy: { id: 'desc' }, limit: 5000 })).map(
      (c) => c.itemKey,
    ),
  );
  const base = (dueAt: Date) => ({ dueAt: dueAt.toISOString(), overdue: dueAt <= now });

  const tasks = await em.find(
    ReviewTask,
    { status: 'open' },
    { populate: ['application.candidate', 'application.job'], orderBy: { dueAt: 'asc' }, limit: PER_SOURCE },
  );
  const accs = await em.find(
    AccommodationRequest,
    { status: 'pending' },
    { populate: ['application.candidate', 'application.job'], orderBy: { dueAt: 'asc' }, limit: PER_SOURCE },
  );
  const owners = await recruiters(em, [
    ...tasks.map((t) => t.application.id),
    ...accs.map((a) => a.application.id),
  ]);
  for (const t of tasks) {
    const kind = kindOfTask(t.kind);
    const app = t.application;
    items.push({
      key: `task:${t.id}`,
      kind,
      candidateId: app.candidate.id,
      candidateName: app.candidate.name,
      jobTitle: app.job.title,
      applicationId: app.id,
      reportId: t.report?.id ?? null,
      detail: t.reason,
      createdAt: t.createdAt.toISOString(),
      ...base(t.dueAt),
      actions: ACTIONS[kind],
      ownerIds: owners.has(app.id) ? [owners.get(app.id) as number] : [],
    });
  }
  // Requests already sent to a 便利安排 approval: decided in DingTalk (or still here in the app).
  const inApproval = new Set(
    accs.length
      ? (
          await em.find(
            Approval,
            { activeKey: { $in: accs.map((a) => `${a.application.id}:accommodation`) } },
            { fields: ['activeKey'] },
          )
        ).map((x) => x.activeKey)
      : [],
  );
  for (const a of accs) {
    const app = a.application;
    const sent = inApproval.has(`${app.id}:accommodation`);
    const asked = [
      a.extraTimePercent ? `+${a.extraTimePercent}% time` : null,
      a.extraRetakes ? `+${a.extraRetakes} retakes` : null,
      a.audioOnly ? 'audio only' : null,
    ].filter(Boolean);
    items.push({
      key: `accommodation:${a.id}`,
      kind: 'accommodation',
      candidateId: app.candidate.id,
      candidateName: app.candidate.name,
      jobTitle: app.job.title,
      applicationId: app.id,
      reportId: null,
      detail: [asked.join(', '), a.note, sent ? '钉钉审批中 / in DingTalk approval' : null]
        .filter(Boolean)
        .join(' — '),
      createdAt: a.createdAt.toISOString(),
      ...base(a.dueAt),
      actions: sent ? ACTIONS.accommodation.filter((x) => x !== 'approval') : ACTIONS.accommodation,
      ownerIds: owners.has(app.id) ? [owners.get(app.id) as number] : [],
    });
  }

  const failed = await em.find(
    OutboxMessage,
    { status: 'failed', channel: { $ne: 'event' } },
    { orderBy: { id: 'desc' }, limit: PER_SOURCE },
  );
  for (const m of failed) {
    const key = `message:${m.id}`;
    if (closed.has(key)) continue;
    items.push({
      key,
      kind: 'failed_message',
      candidateId: m.recipientKind === 'candidate' ? Number(m.recipientId) || null : null,
      candidateName: null,
      jobTitle: null,
      applicationId: m.aggregate?.startsWith('application:') ? Number(m.aggregate.slice(12)) || null : null,
      reportId: null,
      detail: `${m.topic} → ${m.channel}: ${(m.lastError ?? '').slice(0, 200)}`,
      createdAt: m.createdAt.toISOString(),
      ...base(new Date(m.createdAt.getTime() + FAILED_MESSAGE_DUE_HOURS * H)),
      actions: ACTIONS.failed_message,
      ownerIds: [],
    });
  }

  const stale = await em.find(
    Approval,
    {
      status: { $in: ['requested', 'running'] },
      startedAt: { $lte: new Date(now.getTime() - STALE_APPROVAL_HOURS * H) },
    },
    {
      populate: ['application.candidate', 'application.job'],
      orderBy: { startedAt: 'asc' },
      limit: PER_SOURCE,
    },
  );
  for (const a of stale) {
    const key = `approval:${a.id}`;
    if (closed.has(key)) continue;
    const app = a.application;
    items.push({
      key,
      kind: 'stale_approval',
      candidateId: app.candidate.id,
      candidateName: app.candidate.name,
      jobTitle: app.job.title,
      applicationId: app.id,
      reportId: null,
      detail: `${a.kind} · ${Math.floor((now.getTime() - a.startedAt.getTime()) / H)}h`,
      createdAt: a.startedAt.toISOString(),
      ...base(new Date(a.startedAt.getTime() + STALE_APPROVAL_DUE_HOURS * H)),
      actions: ACTIONS.stale_approval,
      ownerIds: a.requestedBy ? [a.requestedBy.id] : [],
    });
  }
  return items.sort((x, y) => x.dueAt.localeCompare(y.dueAt) || x.key.localeCompare(y.key));
}

/** Counts per kind and by due date (for the queue's header and the HR home). */
export function countsOf(items: QueueItem[], now: Date) {
  const counts = Object.fromEntries(QUEUE_KINDS.map((k) => [k, 0])) as Record<QueueKind, number>;
  let overdue = 0;
  let dueSoon = 0;
  const soon = now.getTime() + DUE_SOON_HOURS * H;
  for (const i of items) {
    counts[i.kind]++;
    const due = Date.parse(i.dueAt);
    if (due <= now.getTime()) overdue++;
    else if (due <= soon) dueSoon++;
  }
  return { total: items.length, counts, overdue, dueSoon };
}

/**
 * How many queue items are waiting, and how many are due within a day or overdue: the number
 * the HR home shows. Other features call it through this feature's index.
 */
export async function countQueueItems(
  em: Em,
  now: Date,
): Promise<{ total: number; dueSoon: number; overdue: number; counts: Record<QueueKind, number> }> {
  return countsOf(await openItems(em.fork(), now), now);
}
