import { Department } from '../../db/entities/Department';
import type { AppContext } from '../../http';
import { actorOf, requireAuth } from '../../middleware/auth';
import { presentMe } from '../../presenters/me';
import { createRouter } from '../router';

/** `GET /api/me`: the signed-in principal. */
export function meRoutes() {
  const router = createRouter('/api');
  router.get('/me', requireAuth, async (ctx: AppContext) => {
    const actor = actorOf(ctx);
    let dept: string | null = null;
    if (actor.kind === 'employee' && actor.departmentId) {
      dept = (await ctx.deps.orm.em.findOne(Department, { id: actor.departmentId }))?.name ?? null;
    }
    ctx.body = { me: presentMe(actor, dept) };
  });
  return router;
}
