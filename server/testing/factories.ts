/**
 * Test data factories. Each one builds a row with sensible defaults, takes overrides, and
 * creates the parents it needs when they are not given: `makeBooking(db)` alone makes a
 * candidate, a job (with its department), an interview plan with questions, a schedule with an
 * interviewer, an application and the booking. Pass a parent to reuse it.
 *
 * `db` is a test app (`startTestApp`), an ORM, or an entity manager. Every factory flushes
 * before it returns, so ids are set and the rows are visible to the app under test.
 *
 * Names and keys are unique within the process (a counter plus a random run tag), so factories
 * can be called any number of times on one database, the demo seed included.
 */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { parseResume } from '../../shared/resumes/parse';
import type { EmployeeRole } from '../../shared/roles';
import type { Stage } from '../../shared/stages';
import type { AnswerState } from '../features/interview/stateMachine';
import { refreshPoolRecords } from '../features/resumes';
import { Application, type IApplication } from '../kernel/db/entities/Application';
import { Booking, type BookingStatus } from '../kernel/db/entities/Booking';
import { Candidate, type ICandidate } from '../kernel/db/entities/Candidate';
import { Department, type IDepartment } from '../kernel/db/entities/Department';
import {
  type IInterviewPlan,
  type IInterviewQuestion,
  InterviewPlan,
  InterviewQuestion,
} from '../kernel/db/entities/InterviewPlan';
import {
  type IInterviewSession,
  InterviewAnswer,
  InterviewSession,
} from '../kernel/db/entities/InterviewSession';
import { type IJob, Job } from '../kernel/db/entities/Job';
import { OutboxMessage } from '../kernel/db/entities/OutboxMessage';
import {
  type BookingKind,
  type IPlanSchedule,
  PlanInterviewer,
  PlanSchedule,
} from '../kernel/db/entities/PlanSchedule';
import { Resume } from '../kernel/db/entities/Resume';
import { InterviewReport, type ReportCompetency } from '../kernel/db/entities/Scoring';
import { type IUser, User } from '../kernel/db/entities/User';
import type { Em, Orm } from '../kernel/db/orm';

/** Where factories write: a test app, an ORM or an entity manager. */
export type Db = EntityManager | Orm | { orm: Orm };

/** A fresh entity manager for `db` (a given entity manager is used as it is). */
export function emOf(db: Db): EntityManager {
  if ('orm' in db) return db.orm.em.fork();
  if ('em' in db && 'schema' in db) return (db as Orm).em.fork();
  return db as EntityManager;
}

const RUN = randomBytes(3).toString('hex');
let seq = 0;
/** A value unique within this process and run, e.g. `job-3f9a1c-7`. */
export function uniq(prefix: string): string {
  seq += 1;
  return `${prefix}-${RUN}-${seq}`;
}

const DAY = 86_400_000;

/** A department (DingTalk id unique). */
export async function makeDepartment(db: Db, over: Partial<{ name: string; dingtalkId: number }> = {}) {
  const em = emOf(db);
  seq += 1;
  const d = em.create(Department, {
    name: over.name ?? uniq('部门'),
    dingtalkId: over.dingtalkId ?? 900_000_000 + Math.floor(Math.random() * 90_000_000) + seq,
  });
  await em.flush();
  return d;
}

/** Overrides of {@link makeEmployee}. */
export interface EmployeeOverrides {
  name?: string;
  dingtalkUserId?: string;
  unionId?: string | null;
  department?: IDepartment;
  roles?: EmployeeRole[];
  active?: boolean;
  locale?: string;
}

/**
 * An employee with `role` (or `roles` in the overrides), in a new department unless one is
 * given. Not a member of the sandbox's DingTalk organisation: use the seeded people (hr01,
 * int01, ...) for flows that sign in through DingTalk.
 */
export async function makeEmployee(db: Db, role: EmployeeRole = 'interviewer', over: EmployeeOverrides = {}) {
  const em = emOf(db);
  const department = over.department ?? (await makeDepartment(em));
  const userid = over.dingtalkUserId ?? uniq(role);
  const u = em.create(User, {
    dingtalkUserId: userid,
    unionId: over.unionId === undefined ? `union-${userid}` : over.unionId,
    name: over.name ?? uniq('员工'),
    mobile: null,
    title: null,
    department,
    roles: over.roles ?? [role],
    active: over.active ?? true,
    locale: over.locale ?? 'zh-CN',
  });
  await em.flush();
  return u;
}

