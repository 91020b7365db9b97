/**
 * Stream mode (dingtalk-reference.md §5b) with the official `dingtalk-stream` SDK. The SDK
 * hard-codes DingTalk's gateway URL, so {@link GatewayDWClient} overrides `getEndpoint()` to ask
 * the configured gateway (the sandbox in demo/tests) and keeps the SDK's socket, frames,
 * ping/pong and reconnect logic.
 *
 * Acks: the SDK's `registerAllEventListener` must return the ack synchronously, i.e. before any
 * database write could commit. We want "persist, then ack": `onEvent` is overridden to run the
 * (fast, transactional) handler and then send the SDK's own ack frame, `SUCCESS` once committed
 * or `LATER` when it failed, which makes the gateway redeliver. Slow work never runs before the
 * ack; it is queued in the outbox by the handler's transaction.
 */
import { createRequire } from 'node:module';
import type { DWClient, DWClientDownStream } from 'dingtalk-stream';
import type { Logger } from '../../logger';

const require = createRequire(import.meta.url);
/** The SDK, required on first use (see {@link gatewayClientClass}). */
const sdk = () => require('dingtalk-stream') as typeof import('dingtalk-stream');

/** Settings of the Stream connection. */
export interface StreamSettings {
  clientId: string;
  clientSecret: string;
  /** `POST` URL that returns `{ endpoint, ticket }`. */
  gatewayUrl: string;
}

/** An event frame handed to the application. */
export interface StreamEvent {
  eventType: string;
  eventId: string | null;
  data: Record<string, unknown>;
  headers: DWClientDownStream['headers'];
}

/** `DWClient` that connects through a configurable gateway and acks after the handler. */
export type GatewayDWClient = DWClient & {
  /** Handles EVENT frames; resolve = ack SUCCESS, reject = ack LATER (redeliver). */
  eventHandler: ((e: StreamEvent) => Promise<unknown>) | null;
  /** Sends a frame's ack or response; never throws (a closed connection is logged). */
  reply(messageId: string, value: unknown): void;
};

let gatewayClass: (new (settings: StreamSettings, log?: Logger) => GatewayDWClient) | null = null;

/**
 * The client class, built on first use: `dingtalk-stream` (~37 MB resident) is loaded only by a
 * process that opens a Stream connection, not by every web process that imports this module.
 */
function gatewayClientClass(): new (settings: StreamSettings, log?: Logger) => GatewayDWClient {
  if (gatewayClass) return gatewayClass;
  const { DWClient: SdkClient, EventAck } = sdk();
  class Gateway extends SdkClient {
    /** Handles EVENT frames; resolve = ack SUCCESS, reject = ack LATER (redeliver). */
    eventHandler: ((e: StreamEvent) => Promise<unknown>) | null = null;

    constructor(
      private readonly settings: StreamSettings,
      private readonly log?: Logger,
    ) {
      super({ clientId: settings.clientId, clientSecret: settings.clientSecret, ua: 'ai-interviews' });
    }

    override async getEndpoint(): Promise<this> {
      const res = await fetch(this.settings.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          clientId: this.settings.clientId,
          clientSecret: this.settings.clientSecret,
          ua: this.config.ua,
          subscriptions: this.config.subscriptions,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json().catch(() => null)) as { endpoint?: string; ticket?: string } | null;
      if (!res.ok || !body?.endpoint || !body.ticket)
        throw new Error(`Stream gateway refused the connection (HTTP ${res.status})`);
      // `dw_url` is private in the SDK's typings; this is the override point its docs describe.
      (this as unknown as { dw_url: string }).dw_url =
        `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
      return this;
    }

    override onEvent(message: DWClientDownStream): void {
      const handler = this.eventHandler;
      if (!handler) {
        super.onEvent(message);
        return;
      }
      let data: Record<string, unknown> = {};
      try {
        data = JSON.parse(message.data) as Record<string, unknown>;
      } catch {
        this.log?.warn({ messageId: message.headers.messageId }, 'Stream event with non-JSON data');
      }
      const event: StreamEvent = {
        eventType: message.headers.eventType ?? String(data.EventType ?? ''),
        eventId: message.headers.eventId ?? null,
        data,
        headers: message.headers,
      };
      handler(event).then(
        () => this.reply(message.headers.messageId, { status: EventAck.SUCCESS, message: 'OK' }),
        (err: unknown) => {
          this.log?.warn(
            { eventId: event.eventId, err: (err as Error).message },
            'Stream event failed; asking for redelivery',
          );
          this.reply(message.headers.messageId, { status: EventAck.LATER, message: 'retry' });
        },
      );
    }

    /**
     * Sends an ack or a callback's response without ever throwing. The handler runs after the
     * frame arrived; meanwhile the connection may have dropped and the SDK be reconnecting, and
     * the SDK's `send` then throws from the new socket ("WebSocket is not open: readyState 0").
     * Thrown inside a promise callback that would be an unhandled rejection, which ends a Node
     * process. Nothing is lost by not sending: without an ack the gateway delivers the frame
     * again (an event handler is idempotent by event id; the robot answers a repeated message
     * once).
     */
    reply(messageId: string, value: unknown): void {
      try {
        this.send(messageId, value);
      } catch (err) {
        this.log?.warn(
          { messageId, err: (err as Error).message },
          'Stream reply not sent (connection not open); the gateway delivers the frame again',
        );
      }
    }
  }
  gatewayClass = Gateway;
  return Gateway;
}

/** A running Stream connection. */
export interface StreamConnection {
  client: GatewayDWClient;
  /**
   * Registers a CALLBACK topic handler (e.g. the robot's `/v1.0/im/bot/messages/get`). Call
   * before {@link StreamConnection.connect}. The handler's result is sent as the callback response.
   */
  onCallback(topic: string, handler: (msg: DWClientDownStream) => unknown | Promise<unknown>): void;
  connect(): Promise<void>;
  close(): void;
}

/**
 * Creates the Stream connection; `onEvent` receives every EVENT frame. With `onEvent` null the
 * connection subscribes to no events at all (a process that only answers callback topics), so
 * DingTalk delivers events to connections that handle them.
 */
export function createStream(
  settings: StreamSettings,
  onEvent: ((e: StreamEvent) => Promise<unknown>) | null,
  log?: Logger,
): StreamConnection {
  const client = new (gatewayClientClass())(settings, log);
  if (onEvent) {
    client.eventHandler = onEvent;
    // The SDK's synchronous listener is not used for EVENT frames (see onEvent), but keep it valid.
    client.registerAllEventListener(() => ({ status: sdk().EventAck.SUCCESS }));
  }
  return {
    client,
    onCallback(topic, handler) {
      client.registerCallbackListener(topic, (msg) => {
        Promise.resolve()
          .then(() => handler(msg))
          .then(
            // `reply` rather than the SDK's `socketCallBackResponse`, which throws when the
            // connection is being re-opened (see `reply`).
            (result) => client.reply(msg.headers.messageId, { response: result ?? null }),
            (err: unknown) =>
              log?.warn({ topic, err: (err as Error).message }, 'Stream callback handler failed'),
          );
      });
    },
    async connect() {
      await client.connect();
    },
    close() {
      client.disconnect();
    },
  };
}
