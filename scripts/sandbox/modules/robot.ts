/**
 * Messaging (reference §6): the app robot's 1:1 and group messages and read status
 * (`robot_1_0`), work notifications (`asyncsend_v2`), the custom webhook robot (`/robot/send`,
 * 加签 check, 20 messages/minute then 660026 for 10 minutes), replies through a sessionWebhook,
 * and a stand-in for the company's SMS/e-mail gateway (signed POSTs, deduped by key).
 *
 * The console's 聊天 tab shows every conversation (per user and per group) the way DingTalk
 * renders it, and lets you type a message to the bot as any user; the sandbox then calls the
 * product's robot callback (HTTP outgoing mode, signed like DingTalk does).
 *
 * Test API: `GET /api/sandbox/chat/messages`, `POST /api/sandbox/chat/fail`,
 * `POST /api/sandbox/chat/read`, `POST /api/sandbox/chat/send`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { SandboxModule } from '../context';
import { NEW_API, OLD_API, requestId, sendNewApiError, sendOldApiError, sendOldApiOk } from '../errors';
import { bodyOf, newApi, oldApi, str } from '../gateway';
import { esc } from '../html';
import type { SandboxState } from '../state';
import { sendStreamCallback } from './stream';

/** A message as the chat shows it. */
export interface ChatMessage {
  seq: number;
  /** `user:<userid>` (the robot's 1:1 chat), `work:<userid>` (工作通知), `group:<cid>`, `gateway:<name>`. */
  conversation: string;
  via: 'robot_oto' | 'robot_group' | 'work_notice' | 'webhook_robot' | 'session' | 'gateway' | 'user';
  from: string;
  title: string;
  text: string;
  buttons: Array<{ title: string; url: string }>;
  at: number;
  processQueryKey?: string;
  readAt?: number | null;
  /** Gateway messages: the sender's idempotency key. */
  key?: string;
}

/** A group conversation the robot is in. */
export interface SandboxGroup {
  openConversationId: string;
  title: string;
  members: string[];
}

/** Failure injection: the next `count` sends answer with `kind`. */
interface FailPlan {
  count: number;
  kind: '5xx' | 'throttle' | 'token';
  api: 'any' | 'oto' | 'group' | 'work' | 'webhook' | 'gateway';
}

/** The demo company's custom webhook robot (in the hiring-team group). */
export const SANDBOX_WEBHOOK = {
  accessToken: 'sandbox-webhook-robot-token',
  secret: 'SECsandbox0000000000000000000000000000000000000000000000000000000',
};

/** The demo gateway secret (matches the server's demo default). */
export const SANDBOX_GATEWAY_SECRET = 'demo-gateway-secret-change-me';

/** Everything the messaging module remembers. */
export class ChatState {
  messages: ChatMessage[] = [];
  groups: SandboxGroup[];
  fail: FailPlan | null = null;
  webhookSends: number[] = [];
  webhookThrottledUntil = 0;
  sessions = new Map<string, { conversation: string; expiresAt: number }>();
  gatewayKeys = new Set<string>();
  private seq = 0;

  constructor(state: SandboxState) {
    const members = state.org.employees
      .filter((e) => e.roles.some((r) => r === 'hr' || r === 'manager'))
      .map((e) => e.userid);
    this.groups = [
      { openConversationId: 'cid-demo-hiring-team', title: '招聘小组 Hiring team', members },
      // The sales job's own hiring group (JobRules.hiringGroupConversationId in the demo seed).
      { openConversationId: 'cid-demo-sales-team', title: '销售招聘群 Sales hiring', members },
    ];
  }

  add(m: Omit<ChatMessage, 'seq'>): ChatMessage {
    const full = { ...m, seq: ++this.seq };
    this.messages.push(full);
    return full;
  }

  /** Consumes one planned failure for `api`, if any. */
  takeFailure(api: FailPlan['api']): FailPlan['kind'] | null {
    const f = this.fail;
    if (!f || f.count <= 0 || (f.api !== 'any' && f.api !== api)) return null;
    f.count -= 1;
    if (f.count === 0) this.fail = null;
    return f.kind;
  }

