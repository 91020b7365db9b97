import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestDatabase,
  type Dialect,
  describeEachDialect,
  migrateDb,
  revertThrough,
} from '../../testing/harness';
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

/** A fresh, empty database of the dialect for the suite, dropped afterwards. */
function emptyDatabase(dialect: Dialect): () => Orm {
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
  return () => orm;
}

/** A MySQL database's schema as text: each table's DDL, its triggers in firing order, its migration history. */
async function describeSchema(orm: Orm) {
  const conn = orm.em.fork().getConnection();
  const names = (await conn.execute(
    `select table_name as n from information_schema.tables where table_schema = database() order by table_name`,
  )) as Array<{ n: string }>;
  const tables: string[] = [];
  for (const { n } of names) {
    const [row] = (await conn.execute(`show create table \`${n}\``)) as Array<Record<string, string>>;
    // The next auto-increment value is data, not schema.
    tables.push(row['Create Table'].replace(/ AUTO_INCREMENT=\d+/, ''));
  }
  const triggers = await conn.execute(
    `select trigger_name, event_object_table, action_timing, event_manipulation, action_order,
            action_statement, sql_mode, character_set_client, collation_connection
       from information_schema.triggers where trigger_schema = database()
      order by event_object_table, action_timing, event_manipulation, action_order`,
  );
  const migrations = (
    (await conn.execute('select name from mikro_orm_migrations order by id')) as Array<{
      name: string;
    }>
  ).map((m) => m.name);
  return { tables, triggers, migrations };
}

describeEachDialect('migrations', (dialect: Dialect) => {
  const db = emptyDatabase(dialect);

  it('apply from an empty database and leave no diff against the entities', async () => {
    const applied = await migrateUp(db());
    expect(applied.length).toBeGreaterThan(0);
    const diff = await db().schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
    expect(await migrateUp(db())).toEqual([]);
    // Every entity's table exists.
    for (const e of entities) {
      const table = e.meta.tableName;
      await expect(
        db().em.fork().getConnection().execute(`select count(*) as n from ${table}`),
      ).resolves.toBeDefined();
    }
  });

  // The harness copies a migrated template into MariaDB test databases instead of migrating
  // each one: the copy must be the migrated schema exactly, triggers and history included.
  if (dialect === 'mysql') {
    it('a copy of the test template is the same schema as these migrations produce', async () => {
      const copy = await createTestDatabase('mysql');
      const copyOrm = await openOrm(copy.db);
      try {
        await migrateDb(copyOrm);
        const [real, copied] = await Promise.all([describeSchema(db()), describeSchema(copyOrm)]);
        expect(copied.tables.length).toBeGreaterThan(50);
        expect(copied.triggers.length).toBeGreaterThan(0);
        expect(copied).toEqual(real);
        // The history is there too: nothing pending, and the newest migration can be undone.
        expect(await migrateUp(copyOrm)).toEqual([]);
        const [undone] = await copyOrm.migrator.down();
        expect(undone.name).toBe(real.migrations.at(-1));
      } finally {
        await copyOrm.close(true);
        await copy.drop();
      }
    });
  }

  it('the demo seed is believable and idempotent', async () => {
    const first = await seedDemoCompany(db().em);
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
    const second = await seedDemoCompany(db().em);
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
    const em = db().em.fork();
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
    const em = db().em.fork();
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
    await seedDemoCompany(db().em);
    await seedEmptyOrganisation(db().em, DEMO_ORG.corpId);
    expect(await db().em.fork().count(BankQuestion, {})).toBe(8);
    expect(await db().em.fork().count(BankQuestion, { key: first.key, latest: true })).toBe(1);
  });
});

describeEachDialect('the empty start', (dialect: Dialect) => {
  const db = emptyDatabase(dialect);
  beforeAll(async () => {
    await migrateUp(db());
  });

  it('has the organisation and a starter question bank, and nothing else', async () => {
    await seedEmptyOrganisation(db().em, DEMO_ORG.corpId);
    await seedEmptyOrganisation(db().em, DEMO_ORG.corpId);
    const em = db().em.fork();
    expect(await em.count(OrgSettings, {})).toBe(1);
    expect(await em.count(BankQuestion, { latest: true, archived: false })).toBe(7);
    expect(await em.count(Job, {})).toBe(0);
    expect(await em.count(InterviewQuestion, {})).toBe(0);
    expect(await em.count(Candidate, {})).toBe(0);
    expect(await em.count(User, {})).toBe(0);
  });
});

/**
 * Widening the approval kinds rebuilds SQLite's `approvals` table (its CHECK constraint cannot
 * be altered in place): the approvals already on file survive it, indexes included, and the new
 * kind is accepted afterwards.
 */
describeEachDialect('migrations: approval kinds widened on a database with approvals', (dialect: Dialect) => {
  const db = emptyDatabase(dialect);

  it('keeps every approval row and accepts the accommodation kind', async () => {
    // Seeded on the current schema, then taken back to just before the widening (the seed's
    // tables may have grown since; their own down migrations undo that).
    await db().migrator.up();
    await seedDemoCompany(db().em.fork());
    await revertThrough(db(), '_accommodation_approvals');
    const conn = db().em.fork().getConnection();
    const [app] = await conn.execute('select id from applications order by id limit 1');
    const insert = (kind: string, key: string | null) =>
      conn.execute(
        `insert into approvals (application_id, kind, status, active_key, originator_user_id, approver_user_ids,
           approval_mode, cc_user_ids, form, started_at)
         values (?, ?, 'running', ?, 'hr01', '["mgr01"]', 'NONE', '[]', '[{"name":"候选人","value":"张三"}]', ?)`,
        [app.id, kind, key, new Date('2026-12-01T02:00:00Z')],
      );
    await insert('second_round', `${app.id}:second_round`);
    await insert('offer', null);
    await expect(insert('accommodation', null)).rejects.toThrow();

    await db().migrator.up();
    const rows = (await conn.execute('select kind, active_key, form from approvals order by id')) as Array<{
      kind: string;
      active_key: string | null;
      form: unknown;
    }>;
    expect(rows.map((r) => [r.kind, r.active_key])).toEqual([
      ['second_round', `${app.id}:second_round`],
      ['offer', null],
    ]);
    expect(JSON.stringify(rows[0].form)).toContain('张三');
    await insert('accommodation', `${app.id}:accommodation`);
    // The unique open-approval key still holds after the rebuild.
    await expect(insert('accommodation', `${app.id}:accommodation`)).rejects.toThrow();
    // Reverting and re-applying migrations one by one: dozens of ALTERs on a busy MariaDB.
  }, 120_000);
});
