import {
  type CloseQueueItemResponse,
  closeQueueItemBody,
  type QueueKind,
  type QueueResponse,
  queueQuery,
} from '../../../shared/api/queue';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { assertCan } from '../../kernel/policies';
import { closeQueueItem } from './commands';
import { countsOf, openItems } from './items';

/** HR's work queue: the list (paginated, with counts) and closing an item with a note. */
export function queueRoutes() {
  const router = createRouter('/api/queue');

  router.get(
    '/',
    requireAuth,
    validate({ query: queueQuery }),
    async (ctx: AppContext<{ query: { kind?: QueueKind; limit: number; offset: number } }>) => {
      assertCan(actorOf(ctx), 'queue.manage', undefined);
      const now = ctx.deps.now?.() ?? new Date();
      const all = await openItems(ctx.deps.orm.em, now);
      const { counts, overdue, dueSoon } = countsOf(all, now);
      const { kind, limit, offset } = ctx.input.query;
      const shown = kind ? all.filter((i) => i.kind === kind) : all;
      ctx.body = {
        total: shown.length,
        counts,
        overdue,
        dueSoon,
        items: shown.slice(offset, offset + limit).map(({ ownerIds: _, ...item }) => item),
      } satisfies QueueResponse;
    },
  );

  router.post(
    '/close',
    requireAuth,
    validate({ body: closeQueueItemBody }),
    async (ctx: AppContext<{ body: { key: string; note: string } }>) => {
      const now = ctx.deps.now?.() ?? new Date();
      const out = await closeQueueItem({
        em: ctx.deps.orm.em,
        config: ctx.deps.config,
        actor: actorOf(ctx),
        ...ctx.input.body,
        now,
        context: { ip: ctx.ip, requestId: ctx.state.requestId },
      });
      ctx.body = {
        key: ctx.input.body.key,
        closedAt: now.toISOString(),
        ...out,
      } satisfies CloseQueueItemResponse;
    },
  );

  return router;
}
