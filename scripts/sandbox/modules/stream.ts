/**
 * DingTalk's event push, both ways the reference describes (§5):
 *
 * - Stream mode: `POST /v1.0/gateway/connections/open` (clientId/clientSecret) -> `{ endpoint,
 *   ticket }` (90 s, single use); a WebSocket at `endpoint?ticket=`; EVENT frames with the
 *   `dingtalk-stream` headers; the client's ack `{code:200, headers:{messageId}, data:
 *   '{"status":"SUCCESS"|"LATER"}'}`; redelivery when the ack says LATER or never comes.
 * - HTTP callback: the event encrypted and signed (AES-256-CBC, 32-byte PKCS#7, SHA-1), POSTed to
 *   the subscribed URL; only an encrypted, correctly signed "success" counts; otherwise retries.
 *
 * Which one is used is the app's subscription (console tab "事件 Events" or
 * `/api/sandbox/events/subscription`). A duplicates switch delivers every event N times at once.
 * Other modules publish with {@link publishEvent}; the robot module can push CALLBACK frames with
 * {@link sendStreamCallback}.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context } from 'koa';
import { type WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import {
  callbackSignature,
  decryptCallback,
  sealEvent,
} from '../../../server/kernel/integrations/dingtalk/callbackCrypto';
import type { SandboxModule } from '../context';
import { NEW_API, sendNewApiError } from '../errors';
import { bodyOf, str } from '../gateway';
import { esc } from '../html';
import type { SandboxState } from '../state';

/** The app's event subscription (what the developer console would hold). */
export interface EventSubscription {
  mode: 'stream' | 'http';
  /** HTTP callback URL (mode http). */
  url: string | null;
  token: string;
  aesKey: string;
  /** Owner key appended to encrypted payloads: the AppKey for console subscriptions. */
  ownerKey: string;
  /** Deliver each event this many times (1 = normal; more = duplicates on purpose). */
  copies: number;
  /** Stream: redeliver when no ack arrived within this time (DingTalk: about 60 s). */
  redeliverMs: number;
  /** Delay before a retry after a failure (HTTP doubles it each attempt). */
  retryMs: number;
  /** Attempts before a delivery is given up. */
  maxAttempts: number;
  /** An HTTP reply slower than this counts as failed (DingTalk: ~1500 ms). */
  replyTimeoutMs: number;
}

/** One delivery of one event (copies of an event are separate deliveries with the same eventId). */
export interface Delivery {
  id: number;
  eventId: string;
  eventType: string;
  fields: Record<string, unknown>;
  status: 'pending' | 'in_flight' | 'delivered' | 'failed';
  attempts: number;
  log: string[];
}

interface Connection {
  id: string;
  ws: WebSocket;
  clientId: string;
  subscriptions: Array<{ type: string; topic: string }>;
}

interface EventsState {
  sub: EventSubscription;
  tickets: Map<string, { clientId: string; subscriptions: Connection['subscriptions']; expiresAt: number }>;
  conns: Map<string, Connection>;
  deliveries: Delivery[];
  inflight: Map<string, { delivery: Delivery; timer: NodeJS.Timeout }>;
  timers: Set<NodeJS.Timeout>;
  wss: WebSocketServer;
  nextId: number;
  rr: number;
}

const STATES = new WeakMap<SandboxState, EventsState>();
const TICKET_TTL_MS = 90_000;

function defaults(state: SandboxState): EventSubscription {
  return {
    mode: 'stream',
    url: null,
    token: 'demo-callback-token',
    aesKey: 'DemoCallbackAesKey0123456789abcdefghijklmno',
    ownerKey: state.org.appKey,
    copies: 1,
    redeliverMs: 60_000,
    retryMs: 1_000,
    maxAttempts: 6,
    replyTimeoutMs: 1_500,
  };
}

/** The event-delivery state of a sandbox. */
export function eventsState(state: SandboxState): EventsState {
  let s = STATES.get(state);
  if (!s) {
    const created: EventsState = {
      sub: defaults(state),
      tickets: new Map(),
      conns: new Map(),
      deliveries: [],
      inflight: new Map(),
      timers: new Set(),
      wss: new WebSocketServer({ noServer: true }),
      nextId: 1,
      rr: 0,
    };
    s = created;
    STATES.set(state, created);
    state.onReset(() => {
      clearTimers(created);
      created.deliveries = [];
      created.sub = defaults(state);
    });
  }
  return s;
}

function clearTimers(s: EventsState) {
  for (const t of s.timers) clearTimeout(t);
  s.timers.clear();
  for (const f of s.inflight.values()) clearTimeout(f.timer);
  s.inflight.clear();
}

