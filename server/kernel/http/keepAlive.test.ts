import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../testing/harness';

/** Reads one HTTP/1.1 response (status line and a Content-Length body) from a raw socket. */
function response(sock: net.Socket): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      done();
      resolve({ status: Number(buf.slice(9, 12)), body: buf.slice(end + 4, end + 4 + length) });
    };
    const onClose = () => {
      done();
      reject(new Error('the server closed the connection'));
    };
    const done = () => {
      sock.off('data', onData);
      sock.off('close', onClose);
    };
    sock.on('data', onData);
    sock.on('close', onClose);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The server as `npm start` runs it (startServer), not only the Koa app: the timeout is set on
// the listening server.
describe('idle HTTP connections behind a load balancer', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ROLES: 'web', HTTP_KEEPALIVE_SECONDS: '7' } });
  }, 60_000);
  afterAll(async () => stack?.close());

  it('stay open for HTTP_KEEPALIVE_SECONDS (past Node’s 5 s), then close', async () => {
    const sock = net.connect(Number(new URL(stack.appUrl).port), '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const get = () => {
      const reply = response(sock);
      sock.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
      return reply;
    };
    try {
      expect(await get()).toMatchObject({ status: 200 });
      // Idle longer than Node's default keep-alive timeout: a balancer reusing the connection
      // now must get an answer, not a closed socket.
      await sleep(6_000);
      expect(sock.destroyed).toBe(false);
      expect(await get()).toMatchObject({ status: 200 });
      // Idle past the configured timeout, the server closes it (so idle sockets do not pile up).
      const idleFrom = Date.now();
      await new Promise((r) => sock.once('close', r));
      expect(Date.now() - idleFrom).toBeGreaterThan(6_000);
    } finally {
      sock.destroy();
    }
  }, 30_000);
});
