/**
 * The interview report's 岗位匹配 line is the résumé match (issue 15 item 6), on both dialects:
 * with a parsed résumé the report carries the same match as the screening queue (score, one line
 * per requirement with its quote); without one it carries none, and the rubric coverage stays
 * apart under its own name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseResume } from '../../../shared/resumes/parse';
import { Job } from '../../kernel/db/entities/Job';
import { Resume } from '../../kernel/db/entities/Resume';
import { makeApplication, makeCandidate, makeJob, makeReport } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

const text = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'zh.txt'), 'utf8');
const REQUIREMENTS =
  '1. 本科及以上学历，计算机相关专业\n2. 3年以上 Java 后端开发经验\n3. 熟悉 Rust 与 Erlang';

describeEachDialect('report job match from the résumé', (dialect) => {
  let t: TestApp;
  let hr: string;
  let jobId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
    const job = await makeJob(t.orm, { title: 'Java 工程师', questions: false });
    await t.orm.em.fork().nativeUpdate(Job, { id: job.id }, { requirements: REQUIREMENTS });
    jobId = job.id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('shows the résumé match, the same as the screening queue', async () => {
    const cand = await makeCandidate(t.orm, { name: '王五' });
    const app = await makeApplication(t.orm, {
      candidate: cand,
      job: await t.orm.em.fork().findOneOrFail(Job, { id: jobId }),
    });
    const report = await makeReport(t.orm, { application: app });
    const em = t.orm.em.fork();
    const r = em.create(Resume, {
      candidate: cand.id,
      job: jobId,
      objectKey: null,
      fileName: 'cv.pdf',
      kind: 'pdf',
      size: 1,
      status: 'parsed',
      text,
      profile: parseResume(text).profile,
      consentAt: new Date(),
      consentBasis: 'candidate',
    });
    await em.flush();

    const res = await t.api('GET', `/api/reports/${report.id}`, { token: hr });
    expect(res.status).toBe(200);
    const m = res.body.report.resumeMatch;
    expect(m).not.toBeNull();
    expect(m.resumeId).toBe(r.id);
    expect(m.lines.map((l: { requirement: string }) => l.requirement)).toHaveLength(3);
    expect(m.lines[1]).toMatchObject({ status: 'met' });
    expect(m.lines[1].quote).toMatch(/Java/);
    expect(m.lines[2].status).toBe('not_shown');

    const queue = await t.api('GET', `/api/resumes/jobs/${jobId}/screening`, { token: hr });
    const row = queue.body.rows.find((x: { candidateId: number }) => x.candidateId === cand.id);
    expect(m.score).toBe(row.match.score);
    expect(m.lines).toEqual(row.match.lines);
  });

  it('has no job match without a parsed résumé', async () => {
    const report = await makeReport(t.orm, {});
    const res = await t.api('GET', `/api/reports/${report.id}`, { token: hr });
    expect(res.status).toBe(200);
    expect(res.body.report.resumeMatch).toBeNull();
    expect(res.body.report.jobMatch).toBe(report.jobMatch ?? null);
  });
});