function later(s: EventsState, ms: number, fn: () => void): NodeJS.Timeout {
  const t = setTimeout(() => {
    s.timers.delete(t);
    fn();
  }, ms);
  t.unref();
  s.timers.add(t);
  return t;
}

/** Changes the app's subscription (tests and the console). */
export function configureEvents(state: SandboxState, patch: Partial<EventSubscription>): EventSubscription {
  const s = eventsState(state);
  s.sub = { ...s.sub, ...patch };
  return s.sub;
}

/**
 * Publishes a DingTalk event (`fields` are the flat event fields without `EventType`). Delivered
 * `copies` times over the subscribed channel. Returns the eventId.
 */
export function publishEvent(
  state: SandboxState,
  eventType: string,
  fields: Record<string, unknown>,
): string {
  const s = eventsState(state);
  const eventId = randomUUID().replace(/-/g, '');
  for (let i = 0; i < Math.max(1, s.sub.copies); i++) {
    const d: Delivery = {
      id: s.nextId++,
      eventId,
      eventType,
      fields,
      status: 'pending',
      attempts: 0,
      log: [],
    };
    s.deliveries.push(d);
    attempt(state, s, d);
  }
  return eventId;
}

function attempt(state: SandboxState, s: EventsState, d: Delivery) {
  if (d.status === 'delivered' || d.status === 'failed') return;
  if (d.attempts >= s.sub.maxAttempts) {
    d.status = 'failed';
    d.log.push('given up');
    return;
  }
  if (s.sub.mode === 'http') void deliverHttp(state, s, d);
  else deliverStream(state, s, d);
}

function retry(state: SandboxState, s: EventsState, d: Delivery, ms: number) {
  d.status = 'pending';
  later(s, ms, () => attempt(state, s, d));
}

// ---- Stream ---------------------------------------------------------------------------------

function pickConnection(s: EventsState, type: string, topic: string): Connection | undefined {
  const list = [...s.conns.values()].filter((c) =>
    c.subscriptions.some((x) => x.type === type && (x.topic === topic || x.topic === '*')),
  );
  if (!list.length) return undefined;
  s.rr = (s.rr + 1) % list.length;
  return list[s.rr];
}

function deliverStream(state: SandboxState, s: EventsState, d: Delivery) {
  const conn = pickConnection(s, 'EVENT', '*');
  if (!conn) {
    d.status = 'pending';
    d.log.push('no Stream connection; waiting');
    return; // sent when a client connects
  }
  d.attempts++;
  d.status = 'in_flight';
  const messageId = randomUUID();
  const now = state.now();
  const frame = {
    specVersion: '1.0',
    type: 'EVENT',
    headers: {
      topic: '*',
      messageId,
      contentType: 'application/json',
      time: String(now),
      appId: state.org.appKey,
      connectionId: conn.id,
      eventType: d.eventType,
      eventId: d.eventId,
      eventBornTime: String(now),
      eventCorpId: state.org.corpId,
      eventUnifiedAppId: state.org.appKey,
    },
    data: JSON.stringify(d.fields),
  };
  const timer = setTimeout(() => {
    s.inflight.delete(messageId);
    d.log.push(`no ack within ${s.sub.redeliverMs} ms`);
    attempt(state, s, d);
  }, s.sub.redeliverMs);
  timer.unref();
  s.inflight.set(messageId, { delivery: d, timer });
  d.log.push(`stream frame ${messageId} -> ${conn.id}`);
  conn.ws.send(JSON.stringify(frame));
}

function onAck(state: SandboxState, s: EventsState, raw: string) {
  let msg: { headers?: { messageId?: string }; data?: string };
  try {
    msg = JSON.parse(raw);
  } catch {
    return;
  }
  const messageId = msg.headers?.messageId;
  const f = messageId ? s.inflight.get(messageId) : undefined;
  if (!f || !messageId) return; // ping echoes, callback responses, late acks
  clearTimeout(f.timer);
  s.inflight.delete(messageId);
  let status = '';
  try {
    status = String((JSON.parse(msg.data ?? '{}') as { status?: string }).status ?? '');
  } catch {
    /* an ack without a readable status is not a SUCCESS */
  }
  if (status === 'SUCCESS') {
    f.delivery.status = 'delivered';
    f.delivery.log.push('ack SUCCESS');
  } else {
    f.delivery.log.push(`ack ${status || '(no status)'}: redeliver`);
    retry(state, s, f.delivery, s.sub.retryMs);
  }
}

/**
 * Pushes a CALLBACK frame (e.g. a robot message on `/v1.0/im/bot/messages/get`) to a client that
 * subscribed to the topic. Returns false when no client subscribed (fire-and-forget, like DingTalk).
 */
