import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../kernel/actor';
import type { ICandidate } from '../../kernel/db/entities/Candidate';
import { InterviewAccommodation } from '../../kernel/db/entities/InterviewAccommodation';
import { InterviewPlan } from '../../kernel/db/entities/InterviewPlan';
import type { IPlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import type { Em } from '../../kernel/db/orm';
import { AppError } from '../../kernel/errors';
import {
  makeAnswer,
  makeApplication,
  makeBooking,
  makeCandidate,
  makeJob,
  makeSchedule,
  makeSession,
} from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { consentRow } from '../../testing/interview';
import { interviewOverviewLean } from './overviewLean';
import { interviewOverviewOrm } from './service';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describeEachDialect('interview overview: the one-statement read gives the ORM path’s JSON', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  const actorOf = (c: ICandidate, invitationJobId: number | null = null): Actor => ({
    kind: 'candidate',
    id: c.id,
    candidate: { id: c.id, name: c.name, locale: c.locale, sessionGeneration: c.sessionGeneration },
    invitationJobId,
  });

  const orm = (actor: Actor, now: Date, loc?: string) =>
    interviewOverviewOrm(
      { em: t.orm.em.fork(), config: t.config, storage: t.storage, actor, now, context: {} },
      loc,
    );

  /** Both paths on fresh entity managers; the lean one must answer, byte for byte the same. */
  async function same(actor: Actor, now = new Date(), loc?: string) {
    const lean = await interviewOverviewLean(t.orm.em.fork(), actor, now, loc);
    const reference = await orm(actor, now, loc);
    expect(lean).not.toBeNull();
    expect(JSON.stringify(lean)).toBe(JSON.stringify(reference));
    return reference;
  }

  /** A job whose plan has a practice question and two real ones, and a candidate applying. */
  async function applying(over: { deadlineAt?: Date | null; locale?: string } = {}) {
    const em = t.orm.em.fork();
    const base = { competencies: ['沟通协作'], thinkSeconds: 7, answerSeconds: 50 };
    const job = await makeJob(em, {
      title: '测试 <工程师> & "QA"',
      questions: [
        { ...base, text: '练习', practice: true },
        { ...base, text: '问题一', retakes: 1 },
        { ...base, text: '问题二', answerType: 'text', maxChars: 200, thinkSeconds: 13 },
      ],
    });
    const candidate = await makeCandidate(em, { locale: over.locale ?? 'zh-CN' });
    const app = await makeApplication(em, { candidate, job, deadlineAt: over.deadlineAt });
    return { em, job, candidate, app };
  }

  async function consent(em: Em, app: { id: number }, c: ICandidate, action: 'grant' | 'withdraw', at: Date) {
    await consentRow(em, app, c.id, action, at);
  }

  async function booked(em: Em, jobId: number, capacityPerSlot = 10) {
    const plan = await em.findOneOrFail(InterviewPlan, { job: jobId });
    const schedule: IPlanSchedule = await makeSchedule(em, { plan, capacityPerSlot });
    schedule.takeMode = 'booked';
    await em.flush();
    return schedule;
  }

  it('no application, no plan: the lean read declines and the ORM path answers 404', async () => {
    const em = t.orm.em.fork();
    const nobody = await makeCandidate(em);
    expect(await interviewOverviewLean(t.orm.em.fork(), actorOf(nobody), new Date())).toBeNull();
    await expect(orm(actorOf(nobody), new Date())).rejects.toMatchObject({ code: 'not_found', status: 404 });
    const planless = await makeJob(em, { questions: false });
    const c = await makeCandidate(em);
    await makeApplication(em, { candidate: c, job: planless });
    expect(await interviewOverviewLean(t.orm.em.fork(), actorOf(c, planless.id), new Date())).toBeNull();
    const err = await orm(actorOf(c, planless.id), new Date()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe('Interview plan not found');
    // An employee has no interview either.
    const employee = { kind: 'employee' } as Actor;
    expect(await interviewOverviewLean(t.orm.em.fork(), employee, new Date())).toBeNull();
  });

  it('invited: notice in the candidate’s locale or the asked one, deadline, no consent or session', async () => {
    const { job, candidate } = await applying({ locale: 'en' });
    const body = await same(actorOf(candidate, job.id));
    expect(body).toMatchObject({ questionCount: 2, hasPractice: true, consent: null, session: null });
    expect(body.notice.locale).toBe('en');
    expect(body.start).toEqual({ now: true, reason: null });
    expect((await same(actorOf(candidate, job.id), new Date(), 'zh-CN')).notice.locale).toBe('zh-CN');
    // Signed in with DingTalk (no invitation job): the latest application at the interview.
    expect((await same(actorOf(candidate))).job.id).toBe(job.id);
  });

  it('booked: no booking, before the window with a free or a full seat, inside the window', async () => {
    const { em, job, candidate, app } = await applying();
    const schedule = await booked(em, job.id, 1);
    const actor = actorOf(candidate, job.id);
    expect((await same(actor)).start).toEqual({ now: false, reason: 'booking_required' });
    const startAt = new Date(Date.now() + 2 * DAY);
    await makeBooking(em, { application: app, schedule, startAt });
    const early = await same(actor);
    expect(early.takeMode).toBe('booked');
    expect(early.start).toEqual({ now: true, reason: null });
    // Another candidate holds the only seat now: starting early is refused.
    const other = await makeApplication(em, { job, stage: 'booked' });
    await makeBooking(em, { application: other, schedule, startAt: new Date(Date.now() - 5 * MINUTE) });
    expect((await same(actor)).start).toEqual({ now: false, reason: 'outside_booking_window' });
    // Inside the booked window.
    expect((await same(actor, new Date(startAt.getTime() + MINUTE))).start).toEqual({
      now: true,
      reason: null,
    });
    // After it.
    expect((await same(actor, new Date(startAt.getTime() + DAY))).start.reason).toBe(
      'outside_booking_window',
    );
  });

  it('consent given (the latest row counts) with an accommodation', async () => {
    const { em, job, candidate, app } = await applying();
    await consent(em, app, candidate, 'grant', new Date(Date.now() - 2 * DAY));
    await consent(em, app, candidate, 'withdraw', new Date(Date.now() - DAY));
    await consent(em, app, candidate, 'grant', new Date(Date.now() - 1234));
    em.create(InterviewAccommodation, {
      application: app.id,
      extraTimePercent: 37,
      extraRetakes: 2,
      audioOnlyAllowed: true,
    });
    await em.flush();
    const body = await same(actorOf(candidate, job.id));
    expect(body.consent?.action).toBe('grant');
    expect(body.accommodations).toEqual({ extraTimePercent: 37, extraRetakes: 2, audioOnlyAllowed: true });
    expect(body.expectedMinutes).toBe(Math.ceil(Math.round((57 + 63) * 1.37 + 60) / 60));
  });

  it('in progress, submitted and closed (withdrawn, or past the deadline)', async () => {
    const progress = await applying();
    await consent(progress.em, progress.app, progress.candidate, 'grant', new Date());
    const session = await makeSession(progress.em, { application: progress.app });
    await makeAnswer(progress.em, { session, state: 'submitted' }); // the practice question
    await makeAnswer(progress.em, { session, state: 'submitted' });
    await makeAnswer(progress.em, { session, state: 'answering' });
    const open = await same(actorOf(progress.candidate, progress.job.id));
    expect(open.session).toMatchObject({ status: 'open', answered: 1, submittedAt: null });
    expect(open.start).toEqual({ now: true, reason: null });

    const done = await applying();
    const submitted = await makeSession(done.em, { application: done.app, status: 'submitted' });
    for (let i = 0; i < 3; i++) await makeAnswer(done.em, { session: submitted, state: 'submitted' });
    const body = await same(actorOf(done.candidate, done.job.id));
    expect(body.session).toMatchObject({ status: 'submitted', answered: 2 });
    expect(body.session?.submittedAt).toBe(submitted.startedAt.toISOString());

    const closed = await applying();
    await consent(closed.em, closed.app, closed.candidate, 'grant', new Date(Date.now() - 1000));
    await consent(closed.em, closed.app, closed.candidate, 'withdraw', new Date());
    await makeSession(closed.em, { application: closed.app, status: 'withdrawn' });
    const withdrawn = await same(actorOf(closed.candidate, closed.job.id));
    expect(withdrawn.session?.status).toBe('withdrawn');
    expect(withdrawn.consent?.action).toBe('withdraw');

    const late = await applying({ deadlineAt: new Date(Date.now() - DAY) });
    expect((await same(actorOf(late.candidate, late.job.id))).start).toEqual({
      now: false,
      reason: 'deadline_passed',
    });
    const open2 = await applying({ deadlineAt: null });
    expect((await same(actorOf(open2.candidate, open2.job.id))).deadlineAt).toBeNull();
  });
});
