import type { Next } from 'koa';
import type { EmployeeRole } from '../../../shared/roles';
import type { CandidateSession } from '../actor';
import { User } from '../db/entities/User';
import type { Em } from '../db/orm';
import { query } from '../db/tx';
import { unauthorized } from '../errors';
import { bindLog } from '../logger';
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
    const candidate = await candidateSession(em, claims.id);
    if (!candidate) throw unauthorized('session_invalid', 'This account no longer exists');
    if ((claims.generation ?? 0) !== candidate.sessionGeneration)
      throw unauthorized('session_revoked', 'This session has ended; please sign in again');
    actor = { kind: 'candidate', id: candidate.id, candidate, invitationJobId: claims.invitationJobId };
  }
  ctx.state.actor = actor;
  bindLog(ctx.state, { actor: `${actor.kind}:${actor.id}` });
  await next();
}

/**
 * The candidate's session columns, or null when the row is gone: one plain-SQL read (the raw pool
 * on MySQL) instead of an ORM `findOne`, which on the hottest candidate calls cost more CPU than
 * the rest of the authentication. Still read on every request, so an erasure or any other bump of
 * `session_generation` takes effect on the next one.
 */
export async function candidateSession(em: Em, id: number): Promise<CandidateSession | null> {
  const rows = await query<{ id: number; name: string; locale: string; session_generation: number }>(
    em,
    'select id, name, locale, session_generation from candidates where id = ?',
    [id],
  );
  const r = rows[0];
  return r
    ? { id: Number(r.id), name: r.name, locale: r.locale, sessionGeneration: Number(r.session_generation) }
    : null;
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
