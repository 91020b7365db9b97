import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { AnswerScore, AnswerTranscript, InterviewReport, ReviewTask } from '../../kernel/db/entities/Scoring';
import { emit } from '../../kernel/events/emit';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { STORY_PARTS, storyAnswer, submittedAnswer } from '../../testing/scoring';
import type { SubmittedAnswer, SubmittedSession } from '../interview';
import { RetryLater, type ScoringDeps, scoreSession } from './pipeline';
import { runScoringOnce, scoringDeps } from './worker';

const GOOD =
  '当时我们的订单服务在大促期间出现大量超时，我负责排查。首先我查看了监控和日志，发现数据库查询耗时从50毫秒涨到了2秒。然后我分析慢查询日志，找到根本原因是缺少索引。我对比了加索引和加缓存两个方案，先加了索引。结果接口响应时间降低了90%。事后我组织复盘，增加了慢查询告警，防止再次发生，也和测试同学沟通对齐了压测标准。';
const TYPED =
  '上次和产品对需求排期有分歧，我先主动约她沟通，倾听她的顾虑，然后拿出测试数据说明风险，最后我们商量了折中方案，分两期上线，达成共识，结果按期交付。';

describeEachDialect('scoring pipeline', (dialect) => {
  let t: TestApp;
  let deps: ScoringDeps;
  let apps: number[];
  let nextSession = 9000;
  beforeAll(async () => {
    t = await startTestApp(dialect, { env: { ASR_POLL_MS: '20', ASR_RETRIES: '0' } });
    deps = { ...scoringDeps(t.config, t.orm, t.storage), maxAsrAttempts: 2 };
    apps = (await t.orm.em.fork().find(Application, {}, { orderBy: { id: 'asc' } })).map((a) => a.id);
  });
  afterAll(async () => t?.close());

  async function session(
    answers: Array<Partial<SubmittedAnswer> & { transcript?: string }>,
    over: Partial<SubmittedSession> = {},
  ) {
    const sessionId = nextSession++;
    const app = await t.orm.em
      .fork()
      .findOneOrFail(Application, { id: apps[sessionId % apps.length] }, { populate: ['job'] });
    const out: SubmittedAnswer[] = [];
    for (const [i, a] of answers.entries()) {
      const key = `interviews/${sessionId}/${i + 1}/1.webm`;
      if ((a.kind ?? 'video') !== 'text') {
        await t.storage.put(key, Buffer.from('fake webm bytes'), { contentType: 'video/webm' });
        if (a.transcript !== undefined)
          await t.sandbox.registerTranscript({
            match: key,
            text: a.transcript,
            durationMs: a.transcript ? 110_000 : 60_000,
          });
      }
      const { transcript: _t, ...rest } = a;
      out.push(
        submittedAnswer({
          answerId: sessionId * 10 + i,
          questionId: 100 + i,
          position: i + 1,
          objectKey: key,
          ...rest,
        }),
      );
    }
    return {
      applicationId: app.id,
      sessionId,
      candidateId: app.candidate.id,
      jobId: app.job.id,
      personOnly: false,
      aiConsent: true,
      answers: out,
      ...over,
    } satisfies SubmittedSession;
  }
  const run = (s: SubmittedSession) => scoreSession(deps, s);

  it.runIf(dialect === 'mysql')(
    "the report's transaction runs at READ COMMITTED, so its stage move keeps no gap locks to its commit",
    async () => {
      const conn = t.orm.em.getConnection();
      await conn.execute('create table isolation_probe (level varchar(40) not null)');
      // What InnoDB reports for the transaction that inserts the report.
      await conn.execute(`create trigger isolation_probe_reports after insert on interview_reports for each row
        insert into isolation_probe (level) select trx_isolation_level from information_schema.innodb_trx
         where trx_mysql_thread_id = connection_id()`);
      try {
        const r = await run(await session([{ transcript: GOOD }]));
        expect(r.created).toBe(true);
        const rows = await conn.execute<Array<{ level: string }>>('select level from isolation_probe');
        expect(rows.map((x) => x.level)).toEqual(['READ COMMITTED']);
      } finally {
        await conn.execute('drop trigger if exists isolation_probe_reports');
        await conn.execute('drop table if exists isolation_probe');
      }
    },
  );

  it('a submitted interview gets an explainable report and report.ready; evidence is verbatim; rerun is a no-op', async () => {
    const s = await session([
      { transcript: GOOD },
      {
        kind: 'text',
        objectKey: null,
        text: TYPED,
        questionText: '讲一次你与产品意见不一致的经历，最后怎么达成一致？',
        competencies: ['沟通协作'],
      },
    ]);
    const r = await run(s);
    const flagged = await t.orm.em.fork().findOneOrFail(InterviewReport, { id: r.reportId });
    expect(flagged.flags).toEqual([]);
    expect(r).toMatchObject({ status: 'ready', created: true });
    const em = t.orm.em.fork();
    const report = await em.findOneOrFail(InterviewReport, { id: r.reportId });
    expect(report.overall).toBeGreaterThan(50);
    expect(report.competencies.map((c) => c.name).sort()).toEqual(['沟通协作', '问题解决']);
    const texts = new Map([
      [s.answers[0].answerId, GOOD],
      [s.answers[1].answerId, TYPED],
    ]);
    for (const c of report.competencies)
      for (const e of c.evidence) expect(texts.get(e.answerId)?.slice(e.start, e.end)).toBe(e.quote);
    expect(report.strengths.length).toBeGreaterThan(0);
    expect(report.recommendation).toMatch(/advance_suggested|consider|not_suggested/);
    const tr = await em.find(AnswerTranscript, { sessionId: s.sessionId }, { orderBy: { answerId: 'asc' } });
    expect(tr.map((x) => x.status)).toEqual(['done', 'typed']);
    expect(tr[0].sentences.length).toBeGreaterThan(3);
    expect(tr[0].provider).toBe('dashscope');
    expect(await em.count(AnswerScore, { sessionId: s.sessionId })).toBe(2);
    const evt = await em.findOneOrFail(OutboxMessage, {
      topic: 'report.ready',
      idempotencyKey: `evt:report:${s.sessionId}:ready:bot`,
    });
    const data = (evt.payload as { data: Record<string, unknown> }).data;
    expect(data).toMatchObject({
      applicationId: s.applicationId,
      reportId: r.reportId,
      overall: report.overall,
      flags: [],
      reportUrl: `${t.config.publicUrl}/reports/${r.reportId}`,
    });
    expect(await run(s)).toMatchObject({ reportId: r.reportId, created: false });
    expect(await em.count(InterviewReport, { sessionId: s.sessionId })).toBe(1);
  });

  it('a silent answer goes to human review (flagged, review task, flags in report.ready)', async () => {
    const s = await session([{ transcript: GOOD }, { transcript: '' }]);
    const r = await run(s);
    expect(r.status).toBe('needs_review');
    const em = t.orm.em.fork();
    const report = await em.findOneOrFail(InterviewReport, { id: r.reportId });
    expect(report.flags).toContain('empty_transcript');
    expect(report.recommendation).toBe('human_review');
    const task = await em.findOneOrFail(ReviewTask, { report: r.reportId });
    expect(task).toMatchObject({ kind: 'quality', status: 'open' });
    expect(task.reason).toContain('第2题');
    const evt = await em.findOneOrFail(OutboxMessage, {
      idempotencyKey: `evt:report:${s.sessionId}:ready:bot`,
    });
    expect((evt.payload as { data: { flags: string[] } }).data.flags).toContain('empty_transcript');
  });

  it('person-only and no-AI-consent sessions get no AI score at all', async () => {
    for (const over of [{ personOnly: true }, { aiConsent: false }]) {
      const s = await session([{ transcript: GOOD }], over);
      const r = await run(s);
      expect(r.status).toBe('person_only');
      const em = t.orm.em.fork();
      const report = await em.findOneOrFail(InterviewReport, { id: r.reportId });
      expect(report.overall).toBeNull();
      expect(report.competencies).toEqual([]);
      expect(await em.count(AnswerScore, { sessionId: s.sessionId })).toBe(0);
      expect(await em.count(AnswerTranscript, { sessionId: s.sessionId })).toBe(0);
      expect(
        await em.count(OutboxMessage, {
          topic: 'report.ready',
          idempotencyKey: { $like: `evt:report:${s.sessionId}:%` },
        }),
      ).toBe(0);
      expect(await em.count(ReviewTask, { report: r.reportId, kind: 'person_only' })).toBe(1);
    }
  });

  it('provider down: retry later keeps nothing half-written, then routes to a person after the last attempt', async () => {
    const s = await session([{ transcript: GOOD }]);
    await t.sandbox.asrBehaviour({ failRequests: 1000 });
    await expect(run(s)).rejects.toBeInstanceOf(RetryLater);
    const em = t.orm.em.fork();
    expect(await em.count(InterviewReport, { sessionId: s.sessionId })).toBe(0);
    expect((await em.findOneOrFail(AnswerTranscript, { answerId: s.answers[0].answerId })).error).toMatch(
      /^\[1\] unavailable/,
    );
    const r = await run(s);
    await t.sandbox.asrBehaviour({ failRequests: 0 });
    expect(r.status).toBe('needs_review');
    const report = await t.orm.em.fork().findOneOrFail(InterviewReport, { id: r.reportId });
    expect(report.flags).toContain('transcription_failed');
  });

  it('the scoring consumer: several workers claim interview.submitted once each (SKIP LOCKED)', async () => {
    const sessions = await Promise.all([0, 1, 2].map(() => session([{ transcript: GOOD }])));
    for (const s of sessions)
      await t.orm.em.fork().transactional((em) =>
        emit(em, {
          type: 'interview.submitted',
          key: `interview:${s.sessionId}:submitted`,
          aggregate: `interview:${s.sessionId}`,
          actor: { kind: 'candidate', id: s.candidateId },
          data: {
            applicationId: s.applicationId,
            sessionId: s.sessionId,
            candidateId: s.candidateId,
            jobId: s.jobId,
          },
        }),
      );
    const bySession = new Map(sessions.map((s) => [s.sessionId, s]));
    let loads = 0;
    const load = async (_em: unknown, id: number) => {
      loads++;
      const s = bySession.get(id);
      if (!s) throw new Error(`unknown session ${id}`);
      return s;
    };
    const counts = await Promise.all(
      ['w1', 'w2', 'w3'].map((w) => runScoringOnce(t.orm, deps, { workerId: w, leaseMs: 60_000, load })),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(loads).toBe(3);
    const em = t.orm.em.fork();
    for (const s of sessions) expect(await em.count(InterviewReport, { sessionId: s.sessionId })).toBe(1);
    expect(await runScoringOnce(t.orm, deps, { workerId: 'w1', leaseMs: 60_000, load })).toBe(0);
  });

  // Earlier candidates' answers to the job's questions (no ratings yet) tell an answer given to
  // another of them apart, in the product as in `npm run score -- --pool`.
  it("earlier answers to the job's questions flag a story told for another question", async () => {
    const timeoutQ = '线上服务突然出现大量超时，你会如何一步步定位并解决？';
    const launchQ = '讲一次你推动项目按时上线的经历。';
    const { timeout: timeoutParts, launch: launchParts } = STORY_PARTS;
    const combo = storyAnswer;
    // Question ids of their own: the other tests' answers are not these questions' earlier answers.
    const typed = (questionId: number, questionText: string, text: string) => ({
      kind: 'text' as const,
      objectKey: null,
      text,
      questionId,
      questionText,
      competencies: ['问题解决'],
    });
    const dressed =
      '线上服务要按时上线，我一步步定位风险并解决：我把需求拆成三个里程碑，每周和产品对一次排期，' +
      '发现测试资源不够时提前两周申请了外包测试，关键路径上的接口我亲自联调，每天同步风险清单，' +
      '中途需求变更我和业务协商砍掉两个非核心功能，最后比计划提前两天灰度上线，没有延期。';
    const flagsOf = async (sessionId: number) => {
      const rows = await t.orm.em.fork().find(AnswerScore, { sessionId }, { orderBy: { questionId: 'asc' } });
      return rows.map((r) => (r.result as { flags: string[] }).flags);
    };
    const probe = async (timeoutId: number, launchId: number) => {
      const s = await session([
        typed(timeoutId, timeoutQ, dressed),
        typed(launchId, launchQ, combo(launchParts, 7)),
      ]);
      await run(s);
      return flagsOf(s.sessionId);
    };
    // The first candidate: nothing to compare with, the prompt's words let the story pass.
    const [firstDressed] = await probe(700, 701);
    expect(firstDressed).not.toContain('off_topic');
    // Six candidates answer both questions.
    for (let i = 0; i < 6; i++)
      await run(
        await session([
          typed(700, timeoutQ, combo(timeoutParts, i)),
          typed(701, launchQ, combo(launchParts, i)),
        ]),
      );
    // The same story again: flagged, although its first telling is now an earlier answer to
    // this very question (a copy of the answer does not vouch for it).
    const [dressedLater, genuineLater] = await probe(700, 701);
    expect(dressedLater).toContain('off_topic');
    expect(genuineLater).not.toContain('off_topic');
  });
});
