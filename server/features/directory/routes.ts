/**
 * `/api/org/*`: the organisation mirrored from DingTalk, "sync now", and the roles admins grant.
 * Reading is for HR and admins (`org.read`), every write for admins (`org.manage`).
 */
import { z } from 'zod';
import {
  type DepartmentsResponse,
  grantRoleBody,
  type MembersResponse,
  membersQuery,
  type OrgStatusResponse,
  type RoleChangeResponse,
  type SyncResult,
} from '../../../shared/api/organisation';
import { EMPLOYEE_ROLES } from '../../../shared/roles';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Department } from '../../kernel/db/entities/Department';
import { User } from '../../kernel/db/entities/User';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { assertCan, type PolicyAction } from '../../kernel/policies';
import { grantRole, type OrgCommandDeps, revokeRole, syncOrganisation } from './commands';
import { presentDepartment, presentMember } from './present';

const roleParams = z.strictObject({ id: z.coerce.number().int().positive(), role: z.enum(EMPLOYEE_ROLES) });

/** Route guard asking the policies table (no object: these are organisation-wide actions). */
function allow(action: Extract<PolicyAction, 'org.read' | 'org.manage'>) {
  return async (ctx: AppContext, next: () => Promise<unknown>) => {
    assertCan(actorOf(ctx), action, undefined);
    await next();
  };
}

function commandDeps(ctx: AppContext): OrgCommandDeps {
  return {
    em: ctx.deps.orm.em,
    dingtalk: ctx.deps.dingtalk,
    corpId: ctx.deps.config.dingtalk.corpId,
    now: ctx.deps.now?.() ?? new Date(),
    context: { ip: ctx.ip, requestId: ctx.state.requestId },
  };
}

/** The organisation routes. */
export function organisationRoutes() {
  const router = createRouter('/api/org');

  router.get('/status', requireAuth, allow('org.read'), async (ctx: AppContext) => {
    const em = ctx.deps.orm.em;
    const last = await em.findOne(AuditLog, { action: 'organisation.synced' }, { orderBy: { id: 'desc' } });
    const byName =
      last?.actorKind === 'employee' && last.actorId
        ? ((await em.findOne(User, { id: last.actorId }))?.name ?? null)
        : null;
    const active = await em.find(User, { active: true }, { orderBy: { id: 'asc' } });
    ctx.body = {
      lastSync: last
        ? {
            ...(last.details as unknown as Omit<SyncResult, 'at'>),
            at: last.at.toISOString(),
            byName,
          }
        : null,
      departments: await em.count(Department, { removedAt: null }),
      members: active.length,
      withoutRole: active.filter((u) => u.roles.length === 0).length,
      admins: active.filter((u) => u.roles.includes('admin')).map((u) => ({ id: u.id, name: u.name })),
    } satisfies OrgStatusResponse;
  });

  router.get(
    '/members',
    requireAuth,
    allow('org.read'),
    validate({ query: membersQuery }),
    async (ctx: AppContext<{ query: z.infer<typeof membersQuery> }>) => {
      const q = ctx.input.query;
      const where: Record<string, unknown> = {};
      if (q.includeInactive !== 'true') where.active = true;
      if (q.departmentId) where.department = q.departmentId;
      if (q.q) where.$or = [{ name: { $like: `%${q.q}%` } }, { dingtalkUserId: { $like: `%${q.q}%` } }];
      // Roles are a JSON list: filtered here (an organisation is thousands of people, not millions).
      const all = (
        await ctx.deps.orm.em.find(User, where, {
          populate: ['department', 'managedDepartment'],
          orderBy: { name: 'asc', id: 'asc' },
        })
      ).filter((u) => (!q.role ? true : q.role === 'none' ? u.roles.length === 0 : u.roles.includes(q.role)));
      ctx.body = {
        total: all.length,
        items: all.slice(q.offset, q.offset + q.limit).map(presentMember),
      } satisfies MembersResponse;
    },
  );

  router.get('/departments', requireAuth, allow('org.read'), async (ctx: AppContext) => {
    const em = ctx.deps.orm.em;
    const depts = await em.find(Department, {}, { orderBy: { dingtalkId: 'asc' } });
    const users = await em.find(User, { active: true }, { fields: ['department'] });
    const counts = new Map<number, number>();
    for (const u of users)
      if (u.department) counts.set(u.department.id, (counts.get(u.department.id) ?? 0) + 1);
    ctx.body = {
      items: depts.map((d) => presentDepartment(d, counts.get(d.id) ?? 0)),
    } satisfies DepartmentsResponse;
  });

  router.post('/sync', requireAuth, allow('org.manage'), async (ctx: AppContext) => {
    ctx.body = (await syncOrganisation(commandDeps(ctx), actorOf(ctx))) satisfies SyncResult;
  });

  router.post(
    '/members/:id/roles',
    requireAuth,
    allow('org.manage'),
    validate({ params: idParams, body: grantRoleBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof grantRoleBody> }>) => {
      const { member, changed } = await grantRole(commandDeps(ctx), actorOf(ctx), {
        id: ctx.input.params.id,
        ...ctx.input.body,
      });
      ctx.body = { member: presentMember(member), changed } satisfies RoleChangeResponse;
    },
  );

  router.delete(
    '/members/:id/roles/:role',
    requireAuth,
    allow('org.manage'),
    validate({ params: roleParams }),
    async (ctx: AppContext<{ params: z.infer<typeof roleParams> }>) => {
      const { member, changed } = await revokeRole(commandDeps(ctx), actorOf(ctx), ctx.input.params);
      ctx.body = { member: presentMember(member), changed } satisfies RoleChangeResponse;
    },
  );

  return router;
}