  reset(state: SandboxState) {
    this.messages = [];
    this.fail = null;
    this.webhookSends = [];
    this.webhookThrottledUntil = 0;
    this.sessions.clear();
    this.gatewayKeys.clear();
    this.seq = 0;
    this.groups = new ChatState(state).groups;
  }
}

const chats = new WeakMap<SandboxState, ChatState>();

/** The chat state of a sandbox (tests read it directly). */
export function chatOf(state: SandboxState): ChatState {
  let c = chats.get(state);
  if (!c) {
    c = new ChatState(state);
    chats.set(state, c);
  }
  return c;
}

/** Normalises a robot `msgKey`/`msgParam` into a chat card. */
function fromRobot(
  msgKey: string,
  param: Record<string, string>,
): Pick<ChatMessage, 'title' | 'text' | 'buttons'> | null {
  const buttons: ChatMessage['buttons'] = [];
  if (msgKey === 'sampleText') return { title: '', text: param.content ?? '', buttons };
  if (msgKey === 'sampleMarkdown') return { title: param.title ?? '', text: param.text ?? '', buttons };
  if (msgKey === 'sampleLink')
    return {
      title: param.title ?? '',
      text: param.text ?? '',
      buttons: [{ title: '打开', url: param.messageUrl ?? '' }],
    };
  if (msgKey === 'sampleActionCard')
    return {
      title: param.title ?? '',
      text: param.text ?? '',
      buttons: [{ title: param.singleTitle ?? '', url: param.singleURL ?? '' }],
    };
  if (msgKey === 'sampleActionCard6')
    return {
      title: param.title ?? '',
      text: param.text ?? '',
      buttons: [
        { title: param.buttonTitle1 ?? '', url: param.buttonUrl1 ?? '' },
        { title: param.buttonTitle2 ?? '', url: param.buttonUrl2 ?? '' },
      ],
    };
  const m = /^sampleActionCard([2-5])$/.exec(msgKey);
  if (m) {
    for (let i = 1; i <= Number(m[1]); i++)
      buttons.push({ title: param[`actionTitle${i}`] ?? '', url: param[`actionURL${i}`] ?? '' });
    return { title: param.title ?? '', text: param.text ?? '', buttons };
  }
  return null;
}

/** Field names of the two ActionCard dialects: webhook/session (§6c) and work notification (§6a). */
const CARD_DIALECTS = {
  webhook: {
    card: 'actionCard',
    text: 'text',
    list: 'btns',
    url: 'actionURL',
    single: 'singleTitle',
    singleUrl: 'singleURL',
  },
  work: {
    card: 'action_card',
    text: 'markdown',
    list: 'btn_json_list',
    url: 'action_url',
    single: 'single_title',
    singleUrl: 'single_url',
  },
} as const;

/** Normalises a webhook/session body or a work-notification `msg` into a chat card. */
function fromMsg(
  body: Record<string, unknown>,
  dialect: keyof typeof CARD_DIALECTS,
): Pick<ChatMessage, 'title' | 'text' | 'buttons'> | null {
  const d = CARD_DIALECTS[dialect];
  const t = body.msgtype;
  const o = (body[String(t)] ?? {}) as Record<string, unknown>;
  if (t === 'text') return { title: '', text: String(o.content ?? ''), buttons: [] };
  if (t === 'markdown') return { title: String(o.title ?? ''), text: String(o.text ?? ''), buttons: [] };
  if (t !== d.card) return null;
  const list = o[d.list];
  const buttons = Array.isArray(list)
    ? (list as Array<Record<string, string>>).map((b) => ({ title: b.title, url: b[d.url] }))
    : [{ title: String(o[d.single] ?? ''), url: String(o[d.singleUrl] ?? '') }];
  return { title: String(o.title ?? ''), text: String(o[d.text] ?? ''), buttons };
}

function sign(secret: string, timestamp: string | number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
}

