import type { FilterQuery } from '@mikro-orm/core';
import type { z } from 'zod';
import {
  AUDIT_EXPORT_MAX_ROWS,
  type AuditFacets,
  type AuditItem,
  type AuditPage,
  auditFilters,
  auditQuery,
} from '../../../shared/api/audit';
import { audit } from '../../kernel/audit';
import { AuditLog, type IAuditLog } from '../../kernel/db/entities/AuditLog';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { assertCan } from '../../kernel/policies';
import { toCsv } from './csv';

type Filters = z.infer<typeof auditFilters>;
type AuditQuery = z.infer<typeof auditQuery>;

/** A filter day (`YYYY-MM-DD`) is a day in Asia/Shanghai (the product's default zone). */
function instant(s: string, endOfDay: boolean): Date {
  if (s.length !== 10) return new Date(s);
  const start = new Date(`${s}T00:00:00+08:00`);
  return endOfDay ? new Date(start.getTime() + 24 * 3600 * 1000) : start;
}

function whereOf(f: Filters): FilterQuery<IAuditLog> {
  const w: Record<string, unknown> = {};
  if (f.objectType) w.objectType = f.objectType;
  if (f.objectId) w.objectId = f.objectId;
  if (f.action)
    w.action = f.action.endsWith('.') ? { $like: `${f.action.replace(/[%_\\]/g, '\\$&')}%` } : f.action;
  if (f.actorKind) w.actorKind = f.actorKind;
  if (f.actorId) {
    w.actorId = f.actorId;
    w.actorKind ??= 'employee';
  }
  const at: Record<string, Date> = {};
  if (f.from) at.$gte = instant(f.from, false);
  if (f.to) at.$lt = instant(f.to, true);
  if (Object.keys(at).length) w.at = at;
  return w as FilterQuery<IAuditLog>;
}

/** Names of the employees who acted in `rows` (the log stores ids, not names: it outlives people). */
async function actorNames(em: Em, rows: IAuditLog[]): Promise<Map<number, string>> {
  const ids = [
    ...new Set(rows.filter((r) => r.actorKind === 'employee' && r.actorId).map((r) => r.actorId as number)),
  ];
  const users = ids.length ? await em.find(User, { id: { $in: ids } }, { fields: ['name'] }) : [];
  return new Map(users.map((u) => [u.id, u.name]));
}

/** Shapes an audit row for the API. */
export function presentAudit(row: IAuditLog, names: Map<number, string> = new Map()): AuditItem {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: {
      kind: row.actorKind,
      id: row.actorId ?? null,
      name: row.actorKind === 'employee' && row.actorId ? (names.get(row.actorId) ?? null) : null,
    },
    action: row.action,
    object: { type: row.objectType, id: row.objectId ?? null },
    details: row.details ?? null,
    requestId: row.requestId ?? null,
  };
}

/** HR and admins read the audit log (who viewed, rated, exported or decided what, and when). */
export function auditRoutes() {
  const router = createRouter('/api/audit');
  const allowed = async (ctx: AppContext, next: () => Promise<unknown>) => {
    assertCan(actorOf(ctx), 'audit.read', undefined);
    await next();
  };

  router.get(
    '/',
    requireAuth,
    allowed,
    validate({ query: auditQuery }),
    async (ctx: AppContext<{ query: AuditQuery }>) => {
      const q = ctx.input.query;
      const where = whereOf(q) as Record<string, unknown>;
      // Keyset pagination by id (newest first): stable while new rows keep arriving.
      if (q.before) where.id = { $lt: q.before };
      const em = ctx.deps.orm.em;
      const rows = await em.find(AuditLog, where, { orderBy: { id: 'desc' }, limit: q.limit });
      const names = await actorNames(em, rows);
      ctx.body = {
        items: rows.map((r) => presentAudit(r, names)),
        nextBefore: rows.length === q.limit ? rows[rows.length - 1].id : null,
      } satisfies AuditPage;
    },
  );

  router.get('/facets', requireAuth, allowed, async (ctx: AppContext) => {
    const em = ctx.deps.orm.em;
    const distinct = async (col: 'action' | 'object_type') =>
      (await em.execute<Array<{ v: string }>>(`select distinct ${col} as v from audit_log order by v`)).map(
        (r) => r.v,
      );
    const actorIds = (
      await em.execute<Array<{ v: number }>>(
        `select distinct actor_id as v from audit_log where actor_kind = 'employee' and actor_id is not null`,
      )
    ).map((r) => Number(r.v));
    const actors = actorIds.length
      ? await em.find(User, { id: { $in: actorIds } }, { fields: ['name'], orderBy: { name: 'asc' } })
      : [];
    ctx.body = {
      actions: await distinct('action'),
      objectTypes: await distinct('object_type'),
      actors: actors.map((u) => ({ id: u.id, name: u.name })),
    } satisfies AuditFacets;
  });

  router.get(
    '/export.csv',
    requireAuth,
    allowed,
    validate({ query: auditFilters }),
    async (ctx: AppContext<{ query: Filters }>) => {
      const em = ctx.deps.orm.em;
      const rows = await em.find(AuditLog, whereOf(ctx.input.query), {
        orderBy: { id: 'desc' },
        limit: AUDIT_EXPORT_MAX_ROWS,
      });
      const names = await actorNames(em, rows);
      const csv = toCsv(
        [
          'id',
          'at (UTC)',
          'actor kind',
          'actor id',
          'actor name',
          'action',
          'object type',
          'object id',
          'details',
        ],
        rows.map((r) => {
          const i = presentAudit(r, names);
          return [
            i.id,
            i.at,
            i.actor.kind,
            i.actor.id,
            i.actor.name,
            i.action,
            i.object.type,
            i.object.id,
            i.details,
          ];
        }),
      );
      // Exporting is itself audited (TRUST.md: who exported what, and when).
      audit(
        em,
        actorOf(ctx),
        'audit.exported',
        { type: 'audit_log' },
        { filters: ctx.input.query, rows: rows.length },
        { ip: ctx.ip, requestId: ctx.state.requestId },
      );
      await em.flush();
      ctx.set(
        'content-disposition',
        `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      );
      ctx.set('cache-control', 'no-store');
      ctx.type = 'text/csv; charset=utf-8';
      ctx.body = csv;
    },
  );
  return router;
}
