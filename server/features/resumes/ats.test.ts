/**
 * DingTalk recruitment (ATS) through the sandbox on both dialects: importing candidates by mobile
 * (new, merged into an existing candidate, unknown, malformed; bad bodies and other roles refused
 * with nothing written; a refused permission surfaces as 502 with nothing written), and the live
 * round pushed to the AI interview assistant by the registered consumer (with the AI reports and
 * the résumé text, never a person-only report; off unless configured; DingTalk's 500 retried).
 * DingTalk's documented ATS API returns no résumé file, so an imported candidate's résumé comes
 * by HR's upload afterwards, read by the worker and screened like any other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { Resume } from '../../kernel/db/entities/Resume';
import { emit } from '../../kernel/events';
import { consumeEvents } from '../../kernel/events/consume';
import { candidateToken } from '../../testing/booking';
import { makeApplication, makeBooking, makeCandidate, makeJob, makeReport } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { processResume } from './commands';
import { ATS_SYNC_CONSUMER, RESUME_EXTRACT_CONSUMER, resumes as resumesFeature } from './index';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name));

describeEachDialect('DingTalk recruitment (ATS)', (dialect) => {
  let t: TestApp;
  let hr: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, { env: { DINGTALK_ATS_SYNC: 'on' } });
    hr = await t.signInEmployee('hr01');
  }, 60_000);
  afterAll(async () => t?.close());

  describe('import by mobile', () => {
    it('creates, merges, and reports unknown and malformed mobiles', async () => {
      await t.sandbox.atsAddCandidate({ candidateId: 'ats-001', name: '钉招一', phoneNumber: '13912340001' });
      await t.sandbox.atsAddCandidate({ candidateId: 'ats-002', name: '钉招二', phoneNumber: '13912340002' });
      const existing = await makeCandidate(t.orm, { name: '已有候选人', mobile: '13912340002' });
      // As the candidates feature stores it: the E.164 key is what "the same person" matches on.
      await t.orm.em.fork().nativeUpdate(Candidate, { id: existing.id }, { mobileKey: '+8613912340002' });
      const res = await t.api('POST', '/api/resumes/ats/import', {
        token: hr,
        body: { mobiles: ['139 1234 0001', '+8613912340002', '13912340009', 'not-a-phone', '13912340001'] },
      });
      expect(res.status).toBe(200);
      const rows = res.body.rows as Array<Record<string, unknown>>;
      expect(rows.map((r) => [r.mobile, r.status, r.atsCandidateId])).toEqual([
        ['13912340001', 'created', 'ats-001'],
        ['13912340002', 'merged', 'ats-002'],
        ['13912340009', 'not_found', null],
        ['not-a-phone', 'invalid', null],
      ]);
      expect(rows[1].candidateId).toBe(existing.id);
      const em = t.orm.em.fork();
      const made = await em.findOneOrFail(Candidate, { id: rows[0].candidateId as number });
      expect(made).toMatchObject({ name: '钉招一', mobile: '13912340001', source: 'dingtalk_recruit' });
      // The existing candidate keeps their own name and source.
      expect(await em.findOneOrFail(Candidate, { id: existing.id })).toMatchObject({ name: '已有候选人' });
      const log = await em.find(AuditLog, { action: 'resume.ats_imported' });
      expect(log).toHaveLength(1);
      expect(log[0].details).toMatchObject({ notFound: 1 });
    });

    it('refuses bad bodies, candidates, and a refused permission, writing nothing', async () => {
      const before = await t.orm.em.fork().count(Candidate, {});
      const empty = await t.api('POST', '/api/resumes/ats/import', { token: hr, body: { mobiles: [] } });
      expect(empty.status).toBe(400);
      expect(JSON.stringify(empty.body)).toContain('mobiles');
      const many = await t.api('POST', '/api/resumes/ats/import', {
        token: hr,
        body: { mobiles: Array.from({ length: 201 }, (_, i) => `1391234${String(i).padStart(4, '0')}`) },
      });
      expect(many.status).toBe(400);
      const c = await makeCandidate(t.orm, { name: '候选人' });
      const asCandidate = await t.api('POST', '/api/resumes/ats/import', {
        token: await candidateToken(t, c.id),
        body: { mobiles: ['13912340003'] },
      });
      expect(asCandidate.status).toBe(403);

      await t.sandbox.atsAddCandidate({ candidateId: 'ats-003', name: '钉招三', phoneNumber: '13912340003' });
      await t.sandbox.atsSettings({ authorized: false });
      try {
        const refused = await t.api('POST', '/api/resumes/ats/import', {
          token: hr,
          body: { mobiles: ['13912340003'] },
        });
        expect(refused.status).toBe(502);
        expect(refused.body.error.code).toBe('resume_ats_refused');
      } finally {
        await t.sandbox.atsSettings({ authorized: true });
      }
      expect(await t.orm.em.fork().count(Candidate, {})).toBe(before + 1); // the candidate made above
    });
  });

  describe('résumé of an imported candidate', () => {
    it('comes by HR upload afterwards (DingTalk gives none): read by the worker, then in the job’s screening', async () => {
      await t.sandbox.atsAddCandidate({ candidateId: 'ats-010', name: '钉招十', phoneNumber: '13912340010' });
      const imported = await t.api('POST', '/api/resumes/ats/import', {
        token: hr,
        body: { mobiles: ['13912340010'] },
      });
      expect(imported.status).toBe(200);
      const candidateId = imported.body.rows[0].candidateId as number;
      // The import brought the person, not a résumé.
      const before = await t.api('GET', `/api/resumes/candidates/${candidateId}`, { token: hr });
      expect(before.body.resumes).toEqual([]);

      const job = await makeJob(t.orm, { title: '后端工程师', questions: false });
      await t.orm.em
        .fork()
        .nativeUpdate(
          Job,
          { id: job.id },
          { requirements: '1. 本科及以上学历\n2. 3年以上 Java 后端开发经验' },
        );
      const form = new FormData();
      form.append('jobId', String(job.id));
      form.append('file', new Blob([new Uint8Array(fixture('zh.pdf'))]), '钉招十.pdf');
      const res = await fetch(`${t.url}/api/resumes/candidates/${candidateId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${hr}` },
        body: form,
      });
      expect(res.status).toBe(201);
      const { resume } = (await res.json()) as { resume: { id: number; status: string } };
      expect(resume.status).toBe('pending');
      await consumeEvents<'resume.uploaded'>(t.orm.em.fork(), {
        consumer: RESUME_EXTRACT_CONSUMER,
        workerId: 'test',
        transactional: false,
        handle: (event, em) => processResume(em, t.storage, event.data.resumeId),
      });
      const row = await t.orm.em.fork().findOneOrFail(Resume, { id: resume.id }, { populate: ['candidate'] });
      expect(row).toMatchObject({ status: 'parsed', consentBasis: 'hr_upload' });
      expect(row.candidate).toMatchObject({ id: candidateId, source: 'dingtalk_recruit' });
      const queue = await t.api('GET', `/api/resumes/jobs/${job.id}/screening`, { token: hr });
      expect(queue.status).toBe(200);
      const mine = queue.body.rows.find((r: { candidateId: number }) => r.candidateId === candidateId);
      expect(mine).toMatchObject({ resumeId: resume.id, candidateName: '钉招十' });
      expect(mine.match.score).toBeGreaterThan(0);
    }, 60_000);
  });

  describe('live round pushed to the AI interview assistant', () => {
    const consumer = resumesFeature.consumers?.find((c) => c.name === ATS_SYNC_CONSUMER);
    const drain = (now = new Date()) =>
      consumeEvents<'booking.created'>(t.orm.em.fork(), {
        consumer: ATS_SYNC_CONSUMER,
        workerId: 'test',
        now: () => now,
        transactional: false,
        handle: (e, em) => (consumer as NonNullable<typeof consumer>).handle(e, em, t.deps),
      });
    const booked = async (bookingId: number, applicationId: number, candidateId: number, jobId: number) => {
      await t.orm.em.fork().transactional(async (tx) => {
        await emit(tx, {
          type: 'booking.created',
          key: `booking:${bookingId}:created:test`,
          aggregate: `booking:${bookingId}`,
          actor: { kind: 'system', id: null },
          data: {
            bookingId,
            applicationId,
            candidateId,
            jobId,
            kind: 'second_round',
            interviewerId: null,
            startAt: new Date().toISOString(),
            endAt: new Date().toISOString(),
            timezone: 'Asia/Shanghai',
          },
        });
      });
    };

    it('sends the AI reports and the résumé text for the live round, once accepted', async () => {
      const cand = await makeCandidate(t.orm, { name: '李四', mobile: '13912340077' });
      const app = await makeApplication(t.orm, { candidate: cand, stage: 'booked' });
      await makeReport(t.orm, {
        application: app,
        overall: 81,
        strengths: ['能说明自己的做法'],
        competencies: [
          {
            name: '沟通表达',
            score: 81,
            evidence: [{ answerId: 1, quote: '我先和产品对齐了目标', indicator: '澄清', start: 0, end: 10 }],
            matched: [],
            missing: [],
          },
        ],
      });
      // A person-only report carries no AI evaluation and must not be sent.
      await makeReport(t.orm, { application: app, status: 'person_only' });
      const em = t.orm.em.fork();
      em.create(Resume, {
        candidate: cand.id,
        job: null,
        objectKey: null,
        fileName: 'cv.pdf',
        kind: 'pdf',
        size: 1,
        status: 'parsed',
        text: '李四 后端工程师 5年 Java 经验',
        profile: null,
        consentAt: new Date(),
        consentBasis: 'candidate',
      });
      await em.flush();
      const b = await makeBooking(t.orm, { application: app, kind: 'second_round' });
      const first = await makeBooking(t.orm, { kind: 'ai_interview' });

      await t.sandbox.atsSettings({ failSyncs: 1 });
      await booked(first.id, first.application.id, first.application.candidate.id, first.application.job.id);
      await booked(b.id, app.id, cand.id, app.job.id);
      await drain(); // DingTalk answers 500 once: the event stays for a retry
      expect(await t.sandbox.atsSyncs()).toHaveLength(0);
      // The retry's backoff has passed an hour later.
      await drain(new Date(Date.now() + 3600_000));
      const syncs = await t.sandbox.atsSyncs();
      expect(syncs).toHaveLength(1);
      const body = syncs[0].body as any;
      expect(body).toMatchObject({
        isvId: t.config.dingtalk.ats.isvId,
        interviewId: `booking-${b.id}`,
        interviewStartTime: b.startAt.getTime(),
        candidateInfoVOList: [
          {
            bizCandidateId: String(cand.id),
            name: '李四',
            phone: '13912340077',
            resumeContent: '李四 后端工程师 5年 Java 经验',
          },
        ],
      });
      const history = body.candidateInfoVOList[0].historyInterviewInfoVOList;
      expect(history).toHaveLength(1);
      const text = history[0].aiInterviewHistoryEvaluationContentList[0].historyInterviewContent as string;
      expect(text).toContain('沟通表达：81');
      expect(text).toContain('我先和产品对齐了目标');
      expect(body.interviewerInfoVOList).toHaveLength(1);
      expect(history[0].canViewUserIdList).toEqual([body.interviewerInfoVOList[0].id]);
    });
  });
});

describe('ATS sync is off by default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite');
  }, 60_000);
  afterAll(async () => t?.close());

  it('does not call DingTalk unless DINGTALK_ATS_SYNC=on', async () => {
    expect(t.config.dingtalk.ats.sync).toBe(false);
    const app = await makeApplication(t.orm, { stage: 'booked' });
    await makeReport(t.orm, { application: app });
    const b = await makeBooking(t.orm, { application: app, kind: 'second_round' });
    const consumer = resumesFeature.consumers?.find((c) => c.name === ATS_SYNC_CONSUMER);
    await (consumer as NonNullable<typeof consumer>).handle(
      {
        type: 'booking.created',
        data: { bookingId: b.id },
      } as never,
      t.orm.em.fork(),
      t.deps,
    );
    expect(await t.sandbox.atsSyncs()).toHaveLength(0);
  });
});
