import { afterAll, beforeAll, expect, it } from 'vitest';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { InterviewAnswer, InterviewAttempt } from '../../kernel/db/entities/InterviewSession';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { createTestJob, giveConsent, candidateToken as tokenFor } from '../../testing/interview';
import { reserveAttemptLean } from './grantLean';

describeEachDialect('upload grant, plain-SQL path', (dialect) => {
  let t: TestApp;
  let jobId: number;
  let token: string;
  let answerId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    jobId = await createTestJob(t, `lean-${dialect}`);
    token = await tokenFor(t, '陈静', jobId);
    await giveConsent(t, token);
    expect((await t.api('POST', '/api/interview/start', { token, body: {} })).status).toBe(200);
    const next = await t.api('POST', '/api/interview/next', { token });
    answerId = next.body.answer.id;
  }, 60_000);
  afterAll(async () => t?.close());

  const grant = () =>
    t.api('POST', `/api/interview/answers/${answerId}/grant`, {
      token,
      body: { contentType: 'video/webm', bytes: 5000 },
    });

  it('concurrent grants of one answer: distinct attempts, the losers get answer_changed, rows match', async () => {
    const res = await Promise.all(Array.from({ length: 6 }, grant));
    const ok = res.filter((r) => r.status === 201);
    for (const r of res.filter((x) => x.status !== 201)) {
      expect(r.status, JSON.stringify(r.body)).toBe(409);
      expect(r.body.error.code).toBe('answer_changed');
    }
    expect(ok.length).toBeGreaterThan(0);
    const numbers = ok.map((r) => r.body.grant.attempt as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: ok.length }, (_, i) => i + 1));
    const em = t.orm.em.fork();
    const answer = await em.findOneOrFail(InterviewAnswer, { id: answerId });
    expect(answer.state).toBe('answering');
    expect(answer.attempts).toBe(ok.length);
    expect(answer.windowStartedAt).not.toBeNull();
    const rows = await em.find(InterviewAttempt, { answer: answerId }, { orderBy: { number: 'asc' } });
    expect(rows.map((r) => [r.number, r.status, r.contentType, r.kind])).toEqual(
      numbers.map((n) => [n, 'granted', 'video/webm', 'video']),
    );
    expect(new Set(rows.map((r) => r.objectKey))).toEqual(new Set(ok.map((r) => r.body.grant.key)));
  });

  it('handles the usual grant itself and leaves the rest (resume, another candidate, no grant) to the ORM path', async () => {
    const em = t.orm.em.fork();
    const me = await em.findOneOrFail(Candidate, { name: '陈静' });
    const other = await em.findOneOrFail(Candidate, { name: '张三' });
    const before = (await em.findOneOrFail(InterviewAnswer, { id: answerId })).attempts;
    const base = {
      em: t.orm.em,
      now: new Date(),
      graceSeconds: t.config.interview.graceSeconds,
      answerId,
      contentType: 'video/webm',
      keyOf: (s: number, q: number, n: number) => `interviews/${s}/${q}/${n}-lean-${dialect}.webm`,
    };
    const actor = { kind: 'candidate' as const, id: me.id, candidate: me, invitationJobId: jobId };
    const usual = await reserveAttemptLean({ ...base, actor, resume: false });
    expect(usual?.attempt).toBe(before + 1);
    expect(usual?.key).toMatch(new RegExp(`/${before + 1}-lean-${dialect}\\.webm$`));
    expect(await reserveAttemptLean({ ...base, actor, resume: true })).toBeNull();
    expect(
      await reserveAttemptLean({
        ...base,
        actor: { kind: 'candidate', id: other.id, candidate: other, invitationJobId: null },
        resume: false,
      }),
    ).toBeNull();
    // An audio recording of a video question is the usual camera fallback.
    expect(
      await reserveAttemptLean({ ...base, actor, resume: false, contentType: 'audio/webm' }),
    ).not.toBeNull();
    // The resume goes through the ORM path and finds the latest attempt.
    const resumed = await t.api('POST', `/api/interview/answers/${answerId}/grant`, {
      token,
      body: { contentType: 'audio/webm', bytes: 5000, resume: true },
    });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(201);
    expect(resumed.body.grant.attempt).toBe(before + 2);
  });
});
