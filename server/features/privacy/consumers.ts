/**
 * Name of the privacy feature's event consumer. A leaf module (no imports) so
 * `events/registry.ts` can name it without an import cycle.
 */
export const PRIVACY_DELETION_CONSUMER = 'privacy-deletion';