/** The card of a robot send (`msgKey` + JSON `msgParam`); answers 400 and returns null when invalid. */
function robotCard(ctx: Context, b: Record<string, unknown>): ReturnType<typeof fromRobot> {
  let param: Record<string, string>;
  try {
    param = JSON.parse(str(b.msgParam) ?? '');
  } catch {
    sendNewApiError(ctx, NEW_API.badRequest, 'msgParam 不是合法的 JSON');
    return null;
  }
  const card = fromRobot(str(b.msgKey) ?? '', param);
  if (!card) sendNewApiError(ctx, NEW_API.badRequest, 'msgKey 不支持');
  return card;
}

/** Answers a new-API send with the planned failure, if one is due. */
function newApiFailure(ctx: Context, chat: ChatState, api: FailPlan['api']): boolean {
  const kind = chat.takeFailure(api);
  if (!kind) return false;
  if (kind === '5xx') sendNewApiError(ctx, NEW_API.internal);
  else if (kind === 'throttle') sendNewApiError(ctx, NEW_API.qpsLimit);
  else sendNewApiError(ctx, NEW_API.invalidToken);
  return true;
}

/** Routes and console tab of the messaging module. */
export const robotModule: SandboxModule = (sb) => {
  const { router, state } = sb;
  const chat = chatOf(state);
  state.onReset(() => chat.reset(state));

  router.post('/v1.0/robot/oToMessages/batchSend', newApi(state, 'app'), (ctx) => {
    const b = bodyOf(ctx);
    if (b.robotCode !== state.org.robotCode)
      return sendNewApiError(ctx, NEW_API.badRequest, 'robotCode 不正确');
    const userIds = Array.isArray(b.userIds)
      ? (b.userIds as unknown[]).filter((x): x is string => typeof x === 'string')
      : [];
    if (!userIds.length || userIds.length > 20)
      return sendNewApiError(ctx, NEW_API.badRequest, 'userIds 数量须为 1~20');
    const card = robotCard(ctx, b);
    if (!card) return;
    if (newApiFailure(ctx, chat, 'oto')) return;
    const processQueryKey = randomBytes(12).toString('base64url');
    const invalid: string[] = [];
    for (const u of userIds) {
      if (!state.employee(u)) {
        invalid.push(u);
        continue;
      }
      chat.add({
        conversation: `user:${u}`,
        via: 'robot_oto',
        from: 'robot',
        ...card,
        at: state.now(),
        processQueryKey,
        readAt: null,
      });
    }
    ctx.body = { processQueryKey, invalidStaffIdList: invalid, flowControlledStaffIdList: [] };
  });

  router.post('/v1.0/robot/groupMessages/send', newApi(state, 'app'), (ctx) => {
    const b = bodyOf(ctx);
    if (b.robotCode !== state.org.robotCode)
      return sendNewApiError(ctx, NEW_API.badRequest, 'robotCode 不正确');
    const group = chat.groups.find((g) => g.openConversationId === b.openConversationId);
    if (!group) return sendNewApiError(ctx, NEW_API.badRequest, '机器人不在该群中');
    const card = robotCard(ctx, b);
    if (!card) return;
    if (newApiFailure(ctx, chat, 'group')) return;
    const processQueryKey = randomBytes(12).toString('base64url');
    chat.add({
      conversation: `group:${group.openConversationId}`,
      via: 'robot_group',
      from: 'robot',
      ...card,
      at: state.now(),
      processQueryKey,
    });
    ctx.body = { processQueryKey };
  });

  router.get('/v1.0/robot/oToMessages/readStatus', newApi(state, 'app'), (ctx) => {
    const key = String(ctx.query.processQueryKey ?? '');
    const msgs = chat.messages.filter((m) => m.processQueryKey === key && m.via === 'robot_oto');
    if (!msgs.length) return sendNewApiError(ctx, NEW_API.badRequest, 'processQueryKey 不存在');
    ctx.body = {
      sendStatus: 'SUCCESS',
      messageReadInfoList: msgs.map((m) => {
        const userId = m.conversation.slice('user:'.length);
        return {
          userId,
          name: state.employee(userId)?.name ?? '',
          readStatus: m.readAt ? 'READ' : 'UNREAD',
          readTimestamp: m.readAt ?? 0,
        };
      }),
    };
  });

  router.post('/topapi/message/corpconversation/asyncsend_v2', oldApi(state), (ctx) => {
    const b = bodyOf(ctx);
    if (Number(b.agent_id) !== state.org.agentId)
      return sendOldApiError(ctx, OLD_API.missingParameter, 'agent_id 不正确');
    const users = String(b.userid_list ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if (!users.length) return sendOldApiError(ctx, OLD_API.missingParameter, '缺少参数 userid_list');
    const card = fromMsg((b.msg ?? {}) as Record<string, unknown>, 'work');
    if (!card) return sendOldApiError(ctx, OLD_API.missingParameter, 'msg 不合法');
    const kind = chat.takeFailure('work');
    if (kind === '5xx') return sendOldApiError(ctx, OLD_API.busy);
    if (kind === 'throttle') return sendOldApiError(ctx, OLD_API.qpsLimit);
    if (kind === 'token') return sendOldApiError(ctx, OLD_API.invalidToken);
    for (const u of users)
      if (state.employee(u))
        chat.add({ conversation: `work:${u}`, via: 'work_notice', from: 'app', ...card, at: state.now() });
    sendOldApiOk(ctx, { task_id: Math.floor(Math.random() * 1e12) });
  });

  router.post('/robot/send', (ctx) => {
    const token = String(ctx.query.access_token ?? '');
    if (token !== SANDBOX_WEBHOOK.accessToken)
      return sendOldApiError(ctx, { errcode: 300005, errmsg: 'token is not exist' });
    const ts = String(ctx.query.timestamp ?? '');
    const s = String(ctx.query.sign ?? '');
    if (!ts || !s || Math.abs(state.now() - Number(ts)) > 3600_000 || s !== sign(SANDBOX_WEBHOOK.secret, ts))
      return sendOldApiError(ctx, { errcode: 310000, errmsg: 'sign not match' });
    const card = fromMsg(bodyOf(ctx), 'webhook');
    if (!card) return sendOldApiError(ctx, { errcode: 40035, errmsg: '缺少参数 msgtype' });
    const now = state.now();
    const kind = chat.takeFailure('webhook');
    if (kind === '5xx') {
      ctx.status = 502;
      ctx.body = 'Bad Gateway';
      return;
    }
    chat.webhookSends = chat.webhookSends.filter((t) => t > now - 60_000);
    if (kind === 'throttle' || now < chat.webhookThrottledUntil || chat.webhookSends.length >= 20) {
      if (now >= chat.webhookThrottledUntil) chat.webhookThrottledUntil = now + 10 * 60_000;
      return sendOldApiError(ctx, { errcode: 660026, errmsg: 'send too fast, exceed 20 times per minute' });
    }
    chat.webhookSends.push(now);
    chat.add({
      conversation: `group:${chat.groups[0].openConversationId}`,
      via: 'webhook_robot',
      from: 'webhook robot',
      ...card,
      at: now,
    });
    sendOldApiOk(ctx, {});
  });

  router.post('/robot/sendBySession', (ctx) => {
    const session = chat.sessions.get(String(ctx.query.session ?? ''));
    if (!session || session.expiresAt < state.now())
      return sendOldApiError(ctx, { errcode: 300001, errmsg: 'session is expired' });
    const card = fromMsg(bodyOf(ctx), 'webhook');
    if (!card) return sendOldApiError(ctx, { errcode: 40035, errmsg: '缺少参数 msgtype' });
    chat.add({ conversation: session.conversation, via: 'session', from: 'robot', ...card, at: state.now() });
    sendOldApiOk(ctx, {});
  });

  // Stand-in for the company's SMS/e-mail gateway (not DingTalk): checks the signature and
  // dedupes by the idempotency key, as a real gateway contract would.
  router.post('/company-gateway/notify', (ctx) => {
    const raw = JSON.stringify(ctx.request.body ?? {});
    const ts = ctx.get('x-timestamp');
    const expected = createHmac('sha256', SANDBOX_GATEWAY_SECRET).update(`${ts}.${raw}`).digest('hex');
    if (ctx.get('x-signature') !== expected) {
      ctx.status = 401;
      ctx.body = { error: 'bad signature' };
      return;
    }
    const kind = chat.takeFailure('gateway');
    if (kind) {
      ctx.status = kind === 'throttle' ? 429 : 503;
      return;
    }
    const key = ctx.get('x-idempotency-key');
    if (!chat.gatewayKeys.has(key)) {
      chat.gatewayKeys.add(key);
      const b = bodyOf(ctx);
      const to = (b.to ?? {}) as Record<string, string>;
      chat.add({
        conversation: `gateway:${to.mobile ?? to.email ?? 'unknown'}`,
        via: 'gateway',
        from: 'gateway',
        title: String(b.title ?? ''),
        text: String(b.text ?? ''),
        buttons: (b.links as ChatMessage['buttons']) ?? [],
        at: state.now(),
        key,
      });
    }
    ctx.status = 202;
    ctx.body = { accepted: true };
  });

  // ---- test API -------------------------------------------------------------------------

  router.get('/api/sandbox/chat/messages', (ctx) => {
    const conv = typeof ctx.query.conversation === 'string' ? ctx.query.conversation : undefined;
    const since = Number(ctx.query.since ?? 0);
    // The console shows the last 500; tests that count every message ask for more with `limit`.
    const limit = Math.min(Math.max(Number(ctx.query.limit ?? 500) || 500, 1), 1_000_000);
    ctx.body = {
      groups: chat.groups,
      messages: chat.messages
        .filter((m) => (!conv || m.conversation === conv) && m.seq > since)
        .slice(-limit),
    };
  });

  router.post('/api/sandbox/chat/reset', (ctx) => {
    chat.reset(state);
    ctx.body = { ok: true };
  });

  router.post('/api/sandbox/chat/fail', (ctx) => {
    const b = bodyOf(ctx);
    const count = Number(b.count ?? 1);
    const kind = b.kind === 'throttle' || b.kind === 'token' ? b.kind : '5xx';
    const api = (['oto', 'group', 'work', 'webhook', 'gateway'] as const).find((a) => a === b.api) ?? 'any';
    chat.fail = count > 0 ? { count, kind, api } : null;
    ctx.body = { fail: chat.fail };
  });

  router.post('/api/sandbox/chat/read', (ctx) => {
    const b = bodyOf(ctx);
    let n = 0;
    for (const m of chat.messages)
      if (m.via === 'robot_oto' && m.conversation === `user:${b.userid}` && !m.readAt) {
        m.readAt = state.now();
        n++;
      }
    ctx.body = { read: n };
  });

  router.post('/api/sandbox/chat/send', async (ctx) => {
    const b = bodyOf(ctx);
    const userid = str(b.userid);
    const text = str(b.text);
    const e = userid ? state.employee(userid) : undefined;
    if (!e || !text) {
      ctx.status = 400;
      ctx.body = { error: { code: 'invalid_input', message: 'userid (an employee) and text are required' } };
      return;
    }
    const callbackUrl = str(b.callbackUrl) ?? `${sb.appUrl}/api/dingtalk/robot`;
    const group = str(b.conversationId)
      ? chat.groups.find((g) => g.openConversationId === b.conversationId)
      : undefined;
    const conversation = group ? `group:${group.openConversationId}` : `user:${e.userid}`;
    const session = randomBytes(16).toString('hex');
    chat.sessions.set(session, { conversation, expiresAt: state.now() + 90 * 60_000 });
    chat.add({ conversation, via: 'user', from: e.name, title: '', text, buttons: [], at: state.now() });
    const msgId = str(b.msgId) ?? `msg${randomBytes(10).toString('hex')}`;
    const payload = {
      msgtype: 'text',
      text: { content: group ? ` ${text}` : text },
      msgId,
      createAt: state.now(),
      conversationType: group ? '2' : '1',
      conversationId: group ? group.openConversationId : `cid-oto-${e.userid}`,
      ...(group ? { conversationTitle: group.title, isInAtList: true } : {}),
      senderId: `$:LWCP_v1:$${e.unionid}`,
      senderStaffId: e.userid,
      senderNick: e.name,
      senderCorpId: state.org.corpId,
      isAdmin: e.roles.includes('admin'),
      chatbotCorpId: state.org.corpId,
      chatbotUserId: '$:LWCP_v1:$robot',
      robotCode: state.org.robotCode,
      sessionWebhook: `${ctx.protocol}://${ctx.host}/robot/sendBySession?session=${session}`,
      sessionWebhookExpiredTime: state.now() + 90 * 60_000,
    };
    const times = Math.min(3, Math.max(1, Number(b.deliveries ?? 1)));
    // Stream mode when the product is connected and subscribed to TOPIC_ROBOT (unless HTTP is asked for).
    if (b.transport !== 'http') {
      let delivered = 0;
      for (let i = 0; i < times; i++)
        if (sendStreamCallback(state, '/v1.0/im/bot/messages/get', payload)) delivered++;
      if (delivered || b.transport === 'stream') {
        ctx.body = { msgId, conversation, transport: 'stream', delivered, requestId: requestId() };
        return;
      }
    }
    const timestamp = String(state.now());
    const statuses: number[] = [];
    // `deliveries` > 1 imitates DingTalk redelivering the same message (same msgId).
    for (let i = 0; i < times; i++) {
      try {
        const res = await fetch(callbackUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            timestamp,
            sign: sign(state.org.appSecret, timestamp),
          },
          body: JSON.stringify(payload),
        });
        statuses.push(res.status);
      } catch {
        statuses.push(0);
      }
    }
    ctx.body = { msgId, conversation, transport: 'http', statuses, requestId: requestId() };
  });

  sb.consoleTabs.push({
    id: 'chat',
    label: '聊天 Chats',
    render: () => chatTab(state, chat),
  });
};

