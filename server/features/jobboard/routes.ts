/**
 * Routes of the public job page: `GET /api/public/jobs/:slug` and
 * `POST /api/public/jobs/:slug/applications` need no sign-in (the page is for people who have
 * no account yet); `GET /api/jobs/:id/share` gives a signed-in person their share link.
 */
import { z } from 'zod';
import {
  type PublicApplyBody,
  type PublicApplyResponse,
  publicApplyBody,
  publicJobQuery,
} from '../../../shared/api/jobboard';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { ipSubject, rateLimit } from '../../kernel/http/rateLimit';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { applyToJob, jobShareLink, publicJob } from './commands';

/**
 * Applications one client address may send in 10 minutes. A person applies once or twice; a
 * script filling the candidate pool with junk is stopped after a handful. Counted before the
 * body is checked, so bad requests spend the budget too.
 */
export const APPLY_LIMIT = { name: 'public_apply', limit: 5, windowMs: 10 * 60_000 };

const slugParams = z.strictObject({ slug: z.string().min(1).max(64) });

/** The public job page's API. */
export function jobBoardRoutes() {
  const router = createRouter('/api');

  router.get(
    '/public/jobs/:slug',
    validate({ params: slugParams, query: publicJobQuery }),
    async (ctx: AppContext<{ params: { slug: string }; query: { lang?: 'zh-CN' | 'en'; r?: string } }>) => {
      ctx.body = await publicJob(ctx.deps.orm.em.fork(), ctx.deps.config, {
        slug: ctx.input.params.slug,
        lang: ctx.input.query.lang ?? 'zh-CN',
        ref: ctx.input.query.r,
      });
    },
  );

  router.post(
    '/public/jobs/:slug/applications',
    rateLimit(APPLY_LIMIT, ipSubject),
    validate({ params: slugParams, body: publicApplyBody }),
    async (ctx: AppContext<{ params: { slug: string }; body: PublicApplyBody }>) => {
      await applyToJob({
        em: ctx.deps.orm.em,
        config: ctx.deps.config,
        slug: ctx.input.params.slug,
        body: ctx.input.body,
        context: { ip: ctx.ip, requestId: ctx.state.requestId },
      });
      // The same answer for a new and a known person (see PublicApplyResponse).
      ctx.status = 201;
      ctx.body = { status: 'received' } satisfies PublicApplyResponse;
    },
  );

  router.get(
    '/jobs/:id/share',
    requireAuth,
    validate({ params: idParams, query: z.strictObject({ lang: z.enum(['zh-CN', 'en']).optional() }) }),
    async (ctx: AppContext<{ params: { id: number }; query: { lang?: 'zh-CN' | 'en' } }>) => {
      ctx.body = await jobShareLink(
        ctx.deps.orm.em.fork(),
        ctx.deps.config,
        actorOf(ctx),
        ctx.input.params.id,
        ctx.input.query.lang ?? 'zh-CN',
      );
    },
  );

  return router;
}
