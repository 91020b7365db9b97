import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { Candidate, type ICandidate } from '../../kernel/db/entities/Candidate';
import { InterviewConsent } from '../../kernel/db/entities/InterviewConsent';
import { InterviewAnswer, InterviewAttempt } from '../../kernel/db/entities/InterviewSession';
import { query, write } from '../../kernel/db/tx';
import { DeferredSession } from '../../kernel/http/auth';
import { issueSessionToken } from '../../kernel/http/tokens';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { createTestJob, giveConsent, candidateToken as tokenFor } from '../../testing/interview';
import { reserveAttemptLean } from './grantLean';

/** A test app where 陈静 has consented, started, and been served her first answer. */
async function servedAnswer(dialect: Parameters<typeof startTestApp>[0], jobName: string) {
  const t = await startTestApp(dialect);
  const jobId = await createTestJob(t, jobName);
  const token = await tokenFor(t, '陈静', jobId);
  await giveConsent(t, token);
  expect((await t.api('POST', '/api/interview/start', { token, body: {} })).status).toBe(200);
  const next = await t.api('POST', '/api/interview/next', { token });
  return { t, jobId, token, answerId: next.body.answer.id as number };
}

describeEachDialect('upload grant, plain-SQL path', (dialect) => {
  let t: TestApp;
  let jobId: number;
  let token: string;
  let answerId: number;
  beforeAll(async () => {
    ({ t, jobId, token, answerId } = await servedAnswer(dialect, `lean-${dialect}`));
  }, 60_000);
  afterAll(async () => t?.close());

  const grant = () =>
    t.api('POST', `/api/interview/answers/${answerId}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: 5000 },
    });

  it('concurrent grants of one answer: distinct attempts (they queue on the row lock; any loser gets answer_changed), rows match', async () => {
    const res = await Promise.all(Array.from({ length: 6 }, grant));
    const ok = res.filter((r) => r.status === 201);
    for (const r of res.filter((x) => x.status !== 201)) {
      expect(r.status, JSON.stringify(r.body)).toBe(409);
      expect(r.body.error.code).toBe('answer_changed');
    }
    expect(ok.length).toBeGreaterThan(0);
    const numbers = ok.map((r) => r.body.grant.attempt as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: ok.length }, (_, i) => i + 1));
    const em = t.orm.em.fork();
    const answer = await em.findOneOrFail(InterviewAnswer, { id: answerId });
    expect(answer.state).toBe('answering');
    expect(answer.attempts).toBe(ok.length);
    expect(answer.windowStartedAt).not.toBeNull();
    const rows = await em.find(InterviewAttempt, { answer: answerId }, { orderBy: { number: 'asc' } });
    expect(rows.map((r) => [r.number, r.status, r.contentType, r.kind])).toEqual(
      numbers.map((n) => [n, 'granted', 'video/webm', 'video']),
    );
    expect(new Set(rows.map((r) => r.objectKey))).toEqual(new Set(ok.map((r) => r.body.grant.key)));
  });

  it('handles the usual grant itself and leaves the rest (resume, another candidate, no grant) to the ORM path', async () => {
    const em = t.orm.em.fork();
    const me = await em.findOneOrFail(Candidate, { name: '陈静' });
    const other = await em.findOneOrFail(Candidate, { name: '张三' });
    const before = (await em.findOneOrFail(InterviewAnswer, { id: answerId })).attempts;
    const base = {
      em: t.orm.em,
      now: new Date(),
      graceSeconds: t.config.interview.graceSeconds,
      answerId,
      contentType: 'video/webm',
      keyOf: (s: number, q: number, n: number) => `interviews/${s}/${q}/${n}-lean-${dialect}.webm`,
    };
    const actor = { kind: 'candidate' as const, id: me.id, candidate: me, invitationJobId: jobId };
    const usual = await reserveAttemptLean({ ...base, actor, resume: false });
    expect(usual?.attempt).toBe(before + 1);
    expect(usual?.key).toMatch(new RegExp(`/${before + 1}-lean-${dialect}\\.webm$`));
    expect(await reserveAttemptLean({ ...base, actor, resume: true })).toBeNull();
    expect(
      await reserveAttemptLean({
        ...base,
        actor: { kind: 'candidate', id: other.id, candidate: other, invitationJobId: null },
        resume: false,
      }),
    ).toBeNull();
    // An audio recording of a video question is the usual camera fallback.
    expect(
      await reserveAttemptLean({ ...base, actor, resume: false, contentType: 'audio/webm' }),
    ).not.toBeNull();
    // The resume goes through the ORM path and finds the latest attempt.
    const resumed = await t.api('POST', `/api/interview/answers/${answerId}/grant`, {
      token,
      body: { contentType: 'audio/webm', bytes: 5000, resume: true },
    });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(201);
    expect(resumed.body.grant.attempt).toBe(before + 2);
  });
});

describeEachDialect('upload grant, plain-SQL path: the application and the latest consent', (dialect) => {
  let t: TestApp;
  let jobId: number;
  let answerId: number;
  let me: ICandidate;
  beforeAll(async () => {
    ({ t, jobId, answerId } = await servedAnswer(dialect, `lean-consent-${dialect}`));
    me = await t.orm.em.fork().findOneOrFail(Candidate, { name: '陈静' });
  }, 60_000);
  afterAll(async () => t?.close());

  const reserve = (invitationJobId: number | null) =>
    reserveAttemptLean({
      em: t.orm.em,
      actor: { kind: 'candidate', id: me.id, candidate: me, invitationJobId },
      now: new Date(),
      graceSeconds: t.config.interview.graceSeconds,
      answerId,
      contentType: 'video/webm',
      resume: false,
      keyOf: (s: number, q: number, n: number) => `interviews/${s}/${q}/${n}-consent-${dialect}.webm`,
    });

  /** Appends a consent row (a higher id) dated `ageMs` ago, as the consent routes would write it. */
  const appendConsent = async (action: 'grant' | 'withdraw', scopes: string[], ageMs = 0) => {
    const em = t.orm.em.fork();
    const app = await em.findOneOrFail(Application, { candidate: me.id, job: jobId });
    const last = await em.findOneOrFail(InterviewConsent, { application: app }, { orderBy: { id: 'desc' } });
    em.create(InterviewConsent, {
      application: app,
      candidate: me.id,
      action,
      scopes: scopes as never,
      noticeVersion: last.noticeVersion,
      noticeHash: last.noticeHash,
      locale: last.locale,
      ip: '127.0.0.1',
      userAgent: '',
      createdAt: new Date(Date.now() - ageMs),
    });
    await em.flush();
  };

  it('finds the application by invitation (its job) or as the latest one, and only the latest consent by id counts', async () => {
    // Signed in by invitation to this job, or without one (the latest application): both granted.
    expect((await reserve(jobId))?.attempt).toBe(1);
    expect((await reserve(null))?.attempt).toBe(2);
    // An invitation to another job names no application of this answer: the ORM path decides.
    expect(await reserve(jobId + 1000)).toBeNull();
    // A newer row without video processing, dated before every other: still the one that counts
    // (the latest by id, as `latestConsent` reads it).
    await appendConsent('grant', ['ai_evaluation'], 86_400_000);
    expect(await reserve(jobId)).toBeNull();
    expect(await reserve(null)).toBeNull();
    await appendConsent('grant', ['video_processing', 'ai_evaluation']);
    expect((await reserve(jobId))?.attempt).toBe(3);
    await appendConsent('withdraw', []);
    expect(await reserve(jobId)).toBeNull();
    expect(await reserve(null)).toBeNull();
    const answer = await t.orm.em.fork().findOneOrFail(InterviewAnswer, { id: answerId });
    expect(answer.attempts).toBe(3);
  });
});

describeEachDialect("upload grant: the rate-limit hit counted in the grant's transaction", (dialect) => {
  let t: TestApp;
  const me = { token: '', id: 0, answerId: 0 };
  const other = { token: '', id: 0, answerId: 0 };
  beforeAll(async () => {
    t = await startTestApp(dialect, { env: { RATE_LIMIT_UPLOAD_GRANTS_PER_MINUTE: '5' } });
    // One fixed instant: every hit below falls into the same one-minute window.
    t.clock.now = new Date();
    const jobId = await createTestJob(t, `lean-limit-${dialect}`);
    const em = t.orm.em.fork();
    for (const [who, name] of [
      [me, '陈静'],
      [other, '张三'],
    ] as const) {
      who.token = await tokenFor(t, name, jobId);
      who.id = (await em.findOneOrFail(Candidate, { name })).id;
      await giveConsent(t, who.token);
      expect((await t.api('POST', '/api/interview/start', { token: who.token, body: {} })).status).toBe(200);
      who.answerId = (await t.api('POST', '/api/interview/next', { token: who.token })).body.answer.id;
    }
  }, 60_000);
  afterAll(async () => t?.close());

  const grant = (token: string, answerId: number, body: Record<string, unknown> = {}) =>
    t.api('POST', `/api/interview/answers/${answerId}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: 5000, ...body },
    });
  const hitsOf = async (candidateId: number) => {
    const rows = await query<{ hits: number }>(
      t.orm.em,
      'select hits from rate_limit_buckets where bucket = ?',
      [`upload_grant:candidate:${candidateId}`],
    );
    return rows.reduce((n, r) => n + Number(r.hits), 0);
  };
  const attemptsOf = async (answerId: number) =>
    (await t.orm.em.fork().findOneOrFail(InterviewAnswer, { id: answerId })).attempts;

  it('counts every request once on every path, refuses over the budget, and a refused grant changes nothing', async () => {
    const first = await grant(me.token, me.answerId);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(await hitsOf(me.id)).toBe(1);

    // Bad input is refused after the hit, as when the limit ran before validation.
    const empty = await grant(me.token, me.answerId, { bytes: 0 });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('upload_empty');
    expect(await hitsOf(me.id)).toBe(2);

    // A resume takes the ORM path: counted there, once.
    const resumed = await grant(me.token, me.answerId, { resume: true });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(201);
    expect(resumed.body.grant.attempt).toBe(1);
    expect(await hitsOf(me.id)).toBe(3);

    // Another candidate's answer: declined by the plain-SQL path, 404 from the ORM path, counted once.
    const foreign = await grant(me.token, other.answerId);
    expect(foreign.status).toBe(404);
    expect(await hitsOf(me.id)).toBe(4);
    expect(await attemptsOf(other.answerId)).toBe(0);

    const fifth = await grant(me.token, me.answerId);
    expect(fifth.status).toBe(201);
    expect(fifth.body.grant.attempt).toBe(2);
    expect(await hitsOf(me.id)).toBe(5);

    // Over the budget: 429 with Retry-After, the hit still counted, no attempt reserved.
    const refused = await grant(me.token, me.answerId);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await hitsOf(me.id)).toBe(6);
    expect(await attemptsOf(me.answerId)).toBe(2);
    const rows = await t.orm.em.fork().find(InterviewAttempt, { answer: me.answerId });
    expect(rows.map((r) => r.number).sort()).toEqual([1, 2]);

    // Over the budget the 429 wins over bad input, as before.
    const badToo = await grant(me.token, me.answerId, { bytes: 0 });
    expect(badToo.status).toBe(429);
    expect(await hitsOf(me.id)).toBe(7);

    // Each candidate has their own budget.
    const theirs = await grant(other.token, other.answerId);
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    expect(await hitsOf(other.id)).toBe(1);
  });

  it('a revoked session is refused on every path with 401 and changes nothing (no hit, no attempt)', async () => {
    const before = await hitsOf(other.id);
    const answerBefore = await t.orm.em.fork().findOneOrFail(InterviewAnswer, { id: other.answerId });
    const attemptsBefore = await t.orm.em.fork().count(InterviewAttempt, { answer: other.answerId });
    await write(t.orm.em, 'update candidates set session_generation = session_generation + 1 where id = ?', [
      other.id,
    ]);
    // The usual grant (plain SQL: the session row is read in its transaction), a resume (the ORM
    // path), bad input (refused before any transaction) and someone else's answer.
    for (const [answerId, body] of [
      [other.answerId, {}],
      [other.answerId, { resume: true }],
      [other.answerId, { bytes: 0 }],
      [other.answerId, { contentType: 'text/plain' }],
      [me.answerId, {}],
    ] as const) {
      const res = await grant(other.token, answerId, body);
      expect(res.status, JSON.stringify([body, res.body])).toBe(401);
      expect(res.body.error.code).toBe('session_revoked');
    }
    // A body that fails validation: still 401, the session comes first.
    const invalid = await t.api('POST', `/api/interview/answers/${other.answerId}/grant`, {
      token: other.token,
      body: { contentType: 42 },
    });
    expect(invalid.status).toBe(401);
    expect(await hitsOf(other.id)).toBe(before);
    const after = await t.orm.em.fork().findOneOrFail(InterviewAnswer, { id: other.answerId });
    expect([after.state, after.attempts, after.version]).toEqual([
      answerBefore.state,
      answerBefore.attempts,
      answerBefore.version,
    ]);
    expect(await t.orm.em.fork().count(InterviewAttempt, { answer: other.answerId })).toBe(attemptsBefore);
  });

  it('a token whose candidate row is gone (erased) is refused with 401 session_invalid and counts nothing', async () => {
    const ghost = 9_000_000 + (dialect === 'mysql' ? 1 : 2);
    const { token: ghostToken } = await issueSessionToken(
      t.config.session.secret,
      { kind: 'candidate', id: ghost, invitationJobId: null, generation: 0 },
      30,
    );
    const attempts = await attemptsOf(me.answerId);
    for (const body of [{}, { resume: true }, { bytes: 0 }]) {
      const res = await grant(ghostToken, me.answerId, body);
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.body.error.code).toBe('session_invalid');
    }
    expect(await hitsOf(ghost)).toBe(0);
    expect(await attemptsOf(me.answerId)).toBe(attempts);
  });
});

