/** Test helpers shared by the notification tests (not imported by production code). */

import { messaging } from '../features/messaging';
import { DeliveryWorker } from '../features/messaging/worker';
import { Application } from '../kernel/db/entities/Application';
import { User } from '../kernel/db/entities/User';
import { emit } from '../kernel/events/emit';
import { buildEventRegistry, type EventWiring } from '../kernel/events/registry';
import type { DomainEvent, EventType } from '../kernel/events/types';
import type { TestApp } from './harness';

const MIN = 60_000;

/** Only the messaging feature's reactions (other features' handlers check their own entities). */
export const notificationRegistry = buildEventRegistry([messaging]);

/** The messaging feature alone, wired to the test app's dependencies. */
export function notificationWiring(t: TestApp): EventWiring {
  return { registry: notificationRegistry, deps: t.deps };
}

/** Emits `e` in its own transaction with only the messaging feature's reactions. */
export function publishWith(t: TestApp): (e: DomainEvent) => Promise<void> {
  return (e) => t.orm.em.fork().transactional((em) => emit(em, e, notificationWiring(t)));
}

/** A builder of booking events (a 45-minute live second round with `interviewerId` unless `extra` says otherwise). */
export function bookingEventsFor(
  app: () => { id: number; candidateId: number; jobId: number },
  interviewerId: () => number,
) {
  return (
    type: EventType,
    bookingId: number,
    key: string,
    startAt: Date,
    at: Date,
    extra: Record<string, unknown> = {},
  ): DomainEvent =>
    ({
      type,
      key,
      aggregate: `booking:${bookingId}`,
      actor: null,
      at: at.toISOString(),
      data: {
        bookingId,
        applicationId: app().id,
        candidateId: app().candidateId,
        jobId: app().jobId,
        kind: 'second_round',
        interviewerId: interviewerId(),
        startAt: startAt.toISOString(),
        endAt: new Date(startAt.getTime() + 45 * MIN).toISOString(),
        timezone: 'Asia/Shanghai',
        ...extra,
      },
    }) as DomainEvent;
}

/** The seeded application of 张三 and the interviewer int01 the booking events name. */
export async function seededBookingParties(t: TestApp) {
  const em = t.orm.em.fork();
  const a = await em.findOneOrFail(
    Application,
    { candidate: { name: '张三' } },
    { populate: ['candidate', 'job'] },
  );
  const int01 = await em.findOneOrFail(User, { dingtalkUserId: 'int01' });
  return { app: { id: a.id, candidateId: a.candidate.id, jobId: a.job.id }, int01: { id: int01.id } };
}

/** A delivery worker on the test clock `now` (DingTalk's 20/s per-app QPS respected). */
export function testWorker(t: TestApp, workerId: string, now: () => Date): DeliveryWorker {
  return new DeliveryWorker(
    { config: t.config, em: t.orm.em, dingtalk: t.dingtalk, now },
    { workerId, maxAttempts: 3, appQps: 20 },
  );
}