function chatTab(state: SandboxState, chat: ChatState): string {
  const options = [
    ...state.org.employees.map(
      (e) => `<option value="user:${esc(e.userid)}">${esc(e.name)} (${esc(e.userid)})</option>`,
    ),
    ...chat.groups.map((g) => `<option value="group:${esc(g.openConversationId)}">${esc(g.title)}</option>`),
  ].join('');
  return `<div class="card"><h2>聊天 <span class="hint">Chats: what each user and group sees from the bot</span></h2>
<p><label>会话 (conversation) <select id="chat-conv" data-testid="chat-conv"><option value="">全部 (all)</option>${options}</select></label>
<button class="btn ghost" id="chat-refresh">刷新 (refresh)</button></p>
<div id="chat-log" data-testid="chat-log"></div>
<form id="chat-form" class="card" style="background:#f7f8fa">
<p class="muted">以该用户身份给机器人发消息（HTTP 回调模式）。 Send a message to the bot as this user.</p>
<select id="chat-as" data-testid="chat-as">${state.org.employees.map((e) => `<option value="${esc(e.userid)}">${esc(e.name)}</option>`).join('')}</select>
<label><input type="checkbox" id="chat-in-group"> 在群里 @机器人 (in the hiring group)</label>
<input id="chat-text" data-testid="chat-text" placeholder="帮助 / today / 候选人 张三" style="width:60%">
<button class="btn" data-testid="chat-send">发送 (send)</button></form></div>
<style>.bubble{background:#fff;border:1px solid #e5e6eb;border-radius:10px;padding:10px;margin:8px 0;max-width:560px}
.bubble.user{background:#d6ebff;margin-left:auto}.bubble h4{margin:0 0 6px}.bubble .btns a{display:inline-block;margin:6px 6px 0 0}
.bubble.urgent{border-color:#ff5219}.meta{font-size:12px;color:#858e99}</style>
<script>(() => {
  const OPENAPP = 'dingtalk://dingtalkclient/action/openapp?';
  const CORP_ID = ${JSON.stringify(state.org.corpId)};
  const AGENT_ID = ${JSON.stringify(String(state.org.agentId))};
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'})[c]);
  const md = (t) => esc(t).replace(/\\*\\*(.+?)\\*\\*/g, '<b>$1</b>').replace(/^### (.*)$/gm, '<h4>$1</h4>').replace(/\\n/g, '<br>');
  async function load() {
    const conv = document.getElementById('chat-conv').value;
    const r = await (await fetch('/api/sandbox/chat/messages' + (conv ? '?conversation=' + encodeURIComponent(conv) : ''))).json();
    document.getElementById('chat-log').innerHTML = r.messages.map((m) =>
      '<div class="bubble ' + (m.via === 'user' ? 'user' : '') + (m.title.startsWith('❗') ? ' urgent' : '') + '" data-testid="chat-message">'
      + '<div class="meta">' + esc(m.conversation) + ' · ' + esc(m.via) + ' · ' + new Date(m.at).toLocaleString() + (m.readAt ? ' · 已读' : (m.via === 'robot_oto' ? ' · 未读' : '')) + '</div>'
      + (m.title && !m.text.includes(m.title) ? '<h4>' + esc(m.title) + '</h4>' : '') + md(m.text)
      + '<div class="btns">' + m.buttons.map((b) => b.url.startsWith(OPENAPP)
        ? '<a class="btn ghost" href="#" data-testid="chat-openapp" data-openapp="' + esc(b.url) + '" data-conv="' + esc(m.conversation) + '">' + esc(b.title) + '</a>'
        : '<a class="btn ghost" target="_blank" href="' + esc(b.url) + '">' + esc(b.title) + '</a>').join('') + '</div></div>').join('') || '<p class="muted">暂无消息 (no messages)</p>';
  }
  // A micro-app deep link opens the app as the DingTalk client would: for the chat's user,
  // signed in by a fresh 免登 code, at the linked page. Links for another org or app fail.
  document.getElementById('chat-log').addEventListener('click', async (e) => {
    const a = e.target.closest('[data-openapp]');
    if (!a) return;
    e.preventDefault();
    const q = new URLSearchParams(a.dataset.openapp.slice(OPENAPP.length));
    if (q.get('corpid') !== CORP_ID || q.get('app_id') !== '0_' + AGENT_ID || !q.get('redirect_url')) {
      alert('无法打开：链接不属于本组织的微应用 (corpid/app_id mismatch)');
      return;
    }
    const [page, fragment] = q.get('redirect_url').split('#');
    const conv = a.dataset.conv;
    if (!conv.startsWith('user:')) { window.open(q.get('redirect_url'), '_blank'); return; }
    const r = await fetch('/api/sandbox/authcodes', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userid: conv.slice(5) }) });
    const { code } = await r.json();
    window.open(page + (page.includes('?') ? '&' : '?') + 'corpid=' + encodeURIComponent(CORP_ID)
      + '&sandbox_auth_code=' + encodeURIComponent(code) + (fragment ? '#' + fragment : ''), '_blank');
  });
  document.getElementById('chat-refresh').onclick = load;
  document.getElementById('chat-conv').onchange = load;
  document.getElementById('chat-form').onsubmit = async (e) => {
    e.preventDefault();
    const userid = document.getElementById('chat-as').value;
    const inGroup = document.getElementById('chat-in-group').checked;
    const text = document.getElementById('chat-text').value;
    await fetch('/api/sandbox/chat/send', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userid, text, conversationId: inGroup ? ${JSON.stringify(chat.groups[0]?.openConversationId ?? '')} : undefined }) });
    document.getElementById('chat-text').value = '';
    setTimeout(load, 300);
  };
  load();
})();</script>`;
}
