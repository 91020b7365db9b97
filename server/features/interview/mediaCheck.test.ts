import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InterviewAnswer, InterviewAttempt } from '../../kernel/db/entities/InterviewSession';
import { startJobs } from '../../kernel/jobs/registry';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { candidateToken, createTestJob, giveConsent, makeRecordings } from '../../testing/interview';
import { checkClaimedRecording, claimRecordingChecks, runMediaChecks } from './mediaCheck';
import { VERDICT_TICK_MS, VerdictWatch, verdictWatch } from './verdictWait';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aii-mediacheck-'));
let files: Awaited<ReturnType<typeof makeRecordings>>;

beforeAll(async () => {
  files = await makeRecordings(dir);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeEachDialect('media check in the worker role', (dialect) => {
  let t: TestApp;
  let jobId: number;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect, { env: { MEDIA_CHECK_LEASE_SECONDS: '30' } });
    jobId = await createTestJob(t, `mcheck-${dialect}`);
  }, 60_000);
  afterAll(async () => t?.close());

  /** A new candidate with the practice question served, its recording uploaded (not completed). */
  async function uploaded(file = files.speech) {
    const token = await candidateToken(
      t,
      // Seeded candidates; 周九 is kept for "another candidate".
      ['张三', '李四', '王五', '赵六', '钱七', '孙八', '吴十', '郑小红', '冯小明', '陈静', 'Emily Zhang'][
        n++
      ],
      jobId,
    );
    await giveConsent(t, token);
    expect((await t.api('POST', '/api/interview/start', { token, body: {} })).status).toBe(200);
    const answerId = (await t.api('POST', '/api/interview/next', { token })).body.answer.id as number;
    const data = fs.readFileSync(file);
    const g = await t.api('POST', `/api/interview/answers/${answerId}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: data.length },
    });
    expect(g.status).toBe(201);
    const put = await fetch(`${t.url}${g.body.grant.url}`, {
      method: 'PUT',
      headers: {
        'content-type': 'video/webm',
        'upload-offset': '0',
        'upload-length': String(data.length),
      },
      body: new Uint8Array(data),
    });
    expect(put.status).toBe(200);
    return { token, answerId, attempt: g.body.grant.attempt as number, key: g.body.grant.key as string };
  }

  const complete = (u: { token: string; answerId: number; attempt: number }) =>
    t.api('POST', `/api/interview/answers/${u.answerId}/complete`, {
      token: u.token,
      body: { attempt: u.attempt },
    });
  const verdict = (u: { token: string; answerId: number; attempt: number }, query = '') =>
    t.api('GET', `/api/interview/answers/${u.answerId}/attempts/${u.attempt}${query}`, { token: u.token });
  const attemptRow = (u: { answerId: number; attempt: number }) =>
    t.orm.em.fork().findOneOrFail(InterviewAttempt, { answer: u.answerId, number: u.attempt });

  it('complete answers 202 at once; repeating it returns the same state and never queues a second check', async () => {
    const u = await uploaded();
    const first = await complete(u);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      status: 'checking',
      attempt: u.attempt,
      answer: { state: 'uploaded' },
    });
    const again = await complete(u);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'checking', attempt: u.attempt });
    // The poll reads only the attempt's status while it is checked: no answer is loaded or sent.
    expect((await verdict(u)).body).toEqual({ status: 'checking', attempt: u.attempt });
    // Another candidate's poll of it is 404, checking or not.
    const other = await candidateToken(t, '周九', jobId);
    const theirs = () =>
      t.api('GET', `/api/interview/answers/${u.answerId}/attempts/${u.attempt}`, { token: other });
    expect((await theirs()).status).toBe(404);
    // One check for the attempt however often complete was called.
    expect(await runMediaChecks(t.runtime.deps, 'w1')).toBe(1);
    expect(await runMediaChecks(t.runtime.deps, 'w1')).toBe(0);
    const v = await verdict(u);
    expect(v.body).toMatchObject({
      status: 'verified',
      ok: true,
      durationMs: 3000,
      answer: { state: 'verified' },
    });
    expect((await theirs()).status).toBe(404);
    // After the verdict a repeat returns it (200), still without a new check.
    const late = await complete(u);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ status: 'verified', ok: true });
    expect(await claimRecordingChecks(t.runtime.deps, 'w1', 10)).toEqual([]);
    const row = await attemptRow(u);
    expect(row).toMatchObject({ status: 'verified', checkClaimedBy: null, checkLeaseUntil: null });
    expect(row.uploadedAt).toBeInstanceOf(Date);
  }, 60_000);

  it('two claimers at once: each checking attempt goes to exactly one of them', async () => {
    const a = await uploaded();
    const b = await uploaded();
    expect((await complete(a)).status).toBe(202);
    expect((await complete(b)).status).toBe(202);
    const [x, y] = await Promise.all([
      claimRecordingChecks(t.runtime.deps, 'wx', 10),
      claimRecordingChecks(t.runtime.deps, 'wy', 10),
    ]);
    const ids = [(await attemptRow(a)).id, (await attemptRow(b)).id].sort();
    expect([...x, ...y].sort()).toEqual(ids);
    // A live lease is not claimed again, and only its holder may write the verdict.
    expect(await claimRecordingChecks(t.runtime.deps, 'wz', 10)).toEqual([]);
    const [holder, other] = x.includes(ids[0]) ? ['wx', 'wy'] : ['wy', 'wx'];
    expect(await checkClaimedRecording(t.runtime.deps, ids[0], other)).toBe(false);
    expect(await checkClaimedRecording(t.runtime.deps, ids[0], holder)).toBe(true);
    const [h1] = x.includes(ids[1]) ? ['wx'] : ['wy'];
    expect(await checkClaimedRecording(t.runtime.deps, ids[1], h1)).toBe(true);
    expect((await verdict(a)).body.status).toBe('verified');
    expect((await verdict(b)).body.status).toBe('verified');
  }, 60_000);

  it('a crashed worker: its expired lease is claimed again and the check redone; the first worker can no longer write', async () => {
    const u = await uploaded(files.garbage);
    expect((await complete(u)).status).toBe(202);
    const [id] = await claimRecordingChecks(t.runtime.deps, 'crashed', 10);
    expect(id).toBe((await attemptRow(u)).id);
    // Still leased: nobody else takes it.
    t.clock.advance(29_000);
    expect(await claimRecordingChecks(t.runtime.deps, 'rescuer', 10)).toEqual([]);
    t.clock.advance(2_000);
    expect(await runMediaChecks(t.runtime.deps, 'rescuer')).toBe(1);
    t.clock.now = null;
    expect(await checkClaimedRecording(t.runtime.deps, id, 'crashed')).toBe(false);
    // The broken file's verdict, as the request used to give it: rejected, object removed,
    // the candidate records again without using a retake.
    const v = await verdict(u);
    expect(v.body).toMatchObject({
      status: 'rejected',
      ok: false,
      problem: { code: 'recording_broken' },
      answer: { state: 'answering', retakesUsed: 0 },
    });
    expect(await t.storage.head(u.key)).toBeNull();
    const answer = await t.orm.em.fork().findOneOrFail(InterviewAnswer, { id: u.answerId });
    expect(answer.finalAttempt).toBeNull();
  }, 60_000);

  it('a silent recording: verified by the worker, flagged, and the next retake is free', async () => {
    const u = await uploaded(files.silent);
    expect((await complete(u)).status).toBe(202);
    await runMediaChecks(t.runtime.deps, 'w1');
    const v = await verdict(u);
    expect(v.body).toMatchObject({ status: 'verified', ok: true, warning: { freeRetake: true } });
    expect(v.body.flags).toEqual(expect.arrayContaining(['too_quiet', 'mostly_silent']));
    const retake = await t.api('POST', `/api/interview/answers/${u.answerId}/retake`, { token: u.token });
    expect(retake.body.answer).toMatchObject({ state: 'retake', retakesUsed: 0 });
  }, 60_000);

  it.runIf(dialect === 'mysql')(
    'complete chosen as a deadlock victim by a concurrent write runs again: 202, the check queued once',
    async () => {
      const u = await uploaded();
      const { id: attemptId } = await attemptRow(u);
      // The other writer: a transaction holding the answer row, then wanting the attempt row,
      // while complete holds the attempt and wants the answer. It has written more rows (its
      // weight), so InnoDB rolls complete back as the victim; before the retry that was a 409
      // `concurrent_update` for a candidate who did nothing wrong.
      const other = await mysql.createConnection(t.config.database.url);
      const watch = await mysql.createConnection(t.config.database.url);
      try {
        await other.query('begin');
        await other.query('update interview_questions set text = concat(text, ?)', [' ']);
        await other.query('update interview_answers set version = version + 1 where id = ?', [u.answerId]);
        const pending = complete(u);
        // Complete waits for the answer row once it has updated the attempt.
        for (let i = 0; i < 200; i++) {
          const [rows] = await watch.query(
            `select count(*) as n from information_schema.innodb_trx t
               join information_schema.processlist p on p.id = t.trx_mysql_thread_id
              where t.trx_state = 'LOCK WAIT' and p.db = database()`,
          );
          if (Number((rows as Array<{ n: number }>)[0].n) > 0) break;
          await new Promise((r) => setTimeout(r, 25));
        }
        // Returns only once complete let go of the attempt while this still holds the answer:
        // complete cannot commit without the answer, so it was rolled back as the victim.
        await other.query('update interview_attempts set bytes = bytes where id = ?', [attemptId]);
        await other.query('rollback');
        const res = await pending;
        expect(res.status, JSON.stringify(res.body)).toBe(202);
        expect(res.body).toMatchObject({
          status: 'checking',
          attempt: u.attempt,
          answer: { state: 'uploaded' },
        });
      } finally {
        await other.end();
        await watch.end();
      }
      // Queued once: one checking attempt, the answer moved once (its version bumped by one).
      const row = await attemptRow(u);
      expect(row.status).toBe('checking');
      const again = await complete(u);
      expect(again.status).toBe(202);
      expect(await claimRecordingChecks(t.runtime.deps, 'w-dl', 10)).toContain(row.id);
      await checkClaimedRecording(t.runtime.deps, row.id, 'w-dl');
      expect((await verdict(u)).body).toMatchObject({ status: 'verified', ok: true });
    },
    60_000,
  );

  it('a held poll (?wait=) answers as soon as the worker writes the verdict, not when its wait runs out', async () => {
    const u = await uploaded();
    expect((await complete(u)).status).toBe(202);
    const asked = Date.now();
    let answeredAt = 0;
    const held = verdict(u, '?wait=10000').then((r) => {
      answeredAt = Date.now();
      return r;
    });
    // Held while the attempt is checked: no answer before the worker's verdict.
    const watch = verdictWatch(t.runtime.deps.orm.em);
    await expect.poll(() => watch.size).toBe(1);
    await new Promise((r) => setTimeout(r, 3 * VERDICT_TICK_MS));
    expect(answeredAt).toBe(0);
    const checkedAt = Date.now();
    expect(await runMediaChecks(t.runtime.deps, 'w-held')).toBe(1);
    const r = await held;
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'verified', ok: true, attempt: u.attempt });
    expect(answeredAt).toBeGreaterThanOrEqual(checkedAt);
    // Within a few ticks of the verdict, far from the 10 s asked for.
    expect(answeredAt - asked).toBeLessThan(9_000);
    expect(watch.size).toBe(0);
  }, 60_000);

  it('a held poll without a verdict answers checking when its wait runs out; bad waits and other candidates are refused at once', async () => {
    const u = await uploaded();
    expect((await complete(u)).status).toBe(202);
    const asked = Date.now();
    const r = await verdict(u, '?wait=700');
    expect(Date.now() - asked).toBeGreaterThanOrEqual(650);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'checking', attempt: u.attempt });
    for (const bad of ['?wait=10001', '?wait=-1', '?wait=soon', '?wait=1&later=1']) {
      const res = await verdict(u, bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(bad.includes('later') ? /query\.later/ : /query\.wait/);
    }
    // Someone else's attempt is 404 without being held.
    const other = await candidateToken(t, '周九', jobId);
    const theirsAsked = Date.now();
    const theirs = await t.api(
      'GET',
      `/api/interview/answers/${u.answerId}/attempts/${u.attempt}?wait=5000`,
      {
        token: other,
      },
    );
    expect(theirs.status).toBe(404);
    expect(Date.now() - theirsAsked).toBeLessThan(4_000);
    expect(await runMediaChecks(t.runtime.deps, 'w-unheld')).toBe(1);
    expect((await verdict(u, '?wait=5000')).body).toMatchObject({ status: 'verified', ok: true });
  }, 60_000);

  it('many held polls of one process are watched with one read per tick, and all let go when the database is away', async () => {
    const watch = new VerdictWatch(t.runtime.deps.orm.em);
    const ids = Array.from({ length: 1_200 }, (_, i) => 900_000 + i);
    // Unknown attempts are never settled: all wait out their time, read in three chunks per tick.
    const started = Date.now();
    expect(await Promise.all(ids.map((id) => watch.wait(id, 2 * VERDICT_TICK_MS)))).toEqual(
      ids.map(() => false),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * VERDICT_TICK_MS);
    expect(watch.size).toBe(0);
    // A settled attempt lets its poll go at the next tick.
    const u = await uploaded();
    expect((await complete(u)).status).toBe(202);
    expect(await runMediaChecks(t.runtime.deps, 'w-many')).toBe(1);
    const row = await attemptRow(u);
    const quick = Date.now();
    expect(await watch.wait(row.id, 10_000)).toBe(true);
    expect(Date.now() - quick).toBeLessThan(5_000);
    // A database that cannot be read: the held poll is let go (its caller reads again).
    const broken = new VerdictWatch({
      getDriver: () => ({}),
      getPlatform: () => ({}),
      getConnection: () => ({}),
      fork: () => ({
        execute: () => Promise.reject(new Error('pool closed')),
      }),
    } as never);
    const away = Date.now();
    expect(await broken.wait(1, 10_000)).toBe(false);
    expect(Date.now() - away).toBeLessThan(5_000);
  }, 60_000);

  it('embedded (web and worker in one process): the job picks the recording up by itself', async () => {
    const jobs = startJobs(t.runtime.jobs, t.runtime.deps, ['web', 'worker']);
    try {
      expect(jobs.names).toContain('interview.media-check');
      const u = await uploaded();
      const started = Date.now();
      expect((await complete(u)).status).toBe(202);
      let v = await verdict(u);
      while (v.body.status === 'checking' && Date.now() - started < 20_000) {
        await new Promise((r) => setTimeout(r, 100));
        v = await verdict(u);
      }
      expect(v.body).toMatchObject({ status: 'verified', ok: true });
    } finally {
      await jobs.stop();
    }
  }, 60_000);

  it.runIf(dialect === 'mysql')(
    "a claim locks only the rows it takes: while one lane's claim is in flight another lane claims the next row",
    async () => {
      const conn = t.orm.em.getConnection();
      // Two recordings the earlier tests verified wait for their check again (no more uploads:
      // the seeded candidates are used up).
      const rows = await conn.execute<Array<{ id: number }>>(
        "select id from interview_attempts where status = 'verified' order by id limit 2",
      );
      const ids = rows.map((r) => Number(r.id));
      expect(ids).toHaveLength(2);
      const marks = ids.map(() => '?').join(', ');
      await conn.execute(
        `update interview_attempts set status = 'checking', check_claimed_by = null, check_lease_until = null
          where id in (${marks})`,
        ids,
      );
      // A table the size of a day of interviews (most attempts long verified), so MariaDB reads the
      // waiting rows through the (status, check_lease_until) index, as it does in production.
      await conn.execute(
        `insert into interview_attempts (answer_id, number, object_key, content_type, kind, status, bytes, granted_at)
         select answer_id, 100 + seq, concat(object_key, '-old-', seq), content_type, kind, 'verified', bytes, granted_at
           from interview_attempts join seq_1_to_3000 where id = ?`,
        [ids[0]],
      );
      await conn.execute('analyze table interview_attempts');
      // The first lane's claim holds its locks a while (its UPDATE sleeps) ...
      await conn.execute(`create trigger slow_claim before update on interview_attempts for each row
        begin
          if new.check_claimed_by = 'slow' and not (old.check_claimed_by <=> 'slow') then do sleep(1.5); end if;
        end`);
      try {
        const slow = claimRecordingChecks(t.runtime.deps, 'slow', 1);
        await new Promise((r) => setTimeout(r, 400));
        // ... and meanwhile the second lane takes the other waiting row. Ordered by id alone the
        // first claim read and kept locked every waiting row, so this came back empty.
        const fast = await claimRecordingChecks(t.runtime.deps, 'fast', 1);
        expect(await slow).toEqual([ids[0]]);
        expect(fast).toEqual([ids[1]]);
      } finally {
        await conn.execute('drop trigger if exists slow_claim');
        await conn.execute(
          `update interview_attempts set status = 'verified', check_claimed_by = null, check_lease_until = null
            where id in (${marks})`,
          ids,
        );
        await conn.execute("delete from interview_attempts where object_key like '%-old-%'");
      }
    },
    60_000,
  );
});
