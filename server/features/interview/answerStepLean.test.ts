import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../kernel/actor';
import { Application } from '../../kernel/db/entities/Application';
import { InterviewAccommodation } from '../../kernel/db/entities/InterviewAccommodation';
import { type IInterviewQuestion, InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { InterviewAnswer, InterviewSession } from '../../kernel/db/entities/InterviewSession';
import { makeAnswer, makeApplication, makeCandidate, makeSession } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { interviewDepsOf, invitedActor, oddTimesJob } from '../../testing/interview';
import { answerStepLean } from './answerStepLean';
import { acceptAnswer, acceptAnswerOrm, startAnswer, startAnswerOrm } from './service';

/**
 * "Start recording" and "keep this recording" run in plain SQL in the usual case. Each must give
 * the response and the answer row the ORM path gives, decline (so the ORM path answers with its
 * error) whenever the case is not usual, and keep the compare-and-swap: of two simultaneous
 * accepts exactly one wins.
 */
describeEachDialect('answer start and accept in plain SQL', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  /** A job with a practice question and two real ones (odd times: rounding), and its questions in order. */
  async function plan() {
    const em = t.orm.em.fork();
    const job = await oddTimesJob(em);
    const questions = await em.find(
      InterviewQuestion,
      { plan: { job: job.id } },
      { orderBy: { position: 'asc' } },
    );
    return { job, questions };
  }

  /** A candidate of `job` with an open session (and an accommodation when given). */
  async function candidateOf(
    job: Awaited<ReturnType<typeof plan>>['job'],
    acc: { extraTimePercent: number; extraRetakes: number } | null,
    deadlineAt?: Date,
  ) {
    const em = t.orm.em.fork();
    const candidate = await makeCandidate(em);
    const app = await makeApplication(em, { candidate, job, stage: 'interviewing' });
    if (deadlineAt) await em.nativeUpdate(Application, { id: app.id }, { deadlineAt });
    if (acc) {
      em.create(InterviewAccommodation, { application: app.id, ...acc });
      await em.flush();
    }
    const session = await makeSession(em, { application: app });
    const actor = invitedActor(candidate, job.id);
    return { app, session, actor };
  }

  const now = new Date(Date.now() - 2_000);
  const deps = (actor: Actor) => interviewDepsOf(t, actor, now);
  const lean = (actor: Actor, answerId: number, step: 'start' | 'accept') =>
    answerStepLean({
      em: t.orm.em.fork(),
      actor,
      now,
      graceSeconds: t.config.interview.graceSeconds,
      answerId,
      step,
    });
  /** The columns a step writes, as stored. */
  async function rowOf(id: number) {
    const a = await t.orm.em.fork().findOneOrFail(InterviewAnswer, { id });
    return {
      state: a.state,
      windowStartedAt: a.windowStartedAt?.getTime() ?? null,
      retakesUsed: a.retakesUsed,
      late: a.late,
      lockedAt: a.lockedAt?.getTime() ?? null,
      version: a.version,
      attempts: a.attempts,
    };
  }
  const served = async (session: { id: number }, question: IInterviewQuestion, servedAt = now) =>
    makeAnswer(t.orm.em.fork(), {
      session: await t.orm.em.fork().findOneOrFail(InterviewSession, { id: session.id }),
      question,
      state: 'served',
      servedAt,
    });

  for (const acc of [null, { extraTimePercent: 15, extraRetakes: 1 }])
    it(`the same response and row as the ORM path, ${acc ? 'with 15 % more time and a retake' : 'no accommodation'}`, async () => {
      const { job, questions } = await plan();
      // Two candidates of one job, same moments: one through the lean path, one through the ORM.
      const a = await candidateOf(job, acc);
      const b = await candidateOf(job, acc);
      for (const q of questions) {
        // Served 20 s ago: "start" after the think time of the first question is clamped to it.
        const servedAt = new Date(now.getTime() - 20_000);
        const [x, y] = [await served(a.session, q, servedAt), await served(b.session, q, servedAt)];
        const viaLean = await startAnswer(deps(a.actor), x.id);
        const viaOrm = await startAnswerOrm(deps(b.actor), y.id);
        expect({ ...viaLean, id: 0 }).toEqual({ ...viaOrm, id: 0 });
        expect(await rowOf(x.id)).toEqual(await rowOf(y.id));
        // A verified recording kept: the question locks at `now`.
        for (const id of [x.id, y.id])
          await t.orm.em.fork().nativeUpdate(InterviewAnswer, { id }, { state: 'verified', attempts: 1 });
        const keptLean = await acceptAnswer(deps(a.actor), x.id);
        const keptOrm = await acceptAnswerOrm(deps(b.actor), y.id);
        expect({ ...keptLean, id: 0 }).toEqual({ ...keptOrm, id: 0 });
        expect(keptLean.locked).toBe(true);
        expect(await rowOf(x.id)).toEqual(await rowOf(y.id));
        expect((await rowOf(x.id)).lockedAt).toBe(now.getTime());
      }
    });

  it('the usual case is taken by the plain path; the unusual ones are left to the ORM path', async () => {
    const { job, questions } = await plan();
    const a = await candidateOf(job, null);
    const other = await candidateOf(job, null);
    const x = await served(a.session, questions[0]);
    // Someone else's answer, an accept before any recording: declined, and nothing is written.
    expect(await lean(other.actor, x.id, 'start')).toBeNull();
    expect(await lean(a.actor, x.id, 'accept')).toBeNull();
    expect((await rowOf(x.id)).version).toBe(1);
    const started = await lean(a.actor, x.id, 'start');
    expect(started?.answer.state).toBe('answering');
    expect(started?.index).toEqual({ k: 1, n: 2 });
    expect((await rowOf(x.id)).version).toBe(2);
    // A closed session: declined; the public route answers as the ORM path does.
    await t.orm.em.fork().nativeUpdate(InterviewSession, { id: a.session.id }, { status: 'withdrawn' });
    expect(await lean(a.actor, x.id, 'start')).toBeNull();
    await expect(startAnswer(deps(a.actor), x.id)).rejects.toMatchObject({ code: 'consent_withdrawn' });
  });

  it('errors: another candidate’s answer is 404, a wrong step 409, a second accept 409', async () => {
    const { job, questions } = await plan();
    const a = await candidateOf(job, null);
    const other = await candidateOf(job, null);
    const x = await served(a.session, questions[1]);
    await expect(startAnswer(deps(other.actor), x.id)).rejects.toMatchObject({ status: 404 });
    await expect(acceptAnswer(deps(other.actor), x.id)).rejects.toMatchObject({ status: 404 });
    await expect(acceptAnswer(deps(a.actor), x.id)).rejects.toMatchObject({ code: 'invalid_transition' });
    await startAnswer(deps(a.actor), x.id);
    await t.orm.em.fork().nativeUpdate(InterviewAnswer, { id: x.id }, { state: 'verified' });
    await acceptAnswer(deps(a.actor), x.id);
    await expect(acceptAnswer(deps(a.actor), x.id)).rejects.toMatchObject({ code: 'answer_locked' });
    await expect(startAnswer(deps(a.actor), x.id)).rejects.toMatchObject({ code: 'answer_locked' });
    expect((await rowOf(x.id)).state).toBe('submitted');
  });

  it('two accepts at once: exactly one wins, the answer moves once', async () => {
    const { job, questions } = await plan();
    const a = await candidateOf(job, null);
    const x = await served(a.session, questions[0]);
    await startAnswer(deps(a.actor), x.id);
    await t.orm.em.fork().nativeUpdate(InterviewAnswer, { id: x.id }, { state: 'verified' });
    const before = (await rowOf(x.id)).version;
    const results = await Promise.allSettled([
      acceptAnswer(deps(a.actor), x.id),
      acceptAnswer(deps(a.actor), x.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ status: 409 });
    expect(await rowOf(x.id)).toMatchObject({ state: 'submitted', version: before + 1 });
  });

  it('start past the deadline: the ORM path decides (the sitting begun before it runs on)', async () => {
    const { job, questions } = await plan();
    const a = await candidateOf(job, null, new Date(now.getTime() - 1_000));
    const x = await served(a.session, questions[0]);
    expect(await lean(a.actor, x.id, 'start')).toBeNull();
    const started = await startAnswer(deps(a.actor), x.id);
    expect(started.state).toBe('answering');
  });
});
