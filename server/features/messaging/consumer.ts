/**
 * The asynchronous `bot` consumer: turns domain events other than bookings into message rows.
 * Runs in the worker role through `consumeEvents` (retries, leases), inside a transaction, so
 * an event either produces all its messages or none and is tried again.
 */
import { Application } from '../../kernel/db/entities/Application';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import type { Em } from '../../kernel/db/orm';
import type { DomainEvent } from '../../kernel/events/types';
import { cancelPending } from '../../kernel/outbox/enqueue';
import {
  candidateTargets,
  employeeTarget,
  groupTarget,
  loadContext,
  notify,
  type Target,
  usersOf,
} from './recipients';
import type { NotificationSettings } from './settings';
import { DEADLINE_NUDGE_TOPIC } from './sweeps';

/** Name of this consumer. */
export const BOT_CONSUMER = 'bot';

/** Event types the bot consumes. */
export const BOT_EVENT_TYPES = [
  'interview.submitted',
  'report.ready',
  'approval.started',
  'approval.decided',
  'application.stage_changed',
  'application.rejected',
] as const;

/** Topic prefix of approval nudges (cancelled when the approval is decided). */
export const NUDGE_TOPIC = 'nudge.';

const MINUTE = 60_000;

interface AppEvent {
  applicationId: number;
  candidateId: number;
  jobId: number;
}

/** Handles one event for the bot (called by `consumeEvents`). */
export async function handleBotEvent(
  event: DomainEvent<(typeof BOT_EVENT_TYPES)[number]>,
  em: Em,
  s: NotificationSettings,
): Promise<void> {
  const k = event.key;
  const at = new Date(event.at ?? Date.now());
  switch (event.type) {
    case 'interview.submitted': {
      const d = event.data as unknown as AppEvent;
      await cancelPending(em, `application:${d.applicationId}`, DEADLINE_NUDGE_TOPIC);
      const { candidate, job } = await loadContext(em, d.candidateId, d.jobId);
      if (!candidate || !job) return;
      await notify(em, await candidateTargets(em, candidate, s), {
        key: `${k}:answers_received`,
        dueAt: at,
        topic: 'interview.answers_received',
        aggregate: `application:${d.applicationId}`,
        template: 'candidate.answers_received',
        data: { jobTitle: job.title },
      });
      return;
    }
    case 'report.ready': {
      const d = event.data as unknown as AppEvent & { reportId: number; overall: number | null };
      const { candidate, job, manager } = await loadContext(em, d.candidateId, d.jobId);
      if (!candidate || !job) return;
      // Reviewers: the job's hiring manager and whoever was assigned to interview this application.
      const assigned = await em.find(
        OutboxMessage,
        { aggregate: `application:${d.applicationId}`, topic: 'interviewer.assignment' },
        { fields: ['recipientId'] },
      );
      const reviewers = await usersOf(em, [
        ...(manager ? [manager.id] : []),
        ...assigned.map((r) => r.recipientId ?? '').filter(Boolean),
      ]);
      const unique = new Map(reviewers.map((u) => [u.id, u]));
      await notify(em, [...unique.values()].map(employeeTarget), {
        key: `${k}:report_ready`,
        dueAt: at,
        topic: 'report.ready',
        aggregate: `application:${d.applicationId}`,
        template: 'interviewer.report_ready',
        data: {
          candidateName: candidate.name,
          jobTitle: job.title,
          applicationId: d.applicationId,
          reportId: d.reportId,
        },
      });
      if (typeof d.overall === 'number' && d.overall >= s.highScoreThreshold) {
        await notify(em, [await groupTarget(em, d.jobId, s)], {
          key: `${k}:high_score`,
          dueAt: at,
          topic: 'hiring.high_score',
          aggregate: `application:${d.applicationId}`,
          template: 'hiring.high_score',
          data: {
            candidateName: candidate.name,
            jobTitle: job.title,
            overall: Math.round(d.overall),
            applicationId: d.applicationId,
            reportId: d.reportId,
          },
        });
      }
      return;
    }
    case 'approval.started': {
      const d = event.data as unknown as {
        applicationId: number;
        approvalId: number;
        kind: 'second_round' | 'offer';
        approverUserIds: Array<number | string>;
      };
      const app = await appFacts(em, d.applicationId);
      if (!app) return;
      const approvers = (await usersOf(em, d.approverUserIds ?? [])).map(employeeTarget);
      const startedAt = at.getTime();
      for (const m of s.approvalNudges) {
        await notify(em, approvers, {
          key: `approval:${d.approvalId}:nudge:${m}m`,
          topic: `${NUDGE_TOPIC}approval.${m}m`,
          aggregate: `approval:${d.approvalId}`,
          template: 'approval.waiting',
          data: {
            kind: d.kind,
            candidateName: app.candidateName,
            jobTitle: app.jobTitle,
            applicationId: d.applicationId,
            approvalId: d.approvalId,
            hoursWaiting: Math.round(m / 60),
          },
          dueAt: new Date(startedAt + m * MINUTE),
        });
      }
      return;
    }
    case 'approval.decided': {
      const d = event.data as unknown as { approvalId: number };
      await cancelPending(em, `approval:${d.approvalId}`, NUDGE_TOPIC);
      return;
    }
    case 'application.stage_changed': {
      const d = event.data as unknown as AppEvent & { to: string };
      // The offer goes out once the offer approval passed and HR sent it.
      if (d.to !== 'offer_sent') return;
      const { candidate, job } = await loadContext(em, d.candidateId, d.jobId);
      if (!candidate || !job) return;
      await notify(em, await candidateTargets(em, candidate, s), {
        key: `${k}:offer`,
        dueAt: at,
        topic: 'application.offer',
        aggregate: `application:${d.applicationId}`,
        template: 'candidate.offer',
        data: { jobTitle: job.title, applicationId: d.applicationId },
      });
      return;
    }
    case 'application.rejected': {
      const d = event.data as unknown as AppEvent & { feedback?: string | null };
      const { candidate, job } = await loadContext(em, d.candidateId, d.jobId);
      if (!candidate || !job) return;
      const targets: Target[] = await candidateTargets(em, candidate, s);
      await notify(em, targets, {
        key: `${k}:feedback`,
        dueAt: at,
        topic: 'application.feedback',
        aggregate: `application:${d.applicationId}`,
        template: 'candidate.feedback',
        // Only the report's gaps and suggestions, as written for the candidate; never scores.
        data: { jobTitle: job.title, feedback: (d.feedback ?? '').slice(0, 2000) },
      });
      return;
    }
    default:
      return;
  }
}

async function appFacts(em: Em, applicationId: number) {
  const app = await em.findOne(Application, { id: applicationId }, { populate: ['candidate', 'job'] });
  if (!app) return null;
  return { candidateName: app.candidate.name, jobTitle: app.job.title };
}
