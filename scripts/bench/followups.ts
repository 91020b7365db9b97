/**
 * `npm run bench -- followups [--sessions=40] [--dialect=sqlite|mysql]`: time from a session's
 * last transcript to its follow-up questions being available, without an LLM, through the real
 * pipeline: recordings in the app's store, the sandbox's DashScope returning registered text,
 * `scoreSession` scoring and writing the report, and the follow-ups chosen in the report's
 * transaction (`report.ready`). Per session: `availableAt - transcriptAt` as stored on the rows.
 * Baseline in the same run: the last transcript to the report row (the work the follow-ups ride on).
 * MYSQL_URL must point at a server for `--dialect=mysql`.
 */

import { scoreSession } from '../../server/features/scoring/pipeline';
import { scoringDeps } from '../../server/features/scoring/worker';
import { Application } from '../../server/kernel/db/entities/Application';
import { Candidate } from '../../server/kernel/db/entities/Candidate';
import { Department } from '../../server/kernel/db/entities/Department';
import { FollowUp } from '../../server/kernel/db/entities/FollowUp';
import { InterviewPlan, InterviewQuestion } from '../../server/kernel/db/entities/InterviewPlan';
import { InterviewSession } from '../../server/kernel/db/entities/InterviewSession';
import { Job } from '../../server/kernel/db/entities/Job';
import { AnswerTranscript, InterviewReport } from '../../server/kernel/db/entities/Scoring';
import { startTestApp } from '../../server/testing/harness';
import { submittedAnswer } from '../../server/testing/scoring';
import { arg, percentile, report } from './report';

const QUESTIONS = [
  { text: '请讲一次你解决复杂问题的经历。', competencies: ['问题解决'] },
  { text: '讲一次你和同事意见不一致的经历。', competencies: ['沟通协作'] },
  { text: '讲一次你推动团队达成目标的经历。', competencies: ['结果导向'] },
];
// ~2-minute answers with different gaps: no result; "we" only; figures missing.
const ANSWERS = [
  '去年我们的订单系统在大促期间经常超时，我负责排查。我先看了监控和日志，发现是数据库慢查询导致的，然后我对比了加索引、拆分查询和加缓存三个方案，评估了风险和工作量，选择先加联合索引并改写了查询语句，上线前和测试同学一起做了压测，又把慢查询纳入告警。'.repeat(
    2,
  ),
  '去年我们团队和产品经理在上线时间上有分歧，我们一起开会讨论，大家用数据说明了风险，最后双方达成共识，推迟一周上线，没有出现事故。整个过程中团队配合得很好，大家都很投入，也互相理解对方的难处。'.repeat(
    2,
  ),
  '有一次我负责销售团队的季度冲刺，我先把目标拆到每个人，每周开一次复盘会，遇到卡住的客户我亲自去拜访，和他们聊清楚顾虑，再调整方案，最后团队的业绩比上个季度好了很多，客户满意度也提升了。'.repeat(
    2,
  ),
];

/** Runs the benchmark and prints one JSON line and a table. */
export async function run(args: string[]): Promise<void> {
  const sessions = arg(args, 'sessions', 40);
  const dialect = args.includes('--dialect=mysql') ? 'mysql' : 'sqlite';
  const t = await startTestApp(dialect, { env: { ASR_POLL_MS: '20', LOG_LEVEL: 'warn' } });
  try {
    const deps = scoringDeps(t.config, t.orm, t.storage);
    const em = t.orm.em.fork();
    const job = em.create(Job, {
      slug: `bench-followups-${Date.now()}`,
      title: '后端工程师',
      department: await em.findOneOrFail(Department, { name: '研发中心' }),
    });
    const plan = em.create(InterviewPlan, { job, name: 'bench' });
    const qs = QUESTIONS.map((q, i) =>
      em.create(InterviewQuestion, {
        plan,
        position: i + 1,
        text: q.text,
        competencies: q.competencies,
        thinkSeconds: 10,
        answerSeconds: 150,
        retakes: 0,
      }),
    );
    await em.flush();

    const toFollowUp: number[] = [];
    const toReport: number[] = [];
    let followUps = 0;
    for (let i = 0; i < sessions; i++) {
      const cand = em.create(Candidate, { name: `压测候选人${i}` } as never);
      const app = em.create(Application, { candidate: cand, job } as never);
      const session = em.create(InterviewSession, {
        application: app,
        candidate: cand,
        job,
        plan,
        status: 'submitted',
        startedAt: new Date(),
        submittedAt: new Date(),
      } as never);
      await em.flush();
      const answers = [];
      for (const [k, q] of qs.entries()) {
        const key = `interviews/bench-${session.id}/${k + 1}/1.webm`;
        await t.storage.put(key, Buffer.from('bench webm bytes'), { contentType: 'video/webm' });
        await t.sandbox.registerTranscript({ match: key, text: ANSWERS[k], durationMs: 110_000 });
        answers.push(
          submittedAnswer({
            answerId: session.id * 10 + k,
            questionId: q.id,
            position: k + 1,
            questionText: q.text,
            competencies: q.competencies,
            objectKey: key,
          }),
        );
      }
      await scoreSession(deps, {
        applicationId: app.id,
        sessionId: session.id,
        candidateId: cand.id,
        jobId: job.id,
        personOnly: false,
        aiConsent: true,
        answers,
      });
      const read = t.orm.em.fork();
      const last = Math.max(
        ...(await read.find(AnswerTranscript, { sessionId: session.id })).map((x) => x.createdAt.getTime()),
      );
      const rows = await read.find(FollowUp, { sessionId: session.id });
      const rep = await read.findOneOrFail(InterviewReport, { sessionId: session.id });
      followUps += rows.length;
      if (rows.length) toFollowUp.push(Math.max(...rows.map((r) => r.availableAt.getTime())) - last);
      toReport.push((rep as unknown as { createdAt: Date }).createdAt.getTime() - last);
    }
    const row = (what: string, xs: number[]) => ({
      what,
      n: xs.length,
      p50_ms: percentile(xs, 50),
      p95_ms: percentile(xs, 95),
      max_ms: Math.max(...xs),
    });
    report(
      'followups',
      [
        row('last transcript -> follow-ups available', toFollowUp),
        row('baseline: last transcript -> report row', toReport),
      ],
      {
        dialect,
        sessions,
        followUps,
        llm: false,
        targetP95Ms: 2000,
      },
    );
  } finally {
    await t.close();
  }
}
