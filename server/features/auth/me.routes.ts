import type { MeResponse } from '../../../shared/api/auth';
import type { Actor } from '../../kernel/actor';
import { Department } from '../../kernel/db/entities/Department';
import type { Em } from '../../kernel/db/orm';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { presentMe } from './present';

/**
 * The body of `GET /api/me` for an authenticated `actor`. Also one part of a candidate's
 * first-screen read (`GET /api/home/first`), which must answer exactly what this route does.
 */
export async function meResponse(em: Em, actor: Actor): Promise<MeResponse> {
  let dept: string | null = null;
  if (actor.kind === 'employee' && actor.departmentId) {
    dept = (await em.findOne(Department, { id: actor.departmentId }))?.name ?? null;
  }
  return { me: presentMe(actor, dept) };
}

/** `GET /api/me`: the signed-in principal. */
export function meRoutes() {
  const router = createRouter('/api');
  router.get('/me', requireAuth, async (ctx: AppContext) => {
    ctx.body = await meResponse(ctx.deps.orm.em, actorOf(ctx));
  });
  return router;
}
