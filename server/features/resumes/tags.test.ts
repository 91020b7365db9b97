/**
 * HR's tags on talent-pool entries, on both dialects: adding (normalised, deduplicated whatever
 * the case) and removing, audited; bad tags and too many are a 400 naming the field with nothing
 * changed; only HR may; the pool filtered by any of the chosen tags together with the other
 * filters; the picker's suggestions with counts; merged records show the union and lose a
 * removed tag everywhere; withdrawing the pool consent, its end and erasure delete the tags.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { CandidateTag, Resume, ScreeningDecisionRow } from '../../kernel/db/entities/Resume';
import { User } from '../../kernel/db/entities/User';
import { consumeEvents } from '../../kernel/events/consume';
import { employeeToken, sessionToken } from '../../testing/booking';
import { makeCandidate, makeJob, makePooledResume } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { privacy } from '../privacy';
import { purgeExpiredResumes } from './retention';

/** A word only this file's résumés contain, so other pooled résumés never show. */
const MARK = 'Tagsmark';

describeEachDialect('talent pool tags', (dialect) => {
  let t: TestApp;
  let hr: string;
  const pooled = async (name: string, extra = '') => {
    const c = await makeCandidate(t.orm, { name });
    const r = await makePooledResume(t.orm.em.fork(), c.id, `${name}\n${MARK} ${extra}\n技能：TypeScript\n`);
    return { id: c.id, resumeId: r.id };
  };
  const tags = (id: number, body: unknown, token = hr) =>
    t.api('POST', `/api/resumes/pool/${id}/tags`, { token, body });
  const search = async (params: string) => {
    const res = await t.api('GET', `/api/resumes/pool?q=${MARK}&${params}`, { token: hr });
    expect(res.status).toBe(200);
    return res.body.rows as Array<{ candidateId: number; tags: string[]; duplicates: unknown[] }>;
  };
  const stored = async (id: number) =>
    (await t.orm.em.fork().find(CandidateTag, { candidate: id }, { orderBy: { id: 'asc' } })).map(
      (r) => r.tag,
    );

  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
  }, 60_000);
  afterAll(async () => t?.close());

  it('adds tags trimmed and normalised, one per tag whatever the case, and removes them; audited', async () => {
    const a = await pooled('标签甲');
    const res = await tags(a.id, { add: ['  Java ', 'java', 'ＪＡＶＡ', '校招', '有  管理经验'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ candidateId: a.id, tags: ['Java', '有 管理经验', '校招'] });
    expect(await stored(a.id)).toEqual(['Java', '校招', '有 管理经验']);
    // Adding it again in another case keeps the spelling first given.
    expect((await tags(a.id, { add: ['JAVA'] })).body.tags).toEqual(['Java', '有 管理经验', '校招']);
    const removed = await tags(a.id, { remove: ['JAVA', '不存在'] });
    expect(removed.status).toBe(200);
    expect(removed.body.tags).toEqual(['有 管理经验', '校招']);
    expect(await stored(a.id)).toEqual(['校招', '有 管理经验']);
    const entries = await t.orm.em
      .fork()
      .find(AuditLog, { action: 'resume.tags_changed', objectId: String(a.id) }, { orderBy: { id: 'asc' } });
    expect(entries.map((e) => e.details)).toEqual([
      expect.objectContaining({ added: ['Java', '校招', '有 管理经验'], removed: [] }),
      expect.objectContaining({ added: [], removed: ['Java'] }),
    ]);
    expect(entries[0].actorKind).toBe('employee');
  });

  describe('bad input is a 400 naming the field, and nothing changes', () => {
    let id = 0;
    beforeAll(async () => {
      id = (await pooled('标签乙')).id;
      expect((await tags(id, { add: ['一', '二', '三', '四', '五', '六', '七', '八'] })).status).toBe(200);
    });
    it.each([
      ['an empty tag', { add: ['   '] }, 'body.add.0'],
      ['a tag over 20 characters', { add: ['a'.repeat(21)] }, 'body.add.0'],
      [
        'the second tag over 20 characters (spaces around do not count)',
        { add: ['ok', ` ${'字'.repeat(21)} `] },
        'body.add.1',
      ],
      ['not a string', { add: [42] }, 'body.add.0'],
      ['more than 10 in one request', { add: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'body.add'],
      ['no change at all', {}, 'body.add'],
      ['added and removed at once', { add: ['Go'], remove: ['go'] }, 'body.remove'],
      ['an unknown field', { add: ['x'], colour: 'red' }, 'body.colour'],
    ])('%s', async (_what, body, field) => {
      const res = await tags(id, body);
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
      expect(await stored(id)).toHaveLength(8);
    });

    it('more than 10 on the candidate: resume_tags_too_many on body.add', async () => {
      const res = await tags(id, { add: ['九', '十', '十一'] });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'resume_tags_too_many',
        details: { field: 'body.add', max: 10 },
      });
      expect(await stored(id)).toHaveLength(8);
      // Duplicates of tags it has do not count; exactly 10 is allowed.
      expect((await tags(id, { add: ['九', '十', '一'] })).body.tags).toHaveLength(10);
      // Removing and adding in one request: counted after the removal.
      expect((await tags(id, { remove: ['一'], add: ['十一'] })).body.tags).toHaveLength(10);
    });

    it('a bad tag filter names query.tag', async () => {
      const res = await t.api('GET', `/api/resumes/pool?tag=${'x'.repeat(21)}`, { token: hr });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('query.tag.0');
    });
  });

  it('only HR tags and reads suggestions; a candidate outside the pool is 404', async () => {
    const a = await pooled('标签丙');
    const mgr = await employeeToken(t, 'mgr01');
    const interviewer = await employeeToken(t, 'int01');
    const self = await sessionToken(t, 'candidate', a.id);
    for (const token of [mgr, interviewer, self]) {
      expect((await tags(a.id, { add: ['x'] }, token)).status).toBe(403);
      expect((await t.api('GET', '/api/resumes/pool/tags', { token })).status).toBe(403);
    }
    expect((await t.api('POST', `/api/resumes/pool/${a.id}/tags`, { body: { add: ['x'] } })).status).toBe(
      401,
    );
    expect(await stored(a.id)).toEqual([]);
    const outside = await makeCandidate(t.orm, { name: '不在人才库' });
    expect((await tags(outside.id, { add: ['x'] })).status).toBe(404);
    expect((await tags(999_999, { add: ['x'] })).status).toBe(404);
    expect(await stored(outside.id)).toEqual([]);
  });

  it('filters by any of the chosen tags, together with text and history filters; suggests tags with counts', async () => {
    const job = await makeJob(t.orm, { title: '标签岗位', questions: false });
    const hrUser = await t.orm.em.fork().findOneOrFail(User, { dingtalkUserId: 'hr01' });
    const go = await pooled('标签丁', 'alpha');
    const rust = await pooled('标签戊', 'beta');
    const both = await pooled('标签己', 'alpha');
    const none = await pooled('标签庚', 'alpha');
    await tags(go.id, { add: ['Golang', '社招'] });
    await tags(rust.id, { add: ['Rust', '社招'] });
    await tags(both.id, { add: ['golang', 'Rust'] });
    const em = t.orm.em.fork();
    em.create(ScreeningDecisionRow, {
      job: job.id,
      candidate: both.id,
      resume: both.resumeId,
      decision: 'pool',
      score: 50,
      decidedBy: hrUser.id,
    });
    await em.flush();
    const ids = (rows: Array<{ candidateId: number }>) =>
      rows.map((r) => r.candidateId).sort((a, b) => a - b);
    const sorted = (...xs: number[]) => xs.sort((a, b) => a - b);
    expect(ids(await search('tag=GOLANG'))).toEqual(sorted(go.id, both.id));
    expect(ids(await search('tag=Golang&tag=rust'))).toEqual(sorted(go.id, rust.id, both.id));
    expect(ids(await search('tag=社招'))).toEqual(sorted(go.id, rust.id));
    expect(ids(await search('tag=nobody'))).toEqual([]);
    // AND with the other filters.
    expect(ids(await search(`tag=Rust&jobId=${job.id}`))).toEqual([both.id]);
    expect(ids(await search('tag=Rust&outcome=pool'))).toEqual([both.id]);
    const alpha = await t.api('GET', '/api/resumes/pool?q=alpha&tag=Golang', { token: hr });
    expect(ids(alpha.body.rows)).toEqual(sorted(go.id, both.id));
    expect((await search('')).find((r) => r.candidateId === none.id)?.tags).toEqual([]);
    expect((await search('tag=rust')).find((r) => r.candidateId === both.id)?.tags).toEqual([
      'golang',
      'Rust',
    ]);

    const sug = await t.api('GET', '/api/resumes/pool/tags', { token: hr });
    expect(sug.status).toBe(200);
    const count = (tag: string) =>
      (sug.body.tags as Array<{ tag: string; count: number }>).find((s) => s.tag.toLowerCase() === tag)
        ?.count;
    expect([count('golang'), count('rust'), count('社招')]).toEqual([2, 2, 2]);
    const counts = (sug.body.tags as Array<{ count: number }>).map((s) => s.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const some = await t.api('GET', '/api/resumes/pool/tags?q=LAN', { token: hr });
    expect(some.body.tags).toEqual([{ tag: expect.stringMatching(/^golang$/i), count: 2 }]);
    expect(
      (await t.api('GET', '/api/resumes/pool/tags?limit=0', { token: hr })).body.error.details[0].field,
    ).toBe('query.limit');
  });

  it('merged records show the union of their tags; a removal takes it off every record', async () => {
    // One person twice (same e-mail on both résumés), tagged separately before the merge showed.
    const mk = async (name: string) => {
      const c = await makeCandidate(t.orm, { name, email: null });
      const r = await makePooledResume(
        t.orm.em.fork(),
        c.id,
        `${name}\n${MARK} merged\n邮箱：same.person@example.com\n技能：Go\n`,
      );
      return { id: c.id, resumeId: r.id };
    };
    const older = await mk('标签辛');
    const newer = await mk('标签辛');
    const em = t.orm.em.fork();
    em.create(CandidateTag, { candidate: older.id, tag: '老记录', key: '老记录' });
    em.create(CandidateTag, { candidate: older.id, tag: 'Shared', key: 'shared' });
    await em.flush();
    expect((await tags(newer.id, { add: ['新记录', 'SHARED'] })).body.tags).toEqual([
      'Shared',
      '新记录',
      '老记录',
    ]);
    const row = (await search('tag=老记录')).find((r) => r.candidateId === newer.id);
    expect(row).toMatchObject({
      tags: ['Shared', '新记录', '老记录'],
      duplicates: [{ candidateId: older.id }],
    });
    // Through either record's id, the entry is the same.
    const res = await tags(older.id, { remove: ['shared', '老记录'] });
    expect(res.body.tags).toEqual(['新记录']);
    expect(await stored(older.id)).toEqual([]);
    expect(await stored(newer.id)).toEqual(['新记录']);
  });

  it('withdrawing the pool consent deletes the tags (unless another résumé stays pooled)', async () => {
    const a = await pooled('标签壬');
    const second = await makePooledResume(t.orm.em.fork(), a.id, `标签壬\n${MARK} second\n`);
    await tags(a.id, { add: ['可再联系'] });
    const token = await sessionToken(t, 'candidate', a.id);
    const withdraw = (id: number) =>
      t.api('POST', `/api/resumes/${id}/pool`, { token, body: { keep: false } });
    expect((await withdraw(second.id)).status).toBe(200);
    expect(await stored(a.id)).toEqual(['可再联系']);
    expect((await withdraw(a.resumeId)).status).toBe(200);
    expect(await stored(a.id)).toEqual([]);
    const audit = await t.orm.em
      .fork()
      .findOneOrFail(AuditLog, { action: 'resume.pool_withdrawn', objectId: String(a.resumeId) });
    expect(audit.details).toMatchObject({ tagsDeleted: 1 });
  });

  it('the pool consent’s end deletes the tags at the retention run', async () => {
    const a = await pooled('标签癸');
    const b = await pooled('标签子');
    await tags(a.id, { add: ['过期'] });
    await tags(b.id, { add: ['仍在'] });
    // a's consent ended yesterday; b's runs on.
    await t.orm.em
      .fork()
      .nativeUpdate(Resume, { id: a.resumeId }, { poolUntil: new Date(Date.now() - 86_400_000) });
    await purgeExpiredResumes({ orm: t.orm, storage: t.storage });
    expect(await stored(a.id)).toEqual([]);
    expect(await stored(b.id)).toEqual(['仍在']);
  });

  it('a deletion request deletes the tags', async () => {
    const a = await pooled('标签丑');
    await tags(a.id, { add: ['删除我'] });
    const token = await sessionToken(t, 'candidate', a.id);
    const req = await t.api('POST', '/api/me/deletion-request', { token, body: { confirm: true } });
    expect([200, 201, 202]).toContain(req.status);
    const eraser = privacy.consumers?.find((c) => c.events.includes('privacy.deletion_requested'));
    if (!eraser) throw new Error('the privacy feature has no deletion consumer');
    await consumeEvents(t.orm.em.fork(), {
      consumer: eraser.name,
      workerId: 'test',
      handle: (event, em) => eraser.handle(event, em, t.deps),
    });
    expect(await stored(a.id)).toEqual([]);
    const sug = await t.api('GET', '/api/resumes/pool/tags?q=删除我', { token: hr });
    expect(sug.body.tags).toEqual([]);
  });
});
