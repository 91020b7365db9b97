import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type Dialect, describeEachDialect } from '../../testing/harness';
import { entities } from './entities';
import { Candidate } from './entities/Candidate';
import { Department } from './entities/Department';
import { InterviewQuestion } from './entities/InterviewPlan';
import { Invitation } from './entities/Invitation';
import { Job } from './entities/Job';
import { User } from './entities/User';
import { migrateUp, type Orm, openOrm } from './orm';
import { seedDemoCompany } from './seeds/seed';

describeEachDialect('migrations', (dialect: Dialect) => {
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

  it('apply from an empty database and leave no diff against the entities', async () => {
    const applied = await migrateUp(orm);
    expect(applied.length).toBeGreaterThan(0);
    const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
    expect(await migrateUp(orm)).toEqual([]);
    // Every entity's table exists.
    for (const e of entities) {
      const table = e.meta.tableName;
      await expect(
        orm.em.fork().getConnection().execute(`select count(*) as n from ${table}`),
      ).resolves.toBeDefined();
    }
  });

  it('the demo seed is believable and idempotent', async () => {
    const first = await seedDemoCompany(orm.em);
    expect(first).toEqual({
      departments: 5,
      users: 8,
      candidates: 12,
      jobs: 3,
      questions: 10, // 7 questions + a practice question per job
      invitations: 12,
      applications: 12,
    });
    const second = await seedDemoCompany(orm.em);
    expect(second).toEqual({
      departments: 0,
      users: 0,
      candidates: 0,
      jobs: 0,
      questions: 0,
      invitations: 0,
      applications: 0,
    });
    const em = orm.em.fork();
    expect(await em.count(Department, {})).toBe(5);
    expect(await em.count(User, {})).toBe(8);
    expect(
      (await em.find(User, {})).filter((u) => u.roles.includes('interviewer')).length,
    ).toBeGreaterThanOrEqual(4);
    expect(await em.count(Candidate, {})).toBe(12);
    expect(await em.count(Job, {})).toBe(3);
    expect(await em.count(InterviewQuestion, {})).toBe(10);
    expect(await em.count(Invitation, {})).toBe(12);
  });
});
