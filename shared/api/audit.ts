/**
 * The audit log as HR and admins read it (issue 14 item 7): filters, keyset pages and the CSV
 * export of `GET /api/audit` and `GET /api/audit/export.csv`.
 */
import { z } from 'zod';

/** A day (`2026-12-04`, Asia/Shanghai) or an instant (ISO 8601 with offset). */
const dayOrInstant = z
  .string()
  .trim()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/,
    'a date (YYYY-MM-DD) or an ISO instant',
  )
  .refine((s) => !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00+08:00` : s)), 'not a real date');

/** Filters shared by the list and the export. */
export const auditFilters = z.strictObject({
  /** The person who acted (an employee's id). */
  actorId: z.coerce.number().int().positive().optional(),
  actorKind: z.enum(['employee', 'candidate', 'system']).optional(),
  objectType: z.string().trim().max(50).optional(),
  objectId: z.string().trim().max(64).optional(),
  /** An exact action (`role.granted`), or a prefix ending in a dot (`role.`). */
  action: z.string().trim().max(100).optional(),
  /** From this day (inclusive, Asia/Shanghai) or instant. */
  from: dayOrInstant.optional(),
  /** Up to this day (inclusive, Asia/Shanghai) or instant (exclusive). */
  to: dayOrInstant.optional(),
});

/** Query of `GET /api/audit`. */
export const auditQuery = auditFilters.extend({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** One audit entry. */
export interface AuditItem {
  id: number;
  at: string;
  actor: { kind: 'employee' | 'candidate' | 'system'; id: number | null; name: string | null };
  action: string;
  object: { type: string; id: string | null };
  details: Record<string, unknown> | null;
  requestId: string | null;
}

/** Response of `GET /api/audit`. */
export interface AuditPage {
  items: AuditItem[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: number | null;
}

/** Response of `GET /api/audit/facets`: the values the filters can take. */
export interface AuditFacets {
  actions: string[];
  objectTypes: string[];
  actors: Array<{ id: number; name: string }>;
}

/** Most rows one export returns (narrow the filters for more). */
export const AUDIT_EXPORT_MAX_ROWS = 10_000;
