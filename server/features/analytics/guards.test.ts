import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedTriggerNames } from '../../kernel/db/migrations/analyticsGuardsSql';
import { migrateUp, openOrm } from '../../kernel/db/orm';
import type { Em } from '../../kernel/db/types';
import {
  makeApplication,
  makeBooking,
  makeCandidate,
  makeJob,
  makeOutboxMessage,
  makeReport,
  makeSchedule,
} from '../../testing/factories';
import {
  createTestDatabase,
  type Dialect,
  describeEachDialect,
  revertThrough,
  useTestOrm,
} from '../../testing/harness';
import { recomputedRollupRows, rollupRows } from '../../testing/rollups';

/**
 * Migration `analytics_trigger_guards`: an analytics trigger with a condition runs its statements
 * only for rows that meet it. A row no rollup counts (an ordinary message claimed and sent, an
 * application touched without a stage move) runs none of them; a row that counts still updates
 * the rollups exactly; up and down change no trigger but by its guard.
 */

const MIGRATION = '_analytics_trigger_guards';

/** A job with an application, its booking and a candidate reminder message for it (pending). */
async function bookingWithReminder(em: Em) {
  const job = await makeJob(em);
  const candidate = await makeCandidate(em, { name: '守卫' });
  const application = await makeApplication(em, { job, candidate, stage: 'booked' });
  const schedule = await makeSchedule(em, { kind: 'ai_interview' });
  const booking = await makeBooking(em, { application, schedule });
  const reminder = await makeOutboxMessage(em, { topic: 'reminder.candidate.60m' });
  await em.execute('update outbox set aggregate = ? where id = ?', [`booking:${booking.id}`, reminder.id]);
  return { job, candidate, application, booking, reminder };
}

// Statement counts are MariaDB's session status; SQLite has none.
describe.skipIf(!process.env.MYSQL_URL)('guarded analytics triggers [mysql]', () => {
  const orm = useTestOrm('mysql');
  let conn: mysql.Connection;
  beforeAll(async () => {
    conn = await mysql.createConnection(orm().config.get('clientUrl') as string);
  });
  afterAll(async () => conn?.end());

  /**
   * The statements the triggers ran for `sql` on this connection: MariaDB counts a trigger's
   * INSERT … SELECT and DELETE statements in the session's `Com_*` status, and `sql` itself is
   * an UPDATE or a plain INSERT.
   */
  async function triggerStatements(sql: string, params: Array<string | number>): Promise<number> {
    const read = async () => {
      const [rows] = await conn.query<mysql.RowDataPacket[]>(
        "show session status where variable_name in ('Com_insert_select', 'Com_delete', 'Com_delete_multi', 'Com_replace_select')",
      );
      return rows.reduce((s, r) => s + Number(r.Value), 0);
    };
    const before = await read();
    await conn.execute(sql, params);
    return (await read()) - before;
  }

  it('runs no trigger statement for rows the rollups do not count', async () => {
    const em = orm().em.fork();
    const { application, candidate } = await bookingWithReminder(em);
    const message = await makeOutboxMessage(em, { topic: 'booking.confirmed' });

    // An ordinary message claimed, then sent: before the guards, six statements each time.
    expect(
      await triggerStatements(
        "update outbox set status = 'sending', lease_owner = 'w1', lease_until = now(3) where id = ?",
        [message.id],
      ),
    ).toBe(0);
    expect(
      await triggerStatements(
        "update outbox set status = 'sent', sent_at = now(3), lease_owner = null, lease_until = null where id = ?",
        [message.id],
      ),
    ).toBe(0);
    // A message inserted as sent that is not a candidate reminder.
    expect(
      await triggerStatements(
        `insert into outbox (idempotency_key, topic, aggregate, recipient_kind, recipient_id, channel, payload, due_at, status, attempts, created_at)
         values ('guard-sent', 'booking.confirmed', ?, 'candidate', ?, 'inbox', '{}', now(3), 'sent', 1, now(3))`,
        [`application:${application.id}`, String(candidate.id)],
      ),
    ).toBe(0);
    // An application touched without a counted change; a candidate renamed.
    expect(
      await triggerStatements('update applications set stage_changed_at = now(3) where id = ?', [
        application.id,
      ]),
    ).toBe(0);
    expect(await triggerStatements("update candidates set name = '改名' where id = ?", [candidate.id])).toBe(
      0,
    );
  });

  it('still runs them, and counts exactly, for rows that count', async () => {
    const em = orm().em.fork();
    const { application, candidate, reminder } = await bookingWithReminder(em);
    const before = await rollupRows(orm().em.fork());

    // The candidate reminder delivered: the no-shows rollup learns the booking had it.
    expect(
      await triggerStatements("update outbox set status = 'sent', sent_at = now(3) where id = ?", [
        reminder.id,
      ]),
    ).toBeGreaterThan(0);
    const [row] = await orm()
      .em.fork()
      .execute<Array<{ minutes: string }>>(
        'select r.minutes from analytics_booking_reminders r join bookings b on b.id = r.booking_id where b.application_id = ?',
        [application.id],
      );
    expect(row.minutes).toBe('60');

    // A stage move, a hire and a source correction each run their rollups' statements.
    expect(
      await triggerStatements("update applications set stage = 'in_review' where id = ?", [application.id]),
    ).toBeGreaterThan(0);
    expect(
      await triggerStatements("update applications set stage = 'hired' where id = ?", [application.id]),
    ).toBeGreaterThan(0);
    expect(
      await triggerStatements("update candidates set source = 'referral' where id = ?", [candidate.id]),
    ).toBeGreaterThan(0);

    const after = await rollupRows(orm().em.fork());
    expect(after).not.toEqual(before);
    expect(after).toEqual(await recomputedRollupRows(orm().em.fork(), 'mysql'));
  });
});

