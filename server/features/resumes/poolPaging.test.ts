/**
 * The talent pool paged in SQL over the stored person groups (issue 18), on both dialects.
 *
 * The oracle is the grouping the listing did before in memory: every pooled record's newest
 * résumé, grouped by shared/resumes/duplicates.ts, newest first, filtered in code. Paging with
 * small pages must give exactly that list, each entry once; and the stored groups must follow
 * the changes that regroup people: contacts filled in by a merge, a corrected résumé contact,
 * a bridge record leaving (withdrawal, expiry), and a rebuild of groups never built.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CandidateTag,
  type IResume,
  PoolMember,
  Resume,
  ScreeningDecisionRow,
} from '../../kernel/db/entities/Resume';
import { User } from '../../kernel/db/entities/User';
import { sessionToken } from '../../testing/booking';
import { makeCandidate, makeJob, makePooledResume } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { inMemoryPoolGroups } from '../../testing/poolInMemory';
import { refreshPoolRecords } from './poolGroups';

const MARK = 'Poolpagemark';

describeEachDialect('talent pool paging', (dialect) => {
  let t: TestApp;
  let hr: string;
  let jobId = 0;
  const ids: Record<string, { candidateId: number; resumeId: number }> = {};

  const pooled = async (name: string, extra: string, over: { mobile?: string; email?: string } = {}) => {
    const c = await makeCandidate(t.orm, { name, ...over });
    const r = await makePooledResume(t.orm.em.fork(), c.id, `${name}\n${MARK}\n${extra}\n`);
    ids[name] = { candidateId: c.id, resumeId: r.id };
    return ids[name];
  };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    hr = await t.signInEmployee('hr01');
    const em = t.orm.em.fork();
    const hrUser = await em.findOneOrFail(User, { dingtalkUserId: 'hr01' });
    jobId = (await makeJob(t.orm, { title: '后端工程师', questions: false })).id;
    // A trio joined transitively: 甲 and 乙 share a mobile, 乙 and 丙 an e-mail (甲 and 丙 nothing).
    await pooled('链甲', '手机：138-0000-0001\n技能：Rust');
    for (let i = 0; i < 6; i++) await pooled(`单${i}`, `技能：${i % 3 === 0 ? 'Rust' : 'Go'}`);
    await pooled('链乙', '手机：138-0000-0001\n邮箱：trio@example.com\n技能：Go');
    for (let i = 6; i < 12; i++) await pooled(`单${i}`, `技能：${i % 3 === 0 ? 'Rust' : 'Go'}`);
    await pooled('链丙', '邮箱：trio@example.com');
    // One name at one school, twice.
    await pooled('同名', '教育经历\n2015-2019 浙江大学 计算机科学 本科');
    for (let i = 12; i < 16; i++) await pooled(`单${i}`, '技能：Go');
    await pooled('同名', '教育经历\n2016-2020 浙江大学 软件工程 硕士');
    // A record with two pooled résumés: the newer one stands for it.
    const twice = await pooled('两份', '技能：Go');
    const second = await makePooledResume(em, twice.candidateId, `两份\n${MARK}\n技能：Rust\n`);
    ids['两份'] = { ...twice, resumeId: second.id };
    for (const name of ['单0', '单4', '链丙'])
      em.create(CandidateTag, { candidate: ids[name].candidateId, tag: '校招', key: '校招' });
    for (const name of ['单1', '链甲'])
      em.create(ScreeningDecisionRow, {
        job: jobId,
        candidate: ids[name].candidateId,
        resume: ids[name].resumeId,
        decision: 'pool',
        score: 50,
        decidedBy: hrUser.id,
      });
    await em.flush();
  }, 120_000);
  afterAll(async () => t?.close());

  /** The listing as the in-memory grouping had it: entries as candidate ids, leader first. */
  const oracle = async (keep: (members: IResume[], tagged: Set<number>, decided: Set<number>) => boolean) => {
    const em = t.orm.em.fork();
    const now = t.clock.now ?? new Date();
    const { latest, groups } = await inMemoryPoolGroups(em, now);
    const tagged = new Set((await em.find(CandidateTag, { key: '校招' })).map((x) => x.candidate.id));
    const decided = new Set((await em.find(ScreeningDecisionRow, { job: jobId })).map((d) => d.candidate.id));
    return groups
      .map((g) => g.ids.map((id) => latest.get(id) as IResume))
      .filter((members) => keep(members, tagged, decided))
      .map((members) => members.map((m) => m.candidate.id));
  };

  /** Every page of the listing for `params`, as entries of candidate ids (leader first). */
  const pageAll = async (params: Record<string, string>, limit: number) => {
    const out: number[][] = [];
    let cursor: number | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const qs = new URLSearchParams({ ...params, limit: String(limit) });
      if (cursor !== null) qs.set('cursor', String(cursor));
      const res = await t.api('GET', `/api/resumes/pool?${qs}`, { token: hr });
      expect(res.status).toBe(200);
      expect(res.body.rows.length).toBeLessThanOrEqual(limit);
      for (const r of res.body.rows)
        out.push([r.candidateId, ...r.duplicates.map((d: { candidateId: number }) => d.candidateId)]);
      cursor = res.body.nextCursor;
      if (cursor === null) return out;
      expect(res.body.rows).toHaveLength(limit);
    }
    throw new Error('the listing never ended');
  };
  const entryOf = async (name: string, q = MARK) => {
    const res = await t.api('GET', `/api/resumes/pool?q=${encodeURIComponent(q)}&limit=100`, { token: hr });
    return (res.body.rows as Array<Record<string, any>>).find(
      (r) =>
        r.candidateId === ids[name].candidateId ||
        r.duplicates.some((d: { candidateId: number }) => d.candidateId === ids[name].candidateId),
    );
  };
  const has = (m: IResume, skill: string) =>
    (m.profile?.skills ?? []).some((s) => s.value.toLowerCase() === skill);

  it('pages through the whole pool: every entry once, in the in-memory order, merged as before', async () => {
    const all = await oracle(() => true);
    expect(all.length).toBeGreaterThan(16);
    for (const limit of [1, 4, 7]) expect(await pageAll({}, limit)).toEqual(all);
    const trio = all.find((e) => e.includes(ids['链甲'].candidateId));
    expect(trio).toEqual([ids['链丙'].candidateId, ids['链乙'].candidateId, ids['链甲'].candidateId]);
    expect((await entryOf('链甲'))?.mergedBy).toEqual(['email', 'mobile']);
    expect((await entryOf('两份'))?.resumeId).toBe(ids['两份'].resumeId);
  });

  it('pages with search, skill, tags and history filters exactly as the in-memory filter did', async () => {
    const text = (m: IResume) => (m.text ?? '').toLowerCase().includes(MARK.toLowerCase());
    expect(await pageAll({ q: MARK.toUpperCase() }, 3)).toEqual(await oracle((ms) => ms.some(text)));
    const rust = await oracle((ms) => ms.some((m) => text(m) && has(m, 'rust')));
    expect(rust.length).toBeGreaterThan(3);
    expect(await pageAll({ q: MARK, skill: 'RUST' }, 2)).toEqual(rust);
    const tagged = await oracle((ms, tags) => ms.some((m) => tags.has(m.candidate.id)));
    expect(tagged).toHaveLength(3);
    expect(await pageAll({ tag: '校招' }, 2)).toEqual(tagged);
    // Tag on one record (丙), skill on another (甲) of the same entry: both hold for the entry.
    expect(await pageAll({ tag: '校招', skill: 'rust' }, 1)).toEqual(
      await oracle((ms, tags) => ms.some((m) => tags.has(m.candidate.id)) && ms.some((m) => has(m, 'rust'))),
    );
    const pooledForJob = await oracle((ms, _tags, decided) => ms.some((m) => decided.has(m.candidate.id)));
    expect(pooledForJob).toHaveLength(2);
    expect(await pageAll({ jobId: String(jobId), outcome: 'pool' }, 1)).toEqual(pooledForJob);
    expect(await pageAll({ q: 'nobody-has-this' }, 5)).toEqual([]);
  });

  it('regroups when a merge gives a record a mobile, and again when HR corrects the résumé’s', async () => {
    // HR added 戊 by e-mail; 己's résumé shows a mobile nobody has on record.
    const add = (body: Record<string, string>) => t.api('POST', '/api/candidates', { token: hr, body });
    const wu = await add({ name: '联系戊', email: 'wu@example.com' });
    expect(wu.status).toBe(201);
    const wuId = wu.body.candidate.id as number;
    const wuResume = await makePooledResume(t.orm.em.fork(), wuId, `联系戊\n${MARK}\n`);
    ids['联系戊'] = { candidateId: wuId, resumeId: wuResume.id };
    const ji = await pooled('联系己', '手机：136-5555-0102');
    expect((await entryOf('联系戊'))?.duplicates).toEqual([]);
    // The same person added again with that mobile: 戊's record gets it, and 戊 and 己 are one.
    const again = await add({ name: '联系戊', email: 'wu@example.com', mobile: '13655550102' });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.merged).toBe(true);
    const merged = await entryOf('联系戊');
    expect(merged).toMatchObject({ candidateId: ji.candidateId, mergedBy: ['mobile'] });
    expect(merged?.duplicates.map((d: { candidateId: number }) => d.candidateId)).toEqual([wuId]);
    expect(await pageAll({}, 6)).toEqual(await oracle(() => true));
    // HR corrects 己's résumé to another mobile: apart again.
    const fix = await t.api('PATCH', `/api/resumes/${ji.resumeId}/profile`, {
      token: hr,
      body: { path: 'contact.mobile', value: '136-5555-0109', reason: 'typo' },
    });
    expect(fix.status).toBe(200);
    expect((await entryOf('联系戊'))?.duplicates).toEqual([]);
    expect((await entryOf('联系己'))?.duplicates).toEqual([]);
    expect(await pageAll({}, 6)).toEqual(await oracle(() => true));
  });

  it('splits a transitive group when its bridge withdraws from the pool', async () => {
    const token = await sessionToken(t, 'candidate', ids['链乙'].candidateId);
    const out = await t.api('POST', `/api/resumes/${ids['链乙'].resumeId}/pool`, {
      token,
      body: { keep: false },
    });
    expect(out.status).toBe(200);
    expect((await entryOf('链甲'))?.duplicates).toEqual([]);
    expect((await entryOf('链丙'))?.duplicates).toEqual([]);
    expect(await entryOf('链乙')).toBeUndefined();
    expect(await pageAll({}, 5)).toEqual(await oracle(() => true));
  });

  it('rebuilds groups never built (version 0, as the migration leaves them) at the first read', async () => {
    const em = t.orm.em.fork();
    await em.nativeDelete(PoolMember, {});
    await em.execute('delete from pool_keys');
    await em.execute('update pool_state set version = 0 where id = 1');
    expect(await pageAll({}, 4)).toEqual(await oracle(() => true));
    const [state] = await em.execute<Array<{ version: number | string }>>('select version from pool_state');
    expect(Number(state.version)).toBe(1);
    expect(await em.count(PoolMember, {})).toBeGreaterThan(16);
  });

  it('refuses a page size over the maximum and a malformed cursor, naming the field', async () => {
    for (const [qs, field] of [
      ['limit=101', 'query.limit'],
      ['limit=0', 'query.limit'],
      ['cursor=abc', 'query.cursor'],
      ['cursor=0', 'query.cursor'],
      ['cursor=-5', 'query.cursor'],
    ]) {
      const res = await t.api('GET', `/api/resumes/pool?${qs}`, { token: hr });
      expect(res.status, qs).toBe(400);
      expect(res.body.error.details[0].field).toBe(field);
    }
  });

  // Last: the clock only moves forward from here.
  it('splits a group when its bridge’s pool consent ends, without any write', async () => {
    const a = await pooled('期甲', '邮箱：expiry-a@example.com');
    const bridge = await pooled('期乙', '邮箱：expiry-a@example.com\n手机：137-0000-0003');
    const c = await pooled('期丙', '手机：137-0000-0003');
    // 甲's and 丙's consents run for ten days, the bridge's for one (the factory's).
    const em = t.orm.em.fork();
    await em.nativeUpdate(
      Resume,
      { id: { $in: [a.resumeId, c.resumeId] } },
      { poolUntil: new Date(Date.now() + 10 * 86_400_000) },
    );
    await refreshPoolRecords(em, [a.candidateId, c.candidateId], new Date());
    expect((await entryOf('期甲'))?.duplicates).toHaveLength(2);
    t.clock.now = new Date(Date.now() + 2 * 86_400_000);
    hr = await t.signInEmployee('hr01');
    expect((await entryOf('期甲'))?.duplicates).toEqual([]);
    expect((await entryOf('期丙'))?.duplicates).toEqual([]);
    expect(await entryOf('期乙')).toBeUndefined();
    expect(bridge.candidateId).toBeGreaterThan(0);
    expect(await pageAll({}, 3)).toEqual(await oracle(() => true));
  });
});