/** A candidate (no DingTalk account unless `unionId` is given). */
export async function makeCandidate(
  db: Db,
  over: Partial<{
    name: string;
    unionId: string | null;
    mobile: string | null;
    email: string | null;
    locale: string;
  }> = {},
) {
  const em = emOf(db);
  const c = newCandidate(em, over);
  await em.flush();
  return c;
}

/**
 * {@link makeCandidate}'s row, created in `em` but not flushed: for tests that make hundreds of
 * rows and write them in one flush (one round trip per table instead of one commit per row).
 */
export function newCandidate(em: EntityManager, over: Parameters<typeof makeCandidate>[1] = {}) {
  return em.create(Candidate, {
    name: over.name ?? uniq('候选人'),
    unionId: over.unionId ?? null,
    mobile: over.mobile ?? null,
    email: over.email ?? null,
    locale: over.locale ?? 'zh-CN',
  });
}

/**
 * A parsed résumé of `candidateId` kept in the talent pool for a day (the candidate's consent
 * given), profile parsed from `text` as the worker would.
 */
export async function makePooledResume(db: Db, candidateId: number, text: string) {
  const em = emOf(db);
  const r = em.create(Resume, {
    candidate: candidateId,
    job: null,
    objectKey: null,
    fileName: 'cv.pdf',
    kind: 'pdf',
    size: 1,
    status: 'parsed',
    text,
    profile: parseResume(text).profile,
    consentAt: new Date(),
    consentBasis: 'candidate',
    poolUntil: new Date(Date.now() + 86_400_000),
  });
  await em.flush();
  // As the worker's parse does: the record joins the pool's person groups.
  await refreshPoolRecords(em as Em, [candidateId], new Date());
  return r;
}

/** A question of {@link makePlan}: what differs from a 20-second video answer about 沟通协作. */
export type QuestionSpec = Partial<{
  text: string;
  competencies: string[];
  answerType: 'video' | 'text';
  practice: boolean;
  retakes: number;
  thinkSeconds: number;
  answerSeconds: number;
  maxChars: number;
  indicators: Record<string, string[]> | null;
  referenceAnswers: string[] | null;
  weight: number;
}>;

/** Overrides of {@link makeJob}. */
export interface JobOverrides {
  slug?: string;
  title?: string;
  description?: string;
  department?: IDepartment;
  hiringManager?: IUser | null;
  status?: 'open' | 'closed';
  /** The plan's questions; default one video and one typed question. `false`: no plan. */
  questions?: QuestionSpec[] | false;
}

/** A job with an interview plan (and its questions) unless `questions: false`. */
export async function makeJob(db: Db, over: JobOverrides = {}) {
  const em = emOf(db);
  const department = over.department ?? (await makeDepartment(em));
  const job = em.create(Job, {
    slug: over.slug ?? uniq('job'),
    title: over.title ?? '测试岗位',
    description: over.description ?? '',
    department,
    hiringManager: over.hiringManager ?? null,
    ...(over.status ? { status: over.status } : {}),
  });
  await em.flush();
  if (over.questions !== false) await makePlan(em, { job, questions: over.questions });
  return job;
}

/** Default plan: a video question and a typed one. */
const DEFAULT_QUESTIONS: QuestionSpec[] = [
  { text: '请讲一次你解决难题的经历。', competencies: ['问题解决'] },
  { text: '你为什么想加入我们？', competencies: ['沟通协作'], answerType: 'text', maxChars: 300 },
];

