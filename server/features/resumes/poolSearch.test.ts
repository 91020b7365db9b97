/**
 * Talent pool search by past job, stage reached and outcome, on both dialects, against a
 * hand-built set of four pooled candidates: each filter includes exactly the candidates whose
 * decisions and applications match and excludes the others; a bad value is a 400 naming the
 * field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stage } from '../../../shared/stages';
import { ApplicationStageEvent } from '../../kernel/db/entities/ApplicationStageEvent';
import { ScreeningDecisionRow } from '../../kernel/db/entities/Resume';
import { User } from '../../kernel/db/entities/User';
import { makeApplication, makeCandidate, makeJob, makePooledResume } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';

/** A word only this file's résumés contain, so other pooled résumés never show. */
const MARK = 'Poolsearchmark';

describeEachDialect('talent pool search by job, stage and outcome', (dialect) => {
  let t: TestApp;
  let hr: string;
  const ids: Record<'a' | 'b' | 'c' | 'd', number> = { a: 0, b: 0, c: 0, d: 0 };
  let job1 = 0;
  let job2 = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
    const em = t.orm.em.fork();
    const hrUser = await em.findOneOrFail(User, { dingtalkUserId: 'hr01' });
    const j1 = await makeJob(t.orm, { title: '后端工程师', questions: false });
    const j2 = await makeJob(t.orm, { title: '数据分析师', questions: false });
    job1 = j1.id;
    job2 = j2.id;
    const pooled = async (key: keyof typeof ids) => {
      const c = await makeCandidate(t.orm);
      ids[key] = c.id;
      const text = `${c.name}\n${MARK} ${key}\n技能：TypeScript、SQL\n`;
      const r = await makePooledResume(em, c.id, text);
      return { candidate: c, resume: r };
    };
    const decide = (
      jobId: number,
      key: keyof typeof ids,
      resumeId: number,
      decision: 'invite' | 'reject' | 'pool',
    ) =>
      em.create(ScreeningDecisionRow, {
        job: jobId,
        candidate: ids[key],
        resume: resumeId,
        decision,
        score: 60,
        decidedBy: hrUser.id,
      });
    const moves = (applicationId: number, jobId: number, path: Stage[]) => {
      for (const [i, to] of path.slice(1).entries()) {
        em.create(ApplicationStageEvent, {
          applicationId,
          jobId,
          fromStage: path[i],
          toStage: to,
          transition: 'test',
          at: new Date(Date.now() - (path.length - i) * 60_000),
          fromSince: null,
          actorKind: 'system',
          actorId: null,
        });
      }
    };
    // A: invited from screening for job 1, went as far as in_review there, then rejected.
    const a = await pooled('a');
    decide(job1, 'a', a.resume.id, 'invite');
    const appA = await makeApplication(t.orm, { candidate: a.candidate, job: j1, stage: 'rejected' });
    moves(appA.id, job1, [
      'invited',
      'booked',
      'interviewing',
      'submitted',
      'scored',
      'in_review',
      'rejected',
    ]);
    // B: hired for job 2 (no stage moves recorded: its current stage proves it).
    const b = await pooled('b');
    await makeApplication(t.orm, { candidate: b.candidate, job: j2, stage: 'hired' });
    // C: kept in the pool when screened for job 2, never applied.
    const c = await pooled('c');
    decide(job2, 'c', c.resume.id, 'pool');
    // D: applying to job 1, booked, still in progress.
    const d = await pooled('d');
    await makeApplication(t.orm, { candidate: d.candidate, job: j1, stage: 'booked' });
    await em.flush();
  }, 60_000);
  afterAll(async () => t?.close());

  const search = async (params: Record<string, string | number>) => {
    const qs = new URLSearchParams({
      q: MARK,
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
    });
    const res = await t.api('GET', `/api/resumes/pool?${qs}`, { token: hr });
    expect(res.status).toBe(200);
    return res.body.rows as Array<Record<string, any>>;
  };
  const who = (rows: Array<Record<string, any>>) =>
    rows
      .map((r) => (Object.entries(ids).find(([, id]) => id === r.candidateId) ?? ['?'])[0])
      .sort()
      .join('');

  it('shows each candidate’s furthest stage and outcomes', async () => {
    const rows = await search({});
    expect(who(rows)).toBe('abcd');
    const by = (k: keyof typeof ids) => rows.find((r) => r.candidateId === ids[k]);
    expect(by('a')).toMatchObject({ stageReached: 'in_review', outcomes: ['invited', 'rejected'] });
    expect(by('b')).toMatchObject({ stageReached: 'hired', outcomes: ['hired'] });
    expect(by('c')).toMatchObject({ stageReached: null, outcomes: ['pool'] });
    expect(by('d')).toMatchObject({ stageReached: 'booked', outcomes: ['in_progress'] });
  });

  it('filters by past job: screened for or applied to', async () => {
    expect(who(await search({ jobId: job1 }))).toBe('ad');
    expect(who(await search({ jobId: job2 }))).toBe('bc');
    expect(who(await search({ jobId: 999_999 }))).toBe('');
  });

  it('filters by stage reached at least, counting the stages an exit passed', async () => {
    expect(who(await search({ stage: 'invited' }))).toBe('abd');
    expect(who(await search({ stage: 'booked' }))).toBe('abd');
    expect(who(await search({ stage: 'in_review' }))).toBe('ab');
    expect(who(await search({ stage: 'second_round' }))).toBe('b');
    expect(who(await search({ stage: 'hired' }))).toBe('b');
  });

  it('filters by outcome, and combines filters with AND', async () => {
    expect(who(await search({ outcome: 'rejected' }))).toBe('a');
    expect(who(await search({ outcome: 'invited' }))).toBe('a');
    expect(who(await search({ outcome: 'hired' }))).toBe('b');
    expect(who(await search({ outcome: 'pool' }))).toBe('c');
    expect(who(await search({ outcome: 'in_progress' }))).toBe('d');
    expect(who(await search({ outcome: 'withdrawn' }))).toBe('');
    expect(who(await search({ jobId: job1, stage: 'submitted' }))).toBe('a');
    expect(who(await search({ jobId: job1, outcome: 'in_progress' }))).toBe('d');
    expect(who(await search({ jobId: job2, outcome: 'in_progress' }))).toBe('');
  });

  describe('bad values', () => {
    it.each([
      ['stage', 'rejected'],
      ['stage', 'nowhere'],
      ['outcome', 'maybe'],
      ['jobId', 'abc'],
      ['jobId', '0'],
    ])('%s=%s is a 400 naming the field', async (field, value) => {
      const res = await t.api('GET', `/api/resumes/pool?${field}=${value}`, { token: hr });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe(`query.${field}`);
    });
  });
});
