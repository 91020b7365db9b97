import type { Next } from 'koa';
import type { EmployeeRole } from '../../../shared/roles';
import { Candidate } from '../db/entities/Candidate';
import { User } from '../db/entities/User';
import { unauthorized } from '../errors';
import { assertCan } from '../policies';
import type { Actor, AppContext } from './context';
import { verifySessionToken } from './tokens';

/**
 * Requires a valid session token (`Authorization: Bearer ...`) and loads the principal from
 * the database on every request, so a deactivated employee or changed role takes effect at
 * once instead of when the token expires. A token issued before the person's sessions were
 * ended (erasure, deactivation, leaving the organisation: a bumped `sessionGeneration`) is
 * refused on its next request.
 */
export async function requireAuth(ctx: AppContext, next: Next): Promise<void> {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) throw unauthorized('unauthenticated', 'Sign-in required');
  const now = ctx.deps.now?.() ?? new Date();
  const claims = await verifySessionToken(ctx.deps.config.session.secret, match[1].trim(), now);
  const em = ctx.deps.orm.em;
  let actor: Actor;
  if (claims.kind === 'employee') {
    const user = await em.findOne(User, { id: claims.id });
    if (!user?.active) throw unauthorized('session_invalid', 'This account is no longer active');
    if ((claims.generation ?? 0) !== user.sessionGeneration)
      throw unauthorized('session_revoked', 'This session has ended; please sign in again');
    actor = {
      kind: 'employee',
      id: user.id,
      user,
      roles: user.roles,
      // A manager hires for the department an admin chose, else their own DingTalk department.
      departmentId: user.managedDepartment?.id ?? user.department?.id ?? null,
    };
  } else {
    const candidate = await em.findOne(Candidate, { id: claims.id });
    if (!candidate) throw unauthorized('session_invalid', 'This account no longer exists');
    if ((claims.generation ?? 0) !== candidate.sessionGeneration)
      throw unauthorized('session_revoked', 'This session has ended; please sign in again');
    actor = { kind: 'candidate', id: candidate.id, candidate, invitationJobId: claims.invitationJobId };
  }
  ctx.state.actor = actor;
  ctx.state.log = ctx.state.log.child({ actor: `${actor.kind}:${actor.id}` });
  await next();
}

/** The actor of an authenticated request (throws if the route forgot `requireAuth`). */
export function actorOf(ctx: AppContext): Actor {
  if (!ctx.state.actor) throw unauthorized();
  return ctx.state.actor;
}

/** Route guard: the actor must be an employee holding one of `roles`. */
export function requireRole(...roles: EmployeeRole[]) {
  return async (ctx: AppContext, next: Next) => {
    assertCan(actorOf(ctx), 'role.any', { roles });
    await next();
  };
}
