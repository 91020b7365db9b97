/**
 * Duplicates in the talent pool on both dialects: two records of one person (same mobile and
 * e-mail on their résumés, same name and school) are one entry, newest résumé first, with both
 * records' decisions in its history and the other record listed; a namesake from another school
 * stays apart; nothing is deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Resume, ScreeningDecisionRow } from '../../kernel/db/entities/Resume';
import { User } from '../../kernel/db/entities/User';
import { makeCandidate, makeJob, makePooledResume } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');

describeEachDialect('talent pool duplicates', (dialect) => {
  let t: TestApp;
  let hr: string;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
  }, 60_000);
  afterAll(async () => t?.close());

  it('merges records of one person with history kept, and keeps a namesake apart', async () => {
    const em = t.orm.em.fork();
    const pooled = async (candidateId: number, text: string) => {
      return makePooledResume(em, candidateId, text);
    };
    // One person twice: signed in with DingTalk (no mobile on record), and added by HR.
    const a = await makeCandidate(t.orm, { name: '张三' });
    const b = await makeCandidate(t.orm, { name: '张三', mobile: '13812345678' });
    // Another 张三, from another school, with other contacts.
    const c = await makeCandidate(t.orm, { name: '张三' });
    const zh = fixture('zh.txt');
    const older = await pooled(a.id, zh);
    const newer = await pooled(b.id, zh);
    const namesake = await pooled(
      c.id,
      zh
        .replace('138-1234-5678', '137-0000-1111')
        .replace('zhangsan@', 'zs2@')
        .replaceAll('浙江大学', '四川大学')
        .replace('上海交通大学', '武汉大学'),
    );
    const job = await makeJob(t.orm, { title: '后端工程师', questions: false });
    const hrUser = await em.findOneOrFail(User, { dingtalkUserId: 'hr01' });
    em.create(ScreeningDecisionRow, {
      job: job.id,
      candidate: a.id,
      resume: older.id,
      decision: 'pool',
      score: 70,
      decidedBy: hrUser.id,
    });
    await em.flush();

    const res = await t.api('GET', `/api/resumes/pool?q=${encodeURIComponent('张三')}`, { token: hr });
    expect(res.status).toBe(200);
    const rows = res.body.rows as Array<Record<string, any>>;
    const merged = rows.find((r) => r.candidateId === b.id);
    expect(merged).toMatchObject({
      resumeId: newer.id,
      duplicates: [{ candidateId: a.id, candidateName: '张三', resumeId: older.id }],
      mergedBy: ['email', 'mobile', 'name_school'],
      history: [{ jobId: job.id, jobTitle: '后端工程师', decision: 'pool' }],
    });
    expect(rows.find((r) => r.candidateId === a.id)).toBeUndefined();
    expect(rows.find((r) => r.candidateId === c.id)).toMatchObject({
      resumeId: namesake.id,
      duplicates: [],
      mergedBy: [],
    });
    // History kept: both records and their résumés are still there.
    expect(await t.orm.em.fork().count(Resume, { id: { $in: [older.id, newer.id, namesake.id] } })).toBe(3);
  });
});
