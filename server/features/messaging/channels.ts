/**
 * Sends one outbox message row through its channel. Every failure is classified into
 * "retry later" (throttle, 5xx, network, token trouble that survived the refresh-once) or
 * "permanent" (unknown user, bad template, quota), so the worker knows whether to back off
 * or give up. Channels:
 *
 * - `robot_oto`: app robot 1:1 (`batchSendOTO`) to an employee's userid.
 * - `work_notice`: work notification (`asyncsend_v2`) to an employee's userid.
 * - `group`: the hiring team's group: `orgGroupSend`, or the custom webhook robot if configured.
 * - `inbox`: a candidate outside the organisation: the mini-app inbox.
 * - `gateway`: a candidate outside the organisation: the company SMS/e-mail gateway (signed POST).
 */
import { createHmac } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { absoluteUrl } from '../../../bot/messages';
import type { Config } from '../../kernel/config';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import type { Em } from '../../kernel/db/orm';
import { query, sqlDate, write } from '../../kernel/db/tx';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import { DingTalkError } from '../../kernel/integrations/dingtalk/errors';
import type { OutboxRow } from '../../kernel/outbox/claim';
import {
  linkContextOf,
  type MessagePayload,
  messageOf,
  toRobotMessage,
  toWebhookBody,
  toWorkNotice,
} from './render';

/** Message channels (outbox `channel` values other than `event`). */
export const CHANNELS = {
  robotOto: 'robot_oto',
  workNotice: 'work_notice',
  group: 'group',
  inbox: 'inbox',
  gateway: 'gateway',
} as const;

/** A failed send, classified. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** False: retrying cannot help (mark failed now). */
    readonly retryable: boolean,
    /** Minimum wait before the next attempt (e.g. 10 minutes for a throttled webhook robot). */
    readonly retryAfterMs?: number,
    /** Not a failure: held back by our own rate limit; does not count as an attempt. */
    readonly deferred = false,
  ) {
    super(message);
  }
}

/** Result of a successful send. */
export interface SendOutcome {
  /** `sent`, or `skipped` when the message became pointless (e.g. the reminder was read). */
  status: 'sent' | 'skipped';
  /** Provider reference (processQueryKey) to keep for read status. */
  ref?: string;
  note?: string;
}

/** What a channel needs. */
export interface ChannelDeps {
  config: Config;
  dingtalk: DingTalk;
  em: Em;
  now: () => Date;
}

/** Maps a DingTalk failure to retry/permanent. */
export function classify(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof DingTalkError) {
    if (err.kind === 'throttle')
      // The custom webhook robot stays throttled for 10 minutes after 660026 (reference §6c).
      return new DeliveryError(err.message, true, err.code === '660026' ? 10 * 60_000 : 2_000);
    // errcode -1 is the old API's "系统繁忙" (busy): a transient server-side failure.
    if (err.kind === 'unavailable' || err.kind === 'token' || err.code === '-1')
      return new DeliveryError(err.message, true);
    return new DeliveryError(err.message, false);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new DeliveryError(message, !/unknown template/.test(message));
}

/** Sends one row. Throws {@link DeliveryError}. */
export async function sendRow(row: OutboxRow, deps: ChannelDeps): Promise<SendOutcome> {
  const payload = row.payload as MessagePayload;
  const links = linkContextOf(deps.config);
  try {
    if (payload.ifUnreadOf) {
      const skip = await alreadyRead(payload.ifUnreadOf, row.recipientId ?? '', deps);
      if (skip) return { status: 'skipped', note: skip };
    }
    const message = messageOf(payload);
    switch (row.channel) {
      case CHANNELS.robotOto: {
        const userId = row.recipientId ?? '';
        const [res] = await deps.dingtalk.robot.sendOto([userId], toRobotMessage(message, links));
        if (res.invalidUserIds.includes(userId))
          throw new DeliveryError(`DingTalk does not know user ${userId}`, false);
        if (res.flowControlledUserIds.includes(userId))
          throw new DeliveryError(`DingTalk flow-controlled user ${userId}`, true, 60_000);
        return { status: 'sent', ref: res.processQueryKey };
      }
      case CHANNELS.workNotice: {
        const [task] = await deps.dingtalk.messages.workNotice(
          [row.recipientId ?? ''],
          toWorkNotice(message, links),
        );
        return { status: 'sent', ref: String(task) };
      }
      case CHANNELS.group: {
        const custom = deps.config.notifications.customRobot;
        // The custom webhook robot lives in the configured group only; a job's own group
        // (JobRules.hiringGroupConversationId) is reached through the app robot.
        if (custom && row.recipientId === deps.config.notifications.hiringGroupId) {
          await deps.dingtalk.messages.customWebhook(
            custom.url,
            custom.secret,
            toWebhookBody(message, links),
            deps.now().getTime(),
          );
          return { status: 'sent' };
        }
        const ref = await deps.dingtalk.robot.sendGroup(
          row.recipientId ?? '',
          toRobotMessage(message, links),
        );
        return { status: 'sent', ref };
      }
      case CHANNELS.inbox:
        await writeInbox(row, message, deps);
        return { status: 'sent' };
      case CHANNELS.gateway:
        await postGateway(row, message, deps);
        return { status: 'sent' };
      default:
        throw new DeliveryError(`unknown channel "${row.channel}"`, false);
    }
  } catch (err) {
    throw classify(err);
  }
}

