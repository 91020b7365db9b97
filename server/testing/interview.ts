/**
 * Helpers shared by the interview API tests (local and OSS storage modes): a small test plan,
 * candidates signed in through real invitations, consent, and recordings made with espeak-ng
 * and ffmpeg.
 */

import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runMediaChecks } from '../features/interview';
import type { InterviewDeps } from '../features/interview/service';
import type { Actor } from '../kernel/actor';
import { Candidate } from '../kernel/db/entities/Candidate';
import { Department } from '../kernel/db/entities/Department';
import { InterviewConsent } from '../kernel/db/entities/InterviewConsent';
import type { Em, Orm } from '../kernel/db/orm';
import type { Deps } from '../kernel/deps';
import { invitationTokenOf } from '../kernel/http/tokens';
import { type JobOverrides, makeJob } from './factories';
import type { TestApp } from './harness';
import { recording, speechWav } from './media';

/** What the helpers need of a running app: a test app (`startTestApp`) or a whole stack (`startTestStack`). */
export type ApiTarget = Pick<TestApp, 'api' | 'orm' | 'signInEmployee'>;

/** Recordings for tests: 3 s of speech (video and audio only), 3 s of silence, a broken file. */
export async function makeRecordings(dir: string) {
  const wav = await speechWav(
    path.join(dir, 'a.wav'),
    '我负责过一个订单系统，我们把延迟降低了一半，用户满意度也提高了。',
  );
  const garbage = path.join(dir, 'garbage.webm');
  fs.writeFileSync(garbage, Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(4000, 7)]));
  return {
    speech: await recording(dir, 'speech', { seconds: 3, wav }),
    silent: await recording(dir, 'silent', { seconds: 3 }),
    audio: await recording(dir, 'audio', { seconds: 3, wav, video: false }),
    garbage,
    wav,
  };
}

/** A test job: practice (video), Q1 video with 1 retake, Q2 typed (200 characters). */
export async function createTestJob(t: { orm: Orm }, slug: string): Promise<number> {
  const em = t.orm.em.fork();
  const department = await em.findOneOrFail(Department, { name: '研发中心' });
  const base = { competencies: ['沟通协作'], thinkSeconds: 5, answerSeconds: 20 };
  const job = await makeJob(em, {
    slug,
    title: '测试工程师',
    department,
    questions: [
      { ...base, text: '练习：请介绍一下你自己。', practice: true },
      {
        ...base,
        text: '请讲一次你解决难题的经历。',
        retakes: 1,
        indicators: { 沟通协作: ['说明了背景'] },
        referenceAnswers: ['描述情境、任务、行动、结果'],
      },
      { ...base, text: '你为什么想加入我们？', answerType: 'text', maxChars: 200 },
    ],
  });
  return job.id;
}

/** HR invites the named demo candidate to the job; the candidate signs in with the link. */
export async function candidateToken(t: ApiTarget, name: string, jobId: number): Promise<string> {
  const hr = await t.signInEmployee('hr01');
  const c = await t.orm.em.fork().findOneOrFail(Candidate, { name });
  const inv = await t.api('POST', '/api/invitations', { token: hr, body: { candidateId: c.id, jobId } });
  expect(inv.status).toBe(201);
  const token = invitationTokenOf(inv.body.invitation.url);
  const res = await t.api('POST', '/api/auth/invitation', { body: { token } });
  expect(res.status).toBe(200);
  return res.body.token;
}

/** Reads the notice and consents (video processing + AI evaluation unless told otherwise). */
export async function giveConsent(
  t: ApiTarget,
  token: string,
  opts: { ai?: boolean; personOnly?: boolean } = {},
) {
  const o = await t.api('GET', '/api/interview', { token });
  const res = await t.api('POST', '/api/interview/consent', {
    token,
    body: {
      noticeHash: o.body.notice.hash,
      locale: 'zh-CN',
      videoProcessing: true,
      aiEvaluation: opts.ai ?? true,
      personOnly: opts.personOnly ?? false,
    },
  });
  expect(res.status).toBe(201);
  return res.body.consent;
}

