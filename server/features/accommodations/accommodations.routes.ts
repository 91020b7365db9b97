import {
  type AccommodationRequestResponse,
  accommodationDecisionBody,
  accommodationRequestBody,
  type MyAccommodationRequestsResponse,
} from '../../../shared/api/accommodations';
import { AccommodationRequest } from '../../kernel/db/entities/AccommodationRequest';
import { forbidden } from '../../kernel/errors';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { decideAccommodation, presentRequest, requestAccommodation } from './commands';

const auditContext = (ctx: AppContext) => ({ ip: ctx.ip, requestId: ctx.state.requestId });

/** The candidate's requests (ask, list) and HR's decision on one. */
export function accommodationRoutes() {
  const router = createRouter('/api');

  router.post(
    '/my/accommodation-requests',
    requireAuth,
    validate({ body: accommodationRequestBody }),
    async (
      ctx: AppContext<{
        body: {
          applicationId: number;
          extraTimePercent: number;
          extraRetakes: number;
          audioOnly: boolean;
          note: string;
        };
      }>,
    ) => {
      const em = ctx.deps.orm.em;
      const row = await requestAccommodation({
        em,
        actor: actorOf(ctx),
        body: ctx.input.body,
        now: ctx.deps.now?.() ?? new Date(),
        context: auditContext(ctx),
      });
      ctx.status = 201;
      ctx.body = { request: await presentRequest(em, row) } satisfies AccommodationRequestResponse;
    },
  );

  router.get('/my/accommodation-requests', requireAuth, async (ctx: AppContext) => {
    const actor = actorOf(ctx);
    if (actor.kind !== 'candidate')
      throw forbidden('candidates_only', 'Only candidates ask for accommodations');
    const em = ctx.deps.orm.em;
    const rows = await em.find(AccommodationRequest, { candidateId: actor.id }, { orderBy: { id: 'desc' } });
    ctx.body = {
      requests: await Promise.all(rows.map((r) => presentRequest(em, r))),
    } satisfies MyAccommodationRequestsResponse;
  });

  router.post(
    '/accommodation-requests/:id/decision',
    requireAuth,
    validate({ params: idParams, body: accommodationDecisionBody }),
    async (
      ctx: AppContext<{ params: { id: number }; body: { decision: 'grant' | 'decline'; note: string } }>,
    ) => {
      const em = ctx.deps.orm.em;
      const row = await decideAccommodation({
        em,
        config: ctx.deps.config,
        actor: actorOf(ctx),
        id: ctx.input.params.id,
        ...ctx.input.body,
        now: ctx.deps.now?.() ?? new Date(),
        context: auditContext(ctx),
      });
      ctx.body = { request: await presentRequest(em, row) } satisfies AccommodationRequestResponse;
    },
  );

  return router;
}