export function sendStreamCallback(state: SandboxState, topic: string, data: unknown): boolean {
  const s = eventsState(state);
  const conn = pickConnection(s, 'CALLBACK', topic);
  if (!conn) return false;
  conn.ws.send(
    JSON.stringify({
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: {
        topic,
        messageId: randomUUID(),
        contentType: 'application/json',
        time: String(state.now()),
        appId: state.org.appKey,
        connectionId: conn.id,
      },
      data: JSON.stringify(data),
    }),
  );
  return true;
}

/** HTTP `upgrade` handler for `/stream?ticket=` (wired in server.ts). */
export function handleStreamUpgrade(state: SandboxState, req: IncomingMessage, socket: Duplex, head: Buffer) {
  const s = eventsState(state);
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const ticket = url.searchParams.get('ticket') ?? '';
  const t = s.tickets.get(ticket);
  s.tickets.delete(ticket); // single use
  if (url.pathname !== '/stream' || !t || t.expiresAt < state.now()) {
    socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
    socket.destroy();
    return;
  }
  s.wss.handleUpgrade(req, socket, head, (ws) => {
    const conn: Connection = { id: randomUUID(), ws, clientId: t.clientId, subscriptions: t.subscriptions };
    s.conns.set(conn.id, conn);
    ws.on('message', (data) => onAck(state, s, data.toString()));
    ws.on('close', () => {
      s.conns.delete(conn.id);
      // Frames in flight on this socket are redelivered to the next connection.
      for (const [id, f] of s.inflight) {
        if (!f.delivery.log.at(-1)?.endsWith(conn.id)) continue;
        clearTimeout(f.timer);
        s.inflight.delete(id);
        retry(state, s, f.delivery, 0);
      }
    });
    for (const d of s.deliveries) if (d.status === 'pending' && s.sub.mode === 'stream') attempt(state, s, d);
  });
}

/** Drops every Stream connection and timer (sandbox shutdown). */
export function closeStreams(state: SandboxState): void {
  const s = STATES.get(state);
  if (!s) return;
  clearTimers(s);
  for (const c of s.conns.values()) c.ws.terminate();
  s.conns.clear();
  s.wss.close();
}

// ---- HTTP callback --------------------------------------------------------------------------

