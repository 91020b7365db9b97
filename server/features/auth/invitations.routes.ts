import {
  type BulkInviteResponse,
  bulkInviteBody,
  type InvitationView,
  type InviteChannel,
  resendInvitationBody,
} from '../../../shared/api/candidates';
import { actorOf, requireAuth, requireRole } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { type CreateInvitationBody, createInvitationBody } from './invitations.schema';
import { bulkInvite, inviteOne, resendInvitation, revokeInvitation } from './manageInvitations';

const depsOf = (ctx: AppContext) => ({
  em: ctx.deps.orm.em,
  config: ctx.deps.config,
  actor: actorOf(ctx),
  now: ctx.deps.now?.() ?? new Date(),
  context: { ip: ctx.ip, requestId: ctx.state.requestId },
});

/**
 * HR invites candidates (one, or a batch), resends and revokes invitations; each response
 * carries the signed link and the text to send (and, with the `dingtalk` channel, the message
 * is queued in the same transaction).
 */
export function invitationRoutes() {
  const router = createRouter('/api/invitations');
  router.post(
    '/',
    requireAuth,
    requireRole('hr', 'admin'),
    validate({ body: createInvitationBody }),
    async (ctx: AppContext<{ body: CreateInvitationBody }>) => {
      ctx.status = 201;
      ctx.body = { invitation: await inviteOne({ ...depsOf(ctx), ...ctx.input.body }) } satisfies {
        invitation: InvitationView;
      };
    },
  );
  router.post(
    '/bulk',
    requireAuth,
    requireRole('hr', 'admin'),
    validate({ body: bulkInviteBody }),
    async (
      ctx: AppContext<{
        body: {
          jobId: number;
          candidateIds?: number[];
          importId?: number;
          channel: InviteChannel;
          expiresInDays?: number;
        };
      }>,
    ) => {
      ctx.status = 201;
      ctx.body = (await bulkInvite({ ...depsOf(ctx), ...ctx.input.body })) satisfies BulkInviteResponse;
    },
  );
  router.post(
    '/:id/resend',
    requireAuth,
    requireRole('hr', 'admin'),
    validate({ params: idParams, body: resendInvitationBody }),
    async (ctx: AppContext<{ params: { id: number }; body: { channel: InviteChannel } }>) => {
      ctx.body = {
        invitation: await resendInvitation({ ...depsOf(ctx), id: ctx.input.params.id, ...ctx.input.body }),
      } satisfies { invitation: InvitationView };
    },
  );
  router.post(
    '/:id/revoke',
    requireAuth,
    requireRole('hr', 'admin'),
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      ctx.body = {
        invitation: await revokeInvitation({ ...depsOf(ctx), id: ctx.input.params.id }),
      } satisfies {
        invitation: InvitationView;
      };
    },
  );
  return router;
}
