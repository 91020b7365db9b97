import type { z } from 'zod';
import type {
  DeletionRequestResponse,
  DeletionRequestsResponse,
  MyDeletionRequestResponse,
} from '../../../shared/api/privacy';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { DeletionRequest } from '../../kernel/db/entities/DeletionRequest';
import { forbidden, notFound } from '../../kernel/errors';
import { actorOf, requireAuth, requireRole } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { presentDeletionRequest, requestDeletion } from './erasure';
import { deletionBody, hrDeletionBody } from './privacy.schema';

/** Files (or returns the open) request for `candidateId`: 202 when new, 200 when it existed. */
async function file(ctx: AppContext, candidateId: number, reason: string | null): Promise<void> {
  const { request, created } = await requestDeletion(ctx.deps.orm.em, {
    candidateId,
    actor: actorOf(ctx),
    reason,
    now: ctx.deps.now?.() ?? new Date(),
    context: { ip: ctx.ip, requestId: ctx.state.requestId },
  });
  ctx.status = created ? 202 : 200;
  ctx.body = { request: presentDeletionRequest(request) } satisfies DeletionRequestResponse;
}

/**
 * Deletion requests (TRUST.md "Retention and deletion"): a candidate erases their own data; HR
 * files a request for a candidate who asked elsewhere and lists requests with their due dates.
 * The erasure itself runs in the `privacy-deletion` consumer (server/features/privacy/erasure.ts).
 */
export function privacyRoutes() {
  const router = createRouter('/api');

  router.get('/me/deletion-request', requireAuth, async (ctx: AppContext) => {
    const actor = actorOf(ctx);
    if (actor.kind !== 'candidate') throw forbidden('candidates_only', 'Only candidates have this request');
    const row = await ctx.deps.orm.em.findOne(
      DeletionRequest,
      { candidate: actor.id },
      { orderBy: { id: 'desc' } },
    );
    ctx.body = { request: row ? presentDeletionRequest(row) : null } satisfies MyDeletionRequestResponse;
  });

  router.post(
    '/me/deletion-request',
    requireAuth,
    validate({ body: deletionBody }),
    async (ctx: AppContext<{ body: z.infer<typeof deletionBody> }>) => {
      const actor = actorOf(ctx);
      if (actor.kind !== 'candidate')
        throw forbidden('candidates_only', 'Employees file deletion requests on the candidate’s page');
      await file(ctx, actor.id, ctx.input.body.reason ?? null);
    },
  );

  router.post(
    '/candidates/:id/deletion-request',
    requireAuth,
    requireRole('hr', 'admin'),
    validate({ params: idParams, body: hrDeletionBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof hrDeletionBody> }>) => {
      const em = ctx.deps.orm.em;
      if (!(await em.findOne(Candidate, { id: ctx.input.params.id }, { fields: ['id'] })))
        throw notFound('Candidate');
      await file(ctx, ctx.input.params.id, ctx.input.body.reason);
    },
  );

  router.get(
    '/privacy/deletion-requests',
    requireAuth,
    requireRole('hr', 'admin'),
    async (ctx: AppContext) => {
      const rows = await ctx.deps.orm.em.find(
        DeletionRequest,
        {},
        { orderBy: { status: 'desc', dueBy: 'asc' }, limit: 200 },
      );
      ctx.body = {
        items: rows.map((r) => ({
          ...presentDeletionRequest(r),
          candidateId: r.candidate.id,
          requestedBy: r.requestedBy,
        })),
      } satisfies DeletionRequestsResponse;
    },
  );

  return router;
}
