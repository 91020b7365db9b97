import type { StreamCallback } from '../../kernel/feature';
import { categoryLogger } from '../../kernel/logger';
import { handleRobotMessage, type RobotInbound } from './chatCommands';

/** Stream topic of robot messages (`TOPIC_ROBOT`, reference §5b). */
export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';

/**
 * Robot messages over Stream mode (bot role): the frame is acknowledged at once (robot callbacks
 * are fire-and-forget) and the message is handled like the HTTP callback's, deduped by msgId.
 */
export const robotStream: StreamCallback = {
  topic: TOPIC_ROBOT,
  role: 'bot',
  handle(data, deps) {
    const log = categoryLogger(deps.logger, 'bot');
    let msg: RobotInbound | null = null;
    try {
      msg = JSON.parse(data) as RobotInbound;
    } catch {
      log.warn('robot frame with non-JSON data');
    }
    if (msg)
      void handleRobotMessage(
        { config: deps.config, em: deps.orm.em, dingtalk: deps.dingtalk, log, now: deps.now },
        msg,
      ).catch((err: unknown) => log.error({ err: (err as Error).message }, 'robot message failed'));
    return { response: null };
  },
};
