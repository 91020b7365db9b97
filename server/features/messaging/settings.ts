import type { Config } from '../../kernel/config';

/**
 * The notification settings the messaging code reads: a slice of {@link Config}, passed down
 * from the process's dependencies (`deps.config.notifications`), never held in module state.
 */
export type NotificationSettings = Config['notifications'];
