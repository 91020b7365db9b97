import type { EntityName } from '@mikro-orm/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../kernel/db/entities/Application';
import { Booking } from '../kernel/db/entities/Booking';
import { Candidate } from '../kernel/db/entities/Candidate';
import { Department } from '../kernel/db/entities/Department';
import { InterviewPlan, InterviewQuestion } from '../kernel/db/entities/InterviewPlan';
import { InterviewAnswer, InterviewSession } from '../kernel/db/entities/InterviewSession';
import { Job } from '../kernel/db/entities/Job';
import { OutboxMessage } from '../kernel/db/entities/OutboxMessage';
import { PlanInterviewer, PlanSchedule } from '../kernel/db/entities/PlanSchedule';
import { InterviewReport } from '../kernel/db/entities/Scoring';
import { User } from '../kernel/db/entities/User';
import { type Orm, openOrm } from '../kernel/db/orm';
import {
  makeAnswer,
  makeApplication,
  makeBooking,
  makeCandidate,
  makeEmployee,
  makeJob,
  makeOutboxMessage,
  makeReport,
  makeSchedule,
  makeSession,
} from './factories';
import { createTestDatabase, describeEachDialect, migrateDb } from './harness';

const ENTITIES = {
  Department,
  User,
  Candidate,
  Job,
  InterviewPlan,
  InterviewQuestion,
  PlanSchedule,
  PlanInterviewer,
  Application,
  Booking,
  InterviewSession,
  InterviewAnswer,
  InterviewReport,
} as const;
type Counts = Record<keyof typeof ENTITIES, number>;