/** The interview plan of a job (a new job unless given) with `questions` in order. */
export async function makePlan(db: Db, over: { job?: IJob; name?: string; questions?: QuestionSpec[] } = {}) {
  const em = emOf(db);
  const job = over.job ?? (await makeJob(em, { questions: false }));
  const plan = em.create(InterviewPlan, { job, name: over.name ?? `${job.title} 面试` });
  for (const [i, q] of (over.questions ?? DEFAULT_QUESTIONS).entries()) {
    em.create(InterviewQuestion, {
      plan,
      position: i + 1,
      text: q.text ?? `问题 ${i + 1}`,
      competencies: q.competencies ?? ['沟通协作'],
      thinkSeconds: q.thinkSeconds ?? 5,
      answerSeconds: q.answerSeconds ?? 20,
      retakes: q.retakes ?? 0,
      answerType: q.answerType ?? 'video',
      practice: q.practice ?? false,
      maxChars: q.maxChars ?? 2000,
      indicators: q.indicators ?? null,
      referenceAnswers: q.referenceAnswers ?? null,
      weight: q.weight ?? 1,
    });
  }
  await em.flush();
  return plan;
}

/** The plan of `job`, made with the default questions when it has none. */
async function planOf(em: EntityManager, job: IJob): Promise<IInterviewPlan> {
  return (await em.findOne(InterviewPlan, { job })) ?? makePlan(em, { job });
}

/** Overrides of {@link makeApplication}. */
export interface ApplicationOverrides {
  candidate?: ICandidate;
  job?: IJob;
  stage?: Stage;
  personOnly?: boolean;
  deadlineAt?: Date | null;
}

/** A candidate's application to a job (both made when not given), at stage `invited` by default. */
export async function makeApplication(db: Db, over: ApplicationOverrides = {}) {
  const em = emOf(db);
  const candidate = over.candidate ?? (await makeCandidate(em));
  const job = over.job ?? (await makeJob(em));
  const a = newApplication(em, { ...over, candidate, job });
  await em.flush();
  return a;
}

/** {@link makeApplication}'s row for a given candidate and job, created in `em` but not flushed (see {@link newCandidate}). */
export function newApplication(
  em: EntityManager,
  over: ApplicationOverrides & Required<Pick<ApplicationOverrides, 'candidate' | 'job'>>,
) {
  return em.create(Application, {
    candidate: over.candidate,
    job: over.job,
    stage: over.stage ?? 'invited',
    personOnly: over.personOnly ?? false,
    deadlineAt: over.deadlineAt === undefined ? new Date(Date.now() + 30 * DAY) : over.deadlineAt,
  });
}

/** Overrides of {@link makeSchedule}. */
export interface ScheduleOverrides {
  plan?: IInterviewPlan;
  kind?: BookingKind;
  /** Interviewers of a live schedule; default one new interviewer for `second_round`. */
  interviewers?: IUser[];
  durationMinutes?: number;
  capacityPerSlot?: number;
  timeZone?: string;
}

/**
 * The booking schedule of a plan (a new job's plan unless given): `ai_interview` windows (30
 * minutes, 10 seats, weekdays 09:00-21:00) or `second_round` live slots (45 minutes, one seat,
 * with interviewers who keep their own hours).
 */
export async function makeSchedule(db: Db, over: ScheduleOverrides = {}) {
  const em = emOf(db);
  const plan = over.plan ?? (await makePlan(em));
  const kind = over.kind ?? 'ai_interview';
  const live = kind === 'second_round';
  const weekdays = Object.fromEntries(
    ['1', '2', '3', '4', '5'].map((d) => [d, [{ start: '09:00', end: '21:00' }]]),
  );
  const schedule = em.create(PlanSchedule, {
    plan,
    kind,
    sessionType: live ? 'live' : 'ai',
    durationMinutes: over.durationMinutes ?? (live ? 45 : 30),
    stepMinutes: live ? 30 : null,
    capacityPerSlot: over.capacityPerSlot ?? (live ? 1 : 10),
    timeZone: over.timeZone ?? 'Asia/Shanghai',
    weeklyHours: live ? {} : weekdays,
    dateOverrides: [],
  });
  const interviewers = over.interviewers ?? (live ? [await makeEmployee(em, 'interviewer')] : []);
  for (const user of interviewers) em.create(PlanInterviewer, { schedule, user });
  await em.flush();
  return schedule;
}

