/**
 * The outline card (面试提纲) the day before a live round: every few minutes, each booked
 * second round that starts within the next 24 hours gets its outline queued to its interviewer
 * through the messaging outbox. The idempotency key names the booking, the interviewer and the
 * start time, so however many workers run (or however often this wakes) one card goes out per
 * interviewer and time; a reschedule or a new interviewer gets a fresh card.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Booking } from '../../kernel/db/entities/Booking';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { defineJob } from '../../kernel/jobs/registry';
import { queueEmployeeMessage } from '../messaging';
import { loadLiveRound, outlineOf } from './data';

/** How long before the interview the card goes out. */
export const OUTLINE_LEAD_MS = 24 * 3_600_000;
/** Questions quoted in the card (the rest are one tap away). */
const CARD_QUESTIONS = 3;

/** Queues the outline card of every live round starting in (now, now + 24 h]. Returns how many were considered. */
export async function queueOutlineCards(em: Em, now: Date): Promise<number> {
  const due = await em.find(
    Booking,
    {
      kind: 'second_round',
      status: 'booked',
      interviewer: { $ne: null },
      startAt: { $gt: now, $lte: new Date(now.getTime() + OUTLINE_LEAD_MS) },
    },
    { orderBy: { startAt: 'asc' }, limit: 500 },
  );
  for (const b of due) {
    const round = await loadLiveRound(em, b.id);
    const interviewer = round.interviewer ?? (await em.findOne(User, { id: b.interviewer?.id }));
    if (!interviewer?.active) continue;
    const outline = await outlineOf(em, round, interviewer);
    const queue = em.transactional((tx) =>
      queueEmployeeMessage(tx, interviewer, {
        key: `liveround.outline:${b.id}:${interviewer.id}:${b.startAt.toISOString()}`,
        topic: 'interviewer.outline',
        aggregate: `booking:${b.id}`,
        template: 'interviewer.outline',
        data: {
          kind: 'second_round',
          startAt: b.startAt.toISOString(),
          endAt: b.endAt.toISOString(),
          timezone: b.timeZone,
          candidateName: round.candidateName,
          jobTitle: round.job.title,
          bookingId: b.id,
          count: outline.questions.length,
          questions: outline.questions.slice(0, CARD_QUESTIONS).map((q) => ({ question: q.question })),
        },
        dueAt: now,
      }),
    );
    // Another worker queued the same card a moment earlier: the key did its job.
    await queue.catch((e: unknown) => {
      if (!(e instanceof UniqueConstraintViolationException)) throw e;
    });
  }
  return due.length;
}

/** The feature's scheduled work (worker role). */
export const liveRoundJobs = [
  defineJob({
    name: 'liveround.outline_cards',
    role: 'worker',
    category: 'bot',
    schedule: { cron: '0 */5 * * * *' },
    run: (deps) => queueOutlineCards(deps.orm.em.fork(), deps.now?.() ?? new Date()),
  }),
];
