/**
 * Messaging: everything the bot says and when. Booking reminders (scheduled in the booking's own
 * transaction), the `bot` consumer turning events into messages, the outbox delivery worker
 * (robot 1:1, group robots, work notices, inbox, gateway) with rate limits and retries, daily
 * digests, invitation nudges, the candidate inbox and chat commands typed to the bot.
 */
import type { Feature } from '../../kernel/feature';
import { botConsumer, messagingJobs } from './jobs';
import { notificationRoutes } from './notifications.routes';
import { BOOKING_EVENTS, onBookingEvent } from './reminders';
import { robotStream } from './robotStream';

/** Queues the low-agreement alerts (run nightly by this feature's job; scoring's tests call it too). */
export { enqueueAgreementAlerts } from './digests';
/** One message to one candidate or employee, in the caller's transaction. */
export { queueCandidateMessage, queueEmployeeMessage } from './direct';
/** HR's invitation messages (invite through DingTalk, resend), queued in HR's transaction. */
export { queueInvitationMessage } from './invitationMessage';
/** Enqueue a message to targets; the hiring team's group of a job (other features' digests). */
export { groupTarget, notify } from './recipients';
export type { NotificationSettings } from './settings';

export const messaging: Feature = {
  name: 'messaging',
  routes: () => [notificationRoutes()],
  // A booking's reminders are scheduled, moved or cancelled in the booking's transaction.
  reactions: Object.fromEntries(BOOKING_EVENTS.map((type) => [type, [onBookingEvent]])),
  consumers: [botConsumer],
  jobs: messagingJobs,
  streamCallbacks: [robotStream],
};
