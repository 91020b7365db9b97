import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { bindLog, createLogger, type Logger, lazyChildLog } from './logger';

function sink() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, stream };
}

describe('per-request child loggers', () => {
  it('builds no child until the log is used, then carries every binding', async () => {
    const { lines, stream } = sink();
    const root = createLogger('info', stream);
    const child = vi.spyOn(root, 'child');
    const state = {} as { log: Logger };
    lazyChildLog(state, root, { requestId: 'req-1' });
    bindLog(state, { actor: 'candidate:7' });
    expect(child).not.toHaveBeenCalled();
    state.log.info({ status: 201 }, 'request');
    state.log.warn('again');
    expect(child).toHaveBeenCalledTimes(1);
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ requestId: 'req-1', actor: 'candidate:7', status: 201, msg: 'request' });
    expect(lines[1]).toMatchObject({ requestId: 'req-1', actor: 'candidate:7', msg: 'again' });
  });

  it('a binding added after the log was used goes on a further child; a log set by hand wins', async () => {
    const { lines, stream } = sink();
    const root = createLogger('info', stream);
    const state = {} as { log: Logger };
    lazyChildLog(state, root, { requestId: 'req-2' });
    state.log.info('before');
    bindLog(state, { actor: 'employee:3' });
    state.log.info('after');
    state.log = root.child({ replaced: true });
    state.log.info('replaced');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).toMatchObject({ requestId: 'req-2', msg: 'before' });
    expect(lines[0].actor).toBeUndefined();
    expect(lines[1]).toMatchObject({ requestId: 'req-2', actor: 'employee:3', msg: 'after' });
    expect(lines[2]).toMatchObject({ replaced: true, msg: 'replaced' });
    expect(lines[2].requestId).toBeUndefined();
  });

  it('a plain holder (no lazy log) gets a child at once', () => {
    const root = createLogger('silent');
    const holder = { log: root };
    bindLog(holder, { actor: 'candidate:1' });
    expect(holder.log).not.toBe(root);
    expect(holder.log.bindings()).toMatchObject({ actor: 'candidate:1' });
  });
});