describeEachDialect('upload grant: the session check inside the transaction', (dialect) => {
  let t: TestApp;
  let token: string;
  let id: number;
  let answerId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const jobId = await createTestJob(t, `lean-session-${dialect}`);
    token = await tokenFor(t, '陈静', jobId);
    id = (await t.orm.em.fork().findOneOrFail(Candidate, { name: '陈静' })).id;
    await giveConsent(t, token);
    expect((await t.api('POST', '/api/interview/start', { token, body: {} })).status).toBe(200);
    answerId = (await t.api('POST', '/api/interview/next', { token })).body.answer.id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('checks the row in the grant transaction and fills the actor; a refusal rolls the transaction back', async () => {
    const claims = { kind: 'candidate' as const, id, invitationJobId: null, generation: 0 };
    const fresh = () => new DeferredSession(t.orm.em, claims);
    const base = {
      em: t.orm.em,
      now: new Date(),
      graceSeconds: t.config.interview.graceSeconds,
      answerId,
      contentType: 'video/webm',
      resume: false,
      keyOf: (s: number, q: number, n: number) => `interviews/${s}/${q}/${n}-sess-${dialect}.webm`,
    };
    const ok = fresh();
    // Nothing reads the person's columns before the check.
    expect(() => ok.actor.candidate).toThrow(/before the deferred session check/);
    const granted = await reserveAttemptLean({ ...base, actor: ok.actor, session: ok });
    expect(granted?.attempt).toBe(1);
    expect(ok.verified).toBe(true);
    expect(ok.actor.candidate).toMatchObject({ id, name: '陈静', sessionGeneration: 0 });

    await write(t.orm.em, 'update candidates set session_generation = 1 where id = ?', [id]);
    const revoked = fresh();
    await expect(
      reserveAttemptLean({ ...base, actor: revoked.actor, session: revoked }),
    ).rejects.toMatchObject({
      code: 'session_revoked',
    });
    expect(revoked.verified).toBe(false);
    // The refusal is remembered: checking again on its own gives the same 401 without a read.
    await expect(revoked.ensure()).rejects.toMatchObject({ code: 'session_revoked' });
    const answer = await t.orm.em.fork().findOneOrFail(InterviewAnswer, { id: answerId });
    expect(answer.attempts).toBe(1);
    expect(await t.orm.em.fork().count(InterviewAttempt, { answer: answerId })).toBe(1);

    // The same generation again in the row: a fresh check passes on its own too.
    await write(t.orm.em, 'update candidates set session_generation = 0 where id = ?', [id]);
    const again = fresh();
    await again.ensure();
    expect(again.verified).toBe(true);
  });
});
