import { absoluteAppUrl, routes } from '../../../shared/routes';
import { localHm } from '../../../shared/slots';
import type { Config } from '../../kernel/config';
import { Booking } from '../../kernel/db/entities/Booking';
import type { Em } from '../../kernel/db/orm';
import { PermanentError } from '../../kernel/events/consume';
import type { DomainEvent } from '../../kernel/events/types';
import type { DingTalkCalendar } from '../../kernel/integrations/dingtalk/calendar';

/** Name of the consumer that writes live bookings into interviewers' calendars. */
export const CALENDAR_CONSUMER = 'calendar';

/**
 * Brings the interviewer's DingTalk calendar in line with a live booking. Runs as the
 * asynchronous consumer `calendar` of booking events (never inside the booking transaction:
 * a slow or failing DingTalk must not fail or slow a booking; the outbox retries).
 *
 * It reconciles from the booking's current row rather than replaying the event, so events
 * handled late or out of order still converge: an active booking has exactly one event in its
 * current interviewer's calendar at its current time; any other booking has none.
 * `createEvent` carries `x-client-token = booking-<id>-v<version>`, so a retry after a lost
 * response returns the same event instead of a duplicate.
 */
export async function syncBookingCalendar(
  em: Em,
  event: DomainEvent<'booking.created' | 'booking.rescheduled' | 'booking.cancelled'>,
  deps: { calendar: DingTalkCalendar; config: Pick<Config, 'publicUrl'> },
): Promise<void> {
  const bookingId = Number(event.data.bookingId);
  if (!Number.isInteger(bookingId)) throw new PermanentError(`event ${event.key} names no booking`);
  const b = await em.findOne(
    Booking,
    { id: bookingId },
    { populate: ['application.candidate', 'application.job', 'interviewer', 'schedule'] },
  );
  if (!b) throw new PermanentError(`booking ${bookingId} does not exist`);
  const host = b.status === 'booked' ? (b.interviewer?.unionId ?? null) : null;
  // Remove the event from a calendar it no longer belongs in (cancelled, or host changed).
  if (b.calendarEventId && b.calendarOwner && b.calendarOwner !== host) {
    await deps.calendar.deleteEvent(b.calendarOwner, b.calendarEventId);
    b.calendarEventId = null;
    b.calendarOwner = null;
    await em.flush();
  }
  if (!host) return;
  const candidate = b.application.candidate;
  const job = b.application.job;
  const tz = b.interviewer?.unionId ? b.schedule.timeZone : b.timeZone;
  const input = {
    summary: `面试：${candidate.name} · ${job.title}`,
    description: [
      `候选人：${candidate.name}`,
      `职位：${job.title}`,
      `时间：${localHm(b.startAt.getTime(), tz)}–${localHm(b.endAt.getTime(), tz)} (${tz})`,
      `候选人主页：${absoluteAppUrl(deps.config.publicUrl, routes.candidate(candidate.id))}`,
    ].join('\n'),
    start: b.startAt,
    end: b.endAt,
    timeZone: tz,
  };
  if (b.calendarEventId) {
    await deps.calendar.patchEvent(host, b.calendarEventId, input);
    return;
  }
  b.calendarEventId = await deps.calendar.createEvent(host, input, `booking-${b.id}-v${b.version}`);
  b.calendarOwner = host;
  await em.flush();
}
