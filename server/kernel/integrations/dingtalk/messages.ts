import { createHmac } from 'node:crypto';
import { type DingTalkCore, postErrcodeJson } from './client';
import { DingTalkError } from './errors';

/** Old-API message body (`msg` of asyncsend_v2), e.g. `{ msgtype: 'action_card', action_card: {...} }`. */
export type WorkNoticeMsg = Record<string, unknown> & { msgtype: string };

/** Custom-webhook robot body (reference §6c), e.g. `{ msgtype: 'actionCard', actionCard: {...} }`. */
export type WebhookBody = Record<string, unknown> & { msgtype: string };

/** Work notifications allow this many userids per call (the conservative figure, §6a). */
export const WORK_NOTICE_CHUNK = 100;

/** `base64(HMAC_SHA256(secret, timestamp + "\n" + secret))`: the 加签 of §6c and the robot callback of §6d. */
export function dingTalkSign(secret: string, timestamp: string | number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/**
 * Messages that are not the app robot: work notifications (old API `asyncsend_v2`, shown in the
 * 工作通知 conversation) and the custom group webhook robot (signed with its SEC secret, 20/min).
 */
export class DingTalkMessages {
  constructor(private readonly core: DingTalkCore) {}

  /** Sends a work notification to users (chunks of {@link WORK_NOTICE_CHUNK}); returns task ids. */
  async workNotice(userIds: string[], msg: WorkNoticeMsg): Promise<number[]> {
    const tasks: number[] = [];
    for (let i = 0; i < userIds.length; i += WORK_NOTICE_CHUNK) {
      const res = await this.core.oapi<{ task_id: number }>('/topapi/message/corpconversation/asyncsend_v2', {
        agent_id: this.core.settings.agentId,
        userid_list: userIds.slice(i, i + WORK_NOTICE_CHUNK).join(','),
        to_all_user: false,
        msg,
      });
      tasks.push(res.task_id);
    }
    return tasks;
  }

  /**
   * Posts to a custom webhook robot. With a secret the URL gets `timestamp` and `sign`.
   * Errors come back as HTTP 200 bodies: 660026 (over 20/min, throttled 10 minutes) is a
   * throttle; anything else non-zero is permanent for this message.
   */
  async customWebhook(
    url: string,
    secret: string | null,
    body: WebhookBody,
    now = Date.now(),
  ): Promise<void> {
    let target = url;
    if (secret) {
      const sign = encodeURIComponent(dingTalkSign(secret, now));
      target += `${url.includes('?') ? '&' : '?'}timestamp=${now}&sign=${sign}`;
    }
    const json = await postErrcodeJson(target, body, 'webhook robot');
    if (json.errcode === 0) return;
    const code = String(json.errcode);
    const kind = code === '660026' ? 'throttle' : 'other';
    throw new DingTalkError(kind, code, `webhook robot error ${code}: ${json.errmsg ?? ''}`);
  }

  /** Replies in the conversation a robot message came from (its `sessionWebhook`, §6d). */
  async replyBySession(sessionWebhook: string, body: WebhookBody): Promise<void> {
    await this.customWebhook(sessionWebhook, null, body);
  }
}
