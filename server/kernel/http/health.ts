import { pingDatabase } from '../db/orm';
import type { AppContext } from './context';
import { createRouter } from './router';

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers). */
export function healthRoutes() {
  const router = createRouter();
  router.get('/healthz', (ctx: AppContext) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx: AppContext) => {
    const db = await pingDatabase(ctx.deps.orm);
    ctx.status = db ? 200 : 503;
    ctx.body = { status: db ? 'ready' : 'unavailable', checks: { database: db ? 'ok' : 'failed' } };
  });
  return router;
}
