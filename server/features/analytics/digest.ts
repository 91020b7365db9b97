/**
 * The weekly digest into each open job's hiring group (issue 17 item 3): the job's key numbers
 * and a link to the dashboard. Keyed by job and day, so however many workers fire the cron, one
 * message per job per week is queued (the outbox sends it through the bot).
 */
import { TERMINAL_STAGES } from '../../../shared/stages';
import { Job } from '../../kernel/db/entities/Job';
import type { Em } from '../../kernel/db/types';
import { groupTarget, type NotificationSettings, notify } from '../messaging';
import { funnel, type Scope, times } from './queries';

/** `YYYY-MM-DD` of `at` in Asia/Shanghai. */
function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Queues this week's digest for every open job with a hiring group. Returns how many messages
 * were new (0 when this day's digests were already queued).
 */
export async function enqueueWeeklyDigests(
  em: Em,
  settings: NotificationSettings,
  now: Date,
): Promise<number> {
  const date = shanghaiDay(now);
  const weekAgo = shanghaiDay(new Date(now.getTime() - 6 * 86_400_000));
  const jobs = await em.find(Job, { status: 'open' }, { orderBy: { id: 'asc' } });
  let queued = 0;
  for (const job of jobs) {
    const all: Scope = { filters: { jobId: job.id }, departmentIds: null };
    const f = (await funnel(em, all)).overall;
    if (!f.applications) continue;
    const week = (
      await funnel(em, { filters: { jobId: job.id, from: weekAgo, to: date }, departmentIds: null })
    ).overall.applications;
    const tth = (await times(em, all, now)).timeToHire.medianMs;
    const reached = (stage: string) => f.steps.find((s) => s.stage === stage)?.reached ?? 0;
    const target = await groupTarget(em, job.id, settings);
    if (!target.id) continue;
    await em.transactional(async (tx) => {
      const key = `analytics:weekly:${job.id}:${date}`;
      const before = await tx.execute<Array<{ n: number }>>(
        'select count(*) as n from outbox where idempotency_key like ?',
        [`${key}:%`],
      );
      if (Number(before[0]?.n ?? 0)) return;
      await notify(tx, [target], {
        key,
        topic: 'analytics.weekly_digest',
        aggregate: `job:${job.id}`,
        template: 'analytics.weekly_digest',
        data: {
          date,
          jobTitle: job.title,
          applicants: f.applications,
          newThisWeek: week,
          secondRound: reached('second_round'),
          hires: reached('hired'),
          medianDaysToHire: tth === null ? null : Math.round((tth / 86_400_000) * 10) / 10,
          open: f.applications - TERMINAL_STAGES.reduce((n, s) => n + f.current[s], 0),
        },
      });
      queued += 1;
    });
  }
  return queued;
}