/**
 * For an urgent re-send: returns why to skip (the original was read, cancelled or never sent),
 * or null to send. Read status comes from `batchOTOQuery` with the original's processQueryKey.
 */
async function alreadyRead(key: string, userId: string, deps: ChannelDeps): Promise<string | null> {
  const original = await deps.em.fork().findOne(OutboxMessage, { idempotencyKey: key });
  if (!original || original.status === 'cancelled') return 'the original reminder was cancelled';
  const ref = (original.payload as MessagePayload).providerRef;
  // Not delivered (yet, or failed): the urgent notice is the only message they get, so send it.
  if (original.status !== 'sent' || !ref) return null;
  const status = await deps.dingtalk.robot.readStatus(ref);
  const reader = status.readers.find((r) => r.userId === userId);
  return reader?.read ? 'the original reminder was read' : null;
}

async function writeInbox(row: OutboxRow, message: ReturnType<typeof messageOf>, deps: ChannelDeps) {
  // One statement, taking the candidate from its row: no candidate, nothing written.
  let written: number;
  try {
    ({ affectedRows: written } = await write(
      deps.em,
      `insert into inbox_messages (candidate_id, outbox_key, topic, title, body, buttons, created_at)
       select id, ?, ?, ?, ?, ?, ? from candidates where id = ?`,
      [
        row.idempotencyKey,
        row.topic,
        message.title,
        message.text,
        JSON.stringify(message.buttons),
        sqlDate(deps.em, deps.now()),
        Number(row.recipientId),
      ],
    ));
  } catch (err) {
    // Written by an earlier attempt whose "sent" mark was lost: the inbox already has it.
    if (err instanceof UniqueConstraintViolationException) return;
    throw err;
  }
  if (!written) throw new DeliveryError(`no candidate ${row.recipientId}`, false);
}

/** `hex(HMAC_SHA256(secret, timestamp + "." + body))`, the gateway's X-Signature header. */
export function gatewaySignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

async function postGateway(row: OutboxRow, message: ReturnType<typeof messageOf>, deps: ChannelDeps) {
  const gw = deps.config.notifications.gateway;
  if (!gw) throw new DeliveryError('no candidate gateway configured', false);
  const [candidate] = await query<{
    name: string;
    mobile: string | null;
    email: string | null;
    locale: string;
  }>(deps.em, 'select name, mobile, email, locale from candidates where id = ?', [Number(row.recipientId)]);
  if (!candidate) throw new DeliveryError(`no candidate ${row.recipientId}`, false);
  if (!candidate.mobile && !candidate.email)
    throw new DeliveryError('candidate has no mobile or e-mail', false);
  const body = JSON.stringify({
    id: row.idempotencyKey,
    to: { name: candidate.name, mobile: candidate.mobile, email: candidate.email, locale: candidate.locale },
    title: message.title,
    text: message.text,
    links: message.buttons.map((b) => ({ title: b.title, url: absoluteUrl(b.url, deps.config.publicUrl) })),
  });
  const timestamp = String(deps.now().getTime());
  let res: Response;
  try {
    res = await fetch(gw.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        // The gateway dedupes by this key, so a re-sent row never reaches the candidate twice.
        'x-idempotency-key': row.idempotencyKey,
        'x-timestamp': timestamp,
        'x-signature': gatewaySignature(gw.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new DeliveryError(`gateway unreachable: ${(err as Error).message}`, true);
  }
  if (res.status === 429 || res.status >= 500) throw new DeliveryError(`gateway HTTP ${res.status}`, true);
  if (res.status >= 300) throw new DeliveryError(`gateway refused: HTTP ${res.status}`, false);
}
