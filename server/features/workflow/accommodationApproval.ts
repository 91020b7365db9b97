/**
 * HR sends a candidate's accommodation request to a DingTalk approval (便利安排审批) instead of
 * deciding it in the app: the job's approvers decide in DingTalk, and the outcome grants or
 * declines the request (`approvalKinds.ts`, `decideAccommodationByApproval`). The request stays
 * pending, and HR can still decide it in the app meanwhile; the first decision wins.
 */
import type { ApprovalResponse } from '../../../shared/api/workflow';
import { audit } from '../../kernel/audit';
import { AccommodationRequest } from '../../kernel/db/entities/AccommodationRequest';
import { conflict, notFound } from '../../kernel/errors';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { assertCan } from '../../kernel/policies';
import { requestApproval } from './approvals';
import { presentApproval } from './present';

/** `POST /api/accommodation-requests/:id/approval`: start the 便利安排 approval of a pending request. */
export function accommodationApprovalRoutes() {
  const router = createRouter('/api');
  router.post(
    '/accommodation-requests/:id/approval',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const actor = actorOf(ctx);
      assertCan(actor, 'accommodation.decide', undefined);
      if (actor.kind !== 'employee') throw notFound('Accommodation request');
      const approval = await ctx.deps.orm.em.fork().transactional(async (em) => {
        const req = await em.findOne(AccommodationRequest, { id: ctx.input.params.id });
        if (!req) throw notFound('Accommodation request');
        if (req.status !== 'pending') throw conflict('already_decided', 'This request was already decided');
        const row = await requestApproval(em, {
          applicationId: req.application.id,
          kind: 'accommodation',
          requestedBy: { id: actor.id, dingtalkUserId: actor.user.dingtalkUserId },
          accommodation: {
            extraTimePercent: req.extraTimePercent,
            extraRetakes: req.extraRetakes,
            audioOnly: req.audioOnly,
            note: req.note,
          },
        });
        audit(
          em,
          actor,
          'accommodation.sent_to_approval',
          { type: 'accommodation_request', id: req.id },
          { applicationId: req.application.id, approvalId: row.id },
          { ip: ctx.ip, requestId: ctx.state.requestId },
        );
        await em.flush();
        return row;
      });
      ctx.status = 201;
      ctx.body = { approval: presentApproval(approval) } satisfies ApprovalResponse;
    },
  );
  return router;
}
