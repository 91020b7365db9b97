import {
  type DemographicsBody,
  type DemographicsResponse,
  demographicsBody,
} from '../../../shared/api/demographics';
import { audit } from '../../kernel/audit';
import { DemographicSelfId } from '../../kernel/db/entities/DemographicSelfId';
import { forbidden } from '../../kernel/errors';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';

function candidateId(ctx: AppContext): number {
  const actor = actorOf(ctx);
  if (actor.kind !== 'candidate')
    throw forbidden('candidates_only', 'Only candidates describe themselves here');
  return actor.id;
}

/**
 * A candidate's own optional self-identification for bias audits: read, set, delete. No other
 * principal can read it through any route; the audit uses it only in aggregate.
 */
export function demographicsRoutes() {
  const router = createRouter('/api/me/demographics');

  router.get('/', requireAuth, async (ctx: AppContext) => {
    const row = await ctx.deps.orm.em.findOne(DemographicSelfId, { candidate: candidateId(ctx) });
    ctx.body = { demographics: row?.categories ?? {} } satisfies DemographicsResponse;
  });

  router.put(
    '/',
    requireAuth,
    validate({ body: demographicsBody }),
    async (ctx: AppContext<{ body: DemographicsBody }>) => {
      const id = candidateId(ctx);
      const categories: Record<string, string> = {};
      for (const [k, v] of Object.entries(ctx.input.body)) if (typeof v === 'string') categories[k] = v;
      const em = ctx.deps.orm.em;
      const row = await em.findOne(DemographicSelfId, { candidate: id });
      if (row) row.categories = categories;
      else em.create(DemographicSelfId, { candidate: id, categories });
      // The audit entry records that the candidate answered, never what.
      audit(em, actorOf(ctx), 'demographics.updated', { type: 'candidate', id }, null, {
        ip: ctx.ip,
        requestId: ctx.state.requestId,
      });
      await em.flush();
      ctx.body = { demographics: categories } satisfies DemographicsResponse;
    },
  );

  router.delete('/', requireAuth, async (ctx: AppContext) => {
    const id = candidateId(ctx);
    const em = ctx.deps.orm.em;
    await em.nativeDelete(DemographicSelfId, { candidate: id });
    audit(em, actorOf(ctx), 'demographics.deleted', { type: 'candidate', id }, null, {
      ip: ctx.ip,
      requestId: ctx.state.requestId,
    });
    await em.flush();
    ctx.status = 204;
  });

  return router;
}
