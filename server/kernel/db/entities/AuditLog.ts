import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** Who did something: an employee, a candidate, or the system itself (jobs, event handlers). */
export const ACTOR_KINDS = ['employee', 'candidate', 'system'] as const;

/**
 * Append-only record of who viewed, rated, exported or decided what, and when (TRUST.md).
 * Actors are stored as kind + id rather than foreign keys so the log survives deletions.
 */
export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  indexes: [{ properties: ['objectType', 'objectId'] }, { properties: ['at'] }],
  properties: {
    id: p.integer().primary(),
    actorKind: p.enum(ACTOR_KINDS),
    actorId: p.integer().nullable(),
    action: p.string().length(100),
    objectType: p.string().length(50),
    objectId: p.string().length(64).nullable(),
    details: p.json<Record<string, unknown>>().nullable(),
    ip: p.string().length(64).nullable(),
    requestId: p.string().length(64).nullable(),
    at: p.datetime().onCreate(() => new Date()),
  },
});
/** Audit log row. */
export type IAuditLog = InferEntity<typeof AuditLog>;
