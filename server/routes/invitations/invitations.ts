import { createInvitation } from '../../commands/createInvitation';
import type { AppContext } from '../../http';
import { actorOf, requireAuth, requireRole } from '../../middleware/auth';
import { validate } from '../../middleware/validate';
import { createRouter } from '../router';
import { type CreateInvitationBody, createInvitationBody } from './schema';

/** HR invites candidates; the response carries the signed link to send them. */
export function invitationRoutes() {
  const router = createRouter('/api/invitations');
  router.post(
    '/',
    requireAuth,
    requireRole('hr', 'admin'),
    validate({ body: createInvitationBody }),
    async (ctx: AppContext<{ body: CreateInvitationBody }>) => {
      ctx.status = 201;
      ctx.body = {
        invitation: await createInvitation({
          em: ctx.deps.orm.em,
          config: ctx.deps.config,
          actor: actorOf(ctx),
          ...ctx.input.body,
          now: ctx.deps.now?.() ?? new Date(),
          context: { ip: ctx.ip, requestId: ctx.state.requestId },
        }),
      };
    },
  );
  return router;
}
