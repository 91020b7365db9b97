import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApplicationStageEvent } from '../../kernel/db/entities/ApplicationStageEvent';
import { migrations as mysqlMigrations } from '../../kernel/db/migrations/mysql';
import { migrations as sqliteMigrations } from '../../kernel/db/migrations/sqlite';
import { migrateUp, type Orm, openOrm } from '../../kernel/db/orm';
import { emTx } from '../../kernel/db/tx';
import { makeCandidate, makeJob } from '../../testing/factories';
import { createTestDatabase, describeEachDialect, revertThrough } from '../../testing/harness';

/**
 * The stage-events migration backfills one row per application that had moved before it, at its
 * `stage_changed_at`, so existing data shows on the dashboards from the first day.
 */
describeEachDialect('stage events and funnel reach backfill', (dialect) => {
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
    // The job and candidates through today's entities, then back to before the stage events.
    await migrateUp(orm);
    const em = orm.em.fork();
    const job = await makeJob(em);
    const candidates = [await makeCandidate(em), await makeCandidate(em), await makeCandidate(em)];
    await revertThrough(orm, '_analytics_stage_events');
    const moved = new Date('2026-11-20T03:04:05.678Z');
    // Plain SQL with the columns applications had then (the entity is already ahead of them).
    const tx = emTx(em);
    const insert = async (stage: string, at: Date) => {
      const candidate = candidates.shift() as (typeof candidates)[number];
      const r = await tx.run(
        `insert into applications (candidate_id, job_id, stage, stage_changed_at, person_only, version, created_at, updated_at)
         values (?, ?, ?, ?, 0, 1, ?, ?)`,
        [candidate.id, job.id, stage, tx.date(at), tx.date(at), tx.date(at)],
      );
      const [row] = await tx.all<{ id: number }>('select id from applications where candidate_id = ?', [
        candidate.id,
      ]);
      expect(r.affectedRows).toBe(1);
      return { id: Number(row.id) };
    };
    const hired = await insert('hired', moved);
    const review = await insert('in_review', new Date());
    const waiting = await insert('invited', new Date());

    expect(await migrateUp(orm)).toEqual(list.slice(mine).map((m) => m.name));
    const events = await orm.em.fork().find(ApplicationStageEvent, {}, { orderBy: { applicationId: 'asc' } });
    expect(events.map((e) => [e.applicationId, e.jobId, e.fromStage, e.toStage, e.transition])).toEqual([
      [hired.id, job.id, null, 'hired', 'backfill'],
      [review.id, job.id, null, 'in_review', 'backfill'],
    ]);
    expect(events[0].at.toISOString()).toBe(moved.toISOString());
    expect(events[0]).toMatchObject({ actorKind: 'system', actorId: null, fromSince: null });
    expect(events.some((e) => e.applicationId === waiting.id)).toBe(false);
    // The furthest funnel step each had reached, from the stage and the (backfilled) history.
    const reach = await orm.em
      .fork()
      .execute<Array<{ id: number; funnel_reach: number }>>(
        'select id, funnel_reach from applications order by id',
      );
    expect(reach.map((r) => [Number(r.id), Number(r.funnel_reach)])).toEqual([
      [hired.id, 8],
      [review.id, 2],
      [waiting.id, 0],
    ]);
    // Reverting and re-applying migrations one by one: dozens of ALTERs on a busy MariaDB.
  }, 120_000);
});
