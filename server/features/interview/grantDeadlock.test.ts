import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { InterviewAttempt } from '../../kernel/db/entities/InterviewSession';
import { bucketKey } from '../../kernel/http/rateLimit';
import { startTestApp, type TestApp } from '../../testing/harness';
import { createTestJob, giveConsent, candidateToken as tokenFor } from '../../testing/interview';

/** InnoDB's own account of its locks (information_schema.innodb_trx missed a waiting grant here). */
async function innodbStatus(c: mysql.Connection): Promise<string> {
  const [[row]] = await c.query<mysql.RowDataPacket[]>('show engine innodb status');
  return String(row?.Status);
}

/** Whether a transaction waits for a row of interview_answers. */
async function waitingForAnswer(c: mysql.Connection): Promise<boolean> {
  return /TRX HAS BEEN WAITING[^\n]*\n[^\n]*interview_answers/.test(await innodbStatus(c));
}

/**
 * A grant chosen as a deadlock victim is run again, not answered 409. The cycle is made for
 * real on MariaDB: another transaction, heavier than the grant (so InnoDB rolls the grant
 * back), holds the answer row; the grant counts its rate-limit hit and waits for that row;
 * the other transaction then wants the grant's rate-limit row.
 */
describe.runIf(process.env.MYSQL_URL)('upload grant as a deadlock victim [mysql]', () => {
  let t: TestApp;
  let token: string;
  let answerId: number;
  let candidateId: number;
  beforeAll(async () => {
    t = await startTestApp('mysql');
    const jobId = await createTestJob(t, 'grant-deadlock');
    token = await tokenFor(t, '陈静', jobId);
    await giveConsent(t, token);
    expect((await t.api('POST', '/api/interview/start', { token, body: {} })).status).toBe(200);
    answerId = (await t.api('POST', '/api/interview/next', { token })).body.answer.id;
    candidateId = (await t.orm.em.fork().findOneOrFail(Candidate, { name: '陈静' })).id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('runs again once the other transaction is through, and grants attempt 1', async () => {
    const other = await mysql.createConnection(t.config.database.url as string);
    const watcher = await mysql.createConnection(t.config.database.url as string);
    try {
      await other.query('begin');
      // Heavier than the grant (which writes one row before it waits): InnoDB rolls back the
      // transaction that changed fewer rows.
      for (let i = 0; i < 20; i++)
        await other.query(
          'insert into rate_limit_buckets (bucket, window_start, hits, expires_at) values (?, utc_timestamp(3), 1, utc_timestamp(3))',
          [`test_heavy:${i}`],
        );
      await other.query('select id from interview_answers where id = ? for update', [answerId]);
      const granted = t.api('POST', `/api/interview/answers/${answerId}/grant`, {
        token,
        body: { contentType: 'video/webm', bytes: 5000 },
      });
      // The grant has counted its hit and waits for the answer row.
      for (let i = 0; i < 200 && !(await waitingForAnswer(watcher)); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await waitingForAnswer(watcher)).toBe(true);
      // Now the other transaction wants the grant's rate-limit row: a cycle, the grant its victim.
      const bucket = bucketKey(
        { name: 'upload_grant', limit: 1, windowMs: 60_000 },
        `candidate:${candidateId}`,
      );
      await other.query('update rate_limit_buckets set hits = hits where bucket = ?', [bucket]);
      await other.query('commit');
      const res = await granted;
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.grant.attempt).toBe(1);
    } finally {
      await other.end();
      await watcher.end();
    }
    const rows = await t.orm.em.fork().find(InterviewAttempt, { answer: answerId });
    expect(rows.map((r) => [r.number, r.status])).toEqual([[1, 'granted']]);
    // The deadlock happened (the grant was its victim), rather than a plain wait.
    const c = await mysql.createConnection(t.config.database.url as string);
    try {
      expect(await innodbStatus(c)).toMatch(
        /LATEST DETECTED DEADLOCK[\s\S]*interview_answers[\s\S]*WE ROLL BACK TRANSACTION/,
      );
    } finally {
      await c.end();
    }
  }, 60_000);
});