/** Overrides of {@link makeBooking}. */
export interface BookingOverrides {
  application?: IApplication;
  schedule?: IPlanSchedule;
  kind?: BookingKind;
  interviewer?: IUser | null;
  startAt?: Date;
  /** Default: `startAt` plus the schedule's duration. */
  endAt?: Date;
  status?: BookingStatus;
  calendarEventId?: string | null;
  calendarOwner?: string | null;
}

/**
 * A booking as the booking command leaves it (status `booked`, the active-booking key set), with
 * everything it needs made when not given: the application (candidate, job), the job's plan,
 * the schedule of `kind` and, for a live round, its interviewer. Starts three days from now at
 * 10:00 Shanghai time unless `startAt` says otherwise. The booking takes no seat in the slot
 * counters: tests of seat counting book through the API.
 */
export async function makeBooking(db: Db, over: BookingOverrides = {}) {
  const em = emOf(db);
  let schedule = over.schedule;
  let application = over.application;
  if (schedule && !application) {
    const plan = await em.findOneOrFail(InterviewPlan, { id: schedule.plan.id }, { populate: ['job'] });
    application = await makeApplication(em, { job: plan.job, stage: 'booked' });
  }
  application ??= await makeApplication(em, { stage: 'booked' });
  const kind = over.kind ?? schedule?.kind ?? 'ai_interview';
  if (!schedule) {
    const plan = await planOf(em, await em.findOneOrFail(Job, { id: application.job.id }));
    schedule = (await em.findOne(PlanSchedule, { plan, kind })) ?? (await makeSchedule(em, { plan, kind }));
  }
  let interviewer = over.interviewer;
  if (interviewer === undefined && kind === 'second_round') {
    const pool = await em.find(PlanInterviewer, { schedule }, { populate: ['user'], limit: 1 });
    interviewer = pool[0]?.user ?? (await makeEmployee(em, 'interviewer'));
  }
  const day = new Date(Date.now() + 3 * DAY);
  const startAt =
    over.startAt ?? new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 2, 0, 0));
  const status = over.status ?? 'booked';
  const b = em.create(Booking, {
    application,
    schedule,
    kind,
    interviewer: interviewer ?? null,
    startAt,
    endAt: over.endAt ?? new Date(startAt.getTime() + schedule.durationMinutes * 60_000),
    bufferBeforeMinutes: schedule.bufferBeforeMinutes,
    bufferAfterMinutes: schedule.bufferAfterMinutes,
    timeZone: schedule.timeZone,
    status,
    // One active booking per application and kind (the unique key the command relies on).
    activeKey: status === 'booked' ? `${application.id}:${kind}` : null,
    calendarEventId: over.calendarEventId ?? null,
    calendarOwner: over.calendarOwner ?? null,
  });
  await em.flush();
  return b;
}

/** Overrides of {@link makeSession}. */
export interface SessionOverrides {
  application?: IApplication;
  status?: 'open' | 'submitted' | 'withdrawn';
  startedAt?: Date;
}

/** An AI interview session of an application (made, at stage `interviewing`, when not given). */
export async function makeSession(db: Db, over: SessionOverrides = {}) {
  const em = emOf(db);
  const application = over.application ?? (await makeApplication(em, { stage: 'interviewing' }));
  const app = await em.findOneOrFail(Application, { id: application.id }, { populate: ['candidate', 'job'] });
  const plan = await planOf(em, app.job);
  const status = over.status ?? 'open';
  const startedAt = over.startedAt ?? new Date();
  const s = em.create(InterviewSession, {
    application: app,
    candidate: app.candidate,
    job: app.job,
    plan,
    status,
    startedAt,
    submittedAt: status === 'submitted' ? startedAt : null,
  });
  await em.flush();
  return s;
}

/** Overrides of {@link makeAnswer}. */
export interface AnswerOverrides {
  session?: IInterviewSession;
  /** Default: the plan's first question without an answer in this session. */
  question?: IInterviewQuestion;
  state?: AnswerState;
  text?: string | null;
  servedAt?: Date;
}

