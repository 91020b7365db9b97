import type { EntityManager } from '@mikro-orm/core';
import type { Actor } from '../actor';
import { AuditLog } from '../db/entities/AuditLog';

/** Context of the request (or job) that caused an audited action. */
export interface AuditContext {
  ip?: string | null;
  requestId?: string | null;
}

/**
 * Appends an audit row in the caller's unit of work, so it commits (or rolls back) together
 * with the change it records. `actor: null` means the system did it.
 */
export function audit(
  em: EntityManager,
  actor: Actor | null,
  action: string,
  object: { type: string; id?: string | number | null },
  details: Record<string, unknown> | null = null,
  context: AuditContext = {},
): void {
  em.create(AuditLog, {
    actorKind: actor ? actor.kind : 'system',
    actorId: actor ? actor.id : null,
    action,
    objectType: object.type,
    objectId: object.id === undefined || object.id === null ? null : String(object.id),
    details,
    ip: context.ip ?? null,
    requestId: context.requestId ?? null,
  });
}
