import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../kernel/actor';
import { Application } from '../../kernel/db/entities/Application';
import { InterviewAccommodation } from '../../kernel/db/entities/InterviewAccommodation';
import { InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import {
  InterviewAnswer,
  InterviewAttempt,
  InterviewSession,
} from '../../kernel/db/entities/InterviewSession';
import { makeApplication, makeCandidate, makeSession } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { consentRow, interviewDepsOf, invitedActor, oddTimesJob } from '../../testing/interview';
import { completeUploadLean } from './completeLean';
import { serveNextLean } from './nextLean';
import {
  acceptAnswer,
  completeUpload,
  completeUploadOrm,
  grantUpload,
  serveNext,
  serveNextOrm,
  startAnswer,
} from './service';

/**
 * "Next question" and "the upload finished" run in plain SQL in the usual case. Each must give
 * the response and rows the ORM path gives (twin candidates of one job, one through each path),
 * decline whenever the case is not usual (the ORM path then answers with its usual error), and
 * stay safe when two calls race.
 */
describeEachDialect('next question and upload completion in plain SQL', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  const now = new Date(Date.now() - 2_000);
  const deps = (actor: Actor, at = now) => interviewDepsOf(t, actor, at);
  const grace = () => t.config.interview.graceSeconds;

  /** A candidate of `job` with consent and an open session (and an accommodation when given). */
  async function candidateOf(
    job: Awaited<ReturnType<typeof oddTimesJob>>,
    opts: {
      acc?: { extraTimePercent: number; extraRetakes: number };
      startedAt?: Date;
      deadlineAt?: Date;
    } = {},
  ) {
    const em = t.orm.em.fork();
    const candidate = await makeCandidate(em);
    const app = await makeApplication(em, { candidate, job, stage: 'interviewing' });
    if (opts.deadlineAt) await em.nativeUpdate(Application, { id: app.id }, { deadlineAt: opts.deadlineAt });
    if (opts.acc) em.create(InterviewAccommodation, { application: app.id, ...opts.acc });
    await consentRow(em, app, candidate.id, 'grant', now);
    const session = await makeSession(em, { application: app, startedAt: opts.startedAt ?? now });
    return { app, session, actor: invitedActor(candidate, job.id) };
  }

  /** Every answer of a session as stored, by question position (ids and timestamps left out). */
  async function answersOf(sessionId: number) {
    const rows = await t.orm.em
      .fork()
      .find(InterviewAnswer, { session: sessionId }, { populate: ['question'], orderBy: { id: 'asc' } });
    return rows.map((a) => ({
      position: a.question.position,
      state: a.state,
      servedAt: a.servedAt.getTime(),
      windowStartedAt: a.windowStartedAt?.getTime() ?? null,
      retakesUsed: a.retakesUsed,
      attempts: a.attempts,
      late: a.late,
      lockedAt: a.lockedAt?.getTime() ?? null,
      version: a.version,
    }));
  }

  /** The attempts of an answer as stored (ids and keys left out). */
  async function attemptsOf(answerId: number) {
    const rows = await t.orm.em
      .fork()
      .find(InterviewAttempt, { answer: answerId }, { orderBy: { number: 'asc' } });
    return rows.map((r) => ({
      number: r.number,
      status: r.status,
      bytes: r.bytes,
      uploadedAt: r.uploadedAt?.getTime() ?? null,
      checkClaimedBy: r.checkClaimedBy ?? null,
      checkLeaseUntil: r.checkLeaseUntil ?? null,
      late: r.late,
    }));
  }

  /** A granted attempt of `answerId` whose object arrived (`bytes` of it). */
  async function uploaded(actor: Actor, answerId: number, at: Date, bytes = 4096) {
    const g = await grantUpload(deps(actor, at), answerId, { contentType: 'video/webm', bytes });
    await t.storage.put(g.key, Buffer.alloc(bytes, 1), { contentType: 'video/webm' });
    return g.attempt;
  }

  /** A response with its answer id blanked (the twins' answers differ only there). */
  const noId = (r: object) => {
    const answer = (r as { answer?: object }).answer;
    return answer ? { ...r, answer: { ...answer, id: 0 } } : r;
  };

  for (const acc of [undefined, { extraTimePercent: 15, extraRetakes: 1 }])
    it(`a whole interview: the same responses and rows as the ORM path, ${acc ? 'with 15 % more time and a retake' : 'no accommodation'}`, async () => {
      const job = await oddTimesJob(t.orm.em.fork());
      const a = await candidateOf(job, { acc });
      const b = await candidateOf(job, { acc });
      for (let i = 0; i < 3; i++) {
        // Served: the first call creates the answer, the second returns it as it stands.
        for (const _ of [1, 2]) {
          const viaLean = await serveNext(deps(a.actor));
          const viaOrm = await serveNextOrm(deps(b.actor));
          expect(noId(viaLean)).toEqual(noId(viaOrm));
          expect(viaLean.done).toBe(false);
        }
        expect(await answersOf(a.session.id)).toEqual(await answersOf(b.session.id));
        const x = (await serveNext(deps(a.actor))) as { answer: { id: number } };
        const y = (await serveNextOrm(deps(b.actor))) as { answer: { id: number } };
        // 20 s after serving: recording, the upload arrived, the candidate reports it finished.
        const later = new Date(now.getTime() + 20_000);
        await startAnswer(deps(a.actor, later), x.answer.id);
        await startAnswer(deps(b.actor, later), y.answer.id);
        const [nx, ny] = [
          await uploaded(a.actor, x.answer.id, later),
          await uploaded(b.actor, y.answer.id, later),
        ];
        const done = new Date(later.getTime() + 10_000);
        const viaLean = await completeUpload(deps(a.actor, done), x.answer.id, nx);
        const viaOrm = await completeUploadOrm(deps(b.actor, done), y.answer.id, ny);
        expect(noId(viaLean)).toEqual(noId(viaOrm));
        expect(viaLean.status).toBe('checking');
        expect(await attemptsOf(x.answer.id)).toEqual(await attemptsOf(y.answer.id));
        expect(await answersOf(a.session.id)).toEqual(await answersOf(b.session.id));
        // Completing again answers the attempt's state, as before; nothing moves.
        expect(noId(await completeUpload(deps(a.actor, done), x.answer.id, nx))).toEqual(
          noId(await completeUploadOrm(deps(b.actor, done), y.answer.id, ny)),
        );
        // The verdict (the worker's, here by hand) and the accept lock the question.
        for (const id of [x.answer.id, y.answer.id])
          await t.orm.em.fork().nativeUpdate(InterviewAnswer, { id }, { state: 'verified' });
        await acceptAnswer(deps(a.actor, done), x.answer.id);
        await acceptAnswer(deps(b.actor, done), y.answer.id);
        expect(await answersOf(a.session.id)).toEqual(await answersOf(b.session.id));
      }
      const lastLean = await serveNext(deps(a.actor));
      expect(lastLean).toEqual({ done: true, answered: 2, total: 2 });
      expect(lastLean).toEqual(await serveNextOrm(deps(b.actor)));
    });

  it('next: the unusual cases are left to the ORM path, which answers with its error', async () => {
    const job = await oddTimesJob(t.orm.em.fork());
    const lean = (actor: Actor, at = now) =>
      serveNextLean({ em: t.orm.em.fork(), actor, now: at, graceSeconds: grace() });
    // No consent in force: declined; the route answers 403 as before.
    const a = await candidateOf(job);
    const em = t.orm.em.fork();
    await consentRow(em, a.app, a.actor.id, 'withdraw');
    expect(await lean(a.actor)).toBeNull();
    await expect(serveNext(deps(a.actor))).rejects.toMatchObject({ code: 'consent_required' });
    expect(await answersOf(a.session.id)).toEqual([]);
    // A submitted session: declined, 409 session_submitted.
    const b = await candidateOf(job);
    await t.orm.em.fork().nativeUpdate(InterviewSession, { id: b.session.id }, { status: 'submitted' });
    expect(await lean(b.actor)).toBeNull();
    await expect(serveNext(deps(b.actor))).rejects.toMatchObject({ code: 'session_submitted' });
    // No session yet: declined, 409 session_not_started.
    const em2 = t.orm.em.fork();
    const c = await candidateOf(job);
    await em2.nativeDelete(InterviewSession, { id: c.session.id });
    expect(await lean(c.actor)).toBeNull();
    await expect(serveNext(deps(c.actor))).rejects.toMatchObject({ code: 'session_not_started' });
    // A question to serve long after the sitting began, past the deadline: declined, and the ORM
    // path refuses it; an answer already served is still returned by the lean path.
    const long = new Date(now.getTime() - 3 * 3600_000);
    const d = await candidateOf(job, { startedAt: long, deadlineAt: new Date(now.getTime() - 60_000) });
    expect(await lean(d.actor)).toBeNull();
    await expect(serveNext(deps(d.actor))).rejects.toMatchObject({ code: 'deadline_passed' });
    expect(await answersOf(d.session.id)).toEqual([]);
    // Someone who is not a candidate of this job (an invitation to another job): not found.
    const other = await oddTimesJob(t.orm.em.fork());
    const e = await candidateOf(job);
    const stranger = { ...e.actor, invitationJobId: other.id };
    expect(await lean(stranger)).toBeNull();
    await expect(serveNext(deps(stranger))).rejects.toMatchObject({ status: 404 });
    // The usual case is the plain path's, signed in by invitation or with DingTalk (no job in
    // the session: the application at the interview).
    const served = await lean(e.actor);
    expect(served?.done === false && served.facts.answer.state).toBe('served');
    expect(await answersOf(e.session.id)).toHaveLength(1);
    const viaDingTalk = await lean({ ...e.actor, invitationJobId: null });
    expect(viaDingTalk).toEqual(served);
  });

  it('two nexts at once serve the question once; both get that answer', async () => {
    const job = await oddTimesJob(t.orm.em.fork());
    const a = await candidateOf(job);
    const [x, y] = await Promise.all([serveNext(deps(a.actor)), serveNext(deps(a.actor))]);
    expect(x).toEqual(y);
    expect(await answersOf(a.session.id)).toHaveLength(1);
    const q = await t.orm.em
      .fork()
      .findOneOrFail(InterviewQuestion, { plan: { job: job.id }, practice: true });
    expect((x as { answer: { question: { id: number } } }).answer.question.id).toBe(q.id);
    // The usual case is the plain path's: it returns the served answer as it stands.
    const again = await serveNextLean({ em: t.orm.em.fork(), actor: a.actor, now, graceSeconds: grace() });
    expect(again?.done === false && again.facts.answer.id).toBe((x as { answer: { id: number } }).answer.id);
  });

  it('complete: the unusual cases are left to the ORM path, which answers as before', async () => {
    const job = await oddTimesJob(t.orm.em.fork());
    const a = await candidateOf(job);
    const other = await candidateOf(job);
    const x = ((await serveNext(deps(a.actor))) as { answer: { id: number } }).answer.id;
    const later = new Date(now.getTime() + 20_000);
    await startAnswer(deps(a.actor, later), x);
    const lean = (actor: Actor, attemptNo: number) =>
      completeUploadLean({
        em: t.orm.em.fork(),
        actor,
        now: later,
        graceSeconds: grace(),
        answerId: x,
        attemptNo,
        head: (k) => t.storage.head(k),
      });
    // Granted, but nothing arrived yet: declined, 409 upload_missing; nothing written.
    const g = await grantUpload(deps(a.actor, later), x, { contentType: 'video/webm', bytes: 4096 });
    expect(await lean(a.actor, g.attempt)).toBeNull();
    await expect(completeUpload(deps(a.actor, later), x, g.attempt)).rejects.toMatchObject({
      code: 'upload_missing',
    });
    expect((await attemptsOf(x))[0].status).toBe('granted');
    await t.storage.put(g.key, Buffer.alloc(4096, 1), { contentType: 'video/webm' });
    // Another candidate's answer, or an attempt that does not exist: declined, 404.
    expect(await lean(other.actor, g.attempt)).toBeNull();
    await expect(completeUpload(deps(other.actor, later), x, g.attempt)).rejects.toMatchObject({
      status: 404,
    });
    expect(await lean(a.actor, g.attempt + 1)).toBeNull();
    await expect(completeUpload(deps(a.actor, later), x, g.attempt + 1)).rejects.toMatchObject({
      status: 404,
    });
    // A withdrawn session: declined, 409 consent_withdrawn.
    await t.orm.em.fork().nativeUpdate(InterviewSession, { id: a.session.id }, { status: 'withdrawn' });
    expect(await lean(a.actor, g.attempt)).toBeNull();
    await expect(completeUpload(deps(a.actor, later), x, g.attempt)).rejects.toMatchObject({
      code: 'consent_withdrawn',
    });
    await t.orm.em.fork().nativeUpdate(InterviewSession, { id: a.session.id }, { status: 'open' });
    // An older attempt than the answer's current one: declined, 409 attempt_closed.
    const g2 = await grantUpload(deps(a.actor, later), x, { contentType: 'video/webm', bytes: 4096 });
    expect(await lean(a.actor, g.attempt)).toBeNull();
    await expect(completeUpload(deps(a.actor, later), x, g.attempt)).rejects.toMatchObject({
      code: 'attempt_closed',
    });
    await t.storage.put(g2.key, Buffer.alloc(4096, 1), { contentType: 'video/webm' });
    const done = await lean(a.actor, g2.attempt);
    expect(done?.answer.state).toBe('uploaded');
    expect((await attemptsOf(x)).map((r) => r.status)).toEqual(['granted', 'checking']);
  });

  it('two completes at once: the check is queued once, both answer checking', async () => {
    const job = await oddTimesJob(t.orm.em.fork());
    const a = await candidateOf(job);
    const x = ((await serveNext(deps(a.actor))) as { answer: { id: number } }).answer.id;
    const later = new Date(now.getTime() + 20_000);
    await startAnswer(deps(a.actor, later), x);
    const n = await uploaded(a.actor, x, later);
    const before = (await answersOf(a.session.id))[0].version;
    const results = await Promise.all([
      completeUpload(deps(a.actor, later), x, n),
      completeUpload(deps(a.actor, later), x, n),
    ]);
    expect(results.map((r) => r.status)).toEqual(['checking', 'checking']);
    expect(results[0]).toEqual(results[1]);
    expect(await attemptsOf(x)).toMatchObject([{ status: 'checking', bytes: 4096 }]);
    expect((await answersOf(a.session.id))[0]).toMatchObject({ state: 'uploaded', version: before + 1 });
  });
});
