export { backoffMs, type ConsumeOptions, consumeEvents, PermanentError } from './consume';
export { EVENT_CHANNEL, emit } from './emit';
export type { DomainEvent } from './types';
