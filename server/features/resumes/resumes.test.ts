/**
 * Résumés through the API on both dialects: the candidate's upload (consent, every bad file
 * kind refused with no row and no object left), extraction by the worker's consumer, who may
 * read what (a candidate only their own, HR of the organisation), HR's upload and audited
 * corrections, the screening queue sorted by match, HR's decisions (invite reuses the
 * invitation command; a rejection needs feedback; one decision per candidate and job), and
 * erasure deleting the files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Job } from '../../kernel/db/entities/Job';
import { Resume } from '../../kernel/db/entities/Resume';
import { consumeEvents } from '../../kernel/events/consume';
import { candidateToken, employeeToken } from '../../testing/booking';
import { makeApplication, makeCandidate, makeJob } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { privacy } from '../privacy';
import type { LlmOptions } from '../scoring';
import { processResume } from './commands';
import { GAPFILL_PROMPT_VERSION } from './gapfill';
import { RESUME_EXTRACT_CONSUMER } from './index';
import { purgeExpiredResumes } from './retention';
import { makeZip, pngHeader } from './testFiles';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name));

/** A minimal Word file with one paragraph per line (what mammoth reads). */
const wordFile = (lines: string[]) =>
  makeZip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${lines
      .map((l) => `<w:p><w:r><w:t xml:space="preserve">${l}</w:t></w:r></w:p>`)
      .join('')}</w:body></w:document>`,
  });
const ZH_REQUIREMENTS =
  '1. 本科及以上学历，计算机相关专业\n2. 3年以上 Java 后端开发经验\n3. 熟悉 MySQL、Redis、Kafka';

describeEachDialect('résumés', (dialect) => {
  let t: TestApp;
  let hr: string;
  let jobId: number;
  let me: { id: number; token: string };
  let other: { id: number; token: string };

  /** Uploads through the real multipart route. */
  async function upload(
    token: string,
    file: Buffer,
    opts: { name?: string; consent?: boolean; jobId?: number | string; path?: string } = {},
  ) {
    const form = new FormData();
    if (opts.consent !== false) form.append('consent', 'true');
    if (opts.jobId !== undefined) form.append('jobId', String(opts.jobId));
    form.append('file', new Blob([new Uint8Array(file)]), opts.name ?? 'resume.pdf');
    const res = await fetch(`${t.url}${opts.path ?? '/api/resumes'}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  const runExtraction = (llm: LlmOptions | null = null) =>
    consumeEvents<'resume.uploaded'>(t.orm.em.fork(), {
      consumer: RESUME_EXTRACT_CONSUMER,
      workerId: 'test',
      transactional: false,
      handle: (event, em) => processResume(em, t.storage, event.data.resumeId, llm),
    });
  const resumeCount = () => t.orm.em.fork().count(Resume, {});
  const objectCount = () => {
    const dir = path.join(t.config.storage.driver === 'local' ? t.config.storage.dir : '', 'resumes');
    return fs.existsSync(dir)
      ? fs.readdirSync(dir, { recursive: true }).filter((f) => /\.\w+$/.test(String(f))).length
      : 0;
  };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
    const job = await makeJob(t.orm, { title: '高级 Java 工程师', questions: false });
    await t.orm.em.fork().nativeUpdate(Job, { id: job.id }, { requirements: ZH_REQUIREMENTS });
    jobId = job.id;
    const a = await makeCandidate(t.orm, { name: '张三' });
    const b = await makeCandidate(t.orm, { name: 'Emily Johnson' });
    me = { id: a.id, token: await candidateToken(t, a.id) };
    other = { id: b.id, token: await candidateToken(t, b.id) };
  }, 60_000);
  afterAll(async () => t?.close());

  describe('intake', () => {
    it('refuses an upload without the consent, storing nothing', async () => {
      const before = [await resumeCount(), objectCount()];
      const res = await upload(me.token, fixture('zh.pdf'), { consent: false });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('resume_consent_required');
      expect(res.body.error.message).toContain('consent');
      expect([await resumeCount(), objectCount()]).toEqual(before);
    });

    it.each([
      ['an executable', Buffer.from('MZ\x90\x00 not a résumé'), 415, 'resume_wrong_type'],
      ['an empty file', Buffer.alloc(0), 400, 'resume_empty'],
      ['eleven pages', 'eleven-pages.pdf', 422, 'resume_too_many_pages'],
      [
        'a DOCX bomb',
        makeZip({ 'word/document.xml': '<w:document/>', 'word/media/z.bin': Buffer.alloc(40 * 1024 * 1024) }),
        422,
        'resume_docx_bomb',
      ],
      ['a huge PNG', pngHeader(12_000, 12_000), 422, 'resume_image_too_large'],
      ['a broken PDF', Buffer.from('%PDF-1.4\nnothing else'), 422, 'resume_unreadable'],
    ] as const)(
      'refuses %s with a code naming the field, storing nothing',
      async (_what, file, status, code) => {
        const before = [await resumeCount(), objectCount()];
        const res = await upload(me.token, typeof file === 'string' ? fixture(file) : Buffer.from(file));
        expect(res.status).toBe(status);
        expect(res.body.error.code).toBe(code);
        expect(res.body.error.message).toContain('"file"');
        expect([await resumeCount(), objectCount()]).toEqual(before);
      },
    );

    it('refuses a file over 10 MB while it streams', async () => {
      const res = await upload(
        me.token,
        Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 10)]),
      );
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({ code: 'resume_too_large', details: { maxMegabytes: 10 } });
    });

    it('refuses a malformed job id naming the field', async () => {
      const res = await upload(me.token, fixture('zh.pdf'), { jobId: 'abc' });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('body.jobId');
    });

    it('stores the file, then the worker extracts and parses it (not the request)', async () => {
      const res = await upload(me.token, fixture('zh.pdf'), { jobId, name: '张三-简历.pdf' });
      expect(res.status).toBe(201);
      expect(res.body.resume).toMatchObject({
        status: 'pending',
        kind: 'pdf',
        pages: 1,
        text: null,
        profile: null,
      });
      expect(await runExtraction()).toBe(1);
      const mine = await t.api('GET', '/api/resumes/mine', { token: me.token });
      expect(mine.status).toBe(200);
      const r = mine.body.resumes[0];
      expect(r).toMatchObject({ status: 'parsed', method: 'pdftotext', fileName: '张三-简历.pdf' });
      expect(r.profile.education[0].school.value).toBe('浙江大学');
      expect(
        r.text.slice(r.profile.education[0].school.span.start, r.profile.education[0].school.span.end),
      ).toBe('浙江大学');
    }, 30_000);

    it('reads a DOCX the other candidate sends', async () => {
      const res = await upload(other.token, fixture('en.docx'), { jobId, name: 'emily.docx' });
      expect(res.status).toBe(201);
      await runExtraction();
      const mine = await t.api('GET', '/api/resumes/mine', { token: other.token });
      expect(mine.body.resumes[0]).toMatchObject({ status: 'parsed', method: 'mammoth', kind: 'docx' });
    }, 30_000);
  });

  describe('access', () => {
    it('a candidate reads only their own résumés; HR reads any', async () => {
      const [mine] = (await t.api('GET', '/api/resumes/mine', { token: me.token })).body.resumes;
      const own = await t.api('GET', `/api/resumes/${mine.id}`, { token: me.token });
      expect(own.status).toBe(200);
      expect(own.body.fileUrl).toMatch(/\/api\/objects\/resumes\//);
      expect((await t.api('GET', `/api/resumes/${mine.id}`, { token: other.token })).status).toBe(404);
      expect((await t.api('GET', `/api/resumes/candidates/${me.id}`, { token: other.token })).status).toBe(
        404,
      );
      expect((await t.api('GET', `/api/resumes/${mine.id}`, { token: hr })).status).toBe(200);
      const list = await t.api('GET', `/api/resumes/candidates/${me.id}`, { token: hr });
      expect(list.body.resumes.map((r: { id: number }) => r.id)).toContain(mine.id);
      // HR's reading is audited.
      expect(await t.orm.em.fork().count(AuditLog, { action: 'resume.viewed' })).toBeGreaterThan(0);
    });

    it('a candidate cannot screen, correct, decide or upload for someone else', async () => {
      const [mine] = (await t.api('GET', '/api/resumes/mine', { token: me.token })).body.resumes;
      expect((await t.api('GET', `/api/resumes/jobs/${jobId}/screening`, { token: me.token })).status).toBe(
        403,
      );
      const fix = await t.api('PATCH', `/api/resumes/${mine.id}/profile`, {
        token: me.token,
        body: { path: 'skills.0', value: 'COBOL' },
      });
      expect(fix.status).toBe(403);
      const decide = await t.api('POST', `/api/resumes/jobs/${jobId}/decisions`, {
        token: me.token,
        body: { resumeId: mine.id, decision: 'invite' },
      });
      expect(decide.status).toBe(403);
      expect(
        (await upload(me.token, fixture('zh.pdf'), { path: `/api/resumes/candidates/${other.id}` })).status,
      ).toBe(403);
      // And an interviewer is not HR.
      const interviewer = await employeeToken(t, 'int01');
      expect(
        (await t.api('GET', `/api/resumes/jobs/${jobId}/screening`, { token: interviewer })).status,
      ).toBe(403);
    });
  });

  describe('HR', () => {
    it('uploads a photographed résumé for a candidate (no candidate consent form needed)', async () => {
      const c = await makeCandidate(t.orm, { name: '李四' });
      const res = await upload(hr, fixture('en-photo.jpg'), {
        path: `/api/resumes/candidates/${c.id}`,
        consent: false,
        jobId,
        name: 'photo.jpg',
      });
      expect(res.status).toBe(201);
      expect(res.body.resume).toMatchObject({ kind: 'jpeg', candidateId: c.id });
      const row = await t.orm.em.fork().findOneOrFail(Resume, { id: res.body.resume.id });
      expect(row.consentBasis).toBe('hr_upload');
      await runExtraction();
    }, 60_000);

    it('with an LLM configured, fills only what the parser left empty, with values found in the text, marked as the LLM’s', async () => {
      const c = await makeCandidate(t.orm, { name: '梅林' });
      const text = [
        'Mei Lin',
        'Email: mei.lin@example.com',
        'EDUCATION',
        '2015 - 2019  Harbin Tech  Computer Science  B.S.',
        'EXPERIENCE',
        '2019 - Present  Northwind Traders  Backend Engineer',
        '- Built order services in Java with MySQL and Kafka',
        'SKILLS',
        'Java, MySQL, Kafka',
      ];
      const res = await upload(hr, wordFile(text), {
        path: `/api/resumes/candidates/${c.id}`,
        consent: false,
        name: 'mei.docx',
      });
      expect(res.status).toBe(201);
      await t.sandbox.registerLlmResponse({
        match: 'Northwind Traders',
        content: JSON.stringify({
          fields: { 'education.0.school': 'Harbin Tech', certificates: ['Oracle Certified Professional'] },
        }),
        model: 'qwen-plus-2025-01-25',
      });
      await runExtraction({ url: t.sandbox.url, apiKey: null, model: 'qwen-plus', timeoutMs: 5000 });
      const got = await t.api('GET', `/api/resumes/${res.body.resume.id}`, { token: hr });
      const profile = got.body.resume.profile;
      expect(profile.education[0].school).toMatchObject({ value: 'Harbin Tech', source: 'llm' });
      const span = profile.education[0].school.span;
      expect(got.body.resume.text.slice(span.start, span.end)).toBe('Harbin Tech');
      // The parser's own values carry no mark; the invented certificate was dropped.
      expect(profile.education[0].degree.source).toBeUndefined();
      expect(profile.certificates).toEqual([]);
      expect(profile.llm).toMatchObject({
        promptVersion: GAPFILL_PROMPT_VERSION,
        model: 'qwen-plus-2025-01-25',
        filled: ['education.0.school'],
        discarded: [
          { path: 'certificates', value: 'Oracle Certified Professional', reason: 'not in the résumé text' },
        ],
      });
    }, 30_000);

    it('corrects a field: kept, marked, audited; a bad path is refused naming the field', async () => {
      const [mine] = (await t.api('GET', '/api/resumes/mine', { token: me.token })).body.resumes;
      const res = await t.api('PATCH', `/api/resumes/${mine.id}/profile`, {
        token: hr,
        body: { path: 'education.0.major', value: '计算机科学', reason: '与学位证书核对' },
      });
      expect(res.status).toBe(200);
      expect(res.body.resume.profile.education[0].major).toEqual({
        value: '计算机科学',
        span: null,
        corrected: true,
      });
      const log = await t.orm.em
        .fork()
        .findOneOrFail(AuditLog, { action: 'resume.field_corrected', objectId: String(mine.id) });
      expect(log.details).toMatchObject({
        path: 'education.0.major',
        before: '计算机科学与技术',
        after: '计算机科学',
      });
      const bad = await t.api('PATCH', `/api/resumes/${mine.id}/profile`, {
        token: hr,
        body: { path: 'personal.gender', value: 'x' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe('body.path');
      const missing = await t.api('PATCH', `/api/resumes/${mine.id}/profile`, {
        token: hr,
        body: { path: 'education.7.school', value: 'x' },
      });
      expect(missing.status).toBe(400);
      expect(missing.body.error.code).toBe('resume_field_missing');
    });

    it('screens the job: parsed résumés sorted by match, one reason line per requirement', async () => {
      const res = await t.api('GET', `/api/resumes/jobs/${jobId}/screening`, { token: hr });
      expect(res.status).toBe(200);
      expect(res.body.job.requirements).toHaveLength(3);
      const scores = res.body.rows.map((r: { match: { score: number } }) => r.match.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      const zhang = res.body.rows.find((r: { candidateId: number }) => r.candidateId === me.id);
      expect(zhang.match.lines.map((l: { status: string }) => l.status)).toEqual(['met', 'met', 'met']);
      expect(zhang.match.score).toBe(100);
      const emily = res.body.rows.find((r: { candidateId: number }) => r.candidateId === other.id);
      expect(emily.match.score).toBeLessThan(zhang.match.score);
      expect(emily.match.lines[1]).toMatchObject({ status: 'not_shown' });
    });

    it('decides: a rejection needs feedback; invite creates the invitation; a second decision is 409', async () => {
      const queue = (await t.api('GET', `/api/resumes/jobs/${jobId}/screening`, { token: hr })).body;
      const zhang = queue.rows.find((r: { candidateId: number }) => r.candidateId === me.id);
      const emily = queue.rows.find((r: { candidateId: number }) => r.candidateId === other.id);
      const noFeedback = await t.api('POST', `/api/resumes/jobs/${jobId}/decisions`, {
        token: hr,
        body: { resumeId: emily.resumeId, decision: 'reject' },
      });
      expect(noFeedback.status).toBe(400);
      expect(noFeedback.body.error.details[0].field).toBe('body.feedback');
      const reject = await t.api('POST', `/api/resumes/jobs/${jobId}/decisions`, {
        token: hr,
        body: { resumeId: emily.resumeId, decision: 'reject', feedback: '该岗位需要 Java 后端经验。' },
      });
      expect(reject.status).toBe(201);
      const invite = await t.api('POST', `/api/resumes/jobs/${jobId}/decisions`, {
        token: hr,
        body: { resumeId: zhang.resumeId, decision: 'invite' },
      });
      expect(invite.status).toBe(201);
      expect(invite.body.invitationUrl).toMatch(/invite/);
      expect(await t.orm.em.fork().count(Application, { candidate: me.id, job: jobId })).toBe(1);
      const again = await t.api('POST', `/api/resumes/jobs/${jobId}/decisions`, {
        token: hr,
        body: { resumeId: zhang.resumeId, decision: 'pool' },
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('screening_decided');
      const after = (await t.api('GET', `/api/resumes/jobs/${jobId}/screening`, { token: hr })).body;
      expect(
        after.rows.find((r: { candidateId: number }) => r.candidateId === other.id).decision,
      ).toMatchObject({
        decision: 'reject',
        feedback: '该岗位需要 Java 后端经验。',
      });
      expect(
        await t.orm.em.fork().count(AuditLog, { action: { $in: ['screening.invite', 'screening.reject'] } }),
      ).toBe(2);
    });

    it('an unknown job or résumé is 404', async () => {
      expect((await t.api('GET', '/api/resumes/jobs/999999/screening', { token: hr })).status).toBe(404);
      const res = await t.api('POST', `/api/resumes/jobs/${jobId}/decisions`, {
        token: hr,
        body: { resumeId: 999999, decision: 'pool' },
      });
      expect(res.status).toBe(404);
    });
  });

  describe('retention', () => {
    it('deletes a résumé the retention period after upload once every application is decided, not before, and not one kept in the pool', async () => {
      const old = new Date(Date.now() - 400 * 86_400_000);
      const make = async (name: string) => {
        const c = await makeCandidate(t.orm, { name });
        const res = await upload(hr, fixture('zh.docx'), {
          path: `/api/resumes/candidates/${c.id}`,
          name: 'r.docx',
        });
        expect(res.status).toBe(201);
        await t.orm.em.fork().nativeUpdate(Resume, { id: res.body.resume.id }, { createdAt: old });
        return { c, id: res.body.resume.id as number };
      };
      const done = await make('已结束');
      const open = await make('进行中');
      const pooled = await make('人才库');
      const decided = await make('刚决定');
      await makeApplication(t.orm, {
        candidate: open.c,
        job: await t.orm.em.fork().findOneOrFail(Job, { id: jobId }),
      });
      await t.orm.em
        .fork()
        .nativeUpdate(Resume, { id: pooled.id }, { poolUntil: new Date(Date.now() + 86_400_000) });
      const app = await makeApplication(t.orm, {
        candidate: decided.c,
        job: await t.orm.em.fork().findOneOrFail(Job, { id: jobId }),
        stage: 'rejected',
      });
      // Decided yesterday: kept for another retention period.
      await t.orm.em
        .fork()
        .nativeUpdate(Application, { id: app.id }, { stageChangedAt: new Date(Date.now() - 86_400_000) });
      const keyOf = async (id: number) =>
        (await t.orm.em.fork().findOneOrFail(Resume, { id })).objectKey as string;
      const doneKey = await keyOf(done.id);
      expect(await purgeExpiredResumes({ orm: t.orm, storage: t.storage })).toBe(1);
      expect(await t.storage.head(doneKey)).toBeNull();
      const status = async (id: number) => (await t.orm.em.fork().findOneOrFail(Resume, { id })).status;
      expect([
        await status(done.id),
        await status(open.id),
        await status(pooled.id),
        await status(decided.id),
      ]).toEqual(['erased', 'pending', 'pending', 'pending']);
      expect(
        await t.orm.em
          .fork()
          .count(AuditLog, { action: 'retention.resume_purged', objectId: String(done.id) }),
      ).toBe(1);
      // Running again deletes nothing more.
      expect(await purgeExpiredResumes({ orm: t.orm, storage: t.storage })).toBe(0);
    });
  });

  describe('talent pool consent and erasure', () => {
    it('the candidate keeps their résumé in the pool (its own consent); HR searches it and re-invites to another job; withdrawn, it leaves the pool', async () => {
      const [mine] = (await t.api('GET', '/api/resumes/mine', { token: me.token })).body.resumes;
      const keep = await t.api('POST', `/api/resumes/${mine.id}/pool`, {
        token: me.token,
        body: { keep: true },
      });
      expect(keep.status).toBe(200);
      expect(new Date(keep.body.resume.poolUntil).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
      expect(
        (await t.api('POST', `/api/resumes/${mine.id}/pool`, { token: hr, body: { keep: true } })).status,
      ).toBe(403);
      // HR finds them by text and by skill, with their history, and re-invites them to another job.
      const byText = await t.api('GET', `/api/resumes/pool?q=${encodeURIComponent('浙江大学')}`, {
        token: hr,
      });
      expect(byText.status).toBe(200);
      const row = byText.body.rows.find((r: { candidateId: number }) => r.candidateId === me.id);
      expect(row).toMatchObject({ resumeId: mine.id, lastRole: '高级后端工程师 · 杭州云栈科技有限公司' });
      expect(row.history).toEqual([{ jobId, jobTitle: '高级 Java 工程师', decision: 'invite' }]);
      const bySkill = await t.api('GET', '/api/resumes/pool?skill=kafka', { token: hr });
      expect(bySkill.body.rows.map((r: { candidateId: number }) => r.candidateId)).toContain(me.id);
      expect((await t.api('GET', '/api/resumes/pool?skill=COBOL', { token: hr })).body.rows).toEqual([]);
      // The other candidate never consented to the pool: not found there, not re-invitable from it.
      expect((await t.api('GET', '/api/resumes/pool?q=Stripe', { token: hr })).body.rows).toEqual([]);
      const [theirs] = (await t.api('GET', '/api/resumes/mine', { token: other.token })).body.resumes;
      const job2 = await makeJob(t.orm, { title: '架构师', questions: false });
      const invite = (resumeId: number) =>
        t.api('POST', '/api/resumes/pool/invite', { token: hr, body: { resumeId, jobId: job2.id } });
      expect((await invite(theirs.id)).status).toBe(404);
      const again = await invite(mine.id);
      expect(again.status).toBe(201);
      expect(again.body.invitationUrl).toMatch(/invite/);
      expect(await t.orm.em.fork().count(Application, { candidate: me.id, job: job2.id })).toBe(1);
      expect((await invite(mine.id)).status).toBe(409);
      const drop = await t.api('POST', `/api/resumes/${mine.id}/pool`, {
        token: me.token,
        body: { keep: false },
      });
      expect(drop.body.resume.poolUntil).toBeNull();
    });

    it('a deletion request deletes the files, the text and the profile', async () => {
      const rows = await t.orm.em.fork().find(Resume, { candidate: me.id });
      const keys = rows.map((r) => r.objectKey as string);
      for (const k of keys) expect(await t.storage.head(k)).not.toBeNull();
      const req = await t.api('POST', '/api/me/deletion-request', {
        token: me.token,
        body: { confirm: true },
      });
      expect([200, 201, 202]).toContain(req.status);
      // The privacy feature's own deletion consumer, as the worker runs it.
      const eraser = privacy.consumers?.find((c) => c.events.includes('privacy.deletion_requested'));
      if (!eraser) throw new Error('the privacy feature has no deletion consumer');
      await consumeEvents(t.orm.em.fork(), {
        consumer: eraser.name,
        workerId: 'test',
        handle: (event, em) => eraser.handle(event, em, t.deps),
      });
      for (const k of keys) expect(await t.storage.head(k)).toBeNull();
      const after = await t.orm.em.fork().find(Resume, { candidate: me.id });
      for (const r of after)
        expect(r).toMatchObject({ status: 'erased', objectKey: null, text: null, profile: null });
    });
  });
});
