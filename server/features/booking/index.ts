/**
 * Booking: availability (weekly hours, date overrides, DingTalk calendar busy time), AI-interview
 * windows and live second rounds, the race-proof seat gate, reschedule and cancel within the
 * cutoffs, no-shows with a one-time rebook link, `.ics` files, and the interviewer's DingTalk
 * calendar kept in line with each live booking.
 */
import type { Feature } from '../../kernel/feature';
import { defineConsumer } from '../../kernel/jobs/registry';
import { availabilityRoutes } from './availability.routes';
import { bookingRoutes } from './bookings.routes';
import { CALENDAR_CONSUMER, syncBookingCalendar } from './calendarSync';
import { scheduleRoutes } from './schedules.routes';

export { myBookings } from './bookings.routes';
export { icsLink } from './ics';
export { rebookToken } from './rebook';

export const booking: Feature = {
  name: 'booking',
  routes: () => [bookingRoutes(), availabilityRoutes(), scheduleRoutes()],
  consumers: [
    // Live sessions go into the interviewer's DingTalk calendar after commit (never inside the
    // booking: a slow DingTalk must not slow or fail a booking; the outbox retries).
    defineConsumer({
      name: CALENDAR_CONSUMER,
      events: ['booking.created', 'booking.rescheduled', 'booking.cancelled'],
      schedule: { everyMs: 3000 },
      handle: (event, em, deps) =>
        syncBookingCalendar(em, event, { calendar: deps.dingtalk.calendar, config: deps.config }),
    }),
  ],
};
