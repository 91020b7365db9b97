/**
 * Helpers shared by the interview API tests (local and OSS storage modes): a small test plan,
 * candidates signed in through real invitations, consent, and recordings made with espeak-ng
 * and ffmpeg.
 */

import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { Candidate } from '../kernel/db/entities/Candidate';
import { Department } from '../kernel/db/entities/Department';
import { InterviewPlan, InterviewQuestion } from '../kernel/db/entities/InterviewPlan';
import { Job } from '../kernel/db/entities/Job';
import type { Orm } from '../kernel/db/orm';
import { invitationTokenOf } from '../kernel/http/tokens';
import { recording, speechWav } from '../kernel/media/fixtures';
import type { TestApp } from './harness';

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
  const dept = await em.findOneOrFail(Department, { name: '研发中心' });
  const job = em.create(Job, { slug, title: '测试工程师', department: dept });
  const plan = em.create(InterviewPlan, { job, name: 'test plan' });
  const base = { plan, competencies: ['沟通协作'], thinkSeconds: 5, answerSeconds: 20 };
  em.create(InterviewQuestion, {
    ...base,
    position: 1,
    text: '练习：请介绍一下你自己。',
    retakes: 0,
    practice: true,
  });
  em.create(InterviewQuestion, {
    ...base,
    position: 2,
    text: '请讲一次你解决难题的经历。',
    retakes: 1,
    indicators: { 沟通协作: ['说明了背景'] },
    referenceAnswers: ['描述情境、任务、行动、结果'],
  });
  em.create(InterviewQuestion, {
    ...base,
    position: 3,
    text: '你为什么想加入我们？',
    retakes: 0,
    answerType: 'text',
    maxChars: 200,
  });
  await em.flush();
  return job.id;
}

/** HR invites the named demo candidate to the job; the candidate signs in with the link. */
export async function candidateToken(t: TestApp, name: string, jobId: number): Promise<string> {
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
  t: TestApp,
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
