import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryObserver } from '@tanstack/react-query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { createQueryClient, MAX_READ_RETRIES, retryDelay, shouldRetryRead } from './client';

describe('shouldRetryRead', () => {
  it('retries what may pass by itself: no answer, 5xx, 429', () => {
    expect(shouldRetryRead(0, new ApiError(0, 'network_error', 'offline'))).toBe(true);
    expect(shouldRetryRead(0, new ApiError(503, 'http_503', 'down'))).toBe(true);
    expect(shouldRetryRead(1, new ApiError(500, 'internal', 'boom'))).toBe(true);
    expect(shouldRetryRead(0, new ApiError(429, 'rate_limited', 'slow down'))).toBe(true);
  });

  it('never retries a 4xx, a malformed response or something that is not an API error', () => {
    for (const [status, code] of [
      [400, 'validation_failed'],
      [401, 'unauthorized'],
      [403, 'forbidden'],
      [404, 'not_found'],
      [409, 'slot_full'],
    ] as const)
      expect(shouldRetryRead(0, new ApiError(status, code, 'no'))).toBe(false);
    expect(shouldRetryRead(0, new ApiError(200, 'bad_response', 'shape'))).toBe(false);
    expect(shouldRetryRead(0, new TypeError('bug'))).toBe(false);
    expect(shouldRetryRead(0, new DOMException('aborted', 'AbortError'))).toBe(false);
  });

  it('stops after the last retry', () => {
    expect(shouldRetryRead(MAX_READ_RETRIES, new ApiError(0, 'network_error', 'offline'))).toBe(false);
  });

  it('backs off exponentially, capped', () => {
    expect([0, 1, 2, 3, 10].map(retryDelay)).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});

describe('the app query client', () => {
  const attempts = async (run: () => Promise<unknown>, counter: { n: number }) => {
    await run().catch(() => undefined);
    return counter.n;
  };

  it('reads: a 5xx is tried again, then its error surfaces; a 4xx surfaces at once', async () => {
    const qc = createQueryClient();
    // Retries wait 0.5 s then 1 s; keep the test short without changing the policy under test.
    qc.setQueryDefaults(['t'], { retryDelay: 1 });
    const fail = (status: number, code: string) => {
      const counter = { n: 0 };
      const run = () =>
        qc.fetchQuery({
          queryKey: ['t', status],
          queryFn: () => {
            counter.n++;
            throw new ApiError(status, code, 'x');
          },
          retry: qc.getDefaultOptions().queries?.retry,
        });
      return attempts(run, counter);
    };
    expect(await fail(502, 'http_502')).toBe(1 + MAX_READ_RETRIES);
    expect(await fail(404, 'not_found')).toBe(1);
    const err = await qc
      .fetchQuery({
        queryKey: ['t', 'err'],
        queryFn: () => Promise.reject(new ApiError(409, 'slot_full', 'x')),
        retry: qc.getDefaultOptions().queries?.retry,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('slot_full');
  });

  it('writes are never retried, even on a 5xx', async () => {
    const qc = createQueryClient();
    let n = 0;
    const m = qc.getMutationCache().build(qc, {
      mutationFn: async () => {
        n++;
        throw new ApiError(503, 'http_503', 'down');
      },
    });
    await m.execute(undefined).catch(() => undefined);
    expect(n).toBe(1);
  });
});

describe('abort on unmount', () => {
  let server: Server;
  let url: string;
  const received: string[] = [];
  const closed: string[] = [];
  beforeAll(async () => {
    // Never answers: the only way the request ends is the client hanging up.
    server = createServer((req, res) => {
      received.push(req.url ?? '');
      res.on('close', () => closed.push(req.url ?? ''));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a screen that goes away cancels its request (the last observer unsubscribes)', async () => {
    const qc = createQueryClient();
    let signal: AbortSignal | undefined;
    const observer = new QueryObserver(qc, {
      queryKey: ['slow'],
      queryFn: ({ signal: s }) => {
        signal = s;
        return fetch(`${url}/slow`, { signal: s }).then((r) => r.json());
      },
    });
    const unsubscribe = observer.subscribe(() => undefined);
    await expect.poll(() => received).toContain('/slow');
    expect(signal?.aborted).toBe(false);
    expect(closed).toEqual([]);
    unsubscribe();
    expect(signal?.aborted).toBe(true);
    await expect.poll(() => closed).toContain('/slow');
  });
});
