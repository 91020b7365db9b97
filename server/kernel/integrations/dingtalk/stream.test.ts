import net from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTestSandbox, type TestSandbox } from '../../../testing/sandbox';
import { DEMO_ORG } from '../../db/seeds/demoCompany';
import { createLogger } from '../../logger';
import { createStream, type StreamConnection } from './stream';

/**
 * The Stream connection against the sandbox's gateway, real SDK and real sockets. What is tested
 * here: a frame whose handler finishes while the connection is being re-opened (the SDK's new
 * socket still CONNECTING, whose `send` throws) must not become an unhandled rejection, which
 * ends a Node process; and the frame is not lost, since the gateway delivers it again.
 */
describe('Stream: a reply while the connection is being re-opened', () => {
  let sandbox: TestSandbox;
  let silent: net.Server;
  let silentUrl = '';
  const held = new Set<net.Socket>();
  const logLines: string[] = [];
  const log = createLogger(
    'warn',
    new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    await sandbox.client.configureEvents({ mode: 'stream', redeliverMs: 300 });
    // A server that accepts TCP and never answers the WebSocket handshake: a socket to it stays
    // CONNECTING, as the SDK's socket is while it reconnects.
    silent = net.createServer((socket) => held.add(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentUrl = `ws://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    for (const socket of held) socket.destroy();
    await new Promise((r) => silent.close(r));
    await sandbox.close();
  });

  const settings = () => ({
    clientId: DEMO_ORG.appKey,
    clientSecret: DEMO_ORG.appSecret,
    gatewayUrl: `${sandbox.url}/v1.0/gateway/connections/open`,
  });

  /** Swaps the SDK's socket for one that is still connecting, runs `fn`, and swaps it back. */
  async function whileReconnecting(stream: StreamConnection, fn: () => Promise<void>): Promise<void> {
    const sdk = stream.client as unknown as { socket: WebSocket };
    const open = sdk.socket;
    const connecting = new WebSocket(silentUrl);
    connecting.on('error', () => {});
    expect(connecting.readyState).toBe(WebSocket.CONNECTING);
    sdk.socket = connecting;
    try {
      await fn();
    } finally {
      sdk.socket = open;
      connecting.terminate();
    }
  }

  async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('an event acked while connecting: logged, no unhandled rejection, delivered again and acked', async () => {
    const seen: string[] = [];
    let release: () => void = () => {};
    const firstDone = new Promise<void>((r) => {
      release = r;
    });
    const stream = createStream(
      settings(),
      async (e) => {
        seen.push(e.eventId ?? '');
        if (seen.length === 1) await firstDone;
      },
      log,
    );
    await stream.connect();
    try {
      await until(async () => (await sandbox.client.events()).connections.length > 0, 'the connection');
      const eventId = await sandbox.client.publishEvent('user_add_org', { UserId: ['u-stream-1'] });
      await until(() => seen.length === 1, 'the first delivery');
      await whileReconnecting(stream, async () => {
        release();
        await new Promise((r) => setTimeout(r, 100));
      });
      expect(unhandled).toEqual([]);
      expect(logLines.join('')).toContain('Stream reply not sent');
      // Not acked, so the gateway delivers it again; that one is acked over the open socket.
      await until(async () => {
        const d = (await sandbox.client.events()).deliveries.find((x) => x.eventId === eventId);
        return d?.status === 'delivered';
      }, 'the redelivery to be acked');
      expect(seen.filter((id) => id === eventId).length).toBeGreaterThanOrEqual(2);
    } finally {
      stream.close();
    }
  });

  it('a robot callback answered while connecting: logged, no unhandled rejection', async () => {
    let release: () => void = () => {};
    const answered = new Promise<void>((r) => {
      release = r;
    });
    let calls = 0;
    const stream = createStream(settings(), null, log);
    stream.onCallback('/v1.0/im/bot/messages/get', async () => {
      calls++;
      if (calls === 1) await answered;
      return { ok: true };
    });
    await stream.connect();
    try {
      await until(async () => {
        const r = await fetch(`${sandbox.url}/api/sandbox/chat/send`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userid: 'hr02', text: 'help', transport: 'stream', msgId: 'cb-1' }),
        });
        return Boolean(((await r.json()) as { delivered?: number }).delivered);
      }, 'the callback to be delivered');
      await until(() => calls === 1, 'the callback handler');
      const before = logLines.join('').split('Stream reply not sent').length;
      await whileReconnecting(stream, async () => {
        release();
        await new Promise((r) => setTimeout(r, 100));
      });
      expect(unhandled).toEqual([]);
      expect(logLines.join('').split('Stream reply not sent').length).toBe(before + 1);
    } finally {
      stream.close();
    }
  });
});
