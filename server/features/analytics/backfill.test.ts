import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApplicationStageEvent } from '../../kernel/db/entities/ApplicationStageEvent';
import { migrations as mysqlMigrations } from '../../kernel/db/migrations/mysql';
import { migrations as sqliteMigrations } from '../../kernel/db/migrations/sqlite';
import { migrateUp, type Orm, openOrm } from '../../kernel/db/orm';
import { makeApplication, makeJob } from '../../testing/factories';
import { createTestDatabase, describeEachDialect } from '../../testing/harness';

/**
 * The stage-events migration backfills one row per application that had moved before it, at its
 * `stage_changed_at`, so existing data shows on the dashboards from the first day.
 */
describeEachDialect('stage events backfill', (dialect) => {
  let orm: Orm;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createTestDatabase(dialect);
    drop = created.drop;
    orm = await openOrm(created.db);
  });
  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  it('writes one event per moved application at its last move; invited ones get none', async () => {
    const list = dialect === 'mysql' ? mysqlMigrations : sqliteMigrations;
    const mine = list.findIndex((m) => m.name.endsWith('_analytics_stage_events'));
    expect(mine).toBeGreaterThan(0);
    await orm.migrator.up({ to: list[mine - 1].name });
    const em = orm.em.fork();
    const job = await makeJob(em);
    const moved = new Date('2026-11-20T03:04:05.678Z');
    const hired = await makeApplication(em, { job, stage: 'hired' });
    const review = await makeApplication(em, { job, stage: 'in_review' });
    const waiting = await makeApplication(em, { job, stage: 'invited' });
    hired.stageChangedAt = moved;
    await em.flush();

    expect(await migrateUp(orm)).toEqual(list.slice(mine).map((m) => m.name));
    const events = await orm.em.fork().find(ApplicationStageEvent, {}, { orderBy: { applicationId: 'asc' } });
    expect(events.map((e) => [e.applicationId, e.jobId, e.fromStage, e.toStage, e.transition])).toEqual([
      [hired.id, job.id, null, 'hired', 'backfill'],
      [review.id, job.id, null, 'in_review', 'backfill'],
    ]);
    expect(events[0].at.toISOString()).toBe(moved.toISOString());
    expect(events[0]).toMatchObject({ actorKind: 'system', actorId: null, fromSince: null });
    expect(events.some((e) => e.applicationId === waiting.id)).toBe(false);
  });
});
