/**
 * Daily digests, enqueued by the 09:00 cron in every worker process. Keys carry the date
 * (`digest:interviewer:u1:2026-03-02`), so however many instances fire, one row per person
 * per day exists.
 *
 * Sources: the interviewers' schedule is read from their pending reminder rows (every live
 * interview has one, with the slot in its data); pipeline changes from the bot's
 * `application.stage_changed` event rows; failures from failed message rows.
 */
import { formatWhen } from '../../../bot/messages';
import { weekStart } from '../../../shared/slots';
import { Application } from '../../kernel/db/entities/Application';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { EVENT_CHANNEL } from '../../kernel/events/emit';
import { agreementReport } from '../scoring';
import { employeeTarget, notify } from './recipients';

/** The local calendar date `YYYY-MM-DD` of `at` in `timezone`. */
export function localDate(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** Enqueues today's digests. Returns how many rows were written (0 when already done today). */
export async function enqueueDailyDigests(em: Em, now: Date, timezone = 'Asia/Shanghai'): Promise<number> {
  const date = localDate(now, timezone);
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const dayAhead = new Date(now.getTime() + 24 * 3600_000);
  let written = 0;
  await em.transactional(async (tx) => {
    const before = await tx.count(OutboxMessage, { idempotencyKey: { $like: `digest:%:${date}:%` } });
    // Interviewers: today's live interviews from their pending reminders.
    const reminders = await tx.find(OutboxMessage, {
      topic: { $like: 'reminder.interviewer.%' },
      status: 'pending',
      dueAt: { $gte: new Date(now.getTime() - 3600_000), $lt: dayAhead },
    });
    const byUser = new Map<string, Array<{ time: string; candidateName: string; jobTitle: string }>>();
    for (const r of reminders) {
      const p = r.payload as { template?: string; data?: Record<string, string>; locale?: string };
      if (p.template !== 'interviewer.reminder' || !p.data || !r.recipientId) continue;
      if (localDate(new Date(p.data.startAt), timezone) !== date) continue;
      const list = byUser.get(r.recipientId) ?? [];
      list.push({
        time: formatWhen(p.data.startAt, p.data.timezone ?? timezone, 'zh-CN').slice(11, 16),
        candidateName: p.data.candidateName,
        jobTitle: p.data.jobTitle,
      });
      byUser.set(r.recipientId, list);
    }
    const reviews = await tx.find(
      OutboxMessage,
      {
        topic: 'report.ready',
        channel: { $ne: EVENT_CHANNEL },
        createdAt: { $gte: new Date(now.getTime() - 7 * 24 * 3600_000) },
      },
      { fields: ['recipientId'] },
    );
    const reviewCount = new Map<string, number>();
    for (const r of reviews)
      if (r.recipientId) reviewCount.set(r.recipientId, (reviewCount.get(r.recipientId) ?? 0) + 1);
    const users = await tx.find(User, { active: true });
    for (const u of users) {
      const interviews = (byUser.get(u.dingtalkUserId) ?? []).sort((a, b) => a.time.localeCompare(b.time));
      const pendingReviews = reviewCount.get(u.dingtalkUserId) ?? 0;
      if (u.roles.includes('interviewer') && (interviews.length || pendingReviews)) {
        await notify(tx, [employeeTarget(u)], {
          key: `digest:interviewer:${date}:${u.dingtalkUserId}`,
          topic: 'digest.interviewer',
          aggregate: `digest:${date}`,
          template: 'interviewer.digest',
          data: { date, interviews, pendingReviews },
        });
      }
    }
    // HR and managers: yesterday's pipeline changes (managers: their department only).
    const changes = await tx.find(
      OutboxMessage,
      {
        channel: EVENT_CHANNEL,
        recipientId: 'bot',
        topic: 'application.stage_changed',
        createdAt: { $gte: dayAgo, $lt: now },
      },
      { orderBy: { id: 'asc' } },
    );
    const appIds = changes
      .map((c) => Number((c.payload as { data?: { applicationId?: number } }).data?.applicationId))
      .filter(Boolean);
    const apps = appIds.length
      ? await tx.find(Application, { id: { $in: appIds } }, { populate: ['candidate', 'job'] })
      : [];
    const appById = new Map(apps.map((a) => [a.id, a]));
    const failed = await tx.find(
      OutboxMessage,
      {
        status: 'failed',
        channel: { $ne: EVENT_CHANNEL },
        createdAt: { $gte: new Date(now.getTime() - 7 * 24 * 3600_000) },
      },
      { limit: 5, orderBy: { id: 'desc' } },
    );
    const failedCount = await tx.count(OutboxMessage, { status: 'failed', channel: { $ne: EVENT_CHANNEL } });
    for (const u of users) {
      const isHr = u.roles.includes('hr') || u.roles.includes('admin');
      const isManager = u.roles.includes('manager');
      if (!isHr && !isManager) continue;
      const visible = changes
        .map((c) => ({
          c,
          a: appById.get(Number((c.payload as { data?: { applicationId?: number } }).data?.applicationId)),
        }))
        .filter(
          ({ a }) =>
            a &&
            (isHr ||
              (a.job as unknown as { department: { id: number } }).department?.id ===
                (u.department as unknown as { id: number } | null)?.id),
        )
        .map(({ c, a }) => {
          const d = (c.payload as { data: { from: string; to: string } }).data;
          return {
            candidateName: a?.candidate.name ?? '',
            jobTitle: a?.job.title ?? '',
            from: d.from,
            to: d.to,
          };
        });
      if (visible.length)
        await notify(tx, [employeeTarget(u)], {
          key: `digest:pipeline:${date}:${u.dingtalkUserId}`,
          topic: 'digest.pipeline',
          aggregate: `digest:${date}`,
          template: 'hr.pipeline_digest',
          data: { date, changes: visible },
        });
      if (isHr && failedCount > 0)
        await notify(tx, [employeeTarget(u)], {
          key: `digest:failures:${date}:${u.dingtalkUserId}`,
          topic: 'digest.failures',
          aggregate: `digest:${date}`,
          template: 'hr.delivery_failures',
          data: {
            count: failedCount,
            examples: failed.map((f) => ({
              topic: f.topic,
              recipient: `${f.recipientKind}:${f.recipientId ?? ''}`,
              error: (f.lastError ?? '').slice(0, 120),
            })),
          },
        });
    }
    await tx.flush();
    written = (await tx.count(OutboxMessage, { idempotencyKey: { $like: `digest:%:${date}:%` } })) - before;
  });
  return written;
}

/**
 * With the 09:00 digests: when AI-vs-human agreement is low or has dropped for a job and
 * competency (`scoring/agreement.ts`), HR gets one message listing them, at most once a week
 * (keyed by the week's Monday), until it recovers. Returns how many rows were written.
 */
export async function enqueueAgreementAlerts(em: Em, now: Date, timezone = 'Asia/Shanghai'): Promise<number> {
  const report = await agreementReport(em, { now });
  const items = report.jobs.flatMap((j) =>
    j.competencies
      .filter((c) => c.flags.length)
      .map((c) => ({
        jobTitle: j.jobTitle,
        competency: c.competency,
        flags: c.flags,
        n: c.n,
        qwk: c.recent.qwk ?? c.qwk,
        earlierQwk: c.earlier.qwk,
      })),
  );
  if (!items.length) return 0;
  const week = weekStart(localDate(now, timezone));
  let written = 0;
  await em.transactional(async (tx) => {
    const hr = (await tx.find(User, { active: true })).filter(
      (u) => u.roles.includes('hr') || u.roles.includes('admin'),
    );
    const keys = hr.map((u) => `digest:agreement:${week}:${u.dingtalkUserId}`);
    const before = await tx.count(OutboxMessage, { idempotencyKey: { $like: `digest:agreement:${week}:%` } });
    for (const [i, u] of hr.entries())
      await notify(tx, [employeeTarget(u)], {
        key: keys[i],
        topic: 'digest.agreement',
        aggregate: `digest:${week}`,
        template: 'hr.agreement_alert',
        data: { week, items },
      });
    await tx.flush();
    written =
      (await tx.count(OutboxMessage, { idempotencyKey: { $like: `digest:agreement:${week}:%` } })) - before;
  });
  return written;
}
