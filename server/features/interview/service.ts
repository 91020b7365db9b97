/**
 * The AI video interview, as commands: consent, session, serving questions, upload grants,
 * verification, retakes and submission. Routes call these with the actor; every command loads
 * the candidate's own application from the actor, so a candidate can never address another
 * candidate's session (ids in URLs are checked against it and hidden as 404).
 */
import { randomBytes } from 'node:crypto';
import type { TakeMode } from '../../../shared/api/bookings';
import type {
  AnswerView,
  AttemptPollResponse,
  ConsentResponse,
  InterviewOverview,
  MultipartState,
  NextResponse,
  NoticeView,
  StartResponse,
  SubmitResponse,
  UploadGrant,
  VerificationResponse,
  WithdrawResponse,
} from '../../../shared/api/interview';
import { type AuditContext, audit } from '../../kernel/audit';
import type { Config } from '../../kernel/config';
import { Application, type IApplication } from '../../kernel/db/entities/Application';
import { Booking } from '../../kernel/db/entities/Booking';
import { InterviewAccommodation } from '../../kernel/db/entities/InterviewAccommodation';
import {
  type ConsentScope,
  type IInterviewConsent,
  InterviewConsent,
} from '../../kernel/db/entities/InterviewConsent';
import {
  type IInterviewQuestion,
  InterviewPlan,
  InterviewQuestion,
} from '../../kernel/db/entities/InterviewPlan';
import {
  type IInterviewAnswer,
  type IInterviewAttempt,
  type IInterviewSession,
  InterviewAnswer,
  InterviewAttempt,
  InterviewSession,
} from '../../kernel/db/entities/InterviewSession';
import { Job } from '../../kernel/db/entities/Job';
import { OrgSettings } from '../../kernel/db/entities/OrgSettings';
import { type IPlanSchedule, PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import type { Em } from '../../kernel/db/orm';
import { sqlBool } from '../../kernel/db/raw';
import { retryOnDeadlock } from '../../kernel/db/retry';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../kernel/errors';
import { emit } from '../../kernel/events/emit';
import type { DeferredSession } from '../../kernel/http/auth';
import type { Actor } from '../../kernel/http/context';
import type { DeferredHit } from '../../kernel/http/rateLimit';
import type { AppObjectStore } from '../../kernel/integrations/storage';
import { deriveKey, type SignedPayload, signToken } from '../../kernel/integrations/storage/signing';
import type { MediaReport } from '../../kernel/media/checks';
import { type RecordingProblem, recordingProblemOf } from '../../kernel/media/stored';
import { answerStepLean } from './answerStepLean';
import { completeUploadLean } from './completeLean';
import { reserveAttemptLean } from './grantLean';
import { serveNextLean } from './nextLean';
import {
  expectedSecondsOf,
  noticeOf,
  overviewLocale,
  overviewRefusal,
  presentOverview,
  startRefusalOf,
} from './overview';
import { interviewOverviewLean } from './overviewLean';
import { RECORDING_TYPES, type RecordingType } from './recordingTypes';
import { recordConsentLean, startSessionLean, submitSessionLean } from './sessionLean';
import {
  type AnswerEvent,
  type AnswerRules,
  type AnswerSnapshot,
  answerDeadline,
  effectiveRules,
  retakesLeft,
  transition,
  windowStart,
} from './stateMachine';
import { verdictWatch } from './verdictWait';

/** What every command receives. */
export interface InterviewDeps {
  em: Em;
  config: Config;
  storage: AppObjectStore;
  actor: Actor;
  now: Date;
  context: AuditContext & { userAgent?: string };
}

/** Smallest accepted recording (an empty or header-only file is refused). */
export const MIN_UPLOAD_BYTES = 1024;

/** Flags that let the candidate record again without using a retake. */
const FREE_RETAKE_FLAGS = new Set(['no_audio', 'too_quiet', 'mostly_silent', 'too_short', 'corrupt']);

const gone = (what = 'Interview') => notFound(what);

/** Stages in which the AI interview is still the candidate's business (to take, or taken). */
const INTERVIEW_STAGES = ['invited', 'booked', 'interviewing', 'submitted'] as const;

/**
 * The application the interview routes act on: the invitation's job for a session opened from an
 * invitation link; for a candidate who signed in with DingTalk (no invitation in the session),
 * their most recent application still at the interview, else their most recent one. Without
 * any application: 404.
 */
async function applicationOf(em: Em, actor: Actor): Promise<IApplication> {
  if (actor.kind !== 'candidate') throw gone();
  const app =
    actor.invitationJobId !== null
      ? await em.findOne(
          Application,
          { candidate: actor.id, job: actor.invitationJobId },
          { populate: ['job', 'candidate'] },
        )
      : ((await em.findOne(
          Application,
          { candidate: actor.id, stage: { $in: [...INTERVIEW_STAGES] } },
          { populate: ['job', 'candidate'], orderBy: { id: 'desc' } },
        )) ??
        // Past the interview (scored, in review, ...): their latest, so the home can say
        // "waiting for results" or "read feedback" rather than "no interview".
        (await em.findOne(
          Application,
          { candidate: actor.id },
          { populate: ['job', 'candidate'], orderBy: { id: 'desc' } },
        )));
  if (!app) throw gone();
  return app;
}

/** The job's interview plan row (404 without one). */
async function planRowOf(em: Em, jobId: number) {
  const plan = await em.findOne(InterviewPlan, { job: jobId });
  if (!plan) throw gone('Interview plan');
  return plan;
}

async function planOf(em: Em, jobId: number) {
  const plan = await planRowOf(em, jobId);
  const questions = await em.find(InterviewQuestion, { plan }, { orderBy: { position: 'asc' } });
  // Practice first, then the real questions in their order.
  const ordered = [...questions.filter((q) => q.practice), ...questions.filter((q) => !q.practice)];
  return { plan, questions: ordered };
}

async function latestConsent(em: Em, applicationId: number) {
  return em.findOne(InterviewConsent, { application: applicationId }, { orderBy: { id: 'desc' } });
}

/** The notice for an application in a locale, with its hash. */
export async function noticeFor(em: Em, app: IApplication, loc: 'zh-CN' | 'en'): Promise<NoticeView> {
  return noticeForJob(em, app.job.id, loc);
}

/** The notice a candidate of job `jobId` reads (the same words, so the same hash, for everyone). */
export async function noticeForJob(em: Em, jobId: number, loc: 'zh-CN' | 'en'): Promise<NoticeView> {
  const org = (await em.find(OrgSettings, {}, { orderBy: { id: 'asc' }, limit: 1 }))[0];
  const job = await em.findOneOrFail(Job, { id: jobId });
  const plan = await em.findOne(InterviewPlan, { job: job.id }, { fields: ['followUps'] });
  return noticeOf(
    {
      company: org?.name ?? null,
      jobTitle: job.title,
      retentionDays: org?.retentionDays ?? null,
      followUps: plan?.followUps ?? null,
    },
    loc,
  );
}

/** The answer fields the state machine reads. */
type SnapshotField = 'state' | 'servedAt' | 'windowStartedAt' | 'retakesUsed' | 'late';

function snapshot(a: Pick<IInterviewAnswer, SnapshotField>): AnswerSnapshot {
  return {
    state: a.state,
    servedAt: a.servedAt,
    windowStartedAt: a.windowStartedAt ?? null,
    retakesUsed: a.retakesUsed,
    late: a.late,
  };
}

/** What the answer rules take from an application's accommodation (null: none granted). */
type AccommodationFigures = { extraTimePercent: number; extraRetakes: number } | null;

function accommodationFiguresOf(r: { extra_time_percent: unknown; extra_retakes: unknown } | undefined) {
  return r && r.extra_time_percent !== null
    ? { extraTimePercent: Number(r.extra_time_percent), extraRetakes: Number(r.extra_retakes) }
    : null;
}

/**
 * The accommodation's two figures the rules use, in the caller's transaction, without hydrating
 * (and then diffing at commit) the row: the answer routes read it on every call.
 */
async function accommodationOf(em: Em, applicationId: number): Promise<AccommodationFigures> {
  const rows = await em.execute<Array<{ extra_time_percent: unknown; extra_retakes: unknown }>>(
    'select extra_time_percent, extra_retakes from interview_accommodations where application_id = ?',
    [applicationId],
  );
  return accommodationFiguresOf(rows[0]);
}

async function rulesFor(em: Em, config: Config, app: IApplication, q: IInterviewQuestion) {
  return effectiveRules(q, await accommodationOf(em, app.id), config.interview.graceSeconds);
}

/** 413 for a recording over the size limit; `details` name the limit for the candidate's screen. */
export function recordingTooLarge(maxBytes: number): AppError {
  const maxMegabytes = Math.round(maxBytes / 1048576);
  return new AppError('upload_too_large', `Recordings may be at most ${maxMegabytes} MB`, { maxMegabytes });
}

/** Refuses new work after the application's deadline, with a message that says so. */
function assertBeforeDeadline(app: IApplication, now: Date): void {
  if (app.deadlineAt && now.getTime() > app.deadlineAt.getTime())
    throw new AppError(
      'deadline_passed',
      `The deadline for this interview passed at ${app.deadlineAt.toISOString()}; please contact HR for a new invitation`,
      { deadlineAt: app.deadlineAt.toISOString() },
    );
}

/** The plan's AI interview scheduling (null: no window, answer any time before the deadline). */
async function aiScheduleOf(em: Em, planId: number): Promise<IPlanSchedule | null> {
  return em.findOne(PlanSchedule, { plan: planId, kind: 'ai_interview', active: true });
}

/** Why a new interview may not begin now under the plan's take mode ({@link startRefusalOf}). */
async function startRefusal(em: Em, app: IApplication, planId: number, now: Date): Promise<AppError | null> {
  const schedule = await aiScheduleOf(em, planId);
  if (!schedule || schedule.takeMode === 'anytime') return null;
  return startRefusalOf(em, schedule, await aiBookingOf(em, app.id), app.job.id, now);
}

/** The application's AI interview booking that holds (booked or completed), if any. */
async function aiBookingOf(em: Em, applicationId: number) {
  return em.findOne(
    Booking,
    { application: applicationId, kind: 'ai_interview', status: { $in: ['booked', 'completed'] } },
    // The first one, as the lean overview reads it (an application holds one at a time).
    { orderBy: { id: 'asc' } },
  );
}

/** Refuses to begin an interview the take mode does not allow now (see {@link startRefusal}). */
async function assertMayStart(em: Em, app: IApplication, planId: number, now: Date): Promise<void> {
  const refusal = await startRefusal(em, app, planId, now);
  if (refusal) throw refusal;
}

/**
 * Until when a started session may go on serving questions although the deadline or the booked
 * window has passed meanwhile: twice the expected length of the sitting from its start (room for
 * retakes and a dropped connection). A candidate who starts at 23:59 before a midnight deadline
 * finishes; one who stops for the night does not get a new day.
 */
async function sittingEndsAt(em: Em, app: IApplication, session: IInterviewSession): Promise<Date> {
  const { questions } = await planOf(em, app.job.id);
  return sittingEndOf(session, questions, await accommodationOf(em, app.id));
}

/** {@link sittingEndsAt} from the plan's questions and the accommodation already read. */
function sittingEndOf(
  session: IInterviewSession,
  questions: readonly IInterviewQuestion[],
  acc: AccommodationFigures,
): Date {
  return new Date(
    session.startedAt.getTime() + 2 * expectedSecondsOf(questions, acc?.extraTimePercent ?? 0) * 1000,
  );
}

/**
 * The deadline binds a started session only once its sitting is over ({@link sittingEndsAt}):
 * recording, retakes and uploads of a sitting begun before the deadline go on to its end.
 */
async function assertSessionBeforeDeadline(
  em: Em,
  app: IApplication,
  session: IInterviewSession,
  now: Date,
): Promise<void> {
  if (!app.deadlineAt || now.getTime() <= app.deadlineAt.getTime()) return;
  if (now > (await sittingEndsAt(em, app, session))) assertBeforeDeadline(app, now);
}

async function sessionOf(em: Em, app: IApplication): Promise<IInterviewSession | null> {
  return em.findOne(InterviewSession, { application: app.id });
}

function assertOpen(session: IInterviewSession | null): asserts session is IInterviewSession {
  if (!session) throw conflict('session_not_started', 'Start the interview first');
  if (session.status === 'submitted')
    throw conflict('session_submitted', 'This interview is already submitted');
  if (session.status === 'withdrawn')
    throw conflict('consent_withdrawn', 'You withdrew your consent; this interview is closed');
}

/** Throws 403 unless the latest consent row grants video processing. */
async function assertConsent(em: Em, applicationId: number): Promise<void> {
  const c = await latestConsent(em, applicationId);
  if (c?.action !== 'grant' || !c.scopes.includes('video_processing'))
    throw forbidden('consent_required', 'Consent to process your recordings is required before recording');
}

/**
 * How job `jobId`'s AI interview works, for its public page: the real questions' count and
 * expected time (practice excluded, no accommodation), whether there is a practice question, and
 * the take mode. Null when the job has no interview plan yet.
 */
export async function interviewFactsOfJob(
  em: Em,
  jobId: number,
): Promise<{
  questionCount: number;
  expectedMinutes: number;
  hasPractice: boolean;
  takeMode: TakeMode;
} | null> {
  const plan = await em.findOne(InterviewPlan, { job: jobId });
  if (!plan) return null;
  const questions = await em.find(InterviewQuestion, { plan }, { orderBy: { position: 'asc' } });
  const real = questions.filter((q) => !q.practice);
  const schedule = await aiScheduleOf(em, plan.id);
  return {
    questionCount: real.length,
    expectedMinutes: Math.max(1, Math.ceil(expectedSecondsOf(real, 0) / 60)),
    hasPractice: questions.some((q) => q.practice),
    takeMode: schedule?.takeMode ?? 'anytime',
  };
}

/**
 * Overview of the candidate's interview: start page, notice, consent, progress. The lean path
 * (`overviewLean.ts`, one statement) answers the usual case; this ORM path answers the rest (no
 * application, no plan: its 404s) and is the reference the lean one is tested against.
 */
export async function interviewOverview(d: InterviewDeps, loc?: string): Promise<InterviewOverview> {
  return (await interviewOverviewLean(d.em, d.actor, d.now, loc)) ?? interviewOverviewOrm(d, loc);
}

/** {@link interviewOverview} through the ORM (entities loaded one query at a time). */
export async function interviewOverviewOrm(d: InterviewDeps, loc?: string): Promise<InterviewOverview> {
  const app = await applicationOf(d.em, d.actor);
  const { plan, questions } = await planOf(d.em, app.job.id);
  const org = (await d.em.find(OrgSettings, {}, { orderBy: { id: 'asc' }, limit: 1 }))[0];
  const acc = await d.em.findOne(InterviewAccommodation, { application: app.id });
  const consent = await latestConsent(d.em, app.id);
  const session = await sessionOf(d.em, app);
  const schedule = await aiScheduleOf(d.em, plan.id);
  // What "start now" would answer, so the home offers it only when it works.
  const refusal = await overviewRefusal(d.em, {
    hasSession: session !== null,
    deadlineAt: app.deadlineAt ?? null,
    schedule,
    booking: session || !schedule || schedule.takeMode === 'anytime' ? null : await aiBookingOf(d.em, app.id),
    jobId: app.job.id,
    now: d.now,
  });
  const answers = session ? await d.em.find(InterviewAnswer, { session }) : [];
  return presentOverview({
    job: { id: app.job.id, title: app.job.title },
    deadlineAt: app.deadlineAt ?? null,
    questions,
    accommodation: acc,
    consent,
    session: session
      ? {
          id: session.id,
          status: session.status,
          audioOnly: session.audioOnly,
          submittedAt: session.submittedAt ?? null,
        }
      : null,
    submitted: new Set(answers.filter((a) => a.state === 'submitted').map((a) => a.question.id)),
    takeMode: schedule?.takeMode ?? null,
    refusal,
    company: org?.name ?? null,
    notice: await noticeFor(d.em, app, overviewLocale(loc ?? app.candidate.locale)),
  });
}

/** Appends an immutable consent row with the request's time, IP and user agent. */
function appendConsent(
  em: Em,
  d: InterviewDeps,
  app: IApplication,
  fields: Pick<IInterviewConsent, 'action' | 'scopes' | 'noticeVersion' | 'noticeHash' | 'locale'>,
) {
  return em.create(InterviewConsent, {
    application: app,
    candidate: app.candidate,
    ...fields,
    ip: (d.context.ip ?? '').slice(0, 64),
    userAgent: (d.context.userAgent ?? '').slice(0, 500),
    createdAt: d.now,
  });
}

/** Props of {@link recordConsent}. */
export interface ConsentInput {
  noticeHash: string;
  locale: 'zh-CN' | 'en';
  videoProcessing: boolean;
  aiEvaluation: boolean;
  personOnly: boolean;
}

/**
 * Stores a consent decision as a new immutable row. Video processing is required to record; AI
 * evaluation is a separate choice, and without it (or with "person only") no AI score is made.
 */
export async function recordConsent(
  d: InterviewDeps,
  input: ConsentInput,
): Promise<ConsentResponse['consent']> {
  // The usual case in plain SQL (sessionLean.ts); the rest, with its errors, below.
  return (await recordConsentLean(d, input)) ?? recordConsentOrm(d, input);
}

/** {@link recordConsent} through the ORM: the reference the lean path is tested against. */
export async function recordConsentOrm(
  d: InterviewDeps,
  input: ConsentInput,
): Promise<ConsentResponse['consent']> {
  return d.em.transactional(async (em) => {
    const app = await applicationOf(em, d.actor);
    const notice = await noticeFor(em, app, input.locale);
    if (notice.hash !== input.noticeHash)
      throw conflict('notice_changed', 'The notice changed; please read the current version', {
        noticeHash: notice.hash,
      });
    if (!input.videoProcessing)
      throw badRequest(
        'consent_video_required',
        'Recording needs your consent to process the video; without it no interview is recorded',
      );
    const session = await sessionOf(em, app);
    if (session?.status === 'withdrawn')
      throw conflict('consent_withdrawn', 'You withdrew your consent; this interview is closed');
    const personOnly = input.personOnly || !input.aiEvaluation;
    const scopes: ConsentScope[] = ['video_processing'];
    if (input.aiEvaluation && !input.personOnly) scopes.push('ai_evaluation');
    if (personOnly) scopes.push('person_only');
    const row = appendConsent(em, d, app, {
      action: 'grant',
      scopes,
      noticeVersion: notice.version,
      noticeHash: notice.hash,
      locale: input.locale,
    });
    app.personOnly = personOnly;
    await em.flush();
    audit(
      em,
      d.actor,
      'interview.consent_granted',
      { type: 'application', id: app.id },
      { scopes },
      d.context,
    );
    await emit(em, {
      type: 'interview.consent_granted',
      key: `interview-consent:${row.id}`,
      aggregate: `application:${app.id}`,
      actor: { kind: 'candidate', id: d.actor.id },
      data: { applicationId: app.id, scopes, personOnly },
    });
    return { id: row.id, scopes, personOnly, at: row.createdAt.toISOString() };
  });
}

/**
 * Withdraws consent: a new row with no scopes, the session closes, pending uploads are refused
 * from now on, and `interview.consent_withdrawn` asks the retention job to delete the recordings.
 */
export async function withdrawConsent(d: InterviewDeps): Promise<WithdrawResponse> {
  return d.em.transactional(async (em) => {
    const app = await applicationOf(em, d.actor);
    const last = await latestConsent(em, app.id);
    if (!last || last.action === 'withdraw') throw conflict('no_consent', 'There is no consent to withdraw');
    const row = appendConsent(em, d, app, {
      action: 'withdraw',
      scopes: [],
      noticeVersion: last.noticeVersion,
      noticeHash: last.noticeHash,
      locale: last.locale,
    });
    const session = await sessionOf(em, app);
    if (session && session.status !== 'withdrawn') session.status = 'withdrawn';
    await em.flush();
    const keys = session
      ? (await em.find(InterviewAttempt, { answer: { session } }, { fields: ['objectKey'] })).map(
          (a) => a.objectKey,
        )
      : [];
    audit(em, d.actor, 'interview.consent_withdrawn', { type: 'application', id: app.id }, null, d.context);
    await emit(em, {
      type: 'interview.consent_withdrawn',
      key: `interview-consent:${row.id}`,
      aggregate: `application:${app.id}`,
      actor: { kind: 'candidate', id: d.actor.id },
      data: {
        applicationId: app.id,
        sessionId: session?.id ?? null,
        candidateId: d.actor.id,
        deleteObjectKeys: keys,
      },
    });
    return { withdrawn: true as const, at: row.createdAt.toISOString() };
  });
}

/**
 * Starts (or resumes) the session. Needs consent; idempotent. The usual case runs in plain SQL
 * (sessionLean.ts); the rest, with its errors, through {@link startSessionOrm}.
 */
export async function startSession(
  d: InterviewDeps,
  input: { audioOnly?: boolean; recorderMime?: string },
): Promise<StartResponse['session']> {
  return (await startSessionLean(d, input)) ?? startSessionOrm(d, input);
}

/** {@link startSession} through the ORM: the reference the lean path is tested against. */
export async function startSessionOrm(
  d: InterviewDeps,
  input: { audioOnly?: boolean; recorderMime?: string },
): Promise<StartResponse['session']> {
  // The start's event rows can collide with the worker claiming outbox rows (MariaDB gap locks,
  // seen in the load bench); a deadlock victim runs again from fresh reads (a second run finds
  // the session the first one did not commit, or none).
  return retryOnDeadlock(() =>
    d.em.fork().transactional(async (em) => {
      const app = await applicationOf(em, d.actor);
      await assertConsent(em, app.id);
      // The plan only: opening the session needs none of its questions.
      const plan = await planRowOf(em, app.job.id);
      let session = await sessionOf(em, app);
      const created = !session;
      if (session) {
        assertOpen(session);
      } else {
        assertBeforeDeadline(app, d.now);
        await assertMayStart(em, app, plan.id, d.now);
        session = em.create(InterviewSession, {
          application: app,
          candidate: app.candidate,
          job: app.job,
          plan,
          startedAt: d.now,
        });
      }
      // Audio only is the fallback when the camera cannot work; the session records the choice so
      // HR sees it (an accommodation pre-allows it, the device check offers it when needed).
      if (input.audioOnly !== undefined) session.audioOnly = input.audioOnly;
      if (input.recorderMime) session.recorderMime = input.recorderMime.slice(0, 100);
      await em.flush();
      if (created)
        // The pipeline shows the candidate as 面试中 from here (booked -> interviewing).
        await emit(em, {
          type: 'interview.started',
          key: `interview:${session.id}:started`,
          aggregate: `interview:${session.id}`,
          actor: { kind: 'candidate', id: d.actor.id },
          data: {
            applicationId: app.id,
            sessionId: session.id,
            candidateId: app.candidate.id,
            jobId: app.job.id,
          },
        });
      return { id: session.id, status: session.status, audioOnly: session.audioOnly };
    }),
  );
}

/** JSON of an answer with the timing the client shows (computed on the server). */
export function presentAnswer(
  a: Pick<IInterviewAnswer, 'id' | 'attempts' | SnapshotField>,
  q: Pick<
    IInterviewQuestion,
    'id' | 'text' | 'practice' | 'answerType' | 'promptMediaKind' | 'promptMediaUrl' | 'maxChars'
  >,
  rules: AnswerRules,
  now: Date,
  index: { k: number; n: number },
  audioOnly: boolean,
): AnswerView {
  const snap = snapshot(a);
  const thinkEndsAt = new Date(a.servedAt.getTime() + rules.thinkSeconds * 1000);
  const start = windowStart(snap, rules);
  const answerEndsAt = new Date(start.getTime() + rules.answerSeconds * 1000);
  return {
    id: a.id,
    state: a.state,
    question: {
      id: q.id,
      text: q.text,
      practice: q.practice,
      answerType: q.answerType === 'video' && audioOnly ? 'audio' : q.answerType,
      promptMediaKind: q.promptMediaKind ?? null,
      promptMediaUrl: q.promptMediaUrl ?? null,
      thinkSeconds: rules.thinkSeconds,
      answerSeconds: rules.answerSeconds,
      maxChars: q.maxChars,
    },
    /** "question k of n" (practice: k = 0). */
    position: index,
    servedAt: a.servedAt.toISOString(),
    thinkEndsAt: thinkEndsAt.toISOString(),
    answerEndsAt: answerEndsAt.toISOString(),
    lateAfter: answerDeadline(snap, rules).toISOString(),
    thinkSecondsLeft: Math.max(0, Math.round((thinkEndsAt.getTime() - now.getTime()) / 1000)),
    answerSecondsLeft: Math.max(0, Math.round((answerEndsAt.getTime() - now.getTime()) / 1000)),
    retakesUsed: a.retakesUsed,
    retakesLeft: retakesLeft(snap, rules),
    attempts: a.attempts,
    late: a.late,
    locked: a.state === 'submitted',
  };
}

/** The candidate's application and their answer `answerId` with its session and question; 404 for anyone else's. */
async function answerOf(d: InterviewDeps, em: Em, answerId: number) {
  const app = await applicationOf(em, d.actor);
  const answer = await em.findOne(InterviewAnswer, { id: answerId }, { populate: ['session', 'question'] });
  // Another candidate's answer is indistinguishable from a missing one.
  if (!answer || answer.session.application.id !== app.id) throw gone('Answer');
  return { app, session: answer.session, answer, q: answer.question };
}

async function loadAnswerCtx(d: InterviewDeps, em: Em, answerId: number, withIndex = true) {
  const { app, session, answer, q } = await answerOf(d, em, answerId);
  if (!withIndex)
    return { app, session, answer, q, rules: await rulesFor(em, d.config, app, q), index: { k: 0, n: 0 } };
  // "question k of n" needs the plan's question ids in order; with the accommodation that is one
  // statement (the plan's questions were hydrated, and diffed at commit, only for their ids).
  const { acc, real } = await rulesAndIndexOf(em, app);
  const rules = effectiveRules(q, acc, d.config.interview.graceSeconds);
  const index = { k: q.practice ? 0 : real.indexOf(q.id) + 1, n: real.length };
  return { app, session, answer, q, rules, index };
}

/**
 * The application's accommodation figures and the ids of its plan's real (not practice) questions
 * in their order, in one statement. No plan: 404 as `planOf` answers it.
 */
async function rulesAndIndexOf(em: Em, app: IApplication) {
  // A plan per job and an accommodation per application (both unique): one row per question.
  const rows = await em.execute<
    Array<{ extra_time_percent: unknown; extra_retakes: unknown; q_id: unknown; practice: unknown }>
  >(
    `select acc.extra_time_percent, acc.extra_retakes, q.id as q_id, q.practice
       from interview_plans p
       left join interview_accommodations acc on acc.application_id = ?
       left join interview_questions q on q.plan_id = p.id
      where p.job_id = ?
      order by q.position asc`,
    [app.id, app.job.id],
  );
  if (!rows.length) throw gone('Interview plan');
  const real = rows.filter((r) => r.q_id !== null && !sqlBool(r.practice)).map((r) => Number(r.q_id));
  return { acc: accommodationFiguresOf(rows[0]), real };
}

/**
 * Moves an answer through the state machine with compare-and-swap on `version`, so two tabs or
 * a double tap can never both apply an event. Extra columns are written in the same UPDATE.
 */
async function applyEvent(
  em: Em,
  answer: IInterviewAnswer,
  event: AnswerEvent,
  rules: AnswerRules,
  extra: Partial<Pick<IInterviewAnswer, 'attempts' | 'finalAttempt' | 'text' | 'lockedAt'>> = {},
): Promise<void> {
  const r = transition(snapshot(answer), event, rules);
  if (!r.ok) throw conflict(r.code, r.message);
  const patch = {
    state: r.next.state,
    windowStartedAt: r.next.windowStartedAt,
    retakesUsed: r.next.retakesUsed,
    late: r.next.late,
    ...extra,
    version: answer.version + 1,
  };
  const n = await em.nativeUpdate(InterviewAnswer, { id: answer.id, version: answer.version }, patch);
  if (n !== 1) throw conflict('answer_changed', 'This answer changed in another window; reload to continue');
  await em.refresh(answer);
}

/**
 * Serves the next question: the first one (practice first) not yet submitted. An answer already
 * served is returned as it is (resume after reload, app close or a different phone) with the
 * server's remaining time; a new one is created now, which starts its think time. The usual case
 * runs in plain SQL (`nextLean.ts`); the rest, with its errors, through {@link serveNextOrm}.
 */
export async function serveNext(d: InterviewDeps): Promise<NextResponse> {
  const f = await serveNextLean({
    em: d.em,
    actor: d.actor,
    now: d.now,
    graceSeconds: d.config.interview.graceSeconds,
  });
  if (!f) return serveNextOrm(d);
  if (f.done) return f;
  const { answer, question, rules, index, audioOnly } = f.facts;
  return { done: false, answer: presentAnswer(answer, question, rules, d.now, index, audioOnly) };
}

/** {@link serveNext} through the ORM: the reference the lean path is tested against. */
export async function serveNextOrm(d: InterviewDeps): Promise<NextResponse> {
  return d.em.transactional(async (em) => {
    const app = await applicationOf(em, d.actor);
    await assertConsent(em, app.id);
    const session = await sessionOf(em, app);
    assertOpen(session);
    const { questions } = await planOf(em, app.job.id);
    const answers = await em.find(InterviewAnswer, { session });
    const byQ = new Map(answers.map((a) => [a.question.id, a]));
    const next = questions.find((q) => byQ.get(q.id)?.state !== 'submitted');
    const real = questions.filter((q) => !q.practice);
    if (!next) return { done: true as const, answered: real.length, total: real.length };
    let answer = byQ.get(next.id);
    // Read once for the sitting's end and the rules (the plan's questions are loaded above).
    const acc = await accommodationOf(em, app.id);
    if (!answer && d.now > sittingEndOf(session, questions, acc)) {
      // Past the sitting's own time: the deadline and the window apply again.
      assertBeforeDeadline(app, d.now);
      await assertMayStart(em, app, session.plan.id, d.now);
    }
    if (!answer) {
      answer = em.create(InterviewAnswer, { session, question: next, state: 'served', servedAt: d.now });
      await em.flush();
    }
    const rules = effectiveRules(next, acc, d.config.interview.graceSeconds);
    const k = next.practice ? 0 : real.findIndex((q) => q.id === next.id) + 1;
    return {
      done: false as const,
      answer: presentAnswer(answer, next, rules, d.now, { k, n: real.length }, session.audioOnly),
    };
  });
}

/** The usual case of an answer step in plain SQL (`answerStepLean.ts`), presented; null: not usual. */
async function answerStep(d: InterviewDeps, answerId: number, step: 'start' | 'accept') {
  const f = await answerStepLean({
    em: d.em,
    actor: d.actor,
    now: d.now,
    graceSeconds: d.config.interview.graceSeconds,
    answerId,
    step,
  });
  return f && presentAnswer(f.answer, f.question, f.rules, d.now, f.index, f.audioOnly);
}

/**
 * The candidate starts recording (or the think time ran out). The usual case runs in plain SQL
 * (`answerStepLean.ts`); the rest, with its errors, through {@link startAnswerOrm}.
 */
export async function startAnswer(d: InterviewDeps, answerId: number): Promise<AnswerView> {
  return (await answerStep(d, answerId, 'start')) ?? startAnswerOrm(d, answerId);
}

/** {@link startAnswer} through the ORM: the reference the lean path is tested against. */
export async function startAnswerOrm(d: InterviewDeps, answerId: number): Promise<AnswerView> {
  return d.em.transactional(async (em) => {
    const c = await loadAnswerCtx(d, em, answerId);
    assertOpen(c.session);
    await assertSessionBeforeDeadline(em, c.app, c.session, d.now);
    await applyEvent(em, c.answer, { type: 'start', at: d.now }, c.rules);
    return presentAnswer(c.answer, c.q, c.rules, d.now, c.index, c.session.audioOnly);
  });
}

export type { UploadGrant };

/** Payload of a local upload token. */
export interface LocalUploadClaims extends SignedPayload {
  use: 'upload';
  key: string;
  ct: string;
  min: number;
  max: number;
}

/** Signs a local upload URL for exactly one key (the upload route verifies it). */
export function signLocalUpload(
  secret: string,
  claims: { key: string; ct: string; min: number; max: number; exp: number },
): string {
  return signToken(deriveKey(secret, 'upload'), { use: 'upload', ...claims });
}

/**
 * Grants an upload for a new attempt of a video/audio answer (or re-grants the current attempt
 * when `resume` is set, e.g. after the grant expired mid-upload). The key is bound to
 * session/question/attempt; the grant allows one content type, a size range and a few minutes.
 * `hit` is the request's upload-grant rate-limit hit (`deferredRateLimit`): counted in the
 * usual grant's own transaction, or on its own before the ORM path; 429 over the budget.
 * `session` is the candidate's session check left to this call (`requireAuthDeferred`): made in
 * that same transaction, or on its own before the ORM path; 401 when revoked or erased.
 */
export async function grantUpload(
  d: InterviewDeps,
  answerId: number,
  input: { contentType: string; bytes: number; resume?: boolean },
  hit?: DeferredHit,
  session?: DeferredSession,
): Promise<UploadGrant> {
  const ct = input.contentType.split(';')[0].trim().toLowerCase();
  if (!(ct in RECORDING_TYPES))
    throw badRequest(
      'unsupported_type',
      `Recordings must be one of ${Object.keys(RECORDING_TYPES).join(', ')}`,
    );
  const maxBytes = d.config.interview.uploadMaxBytes;
  if (input.bytes < MIN_UPLOAD_BYTES) throw badRequest('upload_empty', 'The recording is empty');
  if (input.bytes > maxBytes) throw recordingTooLarge(maxBytes);
  // The usual grant in plain SQL (grantLean.ts); anything unusual goes through the ORM below,
  // which gives the errors.
  const keyOf = (sessionId: number, questionId: number, number: number) =>
    // The random suffix keeps keys unguessable even when ids are.
    `interviews/${sessionId}/${questionId}/${number}-${randomBytes(6).toString('hex')}.${RECORDING_TYPES[ct as RecordingType]}`;
  const lean = await reserveAttemptLean({
    em: d.em,
    actor: d.actor,
    now: d.now,
    graceSeconds: d.config.interview.graceSeconds,
    answerId,
    contentType: ct,
    resume: input.resume === true,
    keyOf,
    hit,
    session,
  });
  // Not the usual case: the session is checked and the hit counted (if the lean path has not)
  // before anything else.
  if (!lean) {
    await session?.ensure();
    await hit?.count();
  }
  const { attempt, key } =
    lean ??
    // A deadlock victim runs again from fresh reads (its version check keeps a retry honest).
    (await retryOnDeadlock(() =>
      d.em.fork().transactional(async (em) => {
        const c = await loadAnswerCtx(d, em, answerId, false);
        assertOpen(c.session);
        await assertConsent(em, c.app.id);
        if (c.q.answerType === 'text') throw badRequest('text_answer', 'This question takes a typed answer');
        if (ct.startsWith('video/') && (c.q.answerType === 'audio' || c.session.audioOnly))
          throw badRequest('audio_only', 'This question takes an audio recording');
        if (input.resume) {
          const last = await em.findOne(InterviewAttempt, { answer: c.answer, number: c.answer.attempts });
          if (last?.status !== 'granted' || c.answer.state !== 'answering')
            throw conflict('nothing_to_resume', 'There is no upload in progress for this answer');
          if (last.contentType !== ct)
            throw badRequest('unsupported_type', 'Resume with the same content type');
          return { attempt: last.number, key: last.objectKey };
        }
        await assertSessionBeforeDeadline(em, c.app, c.session, d.now);
        if (c.answer.state === 'served' || c.answer.state === 'retake')
          await applyEvent(em, c.answer, { type: 'start', at: d.now }, c.rules);
        if (c.answer.state !== 'answering')
          throw conflict('invalid_transition', `Cannot upload an answer that is ${c.answer.state}`);
        const number = c.answer.attempts + 1;
        const key = keyOf(c.session.id, c.q.id, number);
        em.create(InterviewAttempt, {
          answer: c.answer,
          number,
          objectKey: key,
          contentType: ct,
          kind: ct.startsWith('audio/') ? 'audio' : 'video',
          grantedAt: d.now,
        });
        await em.flush();
        const n = await em.nativeUpdate(
          InterviewAnswer,
          { id: c.answer.id, version: c.answer.version },
          { attempts: number, version: c.answer.version + 1 },
        );
        if (n !== 1)
          throw conflict('answer_changed', 'This answer changed in another window; reload to continue');
        return { attempt: number, key };
      }),
    ));
  return uploadGrant(d, { key, attempt, contentType: ct, maxBytes, partBytes: d.config.interview.partBytes });
}

/**
 * The grant for one upload of `key`: an OSS PostObject form (parts of `partBytes`) or a signed
 * token for the server's own resumable route, valid `grantTtlSeconds`. Interview answers and
 * follow-up answers are uploaded the same way.
 */
export function uploadGrant(
  d: { storage: AppObjectStore; config: Config; now: Date },
  g: { key: string; attempt: number; contentType: string; maxBytes: number; partBytes: number },
): UploadGrant {
  const { key, attempt, maxBytes } = g;
  const ct = g.contentType;
  const ttl = d.config.interview.grantTtlSeconds;
  const expiresAt = new Date(d.now.getTime() + ttl * 1000);
  if (d.storage.driver === 'oss') {
    const form = d.storage.postObjectForm({
      key,
      minBytes: MIN_UPLOAD_BYTES,
      maxBytes,
      contentType: ct,
      ttlSeconds: ttl,
    });
    return {
      mode: 'oss',
      attempt,
      key,
      url: form.url,
      fields: form.fields,
      contentType: ct,
      minBytes: MIN_UPLOAD_BYTES,
      maxBytes,
      expiresAt: expiresAt.toISOString(),
      partBytes: g.partBytes,
    };
  }
  const token = signLocalUpload(d.config.session.secret, {
    key,
    ct,
    min: MIN_UPLOAD_BYTES,
    max: maxBytes,
    exp: Math.floor(expiresAt.getTime() / 1000),
  });
  return {
    mode: 'local',
    attempt,
    key,
    url: `/api/uploads/${token}`,
    contentType: ct,
    minBytes: MIN_UPLOAD_BYTES,
    maxBytes,
    expiresAt: expiresAt.toISOString(),
    chunkBytes: 4 * 1024 * 1024,
  };
}

/** Props of {@link ossMultipart}. */
export interface MultipartInput {
  attempt: number;
  /** `init` starts the upload, `resume` lists what OSS has (after a drop), `complete` joins it. */
  op: 'init' | 'resume' | 'complete';
  /** Size of the recording: decides the part count and what `complete` accepts. */
  bytes?: number;
  /** The upload id `init` returned (resume, complete). */
  uploadId?: string;
}

/**
 * OSS-mode resumable upload of the current attempt's object. The server makes the small signed
 * requests itself (InitiateMultipartUpload, ListParts, CompleteMultipartUpload) and signs one PUT
 * URL per part for the browser, so recording bytes go straight to OSS and never through here.
 * The key comes from the attempt row, never from the client; OSS refuses an upload id that
 * belongs to another key. Because a part URL cannot limit its body size, `complete` checks the
 * parts (contiguous, every part but the last exactly `partBytes`, total within the grant's
 * range) before joining them.
 */
export async function ossMultipart(
  d: InterviewDeps,
  answerId: number,
  input: MultipartInput,
): Promise<MultipartState> {
  if (d.storage.driver !== 'oss') throw notFound('Route');
  const { key, ct } = await d.em.transactional(async (em) => {
    const c = await loadAnswerCtx(d, em, answerId, false);
    assertOpen(c.session);
    await assertConsent(em, c.app.id);
    const attempt = await em.findOne(InterviewAttempt, { answer: c.answer, number: input.attempt });
    if (!attempt) throw gone('Attempt');
    if (attempt.status !== 'granted' || c.answer.attempts !== input.attempt || c.answer.state !== 'answering')
      throw conflict('attempt_closed', 'This recording was already checked');
    return { key: attempt.objectKey, ct: attempt.contentType };
  });
  return ossMultipartStep(d, {
    key,
    contentType: ct,
    op: input.op,
    bytes: input.bytes,
    uploadId: input.uploadId,
  });
}

/** Props of {@link ossMultipartStep}: the object (from the caller's row, never the client) and the step. */
export interface MultipartStepInput {
  key: string;
  contentType: string;
  op: MultipartInput['op'];
  bytes?: number;
  uploadId?: string;
}

/**
 * One step of an OSS multipart upload of `key` (init, resume, complete), for any recording
 * whose caller has checked the candidate may write `key` now (interview attempts, follow-up
 * answers). See {@link ossMultipart} for what each step does and checks.
 */
export async function ossMultipartStep(
  d: { storage: AppObjectStore; config: Config; now: Date },
  input: MultipartStepInput,
): Promise<MultipartState> {
  const storage = d.storage;
  if (storage.driver !== 'oss') throw notFound('Route');
  const partBytes = d.config.interview.partBytes;
  const maxBytes = d.config.interview.uploadMaxBytes;
  const key = input.key;
  const ct = input.contentType;
  const bytes = input.bytes;
  if (bytes === undefined) throw badRequest('bytes_required', 'bytes is required');
  if (bytes < MIN_UPLOAD_BYTES) throw badRequest('upload_empty', 'The recording is empty');
  if (bytes > maxBytes) throw recordingTooLarge(maxBytes);
  const partCount = Math.max(1, Math.ceil(bytes / partBytes));
  const expected = (n: number) => (n < partCount ? partBytes : bytes - (partCount - 1) * partBytes);
  if (input.op !== 'init' && !input.uploadId) throw badRequest('upload_id_required', 'uploadId is required');
  const ttl = d.config.interview.grantTtlSeconds;
  const expiresAt = new Date(d.now.getTime() + ttl * 1000).toISOString();
  const uploadId = input.op === 'init' ? await storage.initMultipart(key, ct) : (input.uploadId as string);
  let uploaded: Array<{ partNumber: number; size: number; etag: string }> = [];
  if (input.op !== 'init') {
    try {
      uploaded = await storage.listParts(key, uploadId);
    } catch (err) {
      if ((err as { status?: number }).status === 404)
        throw conflict('upload_not_found', 'This upload is gone; start the upload again', { uploadId });
      throw err;
    }
  }
  if (input.op === 'complete') {
    // Exactly the announced parts, each whole: a part URL cannot cap its body, so this is
    // where the size range of the grant is enforced (bytes was checked against it above).
    const whole =
      uploaded.length === partCount &&
      uploaded.every((p, i) => p.partNumber === i + 1 && p.size === expected(p.partNumber));
    if (!whole)
      throw conflict('parts_missing', 'Some parts have not arrived whole yet; resume the upload', {
        uploaded: uploaded.map((p) => p.partNumber),
      });
    await storage.completeMultipart(key, uploadId, uploaded);
    const total = bytes;
    return {
      uploadId,
      partBytes,
      partCount: uploaded.length,
      uploaded: uploaded.map(({ partNumber, size }) => ({ partNumber, size })),
      urls: [],
      expiresAt,
      completed: { bytes: total },
    };
  }
  // A part that arrived whole is kept; a missing or cut one is sent (again).
  const have = new Set(uploaded.filter((p) => p.size === expected(p.partNumber)).map((p) => p.partNumber));
  const urls: MultipartState['urls'] = [];
  for (let n = 1; n <= partCount; n++)
    if (!have.has(n))
      urls.push({
        partNumber: n,
        url: storage.signPartUrl({ key, uploadId, partNumber: n, contentType: ct, ttlSeconds: ttl }),
      });
  return {
    uploadId,
    partBytes,
    partCount,
    uploaded: uploaded.map(({ partNumber, size }) => ({ partNumber, size })),
    urls,
    expiresAt,
  };
}

/**
 * Verdict of one attempt as the candidate sees it: `checking` until the worker's media check
 * ({@link ./mediaCheck}) wrote `verified` or `rejected`. The flags, duration and problem come
 * from the attempt row, so the verdict reads the same however often it is asked for.
 */
export function presentVerdict(row: IInterviewAttempt, answer: AnswerView): VerificationResponse {
  if (row.status === 'verified') {
    const flags = row.flags ?? [];
    // The media flags (not `late`/`too_long`, which the server adds) decide the free retake.
    const media = flags.filter((f) => f !== 'late' && f !== 'too_long');
    return {
      status: 'verified',
      attempt: row.number,
      ok: true,
      durationMs: row.durationMs ?? null,
      flags,
      warning: media.some((f) => FREE_RETAKE_FLAGS.has(f)) ? { flags: media, freeRetake: true } : null,
      answer,
    };
  }
  if (row.status === 'rejected')
    return {
      status: 'rejected',
      attempt: row.number,
      ok: false,
      problem: recordingProblemOf(row.rejectReason ?? 'recording_broken', row.contentType),
      answer,
    };
  return { status: 'checking', attempt: row.number, answer };
}

/**
 * The candidate reports the upload of an attempt finished. Only the cheap checks run here (the
 * attempt is the answer's current one, the object arrived and is not empty, the state machine
 * allows it): the attempt becomes `checking` and the answer `uploaded`, and a worker runs the
 * media check (ffmpeg) and writes the verdict, which the candidate polls with
 * {@link attemptVerification}. Repeating the call for the same attempt returns its current
 * state and never queues a second check.
 */
export async function completeUpload(
  d: InterviewDeps,
  answerId: number,
  attemptNo: number,
): Promise<VerificationResponse> {
  // The usual case in plain SQL (`completeLean.ts`); the rest, with its errors, below.
  const f = await completeUploadLean({
    em: d.em,
    actor: d.actor,
    now: d.now,
    graceSeconds: d.config.interview.graceSeconds,
    answerId,
    attemptNo,
    head: (key) => d.storage.head(key),
  });
  if (f)
    return {
      status: 'checking',
      attempt: attemptNo,
      answer: presentAnswer(f.answer, f.question, f.rules, d.now, f.index, f.audioOnly),
    };
  return completeUploadOrm(d, answerId, attemptNo);
}

/** {@link completeUpload} through the ORM: the reference the lean path is tested against. */
export async function completeUploadOrm(
  d: InterviewDeps,
  answerId: number,
  attemptNo: number,
): Promise<VerificationResponse> {
  // Reads only (the write below reads and checks everything again in its own transaction): no
  // transaction of their own, and no rules, which only the write needs.
  const reads = d.em.fork();
  const { answer } = await answerOf(d, reads, answerId);
  const attempt = await reads.findOne(InterviewAttempt, { answer, number: attemptNo });
  if (!attempt) throw gone('Attempt');
  const pre = { attempt };
  if (pre.attempt.status !== 'granted') return attemptVerification(d, answerId, attemptNo);
  // A HEAD of the object, outside the transaction (OSS answers in milliseconds, but not in a lock).
  const info = await d.storage.head(pre.attempt.objectKey);
  if (!info || info.size === 0)
    throw conflict('upload_missing', 'The recording has not arrived yet; finish or resume the upload');
  // The attempt and answer rows this writes sit beside rows the worker's media check and other
  // candidates write at the same moment (a thousand-candidate load run lost two completes as
  // deadlock victims, 409 for a candidate who did nothing wrong). A victim rolled back, so it
  // runs again from fresh reads in a fresh context: the compare-and-swap on `granted` still
  // queues the check once, and a run that finds it queued returns the state as a repeat does.
  return retryOnDeadlock(() => completeOnce(d, d.em.fork(), answerId, attemptNo, pre.attempt.id, info.size));
}

/** The write of {@link completeUpload}: the attempt `checking`, the answer `uploaded`. */
async function completeOnce(
  d: InterviewDeps,
  base: Em,
  answerId: number,
  attemptNo: number,
  attemptId: number,
  bytes: number,
): Promise<VerificationResponse> {
  return base.transactional(async (em) => {
    const c = await loadAnswerCtx(d, em, answerId);
    const row = await em.findOneOrFail(InterviewAttempt, { id: attemptId });
    // A double tap that lost the race: the other request queued the check.
    if (row.status !== 'granted') return presentVerdict(row, presentAnswerOf(c, d.now));
    assertOpen(c.session);
    if (c.answer.attempts !== attemptNo || c.answer.state !== 'answering')
      throw conflict('attempt_closed', 'This recording was already checked');
    const queued = await em.nativeUpdate(
      InterviewAttempt,
      { id: row.id, status: 'granted' },
      {
        status: 'checking',
        bytes,
        uploadedAt: d.now,
        checkClaimedBy: null,
        checkLeaseUntil: null,
      },
    );
    if (queued !== 1)
      throw conflict('answer_changed', 'This answer changed in another window; reload to continue');
    await applyEvent(em, c.answer, { type: 'uploaded', at: row.grantedAt }, c.rules);
    await em.refresh(row);
    return presentVerdict(row, presentAnswerOf(c, d.now));
  });
}

/** The candidate's view of an answer from its loaded context. */
function presentAnswerOf(c: Awaited<ReturnType<typeof loadAnswerCtx>>, now: Date): AnswerView {
  return presentAnswer(c.answer, c.q, c.rules, now, c.index, c.session.audioOnly);
}

/**
 * The poll of an attempt's check (`GET .../attempts/:n` while the worker checks): while it is
 * `checking` the answer is `{ status, attempt }` from one query on the attempt row joined to its
 * owner (no answer, plan or rules loaded, no entity hydrated); once the verdict is in, the full
 * verdict with the answer ({@link attemptVerification}), read once. With `waitMs` a `checking`
 * poll is held until the verdict is in or the wait runs out (`verdictWait.ts`), so a screen
 * needs one request where it made about ten.
 */
export async function attemptVerdictPoll(
  d: InterviewDeps,
  answerId: number,
  attemptNo: number,
  waitMs = 0,
): Promise<AttemptPollResponse> {
  if (d.actor.kind !== 'candidate') throw gone();
  const [row] = await d.em.execute<Array<{ id: number; status: string }>>(
    `select t.id, t.status from interview_attempts t
       join interview_answers a on a.id = t.answer_id
       join interview_sessions s on s.id = a.session_id
       join applications p on p.id = s.application_id
      where t.answer_id = ? and t.number = ? and p.candidate_id = ?${d.actor.invitationJobId !== null ? ' and p.job_id = ?' : ''}
      limit 1`,
    [answerId, attemptNo, d.actor.id, ...(d.actor.invitationJobId !== null ? [d.actor.invitationJobId] : [])],
  );
  if (row?.status === 'checking') {
    if (waitMs <= 0) return { status: 'checking', attempt: attemptNo };
    // Held until the verdict is in (or the wait runs out): the candidate's own attempt, found above.
    if (!(await verdictWatch(d.em).wait(Number(row.id), waitMs)))
      return { status: 'checking', attempt: attemptNo };
  }
  // Verdict in, or not this candidate's (the full read gives the same 404 as before).
  return attemptVerification(d, answerId, attemptNo);
}

/**
 * The verdict of the candidate's own attempt `attemptNo` of answer `answerId` (see
 * {@link presentVerdict}); another candidate's answer, or an attempt that does not exist, is 404.
 */
export async function attemptVerification(
  d: InterviewDeps,
  answerId: number,
  attemptNo: number,
): Promise<VerificationResponse> {
  const c = await loadAnswerCtx(d, d.em, answerId);
  const row = await d.em.findOne(InterviewAttempt, { answer: c.answer, number: attemptNo });
  if (!row) throw gone('Attempt');
  return presentVerdict(row, presentAnswerOf(c, d.now));
}

/**
 * Writes the worker's verdict on a `checking` attempt, exactly as the request wrote it before
 * the check moved to the worker: a problem rejects the attempt, deletes the object and sends the
 * answer back to recording (no retake used); otherwise the attempt is verified with its
 * duration, flags (media flags, `too_long`, `late`) and loudness metrics. Only the worker that
 * holds the attempt's lease (`workerId`) may write; returns false when it lost the lease (another
 * worker took the attempt over after it expired) or the attempt is no longer waiting.
 */
export async function recordVerdict(
  em: Em,
  config: Config,
  v: {
    attemptId: number;
    workerId: string;
    now: Date;
    problem: RecordingProblem | null;
    report: MediaReport | null;
    storage: AppObjectStore;
  },
): Promise<boolean> {
  const deleted = await em.transactional(async (tx) => {
    const row = await tx.findOne(
      InterviewAttempt,
      { id: v.attemptId },
      { populate: ['answer.session.application'] },
    );
    if (row?.status !== 'checking' || row.checkClaimedBy !== v.workerId) return null;
    const answer = row.answer;
    const question = await tx.findOneOrFail(InterviewQuestion, { id: answer.question.id });
    const rules = await rulesFor(tx, config, answer.session.application, question);
    const release = { checkClaimedBy: null, checkLeaseUntil: null };
    if (answer.state !== 'uploaded' || answer.attempts !== row.number) {
      // The answer moved on without this verdict (only an operator's hand does that): close
      // the attempt so it is not checked forever, and leave the answer alone.
      await tx.nativeUpdate(
        InterviewAttempt,
        { id: row.id, checkClaimedBy: v.workerId },
        { status: 'rejected', rejectReason: 'attempt_closed', ...release },
      );
      return null;
    }
    if (v.problem) {
      const n = await tx.nativeUpdate(
        InterviewAttempt,
        { id: row.id, status: 'checking', checkClaimedBy: v.workerId },
        { status: 'rejected', rejectReason: v.problem.code, flags: v.report?.flags ?? [], ...release },
      );
      if (n !== 1) return null;
      await applyEvent(tx, answer, { type: 'verified', at: v.now, ok: false }, rules);
      return row.objectKey;
    }
    const r = v.report as MediaReport;
    const tooLongMs = (rules.answerSeconds + rules.graceSeconds) * 1000;
    const flags: string[] = [...r.flags];
    if (r.durationMs !== null && r.durationMs > tooLongMs) flags.push('too_long');
    if (answer.late) flags.push('late');
    const n = await tx.nativeUpdate(
      InterviewAttempt,
      { id: row.id, status: 'checking', checkClaimedBy: v.workerId },
      {
        status: 'verified',
        verifiedAt: v.now,
        durationMs: r.durationMs,
        flags,
        late: answer.late,
        metrics: {
          videoCodec: r.videoCodec,
          audioCodec: r.audioCodec,
          meanVolumeDb: r.meanVolumeDb,
          maxVolumeDb: r.maxVolumeDb,
          silenceRatio: r.silenceRatio,
          longestPauseMs: r.longestPauseMs,
          firstSpeechMs: r.firstSpeechMs,
        },
        ...release,
      },
    );
    if (n !== 1) return null;
    await applyEvent(tx, answer, { type: 'verified', at: v.now, ok: true }, rules, {
      finalAttempt: row.number,
    });
    return '';
  });
  if (deleted === null) return false;
  // The unusable object is removed once the verdict is committed; the candidate records again.
  if (deleted) await v.storage.delete(deleted).catch(() => undefined);
  return true;
}

/** Discards the verified recording and opens a new one (counts a retake unless it was flagged). */
export async function retakeAnswer(d: InterviewDeps, answerId: number): Promise<AnswerView> {
  return d.em.transactional(async (em) => {
    const c = await loadAnswerCtx(d, em, answerId);
    assertOpen(c.session);
    await assertSessionBeforeDeadline(em, c.app, c.session, d.now);
    const last = c.answer.finalAttempt
      ? await em.findOne(InterviewAttempt, { answer: c.answer, number: c.answer.finalAttempt })
      : null;
    const free = (last?.flags ?? []).some((f) => FREE_RETAKE_FLAGS.has(f));
    if (c.answer.late)
      throw conflict('no_retakes_left', 'The time for this question is up; keep this answer');
    await applyEvent(em, c.answer, { type: 'retake', at: d.now, free }, c.rules, { finalAttempt: null });
    return presentAnswer(c.answer, c.q, c.rules, d.now, c.index, c.session.audioOnly);
  });
}

/**
 * Keeps the verified recording and locks the question. The usual case runs in plain SQL
 * (`answerStepLean.ts`); the rest, with its errors, through {@link acceptAnswerOrm}.
 */
export async function acceptAnswer(d: InterviewDeps, answerId: number): Promise<AnswerView> {
  return (await answerStep(d, answerId, 'accept')) ?? acceptAnswerOrm(d, answerId);
}

/** {@link acceptAnswer} through the ORM: the reference the lean path is tested against. */
export async function acceptAnswerOrm(d: InterviewDeps, answerId: number): Promise<AnswerView> {
  return d.em.transactional(async (em) => {
    const c = await loadAnswerCtx(d, em, answerId);
    assertOpen(c.session);
    await applyEvent(em, c.answer, { type: 'accept', at: d.now }, c.rules, { lockedAt: d.now });
    return presentAnswer(c.answer, c.q, c.rules, d.now, c.index, c.session.audioOnly);
  });
}

/** Stores a typed answer and locks the question. */
export async function submitText(d: InterviewDeps, answerId: number, text: string): Promise<AnswerView> {
  return d.em.transactional(async (em) => {
    const c = await loadAnswerCtx(d, em, answerId);
    assertOpen(c.session);
    await assertConsent(em, c.app.id);
    await assertSessionBeforeDeadline(em, c.app, c.session, d.now);
    if (c.q.answerType !== 'text') throw badRequest('recorded_answer', 'This question takes a recording');
    if (text.trim().length === 0) throw badRequest('answer_empty', 'Write an answer first');
    if (text.length > c.q.maxChars)
      throw badRequest('answer_too_long', `Answers may be at most ${c.q.maxChars} characters`, {
        maxChars: c.q.maxChars,
      });
    await applyEvent(em, c.answer, { type: 'text', at: d.now }, c.rules, { text, lockedAt: d.now });
    return presentAnswer(c.answer, c.q, c.rules, d.now, c.index, c.session.audioOnly);
  });
}

/**
 * Closes the session once every real question is answered and queues scoring with the
 * `interview.submitted` event (same transaction). Submitting twice returns the same result.
 */
export async function submitSession(d: InterviewDeps): Promise<SubmitResponse['session']> {
  // The usual case in plain SQL (sessionLean.ts, which retries its own deadlock victims).
  return (await submitSessionLean(d)) ?? submitSessionOrm(d);
}

/** {@link submitSession} through the ORM: the reference the lean path is tested against. */
export async function submitSessionOrm(d: InterviewDeps): Promise<SubmitResponse['session']> {
  // The stage move's analytics counters (triggers) are hot rows shared with the scoring worker's
  // stage moves; seen deadlocking in the load bench once submits overlapped scoring. A victim
  // runs again from fresh reads (it then finds the session submitted, or submits it).
  return retryOnDeadlock(() => submitOnce(d));
}

async function submitOnce(d: InterviewDeps): Promise<SubmitResponse['session']> {
  return d.em.fork().transactional(async (em) => {
    const app = await applicationOf(em, d.actor);
    const session = await sessionOf(em, app);
    if (!session) throw conflict('session_not_started', 'Start the interview first');
    if (session.status === 'submitted')
      return {
        id: session.id,
        status: session.status,
        submittedAt: session.submittedAt?.toISOString() ?? null,
      };
    assertOpen(session);
    // The real questions' ids in order are all it needs of the plan (no question hydrated).
    const { real } = await rulesAndIndexOf(em, app);
    const answers = await em.find(InterviewAnswer, { session });
    const done = new Set(answers.filter((a) => a.state === 'submitted').map((a) => a.question.id));
    const missing = real.filter((id) => !done.has(id));
    if (missing.length)
      throw conflict('answers_missing', `${missing.length} question(s) are not answered yet`, { missing });
    const n = await em.nativeUpdate(
      InterviewSession,
      { id: session.id, version: session.version, status: 'open' },
      { status: 'submitted', submittedAt: d.now, version: session.version + 1 },
    );
    if (n !== 1) throw conflict('session_changed', 'This interview changed in another window; reload');
    audit(em, d.actor, 'interview.submitted', { type: 'interview_session', id: session.id }, null, d.context);
    await emit(em, {
      type: 'interview.submitted',
      key: `interview:${session.id}:submitted`,
      aggregate: `interview:${session.id}`,
      actor: { kind: 'candidate', id: d.actor.id },
      data: {
        applicationId: app.id,
        sessionId: session.id,
        candidateId: app.candidate.id,
        jobId: app.job.id,
      },
    });
    return { id: session.id, status: 'submitted' as const, submittedAt: d.now.toISOString() };
  });
}

/** Verified attempts of a session (HR review, scoring hand-over). */
export async function finalAttempts(em: Em, sessionId: number): Promise<Map<number, IInterviewAttempt>> {
  const answers = await em.find(InterviewAnswer, { session: sessionId });
  const out = new Map<number, IInterviewAttempt>();
  for (const a of answers) {
    if (!a.finalAttempt) continue;
    const at = await em.findOne(InterviewAttempt, { answer: a, number: a.finalAttempt, status: 'verified' });
    if (at) out.set(a.id, at);
  }
  return out;
}