/**
 * Completes an uploaded attempt as the mini-app does: `complete` (202, the check is queued), one
 * run of the worker's media check (API test apps start no background jobs), then the verdict
 * the candidate polls. Returns the poll's status and body.
 */
export async function completeAndCheck(
  t: Pick<TestApp, 'api'> & { runtime: { deps: Deps } },
  token: string,
  answerId: number,
  attempt: number,
) {
  const queued = await t.api('POST', `/api/interview/answers/${answerId}/complete`, {
    token,
    body: { attempt },
  });
  if (queued.status !== 202) return queued;
  expect(queued.body).toMatchObject({ status: 'checking', attempt });
  await runMediaChecks(t.runtime.deps, 'test-worker');
  return t.api('GET', `/api/interview/answers/${answerId}/attempts/${attempt}`, { token });
}

/**
 * Polls the verdict of an attempt until the worker's check is in, against a stack whose worker
 * runs on its own (`startTestStack`, embedded roles). Fails after `timeoutMs`.
 */
export async function waitVerdict(
  t: Pick<TestApp, 'api'>,
  token: string,
  answerId: number,
  attempt: number,
  timeoutMs = 30_000,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await t.api('GET', `/api/interview/answers/${answerId}/attempts/${attempt}`, { token });
    if (v.status !== 200 || v.body.status !== 'checking') return v;
    if (Date.now() > until) throw new Error(`no verdict for answer ${answerId} attempt ${attempt}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The actor of candidate `c` signed in by an invitation to job `jobId` (service-level tests). */
export function invitedActor(
  c: { id: number; name: string; locale: string },
  jobId: number,
): Extract<Actor, { kind: 'candidate' }> {
  return {
    kind: 'candidate',
    id: c.id,
    candidate: { id: c.id, name: c.name, locale: c.locale, sessionGeneration: 0 },
    invitationJobId: jobId,
  };
}

/** The dependencies of an interview command for `actor` at `now`, on a fresh entity manager. */
export function interviewDepsOf(
  t: Pick<TestApp, 'orm' | 'config' | 'storage'>,
  actor: Actor,
  now: Date,
): InterviewDeps {
  return { em: t.orm.em.fork(), config: t.config, storage: t.storage, actor, now, context: {} };
}

/**
 * A job whose plan asks question one (13 s / 41 s, one retake), a practice question, question two
 * (no retake), then `more`: odd times, so an accommodation's percentage has to round.
 */
export async function oddTimesJob(
  em: Em,
  more: Array<Exclude<NonNullable<JobOverrides['questions']>, false>[number]> = [],
) {
  const base = { competencies: ['沟通协作'], thinkSeconds: 7, answerSeconds: 50 };
  return makeJob(em, {
    questions: [
      { ...base, text: '问题一', retakes: 1, thinkSeconds: 13, answerSeconds: 41 },
      { ...base, text: '练习', practice: true },
      { ...base, text: '问题二', retakes: 0 },
      ...more.map((q) => ({ ...base, ...q })),
    ],
  });
}

/**
 * A consent decision of application `app` at `at`, flushed with whatever else `em` holds: a grant
 * of video processing and AI evaluation, or a withdrawal (no scopes).
 */
export async function consentRow(
  em: Em,
  app: { id: number },
  candidateId: number,
  action: 'grant' | 'withdraw' = 'grant',
  at = new Date(),
): Promise<void> {
  em.create(InterviewConsent, {
    application: app.id,
    candidate: candidateId,
    action,
    scopes: action === 'grant' ? ['video_processing', 'ai_evaluation'] : [],
    noticeVersion: 'v1',
    noticeHash: 'a'.repeat(64),
    locale: 'zh-CN',
    ip: '127.0.0.1',
    userAgent: 'test',
    createdAt: at,
  });
  await em.flush();
}
