import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type Dialect, describeEachDialect } from '../../testing/harness';
import { entities } from './entities';
import { Candidate } from './entities/Candidate';
import { Department } from './entities/Department';
import { InterviewQuestion } from './entities/InterviewPlan';
import { Invitation } from './entities/Invitation';
import { Job } from './entities/Job';
import { OrgSettings } from './entities/OrgSettings';
import { BankQuestion } from './entities/QuestionBank';
import { User } from './entities/User';
import { migrateUp, type Orm, openOrm } from './orm';
import { DEMO_JOBS, DEMO_ORG } from './seeds/demoCompany';
import { demoBankKey, seedDemoCompany, seedEmptyOrganisation } from './seeds/seed';

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
      bankQuestions: 7, // the 7 questions also fill the company's question bank
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
      bankQuestions: 0,
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

  it('the demo questions are in the bank, and the demo plans point at their bank versions', async () => {
    const em = orm.em.fork();
    const bank = await em.find(BankQuestion, {}, { orderBy: { id: 'asc' } });
    expect(bank.map((b) => b.key)).toEqual(
      DEMO_JOBS.flatMap((j) => j.questions.map((_, i) => demoBankKey(j.key, i))),
    );
    expect(bank.every((b) => b.version === 1 && b.latest && !b.archived)).toBe(true);
    const planQs = await em.find(
      InterviewQuestion,
      { practice: false },
      { populate: ['bankQuestion'], orderBy: { id: 'asc' } },
    );
    expect(planQs).toHaveLength(7);
    for (const q of planQs) {
      expect(q.bankQuestion, q.text).not.toBeNull();
      expect(q.bankQuestion?.text).toBe(q.text);
      expect(q.bankQuestion?.competencies).toEqual(q.competencies);
    }
    // HR edits a seeded question (a new version) and archives another: a second seed run and
    // the empty start's seed leave both alone instead of bringing the old text back.
    const first = bank[0];
    first.latest = false;
    em.create(BankQuestion, {
      key: first.key,
      version: 2,
      latest: true,
      archived: true,
      text: `${first.text}（改）`,
      competencies: first.competencies,
      referenceAnswers: [],
    } as never);
    await em.flush();
    await seedDemoCompany(orm.em);
    await seedEmptyOrganisation(orm.em, DEMO_ORG.corpId);
    expect(await orm.em.fork().count(BankQuestion, {})).toBe(8);
    expect(await orm.em.fork().count(BankQuestion, { key: first.key, latest: true })).toBe(1);
  });
});

describeEachDialect('the empty start', (dialect: Dialect) => {
  let orm: Orm;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createTestDatabase(dialect);
    drop = created.drop;
    orm = await openOrm(created.db);
    await migrateUp(orm);
  });
  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  it('has the organisation and a starter question bank, and nothing else', async () => {
    await seedEmptyOrganisation(orm.em, DEMO_ORG.corpId);
    await seedEmptyOrganisation(orm.em, DEMO_ORG.corpId);
    const em = orm.em.fork();
    expect(await em.count(OrgSettings, {})).toBe(1);
    expect(await em.count(BankQuestion, { latest: true, archived: false })).toBe(7);
    expect(await em.count(Job, {})).toBe(0);
    expect(await em.count(InterviewQuestion, {})).toBe(0);
    expect(await em.count(Candidate, {})).toBe(0);
    expect(await em.count(User, {})).toBe(0);
  });
});
