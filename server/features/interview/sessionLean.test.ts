import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../kernel/actor';
import { Application } from '../../kernel/db/entities/Application';
import { InterviewConsent } from '../../kernel/db/entities/InterviewConsent';
import { InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { InterviewSession } from '../../kernel/db/entities/InterviewSession';
import { PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { inTransaction, NeedsOrmPath } from '../../kernel/db/tx';
import { emit } from '../../kernel/events/emit';
import { type InTxHandler, wiringOf } from '../../kernel/events/registry';
import {
  makeAnswer,
  makeApplication,
  makeBooking,
  makeCandidate,
  makeSchedule,
} from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { interviewDepsOf, invitedActor, oddTimesJob } from '../../testing/interview';
import {
  noticeForJob,
  recordConsent,
  recordConsentOrm,
  startSession,
  startSessionOrm,
  submitSession,
  submitSessionOrm,
} from './service';
import { recordConsentLean, startSessionLean, submitSessionLean } from './sessionLean';

/**
 * Consent, start and submit run in plain SQL in the usual case. Each must give the response and
 * the rows (session, application, stage history, audit, outbox) the ORM path gives, decline (so
 * the ORM path answers with its error) whenever the case is not usual, and stay idempotent when
 * two calls race.
 */
describeEachDialect('consent, start and submit in plain SQL', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  const now = new Date(Date.now() - 2_000);
  const HOUR = 3_600_000;
  const deps = (actor: Actor) => ({
    ...interviewDepsOf(t, actor, now),
    context: { ip: '10.0.0.9', userAgent: 'UA/1' },
  });

  /** A job with a practice and two real questions, taken in booked windows (`capacity` seats). */
  async function bookedJob(capacity = 2) {
    const em = t.orm.em.fork();
    const job = await oddTimesJob(em);
    const plan = (
      await em.findOneOrFail(InterviewQuestion, { plan: { job: job.id } }, { populate: ['plan'] })
    ).plan;
    const schedule = await makeSchedule(em, {
      plan: plan as never,
      kind: 'ai_interview',
      capacityPerSlot: capacity,
    });
    await em.nativeUpdate(PlanSchedule, { id: schedule.id }, { takeMode: 'booked' });
    return { job, schedule, planId: plan.id };
  }

  /** A booked candidate of `job` (window from `startIn` ms from now), as their invitation signs in. */
  async function candidateOf(
    j: Awaited<ReturnType<typeof bookedJob>>,
    startIn = 2 * HOUR,
    deadlineAt?: Date,
  ) {
    const em = t.orm.em.fork();
    const candidate = await makeCandidate(em);
    const app = await makeApplication(em, { candidate, job: j.job, stage: 'booked', deadlineAt });
    const schedule = await em.findOneOrFail(PlanSchedule, { id: j.schedule.id });
    await makeBooking(em, { application: app, schedule, startAt: new Date(now.getTime() + startIn) });
    return { app, actor: invitedActor(candidate, j.job.id) };
  }

  const consentInput = async (jobId: number, over: Partial<Parameters<typeof recordConsent>[1]> = {}) => ({
    noticeHash: (await noticeForJob(t.orm.em.fork(), jobId, 'zh-CN')).hash,
    locale: 'zh-CN' as const,
    videoProcessing: true,
    aiEvaluation: true,
    personOnly: false,
    ...over,
  });

  /** What {@link effectsOf} returns (the fields the tests look into). */
  interface Effects {
    app: { stage: string };
    session: unknown;
    consents: unknown[];
    audit: Array<{ action: string }>;
    outbox: Array<{ topic: string }>;
    stages: Array<{ transition: string }>;
  }

  /** Every row a command writes about an application, with its own ids replaced (comparable across twins). */
  async function effectsOf(appId: number): Promise<Effects> {
    const em = t.orm.em.fork();
    const app = await em.findOneOrFail(Application, { id: appId });
    const session = await em.findOne(InterviewSession, { application: appId });
    const consents = await em.find(InterviewConsent, { application: appId }, { orderBy: { id: 'asc' } });
    const ids: Array<[string, number | undefined]> = [
      ['APP', appId],
      ['SESSION', session?.id],
      ['CANDIDATE', app.candidate.id],
      ...consents.map((c, i): [string, number] => [`CONSENT${i}`, c.id]),
    ];
    const names = new Map(ids.filter(([, id]) => id !== undefined).map(([name, id]) => [String(id), name]));
    const ID_KEYS = new Set([
      'id',
      'applicationId',
      'sessionId',
      'candidateId',
      'candidate',
      'object_id',
      'actor_id',
    ]);
    /** Ids (under id keys, and inside keys such as `interview:12:started`) by name; envelope instants dropped. */
    const norm = (v: unknown, key = ''): unknown => {
      if (Array.isArray(v)) return v.map((x) => norm(x));
      if (v && typeof v === 'object')
        return Object.fromEntries(
          Object.entries(v).map(([k, x]) => [k, k === 'at' && typeof x === 'string' ? 'T' : norm(x, k)]),
        );
      if (ID_KEYS.has(key) && (typeof v === 'number' || typeof v === 'string'))
        return names.get(String(v)) ?? v;
      if (typeof v === 'string')
        return v.replace(/(application|interview|interview-consent):(\d+)/g, (m, p, n) =>
          names.has(n) ? `${p}:${names.get(n)}` : m,
        );
      return v;
    };
    const audit = await em.execute(
      `select actor_kind, actor_id, action, object_type, object_id, details, ip from audit_log
        where (object_type = 'application' and object_id = ?) or (object_type = 'interview_session' and object_id = ?)
        order by id`,
      [String(appId), String(session?.id ?? -1)],
    );
    const outbox = await em.execute(
      `select idempotency_key, topic, aggregate, recipient_kind, recipient_id, channel, payload, status
         from outbox where aggregate in (?, ?) order by id`,
      [`application:${appId}`, `interview:${session?.id ?? -1}`],
    );
    const stages = await em.execute(
      `select from_stage, to_stage, transition, actor_kind from application_stage_events
        where application_id = ? order by id`,
      [appId],
    );
    return norm({
      app: { stage: app.stage, version: app.version, personOnly: app.personOnly },
      session: session && {
        status: session.status,
        audioOnly: session.audioOnly,
        recorderMime: session.recorderMime,
        startedAt: session.startedAt.getTime(),
        submittedAt: session.submittedAt?.getTime() ?? null,
        version: session.version,
        plan: session.plan.id,
        job: session.job.id,
        candidate: session.candidate.id,
      },
      consents: consents.map((c) => ({
        id: c.id,
        candidate: c.candidate.id,
        action: c.action,
        scopes: c.scopes,
        noticeVersion: c.noticeVersion,
        noticeHash: c.noticeHash,
        locale: c.locale,
        ip: c.ip,
        userAgent: c.userAgent,
        createdAt: c.createdAt.getTime(),
      })),
      audit: audit.map((r) => ({
        ...r,
        details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
      })),
      outbox: outbox.map((r) => ({
        ...r,
        payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
      })),
      stages,
    }) as Effects;
  }

  /** Marks every real question of the application's session answered. */
  async function answerAll(appId: number, planId: number) {
    const em = t.orm.em.fork();
    const session = await em.findOneOrFail(InterviewSession, { application: appId });
    const real = await em.find(InterviewQuestion, { plan: planId, practice: false });
    for (const question of real)
      await makeAnswer(em, { session, question, state: 'submitted', servedAt: now });
  }

  for (const choice of [{ personOnly: false }, { personOnly: true }])
    it(`the whole session gives the same responses and rows as the ORM path (${choice.personOnly ? 'person only: submit by the ORM' : 'AI evaluation'})`, async () => {
      const j = await bookedJob();
      const a = await candidateOf(j);
      const b = await candidateOf(j);
      const input = await consentInput(j.job.id, choice);
      // `a` through the plain path itself (it must take the usual case), `b` through the ORM.
      const c1 = await recordConsentLean(deps(a.actor), input);
      expect(c1).not.toBeNull();
      const c2 = await recordConsentOrm(deps(b.actor), input);
      expect({ ...c1, id: 0 }).toEqual({ ...c2, id: 0 });
      expect(await effectsOf(a.app.id)).toEqual(await effectsOf(b.app.id));
      // Start early (the window is two hours away, no seat taken now): a new session, stage moved.
      const mime = { recorderMime: 'video/webm;codecs=vp8,opus' };
      const s1 = await startSessionLean(deps(a.actor), mime);
      if (!s1) throw new Error('the plain start declined');
      const s2 = await startSessionOrm(deps(b.actor), mime);
      expect({ ...s1, id: 0 }).toEqual({ ...s2, id: 0 });
      expect(await effectsOf(a.app.id)).toEqual(await effectsOf(b.app.id));
      // Resumed with audio only: the same session, the choice stored.
      const r1 = await startSessionLean(deps(a.actor), { audioOnly: true });
      const r2 = await startSessionOrm(deps(b.actor), { audioOnly: true });
      expect(r1).toEqual({ ...r2, id: s1.id });
      expect(await effectsOf(a.app.id)).toEqual(await effectsOf(b.app.id));
      await answerAll(a.app.id, j.planId);
      await answerAll(b.app.id, j.planId);
      // Person only: the lean submit declines (the ORM path writes the review with the move).
      const lean = await submitSessionLean(deps(a.actor));
      if (choice.personOnly) expect(lean).toBeNull();
      const u1 = lean ?? (await submitSession(deps(a.actor)));
      const u2 = await submitSessionOrm(deps(b.actor));
      expect({ ...u1, id: 0 }).toEqual({ ...u2, id: 0 });
      const e = await effectsOf(a.app.id);
      expect(e).toEqual(await effectsOf(b.app.id));
      expect(e.app.stage).toBe(choice.personOnly ? 'in_review' : 'submitted');
      expect(e.outbox.map((o) => o.topic)).toContain('interview.submitted');
      // Submitting again: the same answer, nothing more written.
      expect(await submitSession(deps(a.actor))).toEqual(u1);
      expect(await effectsOf(a.app.id)).toEqual(e);
    });

  it('the usual cases are taken by the plain path; the others declined, with the ORM path’s errors', async () => {
    const j = await bookedJob(1);
    const a = await candidateOf(j);
    const d = deps(a.actor);
    // Consent: a changed notice, no video processing.
    const input = await consentInput(j.job.id);
    expect(await recordConsentLean(d, { ...input, noticeHash: 'x'.repeat(64) })).toBeNull();
    await expect(recordConsent(d, { ...input, noticeHash: 'x'.repeat(64) })).rejects.toMatchObject({
      code: 'notice_changed',
    });
    expect(await recordConsentLean(d, { ...input, videoProcessing: false })).toBeNull();
    await expect(recordConsent(d, { ...input, videoProcessing: false })).rejects.toMatchObject({
      code: 'consent_video_required',
    });
    // Start without consent.
    expect(await startSessionLean(d, {})).toBeNull();
    await expect(startSession(d, {})).rejects.toMatchObject({ code: 'consent_required' });
    expect((await effectsOf(a.app.id)).consents).toEqual([]);
    expect(await recordConsentLean(d, input)).not.toBeNull();
    // Submit before starting.
    expect(await submitSessionLean(d)).toBeNull();
    await expect(submitSession(d)).rejects.toMatchObject({ code: 'session_not_started' });
    // The only seat of the next half hour is held by someone else: no start early.
    const other = await candidateOf(j, 10 * 60_000);
    expect(await startSessionLean(d, {})).toBeNull();
    await expect(startSession(d, {})).rejects.toMatchObject({ code: 'outside_booking_window' });
    expect((await effectsOf(a.app.id)).session).toBeNull();
    // Inside one's own window: the plain path starts.
    const started = await startSessionLean(deps(other.actor), {}).catch(() => null);
    expect(started).toBeNull(); // no consent yet
    await recordConsent(deps(other.actor), await consentInput(j.job.id));
    const inWindow = await startSessionLean(
      { ...deps(other.actor), now: new Date(now.getTime() + 11 * 60_000) },
      {},
    );
    expect(inWindow).toMatchObject({ status: 'open' });
    // Answers missing.
    expect(await submitSessionLean(deps(other.actor))).toBeNull();
    await expect(submitSession(deps(other.actor))).rejects.toMatchObject({ code: 'answers_missing' });
    // A submitted session is not resumed.
    await answerAll(other.app.id, j.planId);
    expect(await submitSessionLean(deps(other.actor))).toMatchObject({ status: 'submitted' });
    expect(await startSessionLean(deps(other.actor), {})).toBeNull();
    await expect(startSession(deps(other.actor), {})).rejects.toMatchObject({ code: 'session_submitted' });
    // Past the deadline.
    const late = await candidateOf(j, 2 * HOUR, new Date(now.getTime() - 1_000));
    await recordConsent(deps(late.actor), await consentInput(j.job.id));
    expect(await startSessionLean(deps(late.actor), {})).toBeNull();
    await expect(startSession(deps(late.actor), {})).rejects.toMatchObject({ code: 'deadline_passed' });
    // Withdrawn: consent is refused as before.
    await t.orm.em
      .fork()
      .nativeUpdate(InterviewSession, { application: other.app.id }, { status: 'withdrawn' });
    expect(await recordConsentLean(deps(other.actor), await consentInput(j.job.id))).toBeNull();
    await expect(recordConsent(deps(other.actor), await consentInput(j.job.id))).rejects.toMatchObject({
      code: 'consent_withdrawn',
    });
  });

  it('two starts at once make one session and move the stage once; two submits at once submit once', async () => {
    const j = await bookedJob();
    const a = await candidateOf(j);
    await recordConsent(deps(a.actor), await consentInput(j.job.id));
    const starts = await Promise.all([startSession(deps(a.actor), {}), startSession(deps(a.actor), {})]);
    expect(starts[0].id).toBe(starts[1].id);
    let e = await effectsOf(a.app.id);
    expect(e.stages.map((s) => s.transition)).toEqual(['start_interview']);
    await answerAll(a.app.id, j.planId);
    const submits = await Promise.all([submitSession(deps(a.actor)), submitSession(deps(a.actor))]);
    expect(submits[0]).toEqual(submits[1]);
    e = await effectsOf(a.app.id);
    expect(e.stages.map((s) => s.transition)).toEqual(['start_interview', 'submit']);
    expect(e.audit.filter((r) => r.action === 'interview.submitted')).toHaveLength(1);
  });

  /**
   * Holds the transactions of `event` for the application `appId` open after their in-transaction
   * handlers (the stage move and its analytics triggers) until the returned `release` is called;
   * `entered` resolves once one is held. The handler is added to the running app's registry.
   */
  function holdAfterHandlers(event: 'interview.started' | 'interview.submitted', appId: number) {
    const inTx = wiringOf(t.orm.em).registry.inTx as Record<string, InTxHandler[]>;
    const before = inTx[event];
    let release = () => {};
    let entered = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const reached = new Promise<void>((r) => {
      entered = r;
    });
    const hold: InTxHandler = async (_tx, e) => {
      if ((e.data as { applicationId: number }).applicationId !== appId) return;
      entered();
      await held;
    };
    inTx[event] = [...(before ?? []), hold];
    return {
      entered: reached,
      release: () => {
        inTx[event] = before ?? [];
        release();
      },
    };
  }

  /** Resolves with `p`'s outcome, or 'waiting' if it has not settled within `ms`. */
  const within = <T>(p: Promise<T>, ms: number) =>
    Promise.race([p, new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), ms))]);

  // On an interview day a job's candidates start and submit at the same moments. Under
  // REPEATABLE READ a submit's locking read of its session took a next-key lock in the sessions'
  // application index, and a candidate whose application came earlier, starting meanwhile (a new
  // session in that gap), waited until the submit committed; both now run at READ COMMITTED
  // (BENCHMARKS.md, load).
  it.runIf(dialect === 'mysql')(
    "a submit held open does not make another candidate's start wait, nor a start another's submit",
    async () => {
      const j = await bookedJob(5);
      const [early, late, third] = [await candidateOf(j), await candidateOf(j), await candidateOf(j)];
      for (const x of [early, late, third]) await recordConsent(deps(x.actor), await consentInput(j.job.id));
      expect(await startSessionLean(deps(late.actor), {})).toMatchObject({ status: 'open' });
      await answerAll(late.app.id, j.planId);
      const submitHold = holdAfterHandlers('interview.submitted', late.app.id);
      const submitLate = submitSessionLean(deps(late.actor));
      await submitHold.entered;
      try {
        expect(await within(startSessionLean(deps(early.actor), {}), 5_000)).toMatchObject({
          status: 'open',
        });
      } finally {
        submitHold.release();
      }
      expect(await submitLate).toMatchObject({ status: 'submitted' });
      await answerAll(early.app.id, j.planId);
      const startHold = holdAfterHandlers('interview.started', third.app.id);
      const startThird = startSessionLean(deps(third.actor), {});
      await startHold.entered;
      try {
        expect(await within(submitSessionLean(deps(early.actor)), 5_000)).toMatchObject({
          status: 'submitted',
        });
      } finally {
        startHold.release();
      }
      expect(await startThird).toMatchObject({ status: 'open' });
      const stages = await Promise.all(
        [early, late, third].map(async (x) => (await effectsOf(x.app.id)).app.stage),
      );
      expect(stages).toEqual(['submitted', 'submitted', 'interviewing']);
    },
    60_000,
  );

  it('a submission that became person-only meanwhile rolls the plain transaction back', async () => {
    const j = await bookedJob();
    const a = await candidateOf(j);
    await t.orm.em
      .fork()
      .nativeUpdate(Application, { id: a.app.id }, { stage: 'interviewing', personOnly: true });
    const data = { applicationId: a.app.id, sessionId: 1, candidateId: a.actor.id, jobId: j.job.id };
    const run = inTransaction(t.orm.em.fork(), (tx) =>
      emit(tx, {
        type: 'interview.submitted',
        key: 'k',
        aggregate: 'interview:1',
        actor: { kind: 'system', id: null },
        data,
      }),
    );
    // SQLite's plain transaction is an ORM one: the review is written there, as by the ORM path.
    if (dialect === 'mysql') await expect(run).rejects.toBeInstanceOf(NeedsOrmPath);
    else await run;
    const app = await t.orm.em.fork().findOneOrFail(Application, { id: a.app.id });
    expect(app.stage).toBe(dialect === 'mysql' ? 'interviewing' : 'in_review');
  });
});
