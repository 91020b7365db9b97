import { actorOf, requireAuth, requireRole } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { createInvitation } from './createInvitation';
import { type CreateInvitationBody, createInvitationBody } from './invitations.schema';

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
