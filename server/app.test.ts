import { EventEmitter, once } from 'node:events';
import { PassThrough, Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { RequestContext, TransactionContext } from '@mikro-orm/core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { lazyRequestContext } from './app';
import { Candidate } from './kernel/db/entities/Candidate';
import { describeEachDialect, startTestApp, type TestApp } from './testing/harness';

describeEachDialect('the request context forks its EntityManager on first use', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
  }, 60_000);
  afterAll(async () => t?.close());

  const storage = () =>
    (RequestContext as unknown as { storage: { run<T>(ctx: RequestContext, fn: () => T): T } }).storage;

  it('makes no fork for a request that never asks, one fork for all asks of a request, a new one per request', async () => {
    const fork = vi.spyOn(t.orm.em, 'fork');
    try {
      const untouched = lazyRequestContext(t.orm.em);
      await storage().run(untouched, async () => undefined);
      expect(fork).not.toHaveBeenCalled();

      const seen = await storage().run(lazyRequestContext(t.orm.em), async () => {
        const a = RequestContext.getEntityManager();
        const b = t.orm.em.getContext();
        return { a, b };
      });
      expect(fork).toHaveBeenCalledTimes(1);
      expect(seen.a).toBeDefined();
      expect(seen.a).toBe(seen.b);
      expect(seen.a).not.toBe(t.orm.em);

      const other = await storage().run(lazyRequestContext(t.orm.em), async () => t.orm.em.getContext());
      expect(fork).toHaveBeenCalledTimes(2);
      expect(other).not.toBe(seen.a);
    } finally {
      fork.mockRestore();
    }
  });

  it("keeps each request's identity map its own (the global manager resolves to the request's fork)", async () => {
    const em = t.orm.em.fork();
    const c = em.create(Candidate, { name: 'Ada', locale: 'en' });
    await em.flush();
    const [x, y] = await Promise.all(
      [0, 1].map(() =>
        storage().run(lazyRequestContext(t.orm.em), async () => {
          const found = await t.orm.em.findOneOrFail(Candidate, { id: c.id });
          return { found, again: await t.orm.em.findOneOrFail(Candidate, { id: c.id }) };
        }),
      ),
    );
    expect(x.found).toBe(x.again);
    expect(x.found).not.toBe(y.found);
    expect(x.found.name).toBe('Ada');
  });

  /**
   * What request code relies on, whichever AsyncLocalStorage implementation Node runs (async
   * hooks by default on Node 22, V8 context frames with `--experimental-async-context-frame`):
   * the request's manager survives every way a handler continues (awaited queries, timers,
   * immediates, emitter listeners, stream callbacks, a transaction), and requests interleaved on
   * one event loop never see each other's.
   */
  it('keeps the context across awaits, timers, emitters and streams, per request, under load', async () => {
    const em = t.orm.em.fork();
    const c = em.create(Candidate, { name: 'Grace', locale: 'en' });
    await em.flush();
    const oneRequest = (i: number) =>
      storage().run(lazyRequestContext(t.orm.em), async () => {
        const own = RequestContext.getEntityManager();
        const seen: Array<[string, unknown]> = [];
        const look = (where: string) => seen.push([where, RequestContext.getEntityManager()]);
        await t.orm.em.findOneOrFail(Candidate, { id: c.id });
        look('after a query');
        await sleep(i % 3);
        look('after a timer');
        await new Promise<void>((r) =>
          setTimeout(() => {
            look('in a timer callback');
            r();
          }, i % 2),
        );
        await new Promise<void>((r) =>
          setImmediate(() => {
            look('in an immediate');
            r();
          }),
        );
        const emitter = new EventEmitter();
        emitter.on('x', () => look('in a listener'));
        setTimeout(() => emitter.emit('x'), 1);
        await once(emitter, 'x');
        look('after once()');
        const sink = new PassThrough();
        await pipeline(
          Readable.from([Buffer.from('a'), Buffer.from('b')]),
          new Transform({
            transform(chunk, _enc, done) {
              look('in a transform');
              setTimeout(() => done(null, chunk), 0);
            },
          }),
          new Writable({
            write(_chunk, _enc, done) {
              look('in a write');
              sink.write('x');
              done();
            },
          }),
        );
        look('after a pipeline');
        const inTx = await t.orm.em.transactional(async (tem) => {
          await sleep(1);
          const txEm = TransactionContext.getEntityManager();
          await tem.findOneOrFail(Candidate, { id: c.id });
          return { tem, txEm, again: TransactionContext.getEntityManager() };
        });
        look('after a transaction');
        return { own, seen, inTx };
      });
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => oneRequest(i)));
    const owns = new Set(results.map((r) => r.own));
    expect(owns.size).toBe(results.length);
    for (const r of results) {
      expect(r.own).toBeDefined();
      for (const [where, got] of r.seen) expect(got === r.own, where).toBe(true);
      expect(r.seen.map(([w]) => w)).toContain('in a transform');
      expect(r.inTx.txEm).toBe(r.inTx.tem);
      expect(r.inTx.again).toBe(r.inTx.tem);
      expect(r.inTx.tem).not.toBe(r.own);
    }
    // Outside any request there is no context to find.
    expect(RequestContext.getEntityManager()).toBeUndefined();
  });
});
