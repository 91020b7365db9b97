/**
 * Chat commands typed to the robot (reference §6d). Both transports end here: the HTTP outgoing
 * callback route (`POST /api/dingtalk/robot`) and Stream mode (`TOPIC_ROBOT`; register
 * {@link handleRobotMessage} as the callback). The message's `msgId` is inserted into a unique
 * column first: a redelivery, or the same message over both transports, finds the row and is
 * acknowledged without a second answer. Answers go back through the message's sessionWebhook.
 */

import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ANSWERS, helpMessage, localeOfText, parseCommand, textMessage } from '../../../bot/commands';
import { type BotLocale, type BotMessage, escapeMarkdown, formatWhen } from '../../../bot/messages';
import { routes } from '../../../shared/routes';

/** User-controlled text made inert inside the bot's markdown answers. */
const md = (text: unknown) => escapeMarkdown(String(text ?? ''));

import type { Config } from '../../kernel/config';
import { Application } from '../../kernel/db/entities/Application';
import { BotInboundMessage } from '../../kernel/db/entities/BotInboundMessage';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { type IUser, User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import type { Actor } from '../../kernel/http/context';
import type { DingTalk } from '../../kernel/integrations/dingtalk';
import { dingTalkSign } from '../../kernel/integrations/dingtalk/messages';
import type { Logger } from '../../kernel/logger';
import { can } from '../../kernel/policies';
import { linkContextOf, toWebhookBody } from './render';

/** The robot message JSON (Stream `data` or the HTTP callback body). */
export interface RobotInbound {
  msgtype?: string;
  text?: { content?: string };
  msgId?: string;
  conversationType?: string;
  conversationId?: string;
  senderStaffId?: string;
  senderNick?: string;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
}

/** What handling needs. */
export interface CommandDeps {
  config: Config;
  em: Em;
  dingtalk: DingTalk;
  log?: Logger;
  now?: () => Date;
}

/** Result of handling one inbound message. */
export type HandleResult = 'answered' | 'duplicate' | 'rate_limited' | 'ignored';

/** Checks the HTTP callback's `timestamp`/`sign` headers (|now − timestamp| < 1 h). */
export function verifyRobotSign(appSecret: string, timestamp: string, sign: string, now: number): boolean {
  const t = Number(timestamp);
  if (!timestamp || !Number.isFinite(t) || Math.abs(now - t) >= 3600_000) return false;
  return sign === dingTalkSign(appSecret, timestamp);
}

/**
 * Records the message (dedupe by msgId) and answers it. Returns what happened; never throws
 * for a bad or duplicate message (robot messages are fire-and-forget; the ack must go out).
 */
export async function handleRobotMessage(deps: CommandDeps, msg: RobotInbound): Promise<HandleResult> {
  const text = msg.msgtype === 'text' ? (msg.text?.content ?? '') : '';
  if (!msg.msgId) return 'ignored';
  const command = parseCommand(text);
  const now = deps.now?.() ?? new Date();
  const em = deps.em.fork();
  try {
    em.create(BotInboundMessage, {
      msgId: msg.msgId.slice(0, 128),
      senderStaffId: msg.senderStaffId?.slice(0, 64) ?? null,
      conversationType: (msg.conversationType ?? '1').slice(0, 4),
      command: command.name,
      receivedAt: now,
    });
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return 'duplicate';
    throw err;
  }
  const locale = localeOfText(text);
  const recent = msg.senderStaffId
    ? await em.count(BotInboundMessage, {
        senderStaffId: msg.senderStaffId,
        receivedAt: { $gt: new Date(now.getTime() - 60_000) },
      })
    : 0;
  const limit = deps.config.notifications.commandsPerMinute;
  if (recent > limit) {
    // Say it once per minute; further messages in the window are dropped silently.
    if (recent === limit + 1) await reply(deps, msg, textMessage('', ANSWERS.rateLimited[locale]));
    return 'rate_limited';
  }
  const answer = await answerFor(em, msg.senderStaffId ?? '', command, locale);
  await reply(deps, msg, answer);
  return 'answered';
}

async function reply(deps: CommandDeps, msg: RobotInbound, message: BotMessage): Promise<void> {
  const hook = msg.sessionWebhook ?? '';
  // Only DingTalk's own host: the URL arrives in the message, so it must not steer our requests elsewhere.
  if (!hook.startsWith(`${deps.config.dingtalk.oapiUrl}/`)) {
    deps.log?.warn(
      { msgId: msg.msgId, hook, oapi: deps.config.dingtalk.oapiUrl },
      'robot message without a DingTalk sessionWebhook; not answered',
    );
    return;
  }
  await deps.dingtalk.messages.replyBySession(hook, toWebhookBody(message, linkContextOf(deps.config)));
}

function actorOfUser(u: IUser): Actor {
  const dept = u.department as unknown as { id: number } | null;
  return { kind: 'employee', id: u.id, user: u, roles: u.roles, departmentId: dept?.id ?? null };
}

async function answerFor(
  em: Em,
  userid: string,
  command: ReturnType<typeof parseCommand>,
  l: BotLocale,
): Promise<BotMessage> {
  if (command.name === 'help') return helpMessage(l);
  if (command.name === 'unknown') return helpMessage(l, ANSWERS.unknownPrefix[l]);
  const user = userid ? await em.findOne(User, { dingtalkUserId: userid, active: true }) : null;
  if (!user) return textMessage('', ANSWERS.notEmployee[l]);
  switch (command.name) {
    case 'today':
      return today(em, user, l);
    case 'pending':
      return pending(em, user, l);
    case 'candidate':
      return candidateSummary(em, user, command.query, l);
    case 'my_interview':
      return myInterview(em, user, l);
  }
}

async function today(em: Em, user: IUser, l: BotLocale): Promise<BotMessage> {
  const now = Date.now();
  const rows = await em.find(OutboxMessage, {
    recipientId: user.dingtalkUserId,
    topic: { $like: 'reminder.interviewer.%' },
    status: { $in: ['pending', 'sending', 'sent'] },
    dueAt: { $gte: new Date(now - 24 * 3600_000), $lt: new Date(now + 24 * 3600_000) },
  });
  const tz = 'Asia/Shanghai';
  const todayStr = formatWhen(new Date(now).toISOString(), tz, 'en').slice(0, 10);
  const lines = rows
    .map((r) => r.payload as { template?: string; data?: Record<string, string> })
    .filter((p) => p.template === 'interviewer.reminder' && p.data)
    .map((p) => p.data as Record<string, string>)
    .filter((d) => formatWhen(d.startAt, tz, 'en').slice(0, 10) === todayStr)
    .sort((a, b) => a.startAt.localeCompare(b.startAt))
    .map(
      (d) =>
        `- ${formatWhen(d.startAt, d.timezone ?? tz, l).slice(11, 16)} ${md(d.candidateName)}（${md(d.jobTitle)}）`,
    );
  const title = l === 'en' ? 'My interviews today' : '今日面试';
  return textMessage(
    title,
    lines.length ? `**${title}**\n${lines.join('\n')}` : ANSWERS.noInterviewsToday[l],
  );
}

async function pending(em: Em, user: IUser, l: BotLocale): Promise<BotMessage> {
  const nudges = await em.find(OutboxMessage, {
    recipientId: user.dingtalkUserId,
    topic: { $like: 'nudge.approval.%' },
    status: 'pending',
  });
  const approvals = new Map<string, Record<string, unknown>>();
  for (const n of nudges)
    approvals.set(n.aggregate ?? '', (n.payload as { data: Record<string, unknown> }).data);
  const reviews = await em.find(OutboxMessage, {
    recipientId: user.dingtalkUserId,
    topic: 'report.ready',
    createdAt: { $gt: new Date(Date.now() - 7 * 24 * 3600_000) },
  });
  const lines = [
    ...[...approvals.values()].map(
      (d) => `- ${l === 'en' ? 'Approval' : '审批'}：${md(d.candidateName)}（${md(d.jobTitle)}）`,
    ),
    ...reviews.map((r) => {
      const d = (r.payload as { data: Record<string, unknown> }).data;
      return `- ${l === 'en' ? 'Review report' : '评阅报告'}：${md(d.candidateName)}（${md(d.jobTitle)}）`;
    }),
  ];
  const title = l === 'en' ? 'Pending' : '待办';
  return textMessage(title, lines.length ? `**${title}**\n${lines.join('\n')}` : ANSWERS.nothingPending[l]);
}

async function candidateSummary(em: Em, user: IUser, query: string, l: BotLocale): Promise<BotMessage> {
  const actor = actorOfUser(user);
  const found = await em.find(
    Candidate,
    { name: { $like: `%${query.replace(/[%_]/g, '')}%` } },
    { limit: 10 },
  );
  // Only people who may read every candidate (HR) learn that a name is unknown. Anyone else
  // (a manager of another department, an interviewer) gets the same refusal whether the name
  // is unknown or belongs to someone they may not see, so names cannot be probed.
  const readsEveryone = can(actor, 'candidate.read', {
    candidateId: 0,
    departmentIds: [],
    assignedInterviewerIds: [],
  });
  if (!found.length)
    return textMessage('', readsEveryone ? ANSWERS.candidateNotFound[l] : ANSWERS.candidateRefused[l]);
  const visible: string[] = [];
  const buttons: BotMessage['buttons'] = [];
  for (const c of found) {
    const apps = await em.find(Application, { candidate: c }, { populate: ['job'] });
    const assignments = await em.find(OutboxMessage, {
      topic: 'interviewer.assignment',
      recipientId: user.dingtalkUserId,
      aggregate: { $in: apps.map((a) => `application:${a.id}`) },
    });
    const allowed = can(actor, 'candidate.read', {
      candidateId: c.id,
      departmentIds: apps.map((a) => (a.job.department as unknown as { id: number }).id),
      assignedInterviewerIds: assignments.length ? [user.id] : [],
    });
    if (!allowed) continue;
    const stages =
      apps.map((a) => `${md(a.job.title)}：${a.stage}`).join('；') ||
      (l === 'en' ? 'no application' : '暂无申请');
    visible.push(`- **${md(c.name)}**　${stages}`);
    buttons.push({ title: c.name, url: routes.candidate(c.id) });
  }
  // Same answer whether the candidate is unknown to the asker or exists: no probing by name.
  if (!visible.length) return textMessage('', ANSWERS.candidateRefused[l]);
  return textMessage(l === 'en' ? 'Candidates' : '候选人', visible.join('\n'), buttons.slice(0, 3));
}

async function myInterview(em: Em, user: IUser, l: BotLocale): Promise<BotMessage> {
  const me = user.unionId ? await em.findOne(Candidate, { unionId: user.unionId }) : null;
  const apps = me ? await em.find(Application, { candidate: me }, { populate: ['job'] }) : [];
  if (!apps.length) return textMessage('', ANSWERS.notACandidate[l]);
  const title = l === 'en' ? 'My applications' : '我的应聘';
  return textMessage(
    title,
    `**${title}**\n${apps.map((a) => `- ${md(a.job.title)}：${a.stage}`).join('\n')}`,
    apps.slice(0, 3).map((a) => ({ title: a.job.title, url: routes.application(a.id) })),
  );
}
