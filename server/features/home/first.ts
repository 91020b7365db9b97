/**
 * `GET /api/home/first`: a returning candidate's first screen in one request (issue 18: the
 * candidate home's LCP under 1.5 s on a slow phone). The page's inline script sent five reads
 * for it (`/api/me`, the interview overview, bookings, feedback, the timeline): over HTTP/1.1's
 * six connections per host they queued with the app's scripts, and each paid for its own
 * authentication, user load and request log. Here the session is checked once and the reads run
 * concurrently; each part is what its own route answers, success or error, so the mini-app's
 * hooks, handed the parts under their own paths (`miniapp/src/earlyReads.ts`), see no difference.
 */
import type { HomeFirstAnswer, HomeFirstResponse } from '../../../shared/api/home';
import type { Em } from '../../kernel/db/orm';
import { forbidden } from '../../kernel/errors';
import { actorOf } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { answerError } from '../../kernel/http/errors';
import { meResponse } from '../auth';
import { myBookings } from '../booking';
import { overviewResponse } from '../interview';
import { candidateFeedback } from '../scoring';
import { candidateTimeline } from './timeline';

/**
 * One part: `read`'s body with 200, or the status and error body its own route would have
 * answered (logged as that route would have logged it). Each part reads through a fork of the
 * request's EntityManager: an identity map of its own, as its separate request had, so one part's
 * partly loaded entities never stand in for another's.
 */
async function part(ctx: AppContext, read: (em: Em) => Promise<unknown>): Promise<HomeFirstAnswer> {
  try {
    return { status: 200, body: await read(ctx.deps.orm.em.fork()) };
  } catch (err) {
    const error = answerError(ctx, err);
    return { status: error.status, body: error.toBody() };
  }
}

/**
 * The signed-in candidate's first screen (see the module's comment), the overview in `locale`.
 * Employees are refused (403): their first screen reads other routes.
 */
export async function homeFirst(ctx: AppContext, locale?: string): Promise<HomeFirstResponse> {
  const actor = actorOf(ctx);
  if (actor.kind !== 'candidate') throw forbidden('forbidden', 'The first-screen read is for candidates');
  const now = ctx.deps.now?.() ?? new Date();
  const [me, interview, bookings, feedback, timeline] = await Promise.all([
    part(ctx, (em) => meResponse(em, actor)),
    part(ctx, (em) => overviewResponse(ctx, em, locale)),
    part(ctx, (em) => myBookings(em, actor, now)),
    part(ctx, (em) => candidateFeedback(em, actor)),
    part(ctx, (em) => candidateTimeline(em, actor, { now })),
  ]);
  return { parts: { me, interview, bookings, feedback, timeline } };
}
