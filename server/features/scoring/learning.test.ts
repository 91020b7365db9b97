import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import {
  AnswerScore,
  AnswerTranscript,
  InterviewReport,
  ReportRating,
  ScoringModel,
} from '../../kernel/db/entities/Scoring';
import { User } from '../../kernel/db/entities/User';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import {
  activeModel,
  earlierAnswerPool,
  jobContexts,
  questionDefOf,
  REFIT_AFTER_RATINGS,
  type ScoredInput,
  scoringModels,
} from './calibrationStore';
import { scoreAnswer } from './engine';
import { resolveCompetencies } from './rubrics';
import { inputOf } from './training';

const HOUR = 3_600_000;

/**
 * Learning from interviewers' ratings in the product, on a fake clock: nothing is fitted with
 * too few ratings; enough new ratings trigger a refit by the ratings job; the nightly job refits
 * again; a version that does not beat the uncalibrated score held-out is kept but never serves;
 * the running model moves new answers towards what the interviewers rated high.
 *
 * The interviewers here prefer root-cause fixes (index, slow query) over restarts and scaling,
 * at equal length and detail: the words alone cannot know that, the rated neighbours can.
 */
describeEachDialect('learning from ratings (refit jobs, versions, fake clock)', (dialect) => {
  let t: TestApp;
  let session = 70_000;
  let answer = 70_000;
  const QUESTION = '线上服务突然出现大量超时，你会如何一步步定位并解决？';
  const ROOT = [
    '我先看监控，发现数据库查询变慢，再查慢查询日志，定位到一条没走索引的联表查询，加了联合索引后耗时从两秒降到八十毫秒。',
    '我对比了正常和异常时段的慢查询日志，找到根本原因是新上线的排序语句全表扫描，改写语句并补上索引，接口恢复正常。',
    '我用链路追踪看到时间都花在订单表查询上，分析执行计划发现索引失效，修复索引后超时消失，还加了慢查询告警。',
  ];
  const RESTART = [
    '我先看监控，发现服务实例负载很高，就把所有实例重启了一遍，又临时扩容了两台机器，过了一会儿超时就少了。',
    '我会先重启出问题的服务，如果还超时就继续扩容机器，同时把超时时间调长一些，等流量高峰过去再观察情况。',
    '我当时让运维把集群扩容了一倍，再重启了网关，超时慢慢恢复，后面也没有再仔细查原因。',
  ];
  let input: ScoredInput;
  let jobId: number;
  let applicationId: number;
  let raterId: number;

  /** Files one rated answer (as the pipeline and the rating route would have). */
  async function rated(text: string, score: number, at: Date) {
    const em = t.orm.em.fork();
    const candidate = em.create(Candidate, {
      name: `学习${session}`,
      mobile: null,
      email: null,
      unionId: null,
    });
    const app = em.create(Application, { candidate, job: jobId, stage: 'in_review' } as never);
    await em.flush();
    applicationId = app.id;
    const sessionId = session++;
    const answerId = answer++;
    em.create(AnswerTranscript, {
      answerId,
      sessionId,
      applicationId: app.id,
      status: 'done',
      objectKey: null,
      position: 1,
      questionText: QUESTION,
      provider: 'text',
      model: null,
      taskId: null,
      language: 'zh',
      text,
      sentences: [],
      durationMs: null,
      error: null,
    } as never);
    em.create(AnswerScore, {
      answerId,
      sessionId,
      applicationId: app.id,
      questionId: input.questionId,
      overall: 50,
      result: { input },
      scorerVersion: 'test',
      weightsSource: 'uncalibrated',
      llm: null,
    } as never);
    const rep = em.create(InterviewReport, {
      application: app,
      sessionId,
      candidateId: candidate.id,
      jobId,
      status: 'ready',
      overall: 50,
      competencies: [{ name: '问题解决', score: 50, evidence: [], matched: [], missing: [] }],
      strengths: [],
      gaps: [],
      flags: [],
      recommendation: 'consider',
    } as never);
    em.create(ReportRating, {
      report: rep,
      reviewer: raterId,
      competency: '问题解决',
      score,
      createdAt: at,
      updatedAt: at,
    } as never);
    await em.flush();
  }

  const job = (name: string) => {
    const j = t.runtime.jobs.find((x) => x.name === name);
    if (!j) throw new Error(`job ${name} is not declared`);
    return (at: Date) => {
      t.clock.now = at;
      return j.run(t.runtime.deps, undefined) as Promise<unknown>;
    };
  };
  const models = () => t.orm.em.fork().find(ScoringModel, {}, { orderBy: { id: 'asc' } });

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    const backend = await em.findOneOrFail(Job, { slug: 'backend' });
    jobId = backend.id;
    raterId = (await em.findOneOrFail(User, { dingtalkUserId: 'int01' })).id;
    input = {
      questionId: 9_001,
      jobId,
      question: QUESTION,
      language: 'zh',
      competencies: resolveCompetencies(['问题解决'], undefined, 'zh'),
    };
    void applicationId;
  });
  afterAll(async () => t?.close());

  it('the scoring feature declares both refit jobs', () => {
    const names = t.runtime.jobs.map((j) => j.name);
    expect(names).toContain('scoring.refit-on-ratings');
    expect(names).toContain('scoring.refit-nightly');
  });

  it('refits after enough new ratings, nightly, keeps every version, and only a better one serves', async () => {
    const onRatings = job('scoring.refit-on-ratings');
    const nightly = job('scoring.refit-nightly');
    const t0 = new Date('2026-12-01T01:00:00Z');
    // Ten ratings: nothing is fitted, by either job.
    for (let i = 0; i < 10; i++)
      await rated(i % 2 ? ROOT[i % 3] : RESTART[i % 3], i % 2 ? 5 : 2, new Date(t0.getTime() + i * 1000));
    await onRatings(new Date(t0.getTime() + HOUR));
    await nightly(new Date(t0.getTime() + 2 * HOUR));
    expect(await models()).toEqual([]);
    expect(await activeModel(t.orm.em.fork())).toBeNull();

    // Twenty more: the ratings job refits and the model serves (it beats the uncalibrated score).
    const t1 = new Date(t0.getTime() + 3 * HOUR);
    for (let i = 0; i < REFIT_AFTER_RATINGS; i++)
      await rated(
        i % 2 ? ROOT[i % 3] : RESTART[(i + 1) % 3],
        i % 2 ? 4 + (i % 4 === 1 ? 1 : 0) : 1 + (i % 4 === 0 ? 1 : 0),
        new Date(t1.getTime() + i * 1000),
      );
    await onRatings(new Date(t1.getTime() + HOUR));
    let rows = await models();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'active', reason: 'ratings', ratings: 30 });
    const cv = rows[0].cv as { model: { pearson: number }; uncalibrated: { pearson: number } };
    expect(cv.model.pearson).toBeGreaterThan(cv.uncalibrated.pearson);
    // The stored model holds hashed term weights and ratings, never an answer's words.
    expect(JSON.stringify(rows[0].model)).not.toContain('索引');

    // Run again without new ratings: nothing happens.
    await onRatings(new Date(t1.getTime() + 2 * HOUR));
    expect(await models()).toHaveLength(1);
    // A few new ratings are not enough for the ratings job...
    const t2 = new Date(t1.getTime() + 3 * HOUR);
    for (let i = 0; i < 5; i++) await rated(ROOT[i % 3], 5, new Date(t2.getTime() + i * 1000));
    await onRatings(new Date(t2.getTime() + HOUR));
    expect(await models()).toHaveLength(1);
    // ...but the nightly refit takes them in: a new version serves, the old one is retired.
    await nightly(new Date(t2.getTime() + 10 * HOUR));
    rows = await models();
    expect(rows.map((r) => [r.status, r.reason, r.ratings])).toEqual([
      ['retired', 'ratings', 30],
      ['active', 'nightly', 35],
    ]);
    expect(rows[1].version).not.toBe(rows[0].version);

    // The running model moves answers towards what the interviewers rated high.
    const model = await activeModel(t.orm.em.fork());
    expect(model?.version).toBe(rows[1].version);
    const contexts = jobContexts([questionDefOf(input)]);
    const def = questionDefOf(input);
    const score = (text: string, withModel: boolean) =>
      scoreAnswer(inputOf(def, text), {
        context: contexts.get(def.questionId),
        model: withModel ? model : null,
        questionId: def.questionId,
        group: `job:${jobId}`,
      });
    const root = '我查了慢查询日志，发现是一条没走索引的查询，补上索引后接口耗时恢复到一百毫秒以内。';
    const restart = '我先把服务重启了，又扩容了几台机器，超时就慢慢恢复了，后面也没有再查原因。';
    const learnedGap = score(root, true).overall - score(restart, true).overall;
    const plainGap = score(root, false).overall - score(restart, false).overall;
    expect(learnedGap).toBeGreaterThan(plainGap + 10);
    const basis = score(root, true).basis;
    expect(basis.kind).toBe('question:9001');
    expect(basis.neighbours?.ratedAnswers).toBe(35);
    expect(basis.neighbours?.nearestRatings[0]).toBeGreaterThanOrEqual(4);
    expect(basis.modelVersion).toBe(rows[1].version);

    // Ratings changed to noise: the refit is kept for the record but rejected; v2 keeps serving.
    const t3 = new Date(t2.getTime() + 24 * HOUR);
    const em = t.orm.em.fork();
    const all = await em.find(ReportRating, {}, { orderBy: { id: 'asc' } });
    all.forEach((r, i) => {
      r.score = 1 + ((i * 7 + 3) % 5);
      r.updatedAt = t3;
    });
    await em.flush();
    await onRatings(new Date(t3.getTime() + HOUR));
    rows = await models();
    expect(rows.map((r) => r.status)).toEqual(['retired', 'active', 'rejected']);
    expect(rows[2].decision).toMatch(/does not beat|below the running/);
    expect((await activeModel(t.orm.em.fork()))?.version).toBe(rows[1].version);

    // What scoring uses: the running model serves; with none running, the latest rejected
    // version informs only the off-topic check (its rated answers, never its predictions).
    let used = await scoringModels(t.orm.em.fork());
    expect(used.model?.version).toBe(rows[1].version);
    expect(used.topicModel).toBeNull();
    await t.orm.em.fork().nativeUpdate(ScoringModel, { status: 'active' }, { status: 'retired' });
    used = await scoringModels(t.orm.em.fork());
    expect(used.model).toBeNull();
    expect(used.topicModel?.version).toBe(rows[2].version);
    expect(Object.keys(used.topicModel?.rated ?? {})).toEqual(['9001']);

    // Earlier answers to the question: every other session's (35 on file), the scored one's left out.
    const firstSession = 70_000;
    const pool = await earlierAnswerPool(t.orm.em.fork(), firstSession, contexts);
    expect(pool.answers['9001']).toHaveLength(34);
    const elsewhere = await earlierAnswerPool(t.orm.em.fork(), -1, contexts);
    expect(elsewhere.answers['9001']).toHaveLength(35);
    // Vectors only: no candidate's words leave the store.
    expect(JSON.stringify(pool)).not.toContain('索引');
  }, 120_000);
});
