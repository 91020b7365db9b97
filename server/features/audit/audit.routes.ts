import type { FilterQuery } from '@mikro-orm/core';
import { z } from 'zod';
import { AuditLog, type IAuditLog } from '../../kernel/db/entities/AuditLog';
import { requireAuth, requireRole } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';

/** Query of `GET /api/audit`. */
export const auditQuery = z.strictObject({
  objectType: z.string().max(50).optional(),
  objectId: z.string().max(64).optional(),
  action: z.string().max(100).optional(),
  actorKind: z.enum(['employee', 'candidate', 'system']).optional(),
  actorId: z.coerce.number().int().positive().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
type AuditQuery = z.infer<typeof auditQuery>;

/** Shapes an audit row for the API. */
export function presentAudit(row: IAuditLog) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: { kind: row.actorKind, id: row.actorId },
    action: row.action,
    object: { type: row.objectType, id: row.objectId },
    details: row.details,
    requestId: row.requestId,
  };
}

/** HR and admins read the audit log (who viewed, rated, exported or decided what, and when). */
export function auditRoutes() {
  const router = createRouter('/api/audit');
  router.get(
    '/',
    requireAuth,
    requireRole('hr', 'admin'),
    validate({ query: auditQuery }),
    async (ctx: AppContext<{ query: AuditQuery }>) => {
      const q = ctx.input.query;
      const where: FilterQuery<IAuditLog> = {};
      const w = where as Record<string, unknown>;
      if (q.objectType) w.objectType = q.objectType;
      if (q.objectId) w.objectId = q.objectId;
      if (q.action) w.action = q.action;
      if (q.actorKind) w.actorKind = q.actorKind;
      if (q.actorId) w.actorId = q.actorId;
      // Keyset pagination by id (newest first): stable while new rows keep arriving.
      if (q.before) w.id = { $lt: q.before };
      const rows = await ctx.deps.orm.em.find(AuditLog, where, { orderBy: { id: 'desc' }, limit: q.limit });
      ctx.body = {
        items: rows.map(presentAudit),
        nextBefore: rows.length === q.limit ? rows[rows.length - 1].id : null,
      };
    },
  );
  return router;
}
