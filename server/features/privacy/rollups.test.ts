import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TransitionName } from '../../../shared/pipeline';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { DeletionRequest } from '../../kernel/db/entities/DeletionRequest';
import { makeApplication, makeCandidate } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { recomputedRollupRows, rollupRows } from '../../testing/rollups';
import { transition } from '../workflow';
import { eraseCandidate } from './erasure';
import { purgeExpired } from './retention';

/**
 * The privacy paths and the analytics rollups: an erasure anonymises the candidate and the
 * retention purge removes media and transcripts, but neither deletes an application, its stage
 * history or its score (the decision record stays), so the rollups are unchanged and still equal
 * a recomputation from the source tables.
 */
describeEachDialect('erasure and retention leave the analytics rollups exact', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
  }, 30_000);
  afterAll(async () => t?.close());

  it('keeps every rollup row through an erasure and a purge', async () => {
    const em = t.orm.em.fork();
    const T0 = Date.parse('2026-06-01T00:00:00Z');
    const H = 3_600_000;
    const path: TransitionName[] = ['submit', 'score', 'review', 'reject'];
    const erased = await makeCandidate(em, { mobile: '13930000002' });
    for (const [i, candidate] of [erased, erased, await makeCandidate(em)].entries()) {
      const app = await makeApplication(em, { candidate });
      app.createdAt = new Date(T0 + i * 7 * H);
      app.stageChangedAt = app.createdAt;
      em.create(ApplicationReview, {
        application: app,
        overall: 55 + i * 15,
        suggestion: 'review',
        reason: 'x',
      });
      await em.flush();
      for (const [k, name] of path.entries())
        await t.orm.em.fork().transactional((tx) =>
          transition(tx, {
            applicationId: app.id,
            name,
            actor:
              name === 'reject'
                ? { by: 'hr', person: { kind: 'employee', id: 1 } }
                : { by: 'system', person: null },
            reason: 'test',
            now: new Date(T0 + i * 7 * H + (k + 1) * 5 * H),
          }),
        );
    }
    const before = await rollupRows(em);
    expect(before.filter((r) => r.startsWith('durations|')).length).toBeGreaterThan(10);

    const req = em.create(DeletionRequest, {
      candidate: erased,
      requestedBy: 'candidate',
      activeKey: String(erased.id),
      dueBy: new Date(T0 + 40 * 86_400_000),
    });
    await em.flush();
    const later = new Date(T0 + 400 * 86_400_000);
    const summary = await t.orm.em
      .fork()
      .transactional((tx) =>
        eraseCandidate(tx, { storage: t.storage, calendar: t.dingtalk.calendar }, req.id, later),
      );
    expect(summary?.applications).toBe(2);
    expect((await purgeExpired({ orm: t.orm, storage: t.storage, now: later })).applications).toBeGreaterThan(
      0,
    );

    expect(await rollupRows(t.orm.em.fork())).toEqual(before);
    expect(before).toEqual(await recomputedRollupRows(t.orm.em.fork(), dialect));
  });
});
