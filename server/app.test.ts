import { RequestContext } from '@mikro-orm/core';
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
});
