import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TransitionName } from '../../../shared/pipeline';
import { Application } from '../../kernel/db/entities/Application';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import { DeletionRequest } from '../../kernel/db/entities/DeletionRequest';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { makeApplication, makeBooking, makeCandidate } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { recomputedRollupRows, rollupRows } from '../../testing/rollups';
import { transition } from '../workflow';
import { eraseCandidate } from './erasure';
import { purgeExpired } from './retention';

/**
 * The privacy paths and the analytics rollups: an erasure anonymises the candidate and the
 * retention purge removes media and transcripts, but neither deletes an application, its stage
 * history or its score (the decision record stays), so those rollups are unchanged and still equal
 * a recomputation from the source tables. The erasure cancels the person's active booking, which
 * moves it in the no-shows-by-reminder rollup (and nothing else there).
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
    // Bookings of the erased candidate with delivered reminders: one over, one still booked
    // (the erasure cancels it, which moves it in the no-shows-by-reminder rollup).
    const [first, second] = await em.find(Application, { candidate: erased }, { orderBy: { id: 'asc' } });
    const start = new Date(T0 + 50 * H);
    const done = await makeBooking(em, { application: first, startAt: start, status: 'completed' });
    const active = await makeBooking(em, { application: second, startAt: start });
    for (const [b, m] of [
      [done, 1440],
      [done, 60],
      [active, 60],
    ] as const)
      em.create(OutboxMessage, {
        idempotencyKey: `test:${b.id}:${m}`,
        topic: `reminder.candidate.${m}m`,
        aggregate: `booking:${b.id}`,
        recipientKind: 'candidate',
        recipientId: String(erased.id),
        channel: 'inbox',
        payload: {},
        dueAt: new Date(start.getTime() - m * 60_000),
        status: 'sent',
      });
    await em.flush();
    const before = await rollupRows(em);
    expect(before.filter((r) => r.startsWith('durations|')).length).toBeGreaterThan(10);
    expect(before.find((r) => r.startsWith(`bookings|${active.id}|`))).toMatch(/\|60\|inbox\|booked\|0$/);

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

    // Every rollup of applications and stage history unchanged; the cancelled booking moved.
    const after = await rollupRows(t.orm.em.fork());
    const moved = (r: string) => r.startsWith(`bookings|${active.id}|`) || r.startsWith('reminders|');
    expect(after.filter((r) => !moved(r))).toEqual(before.filter((r) => !moved(r)));
    expect(after.find((r) => r.startsWith(`bookings|${active.id}|`))).toMatch(/\|cancelled\|[01]$/);
    expect(after).toEqual(await recomputedRollupRows(t.orm.em.fork(), dialect));
  });
});
