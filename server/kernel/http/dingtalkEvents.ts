import { AppError } from '../errors';
import { CallbackCryptoError, openCallback, sealReply } from '../integrations/dingtalk/callbackCrypto';
import type { AppContext } from './context';
import { sendError } from './errors';
import { createRouter } from './router';

/** Callback timestamps older or newer than this are refused (replay protection). */
export const CALLBACK_WINDOW_MS = 5 * 60_000;
/** DingTalk wants the reply within ~1500 ms; we answer by this budget whatever happens. */
export const CALLBACK_BUDGET_MS = 1_100;

/**
 * DingTalk's HTTP event callback (reference §5a): verify signature and timestamp window,
 * decrypt, check the owner key, answer `check_url`, hand events to the process's inbound dispatcher (the same as Stream
 * mode's), and reply the encrypted "success" only once the event is committed. If committing takes
 * longer than the budget the reply is a quick 503, so DingTalk redelivers (a duplicate by then).
 */
export function dingtalkEventRoutes() {
  const router = createRouter('/api/dingtalk');
  router.post('/events', async (ctx: AppContext<unknown>) => {
    const started = Date.now();
    const { config, inbound } = ctx.deps;
    const secrets = config.dingtalk.callback;
    const body = (ctx.request as { body?: unknown }).body as { encrypt?: unknown } | undefined;
    const encrypt = typeof body?.encrypt === 'string' ? body.encrypt : '';
    let event: Record<string, unknown>;
    try {
      if (!encrypt) throw new CallbackCryptoError('bad_payload', 'missing encrypt');
      event = openCallback(secrets, ctx.query as Record<string, string>, encrypt, {
        now: started,
        windowMs: CALLBACK_WINDOW_MS,
      });
    } catch (err) {
      if (!(err instanceof CallbackCryptoError)) throw err;
      ctx.state.log.warn({ reason: err.reason }, 'DingTalk callback refused');
      sendError(ctx, new AppError(`callback_${err.reason}`, err.message));
      return;
    }
    const eventType = String(event.EventType ?? '');
    if (eventType !== 'check_url') {
      const work = inbound.handle({
        eventType,
        eventId: typeof event.eventId === 'string' ? event.eventId : null,
        data: event,
        source: 'http',
      });
      const budget = new Promise<'timeout'>((r) =>
        setTimeout(() => r('timeout'), CALLBACK_BUDGET_MS).unref(),
      );
      let outcome: string;
      try {
        outcome = await Promise.race([work, budget]);
      } catch (err) {
        ctx.state.log.error(
          { eventType, err: (err as Error).message },
          'DingTalk event failed; it will be redelivered',
        );
        // Answered here rather than thrown: the failure is logged above, once.
        sendError(ctx, new AppError('event_failed', 'Event not processed; retry'));
        return;
      }
      if (outcome === 'timeout') {
        work.catch(() => {}); // still running; its result is seen at the redelivery
        sendError(ctx, new AppError('event_busy', 'Event still being processed; retry'));
        return;
      }
    }
    ctx.body = sealReply(secrets, 'success', Date.now());
  });
  return router;
}
