import { afterAll, beforeAll, expect, it } from 'vitest';
import { DeletionRequest } from '../../kernel/db/entities/DeletionRequest';
import { HireOutcome } from '../../kernel/db/entities/HireOutcome';
import { makeApplication, makeCandidate } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { eraseCandidate } from './erasure';

/** A hired candidate's erasure also removes what DingTalk's HR said of them (analytics item 4). */
describeEachDialect('erasure of hire outcomes', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
  }, 30_000);
  afterAll(async () => t?.close());

  it("deletes the erased candidate's hire outcome and nobody else's", async () => {
    const em = t.orm.em.fork();
    const now = new Date('2026-11-20T02:00:00Z');
    const outcome = (application: number, userId: string) =>
      em.create(HireOutcome, {
        application,
        dingtalkUserId: userId,
        status: 'regular',
        probationPassed: true,
        performanceGrade: 'A',
        performanceScore: 4,
        syncedAt: now,
      });
    const erased = await makeCandidate(em, { mobile: '13930000001' });
    const mine = await makeApplication(em, { candidate: erased, stage: 'hired' });
    const other = await makeApplication(em, { candidate: await makeCandidate(em), stage: 'hired' });
    outcome(mine.id, 'u-erased');
    outcome(other.id, 'u-other');
    const req = em.create(DeletionRequest, {
      candidate: erased,
      requestedBy: 'candidate',
      activeKey: String(erased.id),
      dueBy: new Date(now.getTime() + 86_400_000),
    });
    await em.flush();
    await t.orm.em
      .fork()
      .transactional((tx) =>
        eraseCandidate(tx, { storage: t.storage, calendar: t.dingtalk.calendar }, req.id, now),
      );
    const left = await t.orm.em.fork().find(HireOutcome, {});
    expect(left.map((o) => o.dingtalkUserId)).toEqual(['u-other']);
  });
});
