import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({ grant: vi.fn(), complete: vi.fn(), multipart: vi.fn() }));
vi.mock('./api', () => ({ interviewApi: api }));
const { uploadOssMultipart } = await import('./upload');

const PART = 100;
const grant = {
  mode: 'oss' as const,
  attempt: 1,
  key: 'k',
  url: 'http://oss/',
  fields: {},
  contentType: 'video/webm',
  minBytes: 1,
  maxBytes: 10_000,
  expiresAt: '',
  partBytes: PART,
};

/** A fake OSS + server: parts land in `stored`; resume lists them and signs the missing ones. */
function fakeBackend(total: number) {
  const stored = new Map<number, number>();
  const count = Math.ceil(total / PART);
  const state = () => ({
    uploadId: 'U1',
    partBytes: PART,
    partCount: count,
    uploaded: [...stored].map(([partNumber, size]) => ({ partNumber, size })),
    urls: Array.from({ length: count }, (_, i) => i + 1)
      .filter((n) => !stored.has(n))
      .map((n) => ({ partNumber: n, url: `http://oss/k?partNumber=${n}&uploadId=U1` })),
    expiresAt: '',
  });
  api.multipart.mockImplementation(async (_id: number, body: { op: string }) =>
    body.op === 'complete' ? { ...state(), completed: { bytes: total } } : state(),
  );
  return { stored };
}

beforeEach(() => vi.clearAllMocks());
afterEach(() => vi.unstubAllGlobals());

describe('OSS multipart upload in the browser', () => {
  it('after a network drop, resumes from the parts OSS has instead of starting over', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const { stored } = fakeBackend(450);
    let drops = 0;
    const puts: number[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: { body: Blob }) => {
        const n = Number(/partNumber=(\d+)/.exec(url)?.[1]);
        // The network drops once, on part 3.
        if (n === 3 && drops++ === 0) throw new TypeError('Failed to fetch');
        puts.push(n);
        stored.set(n, init.body.size);
        return new Response('', { status: 200 });
      }),
    );
    const progress = vi.fn();
    const run = uploadOssMultipart(9, grant, new Blob([new Uint8Array(450)]), progress);
    await vi.runAllTimersAsync();
    await run;
    vi.useRealTimers();
    // Parts 1 and 2 were sent once; 3 again after the drop; then 4 and 5.
    expect(puts).toEqual([1, 2, 3, 4, 5]);
    expect([...stored.values()]).toEqual([100, 100, 100, 100, 50]);
    const ops = api.multipart.mock.calls.map((c) => c[1].op);
    expect(ops[0]).toBe('init');
    expect(ops).toContain('resume');
    expect(ops.at(-1)).toBe('complete');
    expect(api.multipart.mock.calls.at(-1)?.[1]).toEqual({
      attempt: 1,
      bytes: 450,
      op: 'complete',
      uploadId: 'U1',
    });
    expect(progress).toHaveBeenCalledWith(200 / 450, true);
    expect(progress).toHaveBeenLastCalledWith(1, false);
  });

  it('stops on a refusal from the server (4xx with a code)', async () => {
    api.multipart.mockRejectedValue(
      Object.assign(new (await import('../api')).ApiError(409, 'attempt_closed', 'closed')),
    );
    await expect(
      uploadOssMultipart(9, grant, new Blob([new Uint8Array(450)]), vi.fn()),
    ).rejects.toMatchObject({
      code: 'attempt_closed',
    });
  });
});
