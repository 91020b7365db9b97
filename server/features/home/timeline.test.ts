import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { Approval } from '../../kernel/db/entities/Approval';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { ReviewTask } from '../../kernel/db/entities/Scoring';
import { sessionToken } from '../../testing/booking';
import { makeApplication, makeBooking, makeReport, makeSession } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { computeTimeline, type TimelineFacts } from './timeline';

const H = 3600_000;
const D = 24 * H;
const t0 = new Date('2026-12-01T02:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * D);

const base: TimelineFacts = {
  applicationId: 7,
  stage: 'invited',
  stageChangedAt: t0,
  appliedAt: t0,
  deadlineAt: at(7),
  invitedAt: at(0.5),
  bookedMode: false,
  booking: null,
  session: null,
  report: null,
  reviewDueAt: null,
  approval: null,
  now: at(1),
};

const states = (f: TimelineFacts) =>
  Object.fromEntries(computeTimeline(f).steps.map((s) => [s.key, s.state]));

describe('computeTimeline', () => {
  it('invited to an interview taken any time: no booked step, next is the interview by the deadline', () => {
    const r = computeTimeline(base);
    expect(r.steps.map((s) => s.key)).toEqual([
      'applied',
      'invited',
      'interviewed',
      'under_review',
      'decision',
    ]);
    expect(r.current).toBe('invited');
    expect(r.steps[1]).toEqual({ key: 'invited', state: 'current', at: at(0.5).toISOString() });
    expect(r.next).toEqual({
      step: 'interviewed',
      action: 'interview',
      expectedBy: at(7).toISOString(),
      basis: 'deadline',
      link: '/interview',
    });
  });

  it('a booked-window plan: book first; once booked, the slot is when the interview is expected', () => {
    const unbooked = computeTimeline({ ...base, bookedMode: true });
    expect(unbooked.steps.map((s) => s.key)).toContain('booked');
    expect(unbooked.next).toMatchObject({ step: 'booked', action: 'book', link: '/booking/7/ai_interview' });
    const booked = computeTimeline({
      ...base,
      stage: 'booked',
      bookedMode: true,
      booking: { createdAt: at(0.8), startAt: at(3) },
    });
    expect(booked.current).toBe('booked');
    expect(booked.next).toMatchObject({
      action: 'wait_interview',
      expectedBy: at(3).toISOString(),
      basis: 'booking',
    });
    // The slot has come: start.
    expect(
      computeTimeline({
        ...base,
        bookedMode: true,
        booking: { createdAt: at(0.8), startAt: at(1) },
        now: at(1),
      }).next.action,
    ).toBe('interview');
  });

  it('submitted: interviewed is current with its date; the report is awaited without a promised date', () => {
    const r = computeTimeline({
      ...base,
      stage: 'submitted',
      session: { status: 'submitted', startedAt: at(2), submittedAt: at(2.1) },
    });
    expect(r.current).toBe('interviewed');
    expect(r.steps.find((s) => s.key === 'interviewed')?.at).toBe(at(2.1).toISOString());
    expect(r.next).toMatchObject({
      step: 'under_review',
      action: 'wait_report',
      expectedBy: null,
      basis: null,
    });
    // The decision: the submission plus the review SLA (what the interview's done screen says).
    expect(r.reviewDays).toBe(3);
    expect(r.decisionExpectedBy).toBe(at(5.1).toISOString());
    // Before the interview there is no decision date to promise.
    expect(computeTimeline(base).decisionExpectedBy).toBeNull();
  });

  it('under review: an open review task dates the decision, else a running approval, else the SLA', () => {
    const reviewed = {
      ...base,
      stage: 'in_review' as const,
      session: { status: 'submitted' as const, startedAt: at(2), submittedAt: at(2.1) },
      report: { createdAt: at(2.2), releasedAt: null },
    };
    const sla = computeTimeline(reviewed);
    expect(sla.current).toBe('under_review');
    expect(sla.next).toMatchObject({
      step: 'decision',
      expectedBy: at(5.2).toISOString(),
      basis: 'review_due',
    });
    const task = computeTimeline({ ...reviewed, reviewDueAt: at(4) });
    expect(task.next).toMatchObject({ expectedBy: at(4).toISOString(), basis: 'review_due' });
    const approval = computeTimeline({
      ...reviewed,
      approval: { startedAt: at(2.5), decidedAt: null, open: true },
    });
    expect(approval.next).toMatchObject({ expectedBy: at(5.5).toISOString(), basis: 'approval' });
    // Under review the decision is expected when the next step says.
    expect(sla.decisionExpectedBy).toBe(at(5.2).toISOString());
    expect(task.decisionExpectedBy).toBe(at(4).toISOString());
    expect(approval.decisionExpectedBy).toBe(at(5.5).toISOString());
  });

  it('decisions: advanced dates from the approval and leads to the second-round booking; rejected to feedback', () => {
    const done = {
      ...base,
      session: { status: 'submitted' as const, startedAt: at(2), submittedAt: at(2.1) },
      report: { createdAt: at(2.2), releasedAt: at(3) },
    };
    const advanced = computeTimeline({
      ...done,
      stage: 'second_round',
      stageChangedAt: at(4),
      approval: { startedAt: at(2.5), decidedAt: at(3.5), open: false },
    });
    expect(advanced.decision).toBe('advanced');
    expect(advanced.current).toBe('decision');
    expect(advanced.steps.at(-1)).toEqual({ key: 'decision', state: 'current', at: at(3.5).toISOString() });
    expect(advanced.next).toMatchObject({ action: 'book_second_round', link: '/booking/7/second_round' });
    const rejected = computeTimeline({ ...done, stage: 'rejected', stageChangedAt: at(4) });
    expect(rejected.decision).toBe('rejected');
    expect(rejected.steps.at(-1)?.at).toBe(at(4).toISOString());
    expect(rejected.next).toMatchObject({ action: 'read_feedback', link: '/feedback' });
    // Rejected before feedback is released: nothing to open yet.
    expect(
      computeTimeline({ ...done, report: { createdAt: at(2.2), releasedAt: null }, stage: 'rejected' }).next
        .action,
    ).toBe('none');
    expect(computeTimeline({ ...done, stage: 'offer_sent' }).next).toMatchObject({
      action: 'answer_offer',
      link: '/offer',
    });
  });

  it('a decision without an interview marks the steps it never reached as skipped', () => {
    expect(states({ ...base, stage: 'withdrawn', stageChangedAt: at(2) })).toEqual({
      applied: 'done',
      invited: 'done',
      interviewed: 'skipped',
      under_review: 'skipped',
      decision: 'current',
    });
  });
});

/** The route: the signed-in candidate's own rows, on both dialects. */
describeEachDialect('candidate progress timeline', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 30_000);
  afterAll(async () => t?.close());

  it('follows real rows from invitation to decision, with dates and the next step', async () => {
    const em = t.orm.em.fork();
    const deadline = new Date(Date.now() + 5 * D);
    const app = await makeApplication(em, { deadlineAt: deadline });
    // Invitations keep whole seconds (`datetime` without fractions on MySQL).
    const invitedAt = new Date(Math.floor((Date.now() - H) / 1000) * 1000);
    em.create(Invitation, {
      candidate: app.candidate,
      job: app.job,
      expiresAt: deadline,
      createdAt: invitedAt,
    } as never);
    await em.flush();
    const tok = await sessionToken(t, 'candidate', app.candidate.id);
    const get = () => t.api('GET', '/api/home/timeline', { token: tok });

    let r = await get();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      applicationId: app.id,
      current: 'invited',
      decision: null,
      timezone: expect.any(String),
    });
    expect(r.body.steps.find((s: { key: string }) => s.key === 'invited').at).toBe(invitedAt.toISOString());
    expect(r.body.next).toMatchObject({
      action: 'interview',
      expectedBy: deadline.toISOString(),
      basis: 'deadline',
    });

    // Booked-window plan: a booked step appears, dated by the booking.
    const booking = await makeBooking(em, { application: app });
    await em.nativeUpdate(PlanSchedule, { id: booking.schedule.id }, { takeMode: 'booked' });
    r = await get();
    expect(r.body.current).toBe('booked');
    expect(r.body.next).toMatchObject({ expectedBy: booking.startAt.toISOString(), basis: 'booking' });

    // Interviewed, then a report that a person must look at: its task dates the decision.
    const session = await makeSession(em, { application: app, status: 'submitted' });
    r = await get();
    expect(r.body.current).toBe('interviewed');
    expect(r.body.steps.find((s: { key: string }) => s.key === 'interviewed').at).toBe(
      session.submittedAt?.toISOString(),
    );
    const report = await makeReport(em, { application: app, status: 'needs_review' });
    const due = new Date(Date.now() + 2 * D);
    em.create(ReviewTask, {
      key: `t:${report.id}`,
      application: app,
      report,
      kind: 'quality',
      reason: 'x',
      dueAt: due,
    } as never);
    await em.flush();
    r = await get();
    expect(r.body.current).toBe('under_review');
    expect(r.body.next).toMatchObject({
      action: 'wait_decision',
      expectedBy: due.toISOString(),
      basis: 'review_due',
    });

    // The approval agrees: advanced, dated by the approval, next is booking the second round.
    const decidedAt = new Date(Date.now() - 60_000);
    em.create(Approval, {
      application: app,
      kind: 'second_round',
      status: 'agreed',
      originatorUserId: 'hr01',
      approverUserIds: ['hr01'],
      approvalMode: 'AND',
      ccUserIds: [],
      form: [],
      decidedAt,
    } as never);
    await em.flush();
    await em.nativeUpdate(Application, { id: app.id }, { stage: 'second_round' });
    r = await get();
    expect(r.body).toMatchObject({ current: 'decision', decision: 'advanced' });
    expect(r.body.steps.at(-1).at).toBe(decidedAt.toISOString());
    expect(r.body.next).toMatchObject({
      action: 'book_second_round',
      link: `/booking/${app.id}/second_round`,
    });
  });

  it("a candidate never sees another's timeline; employees and bad input are refused", async () => {
    const em = t.orm.em.fork();
    const mine = await makeApplication(em);
    const theirs = await makeApplication(em, { stage: 'rejected' });
    const tok = await sessionToken(t, 'candidate', mine.candidate.id);
    const other = await t.api('GET', `/api/home/timeline?applicationId=${theirs.id}`, { token: tok });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    const own = await t.api('GET', `/api/home/timeline?applicationId=${mine.id}`, { token: tok });
    expect(own.status).toBe(200);
    expect(own.body.applicationId).toBe(mine.id);
    expect(own.body.decision).toBeNull();
    const bad = await t.api('GET', '/api/home/timeline?applicationId=abc', { token: tok });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/applicationId/);
    const extra = await t.api('GET', '/api/home/timeline?x=1', { token: tok });
    expect(extra.status).toBe(400);
    expect((await t.api('GET', '/api/home/timeline')).status).toBe(401);
    const hr = await t.signInEmployee('hr01');
    expect((await t.api('GET', '/api/home/timeline', { token: hr })).status).toBe(403);
  });
});
