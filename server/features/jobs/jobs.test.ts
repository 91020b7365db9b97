/**
 * Jobs (create, edit with compare-and-swap, pause/close), the interviewer pool and reviewer
 * assignment (named and round-robin, under concurrency), what assignment opens to an
 * interviewer, the question bank and competency library (versions), building a plan from the
 * bank, and the job rules editor's validation. Everything over HTTP against the real app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Department } from '../../kernel/db/entities/Department';
import { InterviewQuestion } from '../../kernel/db/entities/InterviewPlan';
import { Job } from '../../kernel/db/entities/Job';
import { Competency } from '../../kernel/db/entities/QuestionBank';
import { User } from '../../kernel/db/entities/User';
import { DEMO_JOBS } from '../../kernel/db/seeds/demoCompany';
import { candidateToken, employeeToken, makeApplicants, nextMonday } from '../../testing/booking';
import { makeApplication, makeCandidate, makeReport } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { competencyLibrary, resolveCompetencies } from '../scoring';

describeEachDialect('jobs, reviewers and the question bank', (dialect) => {
  let t: TestApp;
  let hr: string;
  let hr2: string;
  let mgr: string;
  let int01: string;
  let deptId: number;
  let ids: Record<string, number>;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await employeeToken(t, 'hr01');
    hr2 = await employeeToken(t, 'hr02');
    mgr = await employeeToken(t, 'mgr01');
    int01 = await employeeToken(t, 'int01');
    const em = t.orm.em.fork();
    deptId = (await em.findOneOrFail(Department, { name: '研发中心' })).id;
    ids = Object.fromEntries((await em.find(User, {})).map((u) => [u.dingtalkUserId, u.id]));
  }, 30_000);
  afterAll(async () => t?.close());

  const jobBody = (over: Record<string, unknown> = {}) => ({
    title: `数据工程师 ${Math.random().toString(36).slice(2, 7)}`,
    departmentId: deptId,
    location: '杭州',
    headcount: 2,
    description: '负责数据平台的建设与维护，支持业务分析。',
    requirements: '熟悉 SQL 与一种编程语言',
    hiringManagerId: ids.mgr01,
    hiringGroupConversationId: 'cidHiringGroup01',
    ...over,
  });

  describe('jobs', () => {
    it('HR creates a job with its JD; it is listed, searchable and audited', async () => {
      const body = jobBody();
      const res = await t.api('POST', '/api/jobs', { token: hr, body });
      expect(res.status).toBe(201);
      expect(res.body.job).toMatchObject({
        title: body.title,
        status: 'open',
        location: '杭州',
        headcount: 2,
        description: body.description,
        requirements: body.requirements,
        hiringManager: { id: ids.mgr01 },
        hiringGroupConversationId: 'cidHiringGroup01',
        department: { id: deptId, name: '研发中心' },
        version: 1,
      });
      const list = await t.api('GET', `/api/jobs?q=${encodeURIComponent(body.title)}`, { token: hr });
      expect(list.body.items.map((j: { id: number }) => j.id)).toEqual([res.body.job.id]);
      // The manager of the department sees it; the job's rules default to its group chat.
      const mine = await t.api('GET', `/api/jobs/${res.body.job.id}`, { token: mgr });
      expect(mine.status).toBe(200);
      const rules = await t.api('GET', `/api/jobs/${res.body.job.id}/rules`, { token: hr });
      expect(rules.body.rules.hiringGroupConversationId).toBe('cidHiringGroup01');
      const audits = await t.orm.em
        .fork()
        .count(AuditLog, { action: 'job.created', objectId: String(res.body.job.id) });
      expect(audits).toBe(1);
    });

    it('bad input names the field (missing, wrong, unknown department or manager) and saves nothing', async () => {
      const before = await t.orm.em.fork().count(Job, {});
      const missing = await t.api('POST', '/api/jobs', { token: hr, body: jobBody({ description: '' }) });
      expect(missing.status).toBe(400);
      expect(missing.body.error.details[0]).toMatchObject({ field: 'body.description', kind: 'required' });
      const zero = await t.api('POST', '/api/jobs', { token: hr, body: jobBody({ headcount: 0 }) });
      expect(zero.body.error.details[0].field).toBe('body.headcount');
      const dept = await t.api('POST', '/api/jobs', { token: hr, body: jobBody({ departmentId: 99999 }) });
      expect(dept.status).toBe(400);
      expect(dept.body.error.details[0].field).toBe('body.departmentId');
      const mgrBad = await t.api('POST', '/api/jobs', {
        token: hr,
        body: jobBody({ hiringManagerId: 99999 }),
      });
      expect(mgrBad.body.error.details[0].field).toBe('body.hiringManagerId');
      const extra = await t.api('POST', '/api/jobs', { token: hr, body: { ...jobBody(), salary: 1 } });
      expect(extra.body.error.details[0]).toMatchObject({ field: 'body.salary', kind: 'unknown' });
      const group = await t.api('POST', '/api/jobs', {
        token: hr,
        body: jobBody({ hiringGroupConversationId: 'not a group!' }),
      });
      expect(group.body.error.details[0].field).toBe('body.hiringGroupConversationId');
      expect(await t.orm.em.fork().count(Job, {})).toBe(before);
    });

    it('a second open job with the same title in the same department is a duplicate (409)', async () => {
      const body = jobBody();
      expect((await t.api('POST', '/api/jobs', { token: hr, body })).status).toBe(201);
      const again = await t.api('POST', '/api/jobs', { token: hr, body });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('duplicate');
      expect(await t.orm.em.fork().count(Job, { title: body.title })).toBe(1);
    });

    it('only HR writes jobs; managers see only their department; interviewers and candidates nothing', async () => {
      const created = await t.api('POST', '/api/jobs', { token: hr, body: jobBody() });
      const id = created.body.job.id;
      expect((await t.api('POST', '/api/jobs', { token: mgr, body: jobBody() })).status).toBe(403);
      const edit = await t.api('PUT', `/api/jobs/${id}`, { token: mgr, body: { ...jobBody(), version: 1 } });
      expect(edit.status).toBe(403);
      expect((await t.api('GET', '/api/jobs', { token: int01 })).status).toBe(403);
      const sales = await employeeToken(t, 'mgr02');
      expect((await t.api('GET', `/api/jobs/${id}`, { token: sales })).status).toBe(404);
      const salesList = await t.api('GET', '/api/jobs?limit=100', { token: sales });
      expect(salesList.body.items.some((j: { id: number }) => j.id === id)).toBe(false);
      const c = await makeCandidate(t.orm);
      expect((await t.api('GET', `/api/jobs/${id}`, { token: await candidateToken(t, c.id) })).status).toBe(
        404,
      );
    });

    it('two HR users editing the same version: one wins, the other gets 409 job_version_conflict', async () => {
      const created = await t.api('POST', '/api/jobs', { token: hr, body: jobBody() });
      const { id, version } = created.body.job;
      const base = { ...jobBody(), title: created.body.job.title, version };
      const [a, b] = await Promise.all([
        t.api('PUT', `/api/jobs/${id}`, { token: hr, body: { ...base, location: '上海' } }),
        t.api('PUT', `/api/jobs/${id}`, { token: hr2, body: { ...base, location: '北京' } }),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      const lost = a.status === 409 ? a : b;
      const won = a.status === 200 ? a : b;
      expect(lost.body.error.code).toBe('job_version_conflict');
      expect(lost.body.error.details.currentVersion).toBe(version + 1);
      const now = await t.api('GET', `/api/jobs/${id}`, { token: hr });
      expect(now.body.job.location).toBe(won.body.job.location);
      expect(now.body.job.version).toBe(version + 1);
      // A stale version later is refused the same way; the current one works.
      const stale = await t.api('PUT', `/api/jobs/${id}`, { token: hr, body: { ...base, headcount: 9 } });
      expect(stale.status).toBe(409);
      const fresh = await t.api('PUT', `/api/jobs/${id}`, {
        token: hr,
        body: { ...base, headcount: 9, version: version + 1 },
      });
      expect(fresh.status).toBe(200);
      expect(fresh.body.job).toMatchObject({ headcount: 9, version: version + 2 });
    });

    it('pause and close refuse new invitations and bookings; reopening takes them again', async () => {
      const em = t.orm.em.fork();
      const backend = await em.findOneOrFail(Job, { slug: 'backend' });
      const [applicant] = await makeApplicants(t, 'backend', 1, 'invited', `pause${dialect}`);
      const c = await makeCandidate(em);
      const setStatus = async (status: string) => {
        const cur = await t.api('GET', `/api/jobs/${backend.id}`, { token: hr });
        return t.api('POST', `/api/jobs/${backend.id}/status`, {
          token: hr,
          body: { status, version: cur.body.job.version },
        });
      };
      const paused = await setStatus('paused');
      expect(paused.status).toBe(200);
      expect(paused.body.job.status).toBe('paused');
      expect((await setStatus('paused')).body.error.code).toBe('job_status_unchanged');
      const inv = await t.api('POST', '/api/invitations', {
        token: hr,
        body: { candidateId: c.id, jobId: backend.id },
      });
      expect(inv.status).toBe(409);
      expect(inv.body.error.code).toBe('job_paused');
      const startAt = new Date(nextMonday(new Date(), 3).getTime() + 2 * 3_600_000).toISOString();
      const book = await t.api('POST', '/api/bookings', {
        token: applicant.token,
        body: { applicationId: applicant.applicationId, kind: 'ai_interview', startAt },
      });
      expect(book.status).toBe(409);
      expect(book.body.error.code).toBe('job_paused');
      const listed = await t.api('GET', '/api/jobs?status=paused', { token: hr });
      expect(listed.body.items.map((j: { id: number }) => j.id)).toContain(backend.id);

      const closed = await setStatus('closed');
      expect(closed.body.job.status).toBe('closed');
      const inv2 = await t.api('POST', '/api/invitations', {
        token: hr,
        body: { candidateId: c.id, jobId: backend.id },
      });
      expect(inv2.body.error.code).toBe('job_closed');
      const book2 = await t.api('POST', '/api/bookings', {
        token: applicant.token,
        body: { applicationId: applicant.applicationId, kind: 'ai_interview', startAt },
      });
      expect(book2.body.error.code).toBe('job_closed');

      expect((await setStatus('open')).body.job.status).toBe('open');
      const inv3 = await t.api('POST', '/api/invitations', {
        token: hr,
        body: { candidateId: c.id, jobId: backend.id },
      });
      expect(inv3.status).toBe(201);
      const stale = await t.api('POST', `/api/jobs/${backend.id}/status`, {
        token: hr,
        body: { status: 'closed', version: 1 },
      });
      expect(stale.body.error.code).toBe('job_version_conflict');
      expect(
        await t.orm.em
          .fork()
          .count(AuditLog, { action: { $in: ['job.paused', 'job.closed', 'job.opened'] } }),
      ).toBeGreaterThanOrEqual(3);
    });
  });

  describe('reviewers', () => {
    it('HR names an interviewer: they can then open the candidate and the report; others still get 404', async () => {
      const em = t.orm.em.fork();
      const job = await em.findOneOrFail(Job, { slug: 'backend' });
      const candidate = await makeCandidate(em, { name: `评审${dialect}` });
      const app = await makeApplication(em, { candidate, job });
      const int02 = await employeeToken(t, 'int02');
      expect((await t.api('GET', `/api/candidates/${candidate.id}`, { token: int01 })).status).toBe(404);
      const bad = await t.api('POST', `/api/applications/${app.id}/reviewers`, {
        token: hr,
        body: { userIds: [ids.hr02] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('not_an_interviewer');
      expect(bad.body.error.details.field).toBe('body.userIds.0');
      const res = await t.api('POST', `/api/applications/${app.id}/reviewers`, {
        token: hr,
        body: { userIds: [ids.int01] },
      });
      expect(res.status).toBe(200);
      expect(res.body.added).toEqual([ids.int01]);
      // Assigning again adds nothing (no duplicate row).
      const again = await t.api('POST', `/api/applications/${app.id}/reviewers`, {
        token: hr,
        body: { userIds: [ids.int01] },
      });
      expect(again.body).toMatchObject({ added: [], reviewers: [{ id: ids.int01 }] });
      const open = await t.api('GET', `/api/candidates/${candidate.id}`, { token: int01 });
      expect(open.status).toBe(200);
      expect(open.body.candidate.name).toBe(`评审${dialect}`);
      expect((await t.api('GET', `/api/candidates/${candidate.id}`, { token: int02 })).status).toBe(404);
      // The report of the application too.
      const report = await makeReport(em, { application: app });
      expect((await t.api('GET', `/api/reports/${report.id}`, { token: int01 })).status).toBe(200);
      expect((await t.api('GET', `/api/reports/${report.id}`, { token: int02 })).status).toBe(404);
      // Only HR assigns.
      const byInt = await t.api('POST', `/api/applications/${app.id}/reviewers`, {
        token: int01,
        body: { userIds: [ids.int01] },
      });
      expect(byInt.status).toBe(403);
      const missing = await t.api('POST', '/api/applications/999999/reviewers', {
        token: hr,
        body: { roundRobin: true },
      });
      expect(missing.status).toBe(404);
    });

    it('round-robin: an empty pool is a clear 409; two applications at once go to two interviewers', async () => {
      const created = await t.api('POST', '/api/jobs', { token: hr, body: jobBody() });
      const jobId = created.body.job.id;
      const em = t.orm.em.fork();
      const job = await em.findOneOrFail(Job, { id: jobId });
      const apps = [];
      for (let i = 0; i < 6; i++) apps.push(await makeApplication(em, { job }));
      const empty = await t.api('POST', `/api/applications/${apps[0].id}/reviewers`, {
        token: hr,
        body: { roundRobin: true },
      });
      expect(empty.status).toBe(409);
      expect(empty.body.error.code).toBe('reviewer_pool_empty');
      const badPool = await t.api('PUT', `/api/jobs/${jobId}/interviewers`, {
        token: hr,
        body: { userIds: [ids.int01, ids.hr01] },
      });
      expect(badPool.status).toBe(400);
      expect(badPool.body.error.details.field).toBe('body.userIds.1');
      const pool = await t.api('PUT', `/api/jobs/${jobId}/interviewers`, {
        token: hr,
        body: { userIds: [ids.int01, ids.int02] },
      });
      expect(pool.body.interviewers.map((u: { id: number }) => u.id)).toEqual([ids.int01, ids.int02]);
      // Two at once, three times over: each pair splits between the two interviewers.
      const picked: number[] = [];
      for (let round = 0; round < 3; round++) {
        const pair = await Promise.all(
          apps
            .slice(round * 2, round * 2 + 2)
            .map((a) =>
              t.api('POST', `/api/applications/${a.id}/reviewers`, { token: hr, body: { roundRobin: true } }),
            ),
        );
        for (const r of pair) expect(r.status).toBe(200);
        const who = pair.map((r) => r.body.added[0]);
        expect(new Set(who).size).toBe(2);
        picked.push(...who);
      }
      expect(picked.filter((id) => id === ids.int01)).toHaveLength(3);
      expect(picked.filter((id) => id === ids.int02)).toHaveLength(3);
    });
  });

  describe('question bank and competency library', () => {
    it('the demo bank holds the demo questions; a demo HR builds a plan from them', async () => {
      const bank = await t.api('GET', '/api/question-bank', { token: hr });
      expect(bank.status).toBe(200);
      const texts = bank.body.items.map((q: { text: string }) => q.text);
      for (const j of DEMO_JOBS) for (const q of j.questions) expect(texts).toContain(q.text);
      const pick = bank.body.items.filter((q: { text: string }) =>
        DEMO_JOBS[2].questions.some((d) => d.text === q.text),
      );
      expect(pick).toHaveLength(2);
      const job = (
        await t.api('POST', '/api/jobs', { token: hr, body: jobBody({ title: `销售主管（${dialect}）` }) })
      ).body.job;
      const plan = await t.api('PUT', `/api/interview-plans/${job.id}/from-bank`, {
        token: hr,
        body: { items: pick.map((q: { id: number }) => ({ bankQuestionId: q.id })) },
      });
      expect(plan.status, JSON.stringify(plan.body)).toBe(200);
      expect(
        plan.body.questions.map((q: { text: string; competencies: string[] }) => [q.text, q.competencies]),
      ).toEqual(DEMO_JOBS[2].questions.map((d) => [d.text, d.competencies]));
    });

    it('the library starts as the built-in rubrics (version 1); a new version is what scoring reads', async () => {
      const lib = await t.api('GET', '/api/competencies', { token: hr });
      expect(lib.status).toBe(200);
      const names = lib.body.items.map((c: { name: string }) => c.name);
      expect(names).toEqual(expect.arrayContaining(['问题解决', '沟通协作', '技术深度']));
      expect(lib.body.items.every((c: { version: number }) => c.version === 1)).toBe(true);
      // Scoring with the stored version 1 is scoring with the built-in rubrics.
      const before = resolveCompetencies(['沟通协作'], undefined, 'zh');
      expect(
        resolveCompetencies(['沟通协作'], undefined, 'zh', await competencyLibrary(t.orm.em.fork())),
      ).toEqual(before);
      const v2 = await t.api('POST', '/api/competencies', {
        token: hr,
        body: {
          name: '沟通协作',
          indicatorsZh: ['跨团队对齐目标', '化解分歧'],
          indicatorsEn: ['aligns goals across teams', 'resolves disagreement'],
        },
      });
      expect(v2.status).toBe(201);
      expect(v2.body.competency.version).toBe(2);
      const after = resolveCompetencies(
        ['沟通协作'],
        undefined,
        'zh',
        await competencyLibrary(t.orm.em.fork()),
      );
      expect(after[0].indicators).toEqual(['跨团队对齐目标', '化解分歧']);
      // Both versions are kept.
      expect(await t.orm.em.fork().count(Competency, { name: '沟通协作' })).toBe(2);
      // Two HR users save over version 2 at once: one makes version 3, the other is told (409).
      const edit = (token: string, line: string) =>
        t.api('POST', '/api/competencies', {
          token,
          body: { name: '沟通协作', indicatorsZh: [line], indicatorsEn: ['aligns goals'], version: 2 },
        });
      const [a, b] = await Promise.all([edit(hr, '对齐目标（甲）'), edit(hr2, '对齐目标（乙）')]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      expect((a.status === 409 ? a : b).body.error.code).toBe('competency_stale');
      expect((a.status === 201 ? a : b).body.competency.version).toBe(3);
      expect(await t.orm.em.fork().count(Competency, { name: '沟通协作' })).toBe(3);
      expect(await t.orm.em.fork().count(Competency, { name: '沟通协作', latest: true })).toBe(1);
      // A stale version alone is refused too, writing nothing.
      const stale = await edit(hr, '对齐目标（丙）');
      expect([stale.status, stale.body.error.code]).toEqual([409, 'competency_stale']);
      expect(await t.orm.em.fork().count(Competency, { name: '沟通协作' })).toBe(3);
      const bad = await t.api('POST', '/api/competencies', {
        token: hr,
        body: { name: '领导力', indicatorsZh: [], indicatorsEn: ['leads'] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe('body.indicatorsZh');
    });

    it('questions are versioned and searchable; a stale edit is 409; plans keep the version they used', async () => {
      const text = `讲一次你推动跨部门项目落地的经历（${dialect}）。`;
      const created = await t.api('POST', '/api/question-bank', {
        token: hr,
        body: { text, competencies: ['沟通协作', '结果导向'], answerSeconds: 150 },
      });
      expect(created.status).toBe(201);
      const q1 = created.body.question;
      expect(q1).toMatchObject({ version: 1, latest: true, answerSeconds: 150, thinkSeconds: 30 });
      const dup = await t.api('POST', '/api/question-bank', {
        token: hr,
        body: { text, competencies: ['沟通协作'] },
      });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('duplicate');
      const unknown = await t.api('POST', '/api/question-bank', {
        token: hr,
        body: { text: '一个新的问题，请回答。', competencies: ['不存在的能力'] },
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details[0].field).toBe('body.competencies.0');
      const other = await t.api('POST', '/api/question-bank', {
        token: hr,
        body: { text: `你如何定位线上故障（${dialect}）？`, competencies: ['问题解决'] },
      });

      const search = await t.api('GET', `/api/question-bank?q=${encodeURIComponent('跨部门')}`, {
        token: hr,
      });
      expect(search.body.items.map((q: { id: number }) => q.id)).toContain(q1.id);
      expect(search.body.items.map((q: { id: number }) => q.id)).not.toContain(other.body.question.id);
      const byComp = await t.api('GET', `/api/question-bank?competency=${encodeURIComponent('问题解决')}`, {
        token: hr,
      });
      expect(byComp.body.items.map((q: { id: number }) => q.id)).toContain(other.body.question.id);
      expect(byComp.body.items.map((q: { id: number }) => q.id)).not.toContain(q1.id);

      // A job's plan is built from the bank: order and time limits.
      const job = (await t.api('POST', '/api/jobs', { token: hr, body: jobBody() })).body.job;
      const plan = await t.api('PUT', `/api/interview-plans/${job.id}/from-bank`, {
        token: hr,
        body: {
          items: [
            { bankQuestionId: other.body.question.id },
            { bankQuestionId: q1.id, answerSeconds: 200, retakes: 2 },
          ],
        },
      });
      expect(plan.status).toBe(200);
      expect(plan.body.questions.map((q: { text: string }) => q.text)).toEqual([
        other.body.question.text,
        text,
      ]);
      expect(plan.body.questions[1]).toMatchObject({ answerSeconds: 200, retakes: 2, bankQuestionId: q1.id });

      // Two editors on version 1: one makes version 2, the other is told it is stale.
      const edit = (by: string, t2: string) =>
        t.api('PUT', `/api/question-bank/${q1.id}`, {
          token: by,
          body: { text: t2, competencies: ['沟通协作'] },
        });
      const [e1, e2] = await Promise.all([edit(hr, `${text}（修订甲）`), edit(hr2, `${text}（修订乙）`)]);
      expect([e1.status, e2.status].sort()).toEqual([200, 409]);
      const lost = e1.status === 409 ? e1 : e2;
      expect(lost.body.error.code).toBe('bank_question_stale');
      const q2 = (e1.status === 200 ? e1 : e2).body.question;
      expect(q2).toMatchObject({ key: q1.key, version: 2, latest: true });
      const versions = await t.api('GET', `/api/question-bank/${q2.id}/versions`, { token: hr });
      expect(
        versions.body.items.map((v: { version: number; latest: boolean }) => [v.version, v.latest]),
      ).toEqual([
        [1, false],
        [2, true],
      ]);
      // The plan still asks version 1's text.
      const rows = await t.orm.em.fork().find(InterviewQuestion, { bankQuestion: q1.id });
      expect(rows.map((r) => r.text)).toEqual([text]);
      // Search lists only the latest version.
      const again = await t.api('GET', `/api/question-bank?q=${encodeURIComponent('跨部门')}`, { token: hr });
      const found = again.body.items.filter((q: { key: string }) => q.key === q1.key);
      expect(found.map((q: { version: number }) => q.version)).toEqual([2]);

      const badPlan = await t.api('PUT', `/api/interview-plans/${job.id}/from-bank`, {
        token: hr,
        body: { items: [{ bankQuestionId: q1.id }, { bankQuestionId: q1.id }] },
      });
      expect(badPlan.status).toBe(400);
      expect(badPlan.body.error.details[0].field).toBe('body.items.1.bankQuestionId');
      const noQ = await t.api('PUT', `/api/interview-plans/${job.id}/from-bank`, {
        token: hr,
        body: { items: [{ bankQuestionId: 999999 }] },
      });
      expect(noQ.body.error.details[0].field).toBe('body.items.0.bankQuestionId');
    });
  });

  describe('job rules editor', () => {
    it('validates thresholds (pass > reject) and that approvers and cc are people of the directory', async () => {
      const em = t.orm.em.fork();
      const job = await em.findOneOrFail(Job, { slug: 'backend' });
      const put = (body: Record<string, unknown>) =>
        t.api('PUT', `/api/jobs/${job.id}/rules`, {
          token: hr,
          body: {
            passThreshold: 80,
            rejectThreshold: 50,
            approverUserIds: ['hr01', 'mgr01'],
            approvalMode: 'OR',
            ccUserIds: ['hr02'],
            ...body,
          },
        });
      const equal = await put({ rejectThreshold: 80 });
      expect(equal.status).toBe(400);
      expect(equal.body.error.details[0].field).toBe('body.rejectThreshold');
      const none = await put({ approverUserIds: [] });
      expect(none.body.error.details[0]).toMatchObject({ field: 'body.approverUserIds', kind: 'required' });
      const stranger = await put({ approverUserIds: ['hr01', 'nobody99'] });
      expect(stranger.status).toBe(400);
      expect(stranger.body.error.details[0].field).toBe('body.approverUserIds.1');
      const cc = await put({ ccUserIds: ['ghost'] });
      expect(cc.body.error.details[0].field).toBe('body.ccUserIds.0');
      const twice = await put({ approverUserIds: ['hr01', 'hr01'] });
      expect(twice.body.error.details[0].field).toBe('body.approverUserIds.1');
      const ok = await put({});
      expect(ok.status).toBe(200);
      expect(ok.body.rules).toMatchObject({
        approvalMode: 'OR',
        approverUserIds: ['hr01', 'mgr01'],
        ccUserIds: ['hr02'],
      });
    });
  });
});