/** Each trigger's definition by name, as the database stores it. */
async function triggerDefinitions(em: Em, dialect: Dialect): Promise<Map<string, string>> {
  const rows =
    dialect === 'mysql'
      ? await em.execute<Array<{ name: string; sql: string }>>(
          'select trigger_name as name, action_statement as `sql` from information_schema.triggers where trigger_schema = database()',
        )
      : await em.execute<Array<{ name: string; sql: string }>>(
          "select name, sql from sqlite_master where type = 'trigger'",
        );
  return new Map(rows.map((r) => [r.name, r.sql]));
}

describeEachDialect('migration analytics_trigger_guards', (dialect) => {
  const orm = useTestOrm(dialect);

  it('guards the conditional triggers, keeps every figure up and down, and down restores the triggers as they were', async () => {
    await migrateUp(orm());
    const guarded = await triggerDefinitions(orm().em.fork(), dialect);
    await revertThrough(orm(), MIGRATION);
    const plain = await triggerDefinitions(orm().em.fork(), dialect);

    // Down leaves exactly what the migrations before it made: a fresh database migrated only
    // that far has the same triggers, word for word.
    const executed = (await orm().migrator.getExecuted()).map((m) => m.name);
    const other = await createTestDatabase(dialect);
    const otherOrm = await openOrm(other.db);
    try {
      await otherOrm.migrator.up({ to: executed[executed.length - 1] });
      expect(await triggerDefinitions(otherOrm.em.fork(), dialect)).toEqual(plain);
    } finally {
      await otherOrm.close(true);
      await other.drop();
    }
    expect([...plain.keys()].sort()).toEqual([...guarded.keys()].sort());
    const names = guardedTriggerNames(dialect);
    expect(names.length).toBeGreaterThan(10);
    for (const [name, sql] of guarded) {
      if (names.includes(name)) {
        expect(sql, name).not.toEqual(plain.get(name));
        expect(sql, name).toMatch(dialect === 'mysql' ? /^begin if \(/ : / for each row when \(/);
      } else expect(sql, name).toEqual(plain.get(name));
    }
    for (const name of [
      'analytics_reminders_outbox_au',
      'analytics_outcomes_applications_au',
      'analytics_applications_au',
    ])
      expect(names).toContain(name);

    // Data counted by the unguarded triggers, then the migration up: every figure stays.
    const em = orm().em.fork();
    const first = await bookingWithReminder(em);
    await em.execute("update outbox set status = 'sent' where id = ?", [first.reminder.id]);
    await em.execute("update applications set stage = 'in_review' where id = ?", [first.application.id]);
    const rowsBefore = await rollupRows(orm().em.fork());
    await migrateUp(orm());
    expect(await rollupRows(orm().em.fork())).toEqual(rowsBefore);

    // Every kind of guarded change after it is counted as a recomputation counts it.
    const second = await bookingWithReminder(orm().em.fork());
    const f = () => orm().em.fork();
    await f().execute("update outbox set status = 'sent' where id = ?", [second.reminder.id]);
    await f().execute("update outbox set status = 'cancelled' where id = ?", [first.reminder.id]);
    await f().execute("update applications set stage = 'hired' where id = ?", [first.application.id]);
    await f().execute("update candidates set source = 'referral' where id = ?", [second.candidate.id]);
    await f().execute("update bookings set status = 'no_show' where id = ?", [second.booking.id]);
    const report = await makeReport(f(), { application: second.application, overall: 81 });
    await f().execute('update interview_reports set overall = 64 where id = ?', [report.id]);
    const rowsAfter = await rollupRows(f());
    expect(rowsAfter).not.toEqual(rowsBefore);
    expect(rowsAfter).toEqual(await recomputedRollupRows(f(), dialect));

    // Down: the figures stay, and the plain triggers count the same again.
    await revertThrough(orm(), MIGRATION);
    expect(await rollupRows(f())).toEqual(rowsAfter);
    await f().execute("update applications set stage = 'in_review' where id = ?", [second.application.id]);
    expect(await rollupRows(f())).toEqual(await recomputedRollupRows(f(), dialect));
    await migrateUp(orm());
  });
});