async function deliverHttp(state: SandboxState, s: EventsState, d: Delivery) {
  const sub = s.sub;
  if (!sub.url) {
    d.status = 'pending';
    d.log.push('no callback URL; waiting');
    return;
  }
  d.attempts++;
  d.status = 'in_flight';
  const sealed = sealEvent(
    { token: sub.token, aesKey: sub.aesKey, ownerKey: sub.ownerKey },
    {
      EventType: d.eventType,
      eventId: d.eventId,
      CorpId: state.org.corpId,
      EventTime: state.now(),
      ...d.fields,
    },
    state.now(),
  );
  const started = Date.now();
  let ok = false;
  let why = '';
  try {
    const q = new URLSearchParams(sealed.query).toString();
    const res = await fetch(`${sub.url}${sub.url.includes('?') ? '&' : '?'}${q}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sealed.body),
      signal: AbortSignal.timeout(sub.replyTimeoutMs),
    });
    const reply = (await res.json().catch(() => null)) as Record<string, string> | null;
    if (res.status !== 200 || !reply) why = `HTTP ${res.status}`;
    else if (
      callbackSignature(sub.token, reply.timeStamp ?? '', reply.nonce ?? '', reply.encrypt ?? '') !==
      reply.msg_signature
    )
      why = 'reply signature invalid';
    else if (
      decryptCallback(
        { token: sub.token, aesKey: sub.aesKey, ownerKey: sub.ownerKey },
        reply.encrypt ?? '',
      ) !== 'success'
    )
      why = 'reply is not "success"';
    else ok = true;
  } catch (err) {
    why =
      (err as Error).name === 'TimeoutError'
        ? `no reply within ${sub.replyTimeoutMs} ms`
        : (err as Error).message;
  }
  d.log.push(`http attempt ${d.attempts}: ${ok ? 'success' : why} (${Date.now() - started} ms)`);
  if (ok) d.status = 'delivered';
  else retry(state, s, d, sub.retryMs * 2 ** (d.attempts - 1));
}

// ---- routes ---------------------------------------------------------------------------------

const subscriptionPatch = z.strictObject({
  mode: z.enum(['stream', 'http']).optional(),
  url: z.string().url().nullable().optional(),
  token: z.string().min(1).optional(),
  aesKey: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/)
    .optional(),
  ownerKey: z.string().min(1).optional(),
  copies: z.number().int().min(1).max(50).optional(),
  redeliverMs: z.number().int().min(10).optional(),
  retryMs: z.number().int().min(0).optional(),
  maxAttempts: z.number().int().min(1).max(100).optional(),
  replyTimeoutMs: z.number().int().min(10).optional(),
});

/** Stream gateway, event subscription settings and the event log (console tab + test API). */
export const streamModule: SandboxModule = ({ router, state, consoleTabs }) => {
  const s = eventsState(state);

  router.post('/v1.0/gateway/connections/open', (ctx: Context) => {
    const b = bodyOf(ctx);
    if (!state.checkCredentials(b.clientId, b.clientSecret))
      return sendNewApiError(ctx, NEW_API.invalidClient);
    const subs = Array.isArray(b.subscriptions)
      ? (b.subscriptions as Array<Record<string, unknown>>).map((x) => ({
          type: str(x.type) ?? '',
          topic: str(x.topic) ?? '',
        }))
      : [];
    const ticket = randomBytes(16).toString('hex');
    s.tickets.set(ticket, {
      clientId: String(b.clientId),
      subscriptions: subs,
      expiresAt: state.now() + TICKET_TTL_MS,
    });
    ctx.body = { endpoint: `ws://${ctx.get('host')}/stream`, ticket };
  });

  router.get('/api/sandbox/events', (ctx) => {
    ctx.body = {
      subscription: s.sub,
      connections: [...s.conns.values()].map((c) => ({
        id: c.id,
        clientId: c.clientId,
        subscriptions: c.subscriptions,
      })),
      deliveries: s.deliveries,
    };
  });

  // Pushes an arbitrary event body through the current subscription, as a forger or a confused
  // relay would (tests of the product's refusal to trust event bodies).
  router.post('/api/sandbox/events/publish', (ctx) => {
    const b = (ctx.request.body ?? {}) as { eventType?: unknown; fields?: unknown };
    if (
      typeof b.eventType !== 'string' ||
      !b.eventType ||
      typeof b.fields !== 'object' ||
      b.fields === null
    ) {
      ctx.status = 400;
      ctx.body = {
        error: { code: 'validation_failed', message: 'eventType (string) and fields (object) are required' },
      };
      return;
    }
    ctx.body = { eventId: publishEvent(state, b.eventType, b.fields as Record<string, unknown>) };
  });

  router.post('/api/sandbox/events/subscription', (ctx) => {
    const r = subscriptionPatch.safeParse(ctx.request.body ?? {});
    if (!r.success) {
      ctx.status = 400;
      ctx.body = { error: { code: 'validation_failed', message: r.error.issues[0]?.message ?? 'invalid' } };
      return;
    }
    ctx.body = { subscription: configureEvents(state, r.data as Partial<EventSubscription>) };
  });

  consoleTabs.push({
    id: 'events',
    label: '事件 Events',
    render() {
      const rows = s.deliveries
        .slice(-50)
        .reverse()
        .map(
          (d) =>
            `<tr><td>${d.id}</td><td>${esc(d.eventType)}<br><span class="muted">${esc(d.eventId)}</span></td><td>${esc(String(d.fields.type ?? ''))} ${esc(String(d.fields.result ?? ''))}</td><td>${esc(d.status)} (${d.attempts})</td><td class="muted">${d.log.map(esc).join('<br>')}</td></tr>`,
        )
        .join('');
      return `<div class="card"><h2>事件推送 <span class="hint">Event delivery: Stream or HTTP callback</span></h2>
<p>模式 mode: <b>${esc(s.sub.mode)}</b> · Stream 连接 connections: <b>${s.conns.size}</b> · 回调 URL: ${esc(s.sub.url ?? '—')}</p>
<form data-ev-sub><label>模式 <select name="mode"><option value="stream"${s.sub.mode === 'stream' ? ' selected' : ''}>Stream</option><option value="http"${s.sub.mode === 'http' ? ' selected' : ''}>HTTP</option></select></label>
<label>回调 URL <input name="url" value="${esc(s.sub.url ?? '')}" size="40"></label>
<label>每个事件推送次数 (duplicates) <input name="copies" type="number" min="1" max="50" value="${s.sub.copies}"></label>
<button class="btn">保存 (save)</button></form></div>
<div class="card"><table><thead><tr><th>#</th><th>事件</th><th>type/result</th><th>状态</th><th>记录</th></tr></thead><tbody>${rows || '<tr><td colspan="5" class="muted">—</td></tr>'}</tbody></table></div>
<script>
document.querySelector('[data-ev-sub]')?.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const d = new FormData(ev.target);
  await fetch('/api/sandbox/events/subscription', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode: d.get('mode'), url: d.get('url') || null, copies: Number(d.get('copies')) }) });
  location.hash = 'events'; location.reload();
});
</script>`;
    },
  });
};