/** An answer in a session (a new one unless given) to the next unanswered question of its plan. */
export async function makeAnswer(db: Db, over: AnswerOverrides = {}) {
  const em = emOf(db);
  const session = over.session ?? (await makeSession(em));
  let question = over.question;
  if (!question) {
    const answered = new Set(
      (await em.find(InterviewAnswer, { session }, { populate: ['question'] })).map((a) => a.question.id),
    );
    const questions = await em.find(
      InterviewQuestion,
      { plan: session.plan.id },
      { orderBy: { position: 'asc' } },
    );
    question = questions.find((q) => !answered.has(q.id));
    if (!question) throw new Error(`makeAnswer: every question of plan ${session.plan.id} is answered`);
  }
  const a = em.create(InterviewAnswer, {
    session,
    question,
    state: over.state ?? 'submitted',
    servedAt: over.servedAt ?? new Date(),
    text: over.text === undefined ? (question.answerType === 'text' ? '我的文字回答' : null) : over.text,
  });
  await em.flush();
  return a;
}

/** Overrides of {@link makeReport}. */
export interface ReportOverrides {
  application?: IApplication;
  /** The job of the application made when none is given. */
  job?: IJob;
  status?: 'ready' | 'needs_review' | 'person_only';
  overall?: number | null;
  /** Competency scores by name; default 问题解决 at `overall`. */
  scores?: Record<string, number>;
  competencies?: ReportCompetency[];
  recommendation?: string;
  strengths?: string[];
  sessionId?: number;
  releasedAt?: Date | null;
}

/** Report session ids: above any real session's, and apart per process (one database may be shared). */
let reportSession = 800_000_000 + Math.floor(Math.random() * 100_000) * 1000;
/**
 * An AI interview report of an application (made, at stage `in_review`, when not given).
 * The report names a session id that no other report uses; no session row is made (reports
 * keep the id only).
 */
export async function makeReport(db: Db, over: ReportOverrides = {}) {
  const em = emOf(db);
  const application = over.application ?? (await makeApplication(em, { job: over.job, stage: 'in_review' }));
  const status = over.status ?? 'ready';
  const overall = over.overall === undefined ? (status === 'person_only' ? null : 70) : over.overall;
  const scores = over.scores ?? (overall === null ? {} : { 问题解决: overall });
  reportSession += 1;
  const r = em.create(InterviewReport, {
    application,
    sessionId: over.sessionId ?? reportSession,
    candidateId: application.candidate.id,
    jobId: application.job.id,
    status,
    overall,
    competencies:
      over.competencies ??
      Object.entries(scores).map(([name, score]) => ({
        name,
        score,
        evidence: [],
        matched: [],
        missing: [],
      })),
    strengths: over.strengths ?? [],
    gaps: [],
    flags: [],
    recommendation: over.recommendation ?? 'consider',
    releasedAt: over.releasedAt ?? null,
  });
  await em.flush();
  return r;
}

/** Overrides of {@link makeOutboxMessage}. */
export interface OutboxOverrides {
  /** `inbox` (a candidate's mini-app inbox), `robot_oto`, `work_notice`, `gateway`, ... */
  channel?: string;
  recipientKind?: 'candidate' | 'employee' | 'group' | 'webhook' | 'system';
  /** Candidate id, employee userid or group conversation id. */
  recipientId?: string;
  topic?: string;
  message?: { title: string; text: string; buttons?: Array<{ title: string; url: string }> };
  dueAt?: Date;
}

/**
 * A message waiting in the outbox, as a notification rule leaves it: the delivery worker of a
 * running server picks it up when due and sends it over its channel (default: a robot message
 * to int01, due now).
 */
export async function makeOutboxMessage(db: Db, over: OutboxOverrides = {}) {
  const em = emOf(db);
  const key = uniq('test-message');
  const m = em.create(OutboxMessage, {
    idempotencyKey: key,
    topic: over.topic ?? 'test.message',
    aggregate: key,
    recipientKind: over.recipientKind ?? 'employee',
    recipientId: over.recipientId ?? 'int01',
    channel: over.channel ?? 'robot_oto',
    payload: { message: { buttons: [], ...(over.message ?? { title: '测试消息', text: '测试' }) } },
    dueAt: over.dueAt ?? new Date(),
    status: 'pending',
    attempts: 0,
  });
  await em.flush();
  return m;
}
