import type { MeResponse } from '../../../shared/api/auth';
import { Department } from '../../kernel/db/entities/Department';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { presentMe } from './present';

/** `GET /api/me`: the signed-in principal. */
export function meRoutes() {
  const router = createRouter('/api');
  router.get('/me', requireAuth, async (ctx: AppContext) => {
    const actor = actorOf(ctx);
    let dept: string | null = null;
    if (actor.kind === 'employee' && actor.departmentId) {
      dept = (await ctx.deps.orm.em.findOne(Department, { id: actor.departmentId }))?.name ?? null;
    }
    ctx.body = { me: presentMe(actor, dept) } satisfies MeResponse;
  });
  return router;
}