describeEachDialect('test factories', (dialect) => {
  let orm: Orm;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await createTestDatabase(dialect);
    drop = db.drop;
    orm = await openOrm(db.db);
    await migrateDb(orm);
  }, 60_000);
  afterAll(async () => {
    await orm?.close(true);
    await drop?.();
  });

  async function counts(): Promise<Counts> {
    const em = orm.em.fork();
    const out = {} as Counts;
    for (const [name, entity] of Object.entries(ENTITIES))
      out[name as keyof Counts] = await em.count(entity as EntityName<object>, {});
    return out;
  }
  const diff = (a: Counts, b: Counts) =>
    Object.fromEntries(Object.keys(a).map((k) => [k, b[k as keyof Counts] - a[k as keyof Counts]]));

  it('makeBooking alone builds every parent: candidate, job, department, plan and questions, schedule, application', async () => {
    const before = await counts();
    const b = await makeBooking(orm);
    expect(diff(before, await counts())).toEqual({
      Department: 1,
      User: 0,
      Candidate: 1,
      Job: 1,
      InterviewPlan: 1,
      InterviewQuestion: 2,
      PlanSchedule: 1,
      PlanInterviewer: 0,
      Application: 1,
      Booking: 1,
      InterviewSession: 0,
      InterviewAnswer: 0,
      InterviewReport: 0,
    });
    const em = orm.em.fork();
    const row = await em.findOneOrFail(Booking, { id: b.id }, { populate: ['application', 'schedule.plan'] });
    expect(row).toMatchObject({
      kind: 'ai_interview',
      status: 'booked',
      activeKey: `${row.application.id}:ai_interview`,
    });
    expect(row.application.stage).toBe('booked');
    // The schedule belongs to the plan of the application's job.
    expect(row.schedule.plan.job.id).toBe(row.application.job.id);
    expect(row.endAt.getTime() - row.startAt.getTime()).toBe(30 * 60_000);
  });

  it('a live second round gets a schedule with an interviewer, who hosts the booking', async () => {
    const b = await makeBooking(orm, { kind: 'second_round' });
    const em = orm.em.fork();
    const row = await em.findOneOrFail(Booking, { id: b.id }, { populate: ['interviewer', 'schedule'] });
    const pool = await em.find(PlanInterviewer, { schedule: row.schedule }, { populate: ['user'] });
    expect(pool.map((p) => p.user.id)).toEqual([row.interviewer?.id]);
    expect(row.interviewer?.roles).toEqual(['interviewer']);
    expect(row.endAt.getTime() - row.startAt.getTime()).toBe(45 * 60_000);
  });

  it('reuses given parents and makes nothing it was handed', async () => {
    const job = await makeJob(orm, { title: '数据工程师' });
    const candidate = await makeCandidate(orm, { name: '王五', unionId: 'u-wangwu' });
    const app = await makeApplication(orm, { candidate, job, stage: 'second_round' });
    const before = await counts();
    const first = await makeBooking(orm, { application: app, status: 'cancelled' });
    const second = await makeBooking(orm, { application: app });
    const change = diff(before, await counts());
    expect(change).toMatchObject({
      Candidate: 0,
      Job: 0,
      Application: 0,
      InterviewPlan: 0,
      PlanSchedule: 1,
      Booking: 2,
    });
    // The second booking found the schedule the first one made.
    expect(second.schedule.id).toBe(first.schedule.id);
    expect(first.activeKey).toBeNull();
    const got = await orm.em
      .fork()
      .findOneOrFail(Application, { id: app.id }, { populate: ['candidate', 'job'] });
    expect([got.candidate.name, got.candidate.unionId, got.job.title, got.stage]).toEqual([
      '王五',
      'u-wangwu',
      '数据工程师',
      'second_round',
    ]);
  });

  it('a given schedule decides the job of the application it makes', async () => {
    const schedule = await makeSchedule(orm, { kind: 'second_round', capacityPerSlot: 3 });
    const b = await makeBooking(orm, { schedule });
    const row = await orm.em
      .fork()
      .findOneOrFail(Booking, { id: b.id }, { populate: ['application', 'schedule.plan'] });
    expect(row.kind).toBe('second_round');
    expect(row.application.job.id).toBe(row.schedule.plan.job.id);
    expect(row.schedule.capacityPerSlot).toBe(3);
  });

  it('the database rules still hold: a second active booking or a duplicate application is refused', async () => {
    const b = await makeBooking(orm);
    const app = await orm.em
      .fork()
      .findOneOrFail(Application, { id: b.application.id }, { populate: ['candidate', 'job'] });
    const before = await counts();
    await expect(makeBooking(orm.em.fork(), { application: app })).rejects.toThrow();
    await expect(
      makeApplication(orm.em.fork(), { candidate: app.candidate, job: app.job }),
    ).rejects.toThrow();
    expect(await counts()).toEqual(before);
  });

  it('makeEmployee: the role, or several; unique ids; a department unless given', async () => {
    const hr = await makeEmployee(orm, 'hr');
    const both = await makeEmployee(orm, 'manager', { roles: ['manager', 'interviewer'], name: '李经理' });
    const colleague = await makeEmployee(orm, 'hr', { department: hr.department ?? undefined });
    expect(hr.roles).toEqual(['hr']);
    expect(both).toMatchObject({ roles: ['manager', 'interviewer'], name: '李经理', active: true });
    expect(new Set([hr.dingtalkUserId, both.dingtalkUserId, colleague.dingtalkUserId]).size).toBe(3);
    expect(colleague.department?.id).toBe(hr.department?.id);
    expect(both.department?.id).not.toBe(hr.department?.id);
  });

  it('makeJob: a plan with the given questions, or none', async () => {
    const job = await makeJob(orm, {
      questions: [{ practice: true }, { competencies: ['技术深度'], retakes: 2 }, { answerType: 'text' }],
    });
    const em = orm.em.fork();
    const qs = await em.find(InterviewQuestion, { plan: { job } }, { orderBy: { position: 'asc' } });
    expect(qs.map((q) => [q.position, q.practice, q.answerType, q.retakes])).toEqual([
      [1, true, 'video', 0],
      [2, false, 'video', 2],
      [3, false, 'text', 0],
    ]);
    const bare = await makeJob(orm, { questions: false });
    expect(await em.count(InterviewPlan, { job: bare })).toBe(0);
  });

  it('makeAnswer answers the next open question of a session it makes, then refuses when none is left', async () => {
    const before = await counts();
    const first = await makeAnswer(orm);
    const session = await orm.em.fork().findOneOrFail(InterviewSession, { id: first.session.id });
    const second = await makeAnswer(orm, { session, state: 'verified' });
    expect(diff(before, await counts())).toMatchObject({
      Candidate: 1,
      Application: 1,
      InterviewSession: 1,
      InterviewAnswer: 2,
    });
    const em = orm.em.fork();
    const [a1, a2] = await em.find(
      InterviewAnswer,
      { session },
      { populate: ['question'], orderBy: { id: 'asc' } },
    );
    expect([a1.id, a2.id]).toEqual([first.id, second.id]);
    expect([a1.question.position, a1.text]).toEqual([1, null]); // video
    expect([a2.question.position, a2.state, a2.text]).toEqual([2, 'verified', '我的文字回答']);
    await expect(makeAnswer(orm, { session })).rejects.toThrow(/every question/);
  });

  it('makeOutboxMessage queues a due message with the given channel and recipient', async () => {
    const m = await makeOutboxMessage(orm, {
      channel: 'inbox',
      recipientKind: 'candidate',
      recipientId: '42',
      message: { title: '标题', text: '正文' },
    });
    const row = await orm.em.fork().findOneOrFail(OutboxMessage, { id: m.id });
    expect(row).toMatchObject({
      channel: 'inbox',
      recipientKind: 'candidate',
      recipientId: '42',
      status: 'pending',
    });
    expect(row.payload).toEqual({ message: { title: '标题', text: '正文', buttons: [] } });
    expect(row.dueAt.getTime()).toBeLessThanOrEqual(Date.now());
    const other = await makeOutboxMessage(orm);
    expect(other.idempotencyKey).not.toBe(m.idempotencyKey);
  });

  it('makeSession and makeReport: statuses and scores as asked', async () => {
    const s = await makeSession(orm, { status: 'submitted' });
    expect(s.submittedAt).toEqual(s.startedAt);
    const r1 = await makeReport(orm, { scores: { 沟通表达: 40, 问题解决: 90 }, overall: 65 });
    const r2 = await makeReport(orm, { status: 'person_only' });
    expect(r1.sessionId).not.toBe(r2.sessionId);
    expect(r1.competencies.map((c) => [c.name, c.score])).toEqual([
      ['沟通表达', 40],
      ['问题解决', 90],
    ]);
    expect([r2.overall, r2.competencies]).toEqual([null, []]);
    const app = await orm.em.fork().findOneOrFail(Application, { id: r1.application.id });
    expect(app.stage).toBe('in_review');
  });
});
