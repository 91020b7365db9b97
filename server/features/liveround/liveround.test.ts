/**
 * Live rounds through the real product on both dialects: the outline of a second-round booking
 * (built from the report, the requirements and the résumé) for its interviewer, the hiring
 * manager and HR, 403 for others; the outline card queued once the day before and received in
 * the sandbox's chat; scorecards with drafts, one submit (409 after; a race gives one winner),
 * audited edits, bad input refused naming the field with nothing changed; HR sees them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import type { IBooking } from '../../kernel/db/entities/Booking';
import { Job } from '../../kernel/db/entities/Job';
import { LiveScorecard } from '../../kernel/db/entities/LiveScorecard';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { Resume } from '../../kernel/db/entities/Resume';
import { InterviewReport } from '../../kernel/db/entities/Scoring';
import { type IUser, User } from '../../kernel/db/entities/User';
import { candidateToken } from '../../testing/booking';
import { makeApplication, makeBooking, makeJob, makeReport } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { testWorker } from '../../testing/messaging';
import { parseResume } from '../resumes';
import { clearScorecardNotes } from './commands';

const HOUR = 3_600_000;
const RESUME = `工作经历\n2021.03 - 至今 云杉网络 高级后端工程师\n负责支付系统的设计与开发，使用 Java 和 MySQL\n教育经历\n2014.09 - 2018.06 浙江大学 计算机科学 本科\n专业技能\nJava、MySQL、Redis`;

describeEachDialect('live rounds: outline and scorecards', (dialect) => {
  let t: TestApp;
  let booking: IBooking;
  let later: IBooking;
  let candidateId: number;
  const tok: Record<string, string> = {};
  let users: Record<string, IUser>;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    users = Object.fromEntries(
      (await em.find(User, { dingtalkUserId: { $in: ['int01', 'int02', 'mgr01', 'hr01'] } })).map((u) => [
        u.dingtalkUserId,
        u,
      ]),
    );
    const job = await makeJob(em, {
      title: '支付后端工程师',
      hiringManager: users.mgr01,
      questions: [
        {
          text: '讲一次你解决难题的经历。',
          competencies: ['问题解决'],
          indicators: { 问题解决: ['定位根因'] },
        },
        {
          text: '讲一次意见不一致的经历。',
          competencies: ['沟通协作'],
          indicators: { 沟通协作: ['倾听对方'] },
        },
      ],
    });
    await em.nativeUpdate(
      Job,
      { id: job.id },
      { requirements: '3年以上 Java 后端开发经验\n熟悉 Kafka 等消息队列' },
    );
    const application = await makeApplication(em, { job, stage: 'second_round' });
    candidateId = application.candidate.id;
    booking = await makeBooking(em, {
      application,
      kind: 'second_round',
      interviewer: users.int01,
      startAt: new Date(Date.now() + 20 * HOUR),
    });
    // A second live round three days out (no card yet) with another interviewer.
    later = await makeBooking(em, {
      application: await makeApplication(em, { job, stage: 'second_round' }),
      kind: 'second_round',
      interviewer: users.int02,
      startAt: new Date(Date.now() + 72 * HOUR),
    });
    const report = await makeReport(em, {
      application,
      competencies: [
        { name: '问题解决', score: 84, evidence: [1, 2, 3].map(ev), matched: ['定位根因'], missing: [] },
        { name: '沟通协作', score: 40, evidence: [ev(4)], matched: [], missing: ['倾听对方'] },
      ],
    });
    await em.nativeUpdate(
      InterviewReport,
      { id: report.id },
      { gaps: [{ competency: '沟通协作', text: '没有说明如何听取对方意见', suggestion: '举例说明' }] },
    );
    em.create(Resume, {
      candidate: candidateId,
      fileName: 'cv.pdf',
      kind: 'pdf',
      size: 1000,
      status: 'parsed',
      text: RESUME,
      profile: parseResume(RESUME).profile,
      consentAt: new Date(),
      consentBasis: 'candidate',
    });
    await em.flush();
    for (const id of ['int01', 'int02', 'mgr01', 'hr01']) tok[id] = await t.signInEmployee(id);
    tok.candidate = await candidateToken(t, candidateId);
  }, 90_000);
  afterAll(async () => t?.close());

  function ev(i: number) {
    return { answerId: i, quote: `原话${i}`, indicator: 'x', start: 0, end: 3 };
  }
  const outline = (who: string, id = booking.id) =>
    t.api('GET', `/api/liveround/${id}/outline`, { token: tok[who] });
  const card = (who: string, id = booking.id) =>
    t.api('GET', `/api/liveround/${id}/scorecard`, { token: tok[who] });
  const put = (who: string, body: unknown, id = booking.id) =>
    t.api('PUT', `/api/liveround/${id}/scorecard`, { token: tok[who], body });
  const submit = (who: string, id = booking.id) =>
    t.api('POST', `/api/liveround/${id}/scorecard/submit`, { token: tok[who] });
  const full = (a: number, b: number, notes = '') => ({
    ratings: [
      { competency: '问题解决', score: a, note: '根因讲得清楚' },
      { competency: '沟通协作', score: b, note: '' },
    ],
    notes,
  });

  describe('outline', () => {
    it('the interviewer gets 5-8 questions from the gap, the résumé and the requirements, each with why and what to listen for', async () => {
      const res = await outline('int01');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const q = res.body.questions as Array<{
        source: string;
        question: string;
        why: string;
        listenFor: string[];
      }>;
      expect(q.length).toBeGreaterThanOrEqual(5);
      expect(q.length).toBeLessThanOrEqual(8);
      expect(res.body.basis).toEqual({ report: true, resume: true, requirements: 2 });
      expect(q[0]).toMatchObject({ source: 'gap', competency: '沟通协作' });
      expect(q[0].why).toContain('没有说明如何听取对方意见');
      expect(q[0].listenFor).toContain('倾听对方');
      expect(q.find((x) => x.source === 'competency')?.why).toContain('AI 评分 84 分');
      expect(q.find((x) => x.source === 'resume_requirement')?.question).toContain('Kafka');
      expect(q.find((x) => x.source === 'resume_role')?.question).toContain('云杉网络');
      expect(q.every((x) => x.why.length > 0 && x.listenFor.length > 0)).toBe(true);
      expect(res.body).toMatchObject({ candidateName: expect.any(String), jobTitle: '支付后端工程师' });
    });

    it('the hiring manager and HR read it; another interviewer and the candidate get 403; bad ids 400/404', async () => {
      expect((await outline('mgr01')).status).toBe(200);
      expect((await outline('hr01')).status).toBe(200);
      const other = await outline('int02');
      expect([other.status, other.body.error.code]).toEqual([403, 'live_round_forbidden']);
      expect((await outline('candidate')).status).toBe(403);
      expect((await t.api('GET', `/api/liveround/${booking.id}/outline`)).status).toBe(401);
      expect((await outline('hr01', 99_999_999)).status).toBe(404);
      const bad = await t.api('GET', '/api/liveround/abc/outline', { token: tok.hr01 });
      expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
      expect(JSON.stringify(bad.body.error.details)).toContain('bookingId');
      // An AI-interview booking has no live round.
      const ai = await makeBooking(t.orm.em.fork(), { kind: 'ai_interview' });
      expect((await outline('hr01', ai.id)).status).toBe(404);
    });

    it('the card goes out once, the day before, to the interviewer only, and arrives in DingTalk', async () => {
      const job = t.runtime.jobs.find((j) => j.name === 'liveround.outline_cards');
      if (!job) throw new Error('liveround.outline_cards is not registered');
      await job.run(t.deps, undefined);
      await job.run(t.deps, undefined); // a second wake (or a second worker) adds nothing
      const rows = await t.orm.em.fork().find(OutboxMessage, {
        topic: 'interviewer.outline',
        aggregate: { $in: [`booking:${booking.id}`, `booking:${later.id}`] },
      });
      expect(rows.map((r) => [r.aggregate, r.recipientId])).toEqual([[`booking:${booking.id}`, 'int01']]);
      await t.sandbox.chatReset();
      const sent = await testWorker(t, 'outline-test', () => new Date()).drain();
      expect(sent.sent).toBeGreaterThanOrEqual(1);
      const chat = await t.sandbox.chatMessages({ conversation: 'user:int01' });
      const got = JSON.stringify(chat);
      expect(got).toContain('面试提纲');
      expect(got).toContain('沟通协作');
      expect(got).toContain(encodeURIComponent(`/liveround/${booking.id}`));
      expect(JSON.stringify(await t.sandbox.chatMessages({ conversation: 'user:int02' }))).not.toContain(
        '面试提纲',
      );
    });
  });

  describe('scorecards', () => {
    it('a blank scorecard lists the competencies; a draft saves partly; submit needs every rating', async () => {
      const blank = await card('int01');
      expect(blank.status).toBe(200);
      expect(blank.body.competencies).toEqual(['问题解决', '沟通协作']);
      expect(blank.body.scorecard).toMatchObject({ status: 'none', id: null });
      const draft = await put('int01', {
        ratings: [{ competency: '问题解决', score: 4, note: '好' }],
        notes: '草稿',
      });
      expect(draft.status, JSON.stringify(draft.body)).toBe(200);
      expect(draft.body.scorecard).toMatchObject({ status: 'draft', notes: '草稿' });
      expect(draft.body.scorecard.ratings[1]).toEqual({ competency: '沟通协作', score: null, note: '' });
      const early = await submit('int01');
      expect([early.status, early.body.error.code]).toEqual([400, 'scorecard_incomplete']);
      expect(early.body.error.message).toContain('沟通协作');
    });

    it('bad input is refused naming the field, and nothing changes', async () => {
      const before = await t.orm.em
        .fork()
        .findOneOrFail(LiveScorecard, { bookingId: booking.id, raterId: users.int01.id });
      const cases: Array<[unknown, string]> = [
        [{ ratings: [{ competency: '问题解决', score: 6 }] }, 'ratings.0.score'],
        [{ ratings: [{ competency: '问题解决', score: 2.5 }] }, 'ratings.0.score'],
        [{ ratings: [{ competency: '问题解决', score: '4' }] }, 'ratings.0.score'],
        [{ ratings: [{ competency: '领导力', score: 3 }] }, 'ratings.0.competency'],
        [
          {
            ratings: [
              { competency: '问题解决', score: 3 },
              { competency: '问题解决', score: 2 },
            ],
          },
          'ratings.1.competency',
        ],
        [{ ratings: [], extra: 1 }, 'extra'],
        [{}, 'ratings'],
      ];
      for (const [body, field] of cases) {
        const res = await put('int01', body);
        expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, 'validation_failed']);
        expect(JSON.stringify(res.body.error.details), JSON.stringify(body)).toContain(field);
      }
      const after = await t.orm.em
        .fork()
        .findOneOrFail(LiveScorecard, { bookingId: booking.id, raterId: users.int01.id });
      expect([after.ratings, after.notes, after.status]).toEqual([
        before.ratings,
        before.notes,
        before.status,
      ]);
    });

    it('submits once (409 on the second); later edits are allowed and audited', async () => {
      expect((await put('int01', full(4, 2, '整体不错'))).status).toBe(200);
      const ok = await submit('int01');
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.scorecard).toMatchObject({ status: 'submitted', submittedAt: expect.any(String) });
      const again = await submit('int01');
      expect([again.status, again.body.error.code]).toEqual([409, 'scorecard_submitted']);
      const edit = await put('int01', full(4, 3, '整体不错'));
      expect(edit.status).toBe(200);
      expect(edit.body.scorecard).toMatchObject({ status: 'submitted', editsAfterSubmit: 1 });
      // Un-rating a submitted scorecard is refused.
      const unrate = await put('int01', { ratings: [{ competency: '问题解决', score: 4 }], notes: '' });
      expect([unrate.status, unrate.body.error.code]).toEqual([400, 'scorecard_incomplete']);
      const logs = await t.orm.em
        .fork()
        .find(AuditLog, { action: { $like: 'liveround.%' }, actorId: users.int01.id });
      expect(logs.map((l) => l.action).sort()).toEqual([
        'liveround.scorecard_edited',
        'liveround.scorecard_submitted',
      ]);
      const edited = logs.find((l) => l.action === 'liveround.scorecard_edited');
      expect(edited?.details).toMatchObject({ changed: [{ competency: '沟通协作', from: 2, to: 3 }] });
    });

    it('the hiring manager is the second rater; others may not rate; HR and the manager see every scorecard', async () => {
      expect((await put('mgr01', full(5, 3))).status).toBe(200);
      expect((await submit('mgr01')).status).toBe(200);
      for (const who of ['int02', 'hr01', 'candidate']) {
        const res = await put(who, full(1, 1));
        expect(res.status, who).toBe(403);
      }
      expect((await card('int02')).body.error.code).toBe('scorecard_forbidden');
      for (const who of ['hr01', 'mgr01']) {
        const all = await t.api('GET', `/api/liveround/${booking.id}/scorecards`, { token: tok[who] });
        expect(all.status, who).toBe(200);
        expect(
          all.body.scorecards.map(
            (s: { raterId: number; status: string; ratings: Array<{ score: number }> }) => [
              s.raterId,
              s.status,
              s.ratings.map((r) => r.score),
            ],
          ),
        ).toEqual([
          [users.int01.id, 'submitted', [4, 3]],
          [users.mgr01.id, 'submitted', [5, 3]],
        ]);
      }
      const own = await t.api('GET', `/api/liveround/${booking.id}/scorecards`, { token: tok.int01 });
      expect([own.status, own.body.error.code]).toEqual([403, 'live_round_forbidden']);
    });

    it('lists: the interviewer sees their round with their state; HR sees all; another interviewer not this one', async () => {
      const mine = await t.api('GET', '/api/liveround', { token: tok.int01 });
      expect(mine.status).toBe(200);
      const item = mine.body.items.find((i: { bookingId: number }) => i.bookingId === booking.id);
      expect(item).toMatchObject({ canRate: true, myScorecard: 'submitted', submitted: 2 });
      const other = await t.api('GET', '/api/liveround', { token: tok.int02 });
      const otherIds = other.body.items.map((i: { bookingId: number }) => i.bookingId);
      expect(otherIds).toContain(later.id);
      expect(otherIds).not.toContain(booking.id);
      const hr = await t.api('GET', '/api/liveround', { token: tok.hr01 });
      const ids = hr.body.items.map((i: { bookingId: number }) => i.bookingId);
      expect(ids).toEqual(expect.arrayContaining([booking.id, later.id]));
      expect(hr.body.items.find((i: { bookingId: number }) => i.bookingId === booking.id).canRate).toBe(
        false,
      );
      expect((await t.api('GET', '/api/liveround', { token: tok.candidate })).status).toBe(403);
    });

    it('a deletion request clears the notes and keeps the scores', async () => {
      expect(await clearScorecardNotes(t.orm.em.fork(), [booking.application.id])).toBe(2);
      const rows = await t.orm.em
        .fork()
        .find(LiveScorecard, { bookingId: booking.id }, { orderBy: { raterId: 'asc' } });
      expect(rows.every((r) => r.notes === '' && r.ratings.every((x) => x.note === ''))).toBe(true);
      expect(rows.map((r) => r.ratings.map((x) => x.score))).toEqual(
        [users.int01, users.mgr01]
          .sort((a, b) => a.id - b.id)
          .map((u) => (u === users.int01 ? [4, 3] : [5, 3])),
      );
    });

    it('two simultaneous submits of one scorecard: exactly one wins', async () => {
      expect((await put('int02', full(3, 3), later.id)).status).toBe(200);
      const results = await Promise.all([submit('int02', later.id), submit('int02', later.id)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    });
  });
});
