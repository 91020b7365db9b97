import type { Config } from '../../kernel/config';

/** The notification settings the event handlers read (a slice of {@link Config}). */
export type NotificationSettings = Config['notifications'];

/**
 * In-transaction handlers are called by `emit` with only `(em, event)`, so the timings they
 * need live here. Each process sets them from its configuration at start-up (web role: with
 * the notification routes; worker role: with the worker); until then the documented defaults
 * apply.
 */
let current: NotificationSettings = {
  candidateOffsets: [24 * 60, 60],
  liveOffsets: [10],
  interviewerOffsets: [30],
  urgentUnreadMinutes: 15,
  rebookLinkHours: 7 * 24,
  // Replaced by the session secret at start-up; links signed with this are refused there.
  rebookSecret: 'unconfigured-rebook-secret',
  invitationNudges: [48 * 60, 24 * 60],
  approvalNudges: [24 * 60, 48 * 60],
  highScoreThreshold: 85,
  hiringGroupId: 'cid-demo-hiring-team',
  customRobot: null,
  gateway: null,
  commandsPerMinute: 10,
};

/** Sets this process's notification settings. */
export function configureNotifications(settings: NotificationSettings): void {
  current = settings;
}

/** The settings in effect. */
export function notificationSettings(): NotificationSettings {
  return current;
}
