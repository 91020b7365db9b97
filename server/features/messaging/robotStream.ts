import type { Config } from '../../kernel/config';
import type { Orm } from '../../kernel/db/orm';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import type { StreamConnection } from '../../kernel/integrations/dingtalk/stream';
import type { Logger } from '../../kernel/logger';
import { handleRobotMessage, type RobotInbound } from './chatCommands';

/** Stream topic of robot messages (`TOPIC_ROBOT`, reference §5b). */
export const TOPIC_ROBOT = '/v1.0/im/bot/messages/get';

/**
 * Receives robot messages over Stream mode: the frame is acknowledged at once (robot callbacks
 * are fire-and-forget) and the message is handled like the HTTP callback's, deduped by msgId.
 */
export function registerRobotStream(
  stream: StreamConnection,
  deps: { config: Config; orm: Orm; dingtalk: DingTalk; logger: Logger },
): void {
  stream.onCallback(TOPIC_ROBOT, (frame) => {
    let msg: RobotInbound | null = null;
    try {
      msg = JSON.parse(frame.data) as RobotInbound;
    } catch {
      deps.logger.warn({ messageId: frame.headers.messageId }, 'robot frame with non-JSON data');
    }
    if (msg)
      void handleRobotMessage(
        { config: deps.config, em: deps.orm.em, dingtalk: deps.dingtalk, log: deps.logger },
        msg,
      ).catch((err: unknown) => deps.logger.error({ err: (err as Error).message }, 'robot message failed'));
    return { response: null };
  });
}
