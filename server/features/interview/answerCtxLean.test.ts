import { afterAll, beforeAll, expect, it } from 'vitest';
import { InterviewAccommodation } from '../../kernel/db/entities/InterviewAccommodation';
import { InterviewPlan, InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { InterviewAnswer } from '../../kernel/db/entities/InterviewSession';
import { makeAnswer, makeApplication, makeCandidate, makeSession } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { consentRow, interviewDepsOf, invitedActor, oddTimesJob } from '../../testing/interview';
import { acceptAnswer, presentAnswer, serveNext, startAnswer, submitSession, submitText } from './service';
import { effectiveRules } from './stateMachine';

/**
 * The answer routes read the accommodation and the plan's question order in one plain statement
 * (they hydrated the accommodation, the plan and every question of it before). Each answer they
 * return must be the JSON the entity reads give: rules from the accommodation entity, "k of n"
 * from the plan's questions in order, the answer as it now stands.
 */
describeEachDialect('answer routes: one plain read gives the entity reads’ JSON', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  /** A plan with a practice question, two recorded and one typed real question (odd times: rounding). */
  async function sitting(acc: { extraTimePercent: number; extraRetakes: number } | null) {
    const em = t.orm.em.fork();
    const job = await oddTimesJob(em, [{ text: '问题三', answerType: 'text', maxChars: 200 }]);
    const candidate = await makeCandidate(em);
    const app = await makeApplication(em, { candidate, job, stage: 'interviewing' });
    if (acc) em.create(InterviewAccommodation, { application: app.id, ...acc });
    await consentRow(em, app, candidate.id);
    const session = await makeSession(em, { application: app });
    const actor = invitedActor(candidate, job.id);
    const now = new Date();
    const deps = () => interviewDepsOf(t, actor, now);
    return { em, job, app, session, actor, now, deps };
  }

  /** The answer as the entity reads present it (the answer routes' reads before this change). */
  async function reference(answerId: number, appId: number, jobId: number, now: Date) {
    const em = t.orm.em.fork();
    const a = await em.findOneOrFail(
      InterviewAnswer,
      { id: answerId },
      { populate: ['session', 'question'] },
    );
    const acc = await em.findOne(InterviewAccommodation, { application: appId });
    const plan = await em.findOneOrFail(InterviewPlan, { job: jobId });
    const questions = await em.find(InterviewQuestion, { plan }, { orderBy: { position: 'asc' } });
    const real = questions.filter((q) => !q.practice);
    const q = a.question;
    const index = { k: q.practice ? 0 : real.findIndex((x) => x.id === q.id) + 1, n: real.length };
    const rules = effectiveRules(q, acc, t.config.interview.graceSeconds);
    return JSON.stringify(presentAnswer(a, q, rules, now, index, a.session.audioOnly));
  }

  for (const acc of [null, { extraTimePercent: 15, extraRetakes: 1 }])
    it(`start, accept and a typed answer, ${acc ? 'with 15 % more time and a retake' : 'no accommodation'}`, async () => {
      const s = await sitting(acc);
      const questions = await s.em.find(
        InterviewQuestion,
        { plan: s.session.plan.id },
        { orderBy: { position: 'asc' } },
      );
      const ks: number[] = [];
      for (const q of questions) {
        const answer = await makeAnswer(s.em, {
          session: s.session,
          question: q,
          state: 'served',
          servedAt: s.now,
        });
        if (q.answerType === 'text') {
          const typed = await submitText(s.deps(), answer.id, '我的回答');
          expect(JSON.stringify(typed)).toBe(await reference(answer.id, s.app.id, s.job.id, s.now));
          ks.push(typed.position.k);
          continue;
        }
        const started = await startAnswer(s.deps(), answer.id);
        expect(JSON.stringify(started)).toBe(await reference(answer.id, s.app.id, s.job.id, s.now));
        expect(started.position.n).toBe(3);
        ks.push(started.position.k);
        // A verified recording kept: accept presents the locked answer.
        await t.orm.em.fork().nativeUpdate(InterviewAnswer, { id: answer.id }, { state: 'verified' });
        const accepted = await acceptAnswer(s.deps(), answer.id);
        expect(accepted.locked).toBe(true);
        expect(JSON.stringify(accepted)).toBe(await reference(answer.id, s.app.id, s.job.id, s.now));
      }
      // Position order (question one, practice, two, three): practice is k = 0.
      expect(ks).toEqual([1, 0, 2, 3]);
    });

  it('next: a newly served question and a served one again', async () => {
    const s = await sitting({ extraTimePercent: 15, extraRetakes: 1 });
    const served = await serveNext(s.deps());
    if (served.done) throw new Error('nothing served');
    expect(JSON.stringify(served.answer)).toBe(await reference(served.answer.id, s.app.id, s.job.id, s.now));
    expect(served.answer.position).toEqual({ k: 0, n: 3 });
    const again = await serveNext(s.deps());
    expect(JSON.stringify(again)).toBe(JSON.stringify(served));
    // Submitting now names every real question, in the plan's order, as missing.
    const questions = await t.orm.em
      .fork()
      .find(InterviewQuestion, { plan: s.session.plan.id }, { orderBy: { position: 'asc' } });
    const missing = questions.filter((q) => !q.practice).map((q) => q.id);
    await expect(submitSession(s.deps())).rejects.toMatchObject({
      code: 'answers_missing',
      details: { missing },
    });
  });
});
