import {
  type FailuresResponse,
  type InboxResponse,
  listFailuresQuery,
} from '../../../shared/api/notifications';
import { audit } from '../../kernel/audit';
import { InboxMessage } from '../../kernel/db/entities/InboxMessage';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { badRequest, forbidden, notFound, unauthorized } from '../../kernel/errors';
import { EVENT_CHANNEL } from '../../kernel/events/emit';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { assertCan } from '../../kernel/policies';
import { handleRobotMessage, type RobotInbound, verifyRobotSign } from './chatCommands';
import { presentFailure, presentInbox } from './present';

/** Delivery failures (HR), the candidate inbox, and the robot's HTTP outgoing callback. */
export function notificationRoutes() {
  const router = createRouter('/api');

  router.get(
    '/notifications/failures',
    requireAuth,
    validate({ query: listFailuresQuery }),
    async (ctx: AppContext<{ query: { limit: number; offset: number } }>) => {
      assertCan(actorOf(ctx), 'hr.access', undefined);
      const [rows, total] = await ctx.deps.orm.em.findAndCount(
        OutboxMessage,
        { status: 'failed', channel: { $ne: EVENT_CHANNEL } },
        { orderBy: { id: 'desc' }, limit: ctx.input.query.limit, offset: ctx.input.query.offset },
      );
      ctx.body = { total, items: rows.map(presentFailure) } satisfies FailuresResponse;
    },
  );

  router.post(
    '/notifications/failures/:id/retry',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const actor = actorOf(ctx);
      assertCan(actor, 'hr.access', undefined);
      await ctx.deps.orm.em.transactional(async (em) => {
        const row = await em.findOne(OutboxMessage, {
          id: ctx.input.params.id,
          channel: { $ne: EVENT_CHANNEL },
        });
        if (!row) throw notFound('Message', 'delivery_not_found');
        if (row.status !== 'failed')
          throw badRequest('not_failed', `Message ${row.id} is ${row.status}, not failed`);
        row.status = 'pending';
        row.attempts = 0;
        row.dueAt = ctx.deps.now?.() ?? new Date();
        await audit(
          em,
          actor,
          'delivery.retry',
          { type: 'outbox', id: row.id },
          { topic: row.topic },
          {
            ip: ctx.ip,
            requestId: ctx.state.requestId,
          },
        );
        ctx.body = presentFailure(row);
      });
    },
  );

  router.get('/inbox', requireAuth, async (ctx: AppContext) => {
    const actor = actorOf(ctx);
    if (actor.kind !== 'candidate') throw forbidden('candidates_only', 'The inbox is for candidates');
    const rows = await ctx.deps.orm.em.find(
      InboxMessage,
      { candidate: actor.id },
      { orderBy: { id: 'desc' }, limit: 100 },
    );
    ctx.body = {
      items: rows.map(presentInbox),
      unread: rows.filter((r) => !r.readAt).length,
    } satisfies InboxResponse;
  });

  router.post(
    '/inbox/:id/read',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em;
      const row =
        actor.kind === 'candidate'
          ? await em.findOne(InboxMessage, { id: ctx.input.params.id, candidate: actor.id })
          : null;
      // Someone else's message looks the same as a missing one.
      if (!row) throw notFound('Message', 'inbox_message_not_found');
      row.readAt ??= ctx.deps.now?.() ?? new Date();
      await em.flush();
      ctx.body = presentInbox(row);
    },
  );

  // DingTalk's HTTP outgoing callback for robot messages (reference §6d). Signed with the
  // app secret; acknowledged at once, answered through the sessionWebhook in the background.
  router.post('/dingtalk/robot', async (ctx: AppContext) => {
    const { config: cfg, orm, dingtalk } = ctx.deps;
    const now = ctx.deps.now?.() ?? new Date();
    if (!verifyRobotSign(cfg.dingtalk.appSecret, ctx.get('timestamp'), ctx.get('sign'), now.getTime()))
      throw unauthorized('bad_robot_sign', 'timestamp/sign headers do not verify');
    const body = ctx.request.body as RobotInbound | undefined;
    if (!body || typeof body !== 'object' || typeof body.msgId !== 'string')
      throw badRequest('invalid_robot_message', 'msgId: required');
    const log = ctx.state.log;
    void handleRobotMessage({ config: cfg, em: orm.em, dingtalk, log, now: ctx.deps.now }, body).catch(
      (err) => log.error({ err: (err as Error).message, msgId: body.msgId }, 'robot message failed'),
    );
    ctx.body = {};
  });

  return router;
}
