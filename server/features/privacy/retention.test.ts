import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { InterviewAnswer, InterviewAttempt } from '../../kernel/db/entities/InterviewSession';
import { AnswerScore, AnswerTranscript, InterviewReport } from '../../kernel/db/entities/Scoring';
import { makeAnswer, makeSession } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { purgeExpired } from './retention';

const DAY = 86_400_000;

describeEachDialect('retention', (dialect) => {
  let t: TestApp;
  const keys: Record<string, string> = {};
  const appIds: Record<string, number> = {};
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    const apps = await em.find(Application, {}, { populate: ['job'], orderBy: { id: 'asc' }, limit: 3 });
    const now = Date.now();
    // old: rejected 200 days ago; recent: rejected 10 days ago; open: still in review long ago.
    const plan: Array<[string, string, number]> = [
      ['old', 'rejected', 200],
      ['recent', 'rejected', 10],
      ['open', 'in_review', 400],
    ];
    for (const [i, [name, stage, ageDays]] of plan.entries()) {
      const app = apps[i];
      app.stage = stage as never;
      app.stageChangedAt = new Date(now - ageDays * DAY);
      appIds[name] = app.id;
      const question = await em.findOneOrFail(
        InterviewQuestion,
        { plan: { job: app.job } },
        { orderBy: { position: 'desc' } },
      );
      const startedAt = new Date(now - ageDays * DAY);
      const session = await makeSession(em, { application: app, startedAt, status: 'submitted' });
      const answer = await makeAnswer(em, {
        session,
        question,
        servedAt: startedAt,
        text: `${name} 的文字回答`,
      });
      keys[name] = `interviews/retention-test/${name}.webm`;
      await t.storage.put(keys[name], Buffer.from('webm bytes'), { contentType: 'video/webm' });
      em.create(InterviewAttempt, {
        answer,
        number: 1,
        objectKey: keys[name],
        contentType: 'video/webm',
        kind: 'video',
        status: 'verified',
        grantedAt: new Date(now - ageDays * DAY),
      });
      await em.flush();
      em.create(AnswerTranscript, {
        answerId: answer.id,
        sessionId: session.id,
        applicationId: app.id,
        status: 'done' as never,
        objectKey: keys[name],
        position: 1,
        questionText: question.text,
        provider: 'dashscope',
        language: 'zh',
        text: `${name} 我负责了整个项目`,
        sentences: [{ text: '我负责了整个项目', beginMs: 0, endMs: 1000 }],
      });
      em.create(AnswerScore, {
        answerId: answer.id,
        sessionId: session.id,
        applicationId: app.id,
        questionId: question.id,
        overall: 70,
        result: { evidence: ['我负责了整个项目'] },
        scorerVersion: 't',
        weightsSource: 'default',
      });
      em.create(InterviewReport, {
        application: app,
        sessionId: session.id,
        candidateId: app.candidate.id,
        jobId: app.job.id,
        status: 'ready',
        overall: 70,
        competencies: [{ name: '问题解决', score: 70, evidence: [{ quote: '我负责了整个项目' }] }] as never,
        strengths: [],
        gaps: [],
        flags: [],
        recommendation: 'review',
      });
    }
    await em.flush();
  });
  afterAll(async () => t?.close());

  it('deletes media, transcripts, typed answers and evidence after the retention period, leaving a tombstone', async () => {
    const result = await purgeExpired({ orm: t.orm, storage: t.storage });
    expect(result).toEqual({ applications: 1, objects: 1 });
    expect(await t.storage.head(keys.old)).toBeNull();
    expect(await t.storage.head(keys.recent)).not.toBeNull();
    expect(await t.storage.head(keys.open)).not.toBeNull();

    const em = t.orm.em.fork();
    const old = await em.findOneOrFail(Application, { id: appIds.old });
    expect(old.purgedAt).not.toBeNull();
    expect(old.stage).toBe('rejected');
    expect((await em.findOneOrFail(AnswerTranscript, { applicationId: appIds.old })).text).toBeNull();
    expect((await em.findOneOrFail(AnswerTranscript, { applicationId: appIds.recent })).text).toContain(
      'recent',
    );
    expect(await em.count(AnswerScore, { applicationId: appIds.old })).toBe(0);
    expect(await em.count(AnswerScore, { applicationId: appIds.recent })).toBe(1);
    const report = await em.findOneOrFail(InterviewReport, { application: appIds.old });
    expect(report.overall).toBe(70);
    expect(JSON.stringify(report.competencies)).not.toContain('我负责');
    const answer = await em.findOneOrFail(InterviewAnswer, { session: { application: appIds.old } });
    expect(answer.text).toBeNull();
    const tomb = await em.find(AuditLog, { action: 'retention.purged' });
    expect(tomb).toHaveLength(1);
    expect(tomb[0]).toMatchObject({
      actorKind: 'system',
      objectType: 'application',
      objectId: String(appIds.old),
    });

    // A second run (or a second worker) finds nothing left to do.
    expect(await purgeExpired({ orm: t.orm, storage: t.storage })).toEqual({ applications: 0, objects: 0 });
    // Later, the recent one passes the period too.
    const later = await purgeExpired({
      orm: t.orm,
      storage: t.storage,
      now: new Date(Date.now() + 200 * DAY),
    });
    expect(later.applications).toBe(1);
    expect(await t.storage.head(keys.recent)).toBeNull();
    expect(await t.storage.head(keys.open)).not.toBeNull();
  });
});
