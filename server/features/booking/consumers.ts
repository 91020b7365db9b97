/**
 * Names of the booking feature's asynchronous event consumers. A leaf module (no imports) so
 * `events/registry.ts` can name them without an import cycle through `events/consume.ts`.
 */
export const CALENDAR_CONSUMER = 'calendar';
