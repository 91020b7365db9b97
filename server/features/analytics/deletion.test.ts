import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CandidateSource } from '../../../shared/api/candidates';
import type { TransitionName } from '../../../shared/pipeline';
import { ApplicationReview } from '../../kernel/db/entities/ApplicationReview';
import type { ICandidate } from '../../kernel/db/entities/Candidate';
import type { Em } from '../../kernel/db/types';
import { makeApplication, makeCandidate, makeDepartment, makeJob } from '../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { recomputedRollupRows, rollupRows } from '../../testing/rollups';
import { transition, type WorkflowActor } from '../workflow';
import { aiValidity, funnel, type Scope, sources, times } from './queries';

const H = 3_600_000;

/**
 * Deleting applications, candidates and stage events (issue 17 leftovers): the rollups must equal
 * a recomputation from the source tables afterwards (every row of both tables, every grain), and
 * every dashboard query, HR's and the department-scoped ones, must read the same from the rollups
 * as from the source tables. Before the `analytics_deletions` triggers, a deleted application's
 * stays and time to hire stayed in `analytics_durations`.
 */
describeEachDialect('analytics rollups after deletions', (dialect) => {
  let t: TestApp;
  const T0 = Date.parse('2026-10-01T00:00:00Z');
  const at = (h: number) => new Date(T0 + h * H);
  const ids = { dA: 0, dB: 0, j1: 0, j3: 0 };
  const apps: number[] = [];
  const candidates: number[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
    const em = t.orm.em.fork();
    const [dA, dB] = [await makeDepartment(em), await makeDepartment(em)];
    const jobs = [
      await makeJob(em, { department: dA }),
      await makeJob(em, { department: dA }),
      await makeJob(em, { department: dB }),
    ];
    Object.assign(ids, { dA: dA.id, dB: dB.id, j1: jobs[0].id, j3: jobs[2].id });
    const HR: WorkflowActor = { by: 'hr', person: { kind: 'employee', id: 1 } };
    const SYS: WorkflowActor = { by: 'system', person: null };
    const sourceList: CandidateSource[] = ['referral', 'job_site', 'campus'];
    const paths: Array<Array<[TransitionName, number]>> = [
      [
        ['submit', 2],
        ['score', 2.5],
        ['review', 3],
        ['reject', 30],
      ],
      [
        ['submit', 1],
        ['score', 1.2],
        ['review', 2],
        ['advance_second_round', 20],
        ['book_second_round', 26],
        ['complete_second_round', 70],
        ['request_offer', 75],
        ['send_offer', 80],
        ['accept_offer', 90],
        ['onboard', 91],
        ['hire', 200],
      ],
    ];
    // Candidates 0-5 have one application each; candidate 6 has two (jobs in both departments).
    let owner: ICandidate | null = null;
    for (let i = 0; i < 8; i++) {
      const c: ICandidate = i === 7 && owner ? owner : await makeCandidate(em, { name: `删除-${i}` });
      if (i < 7) {
        c.source = sourceList[i % sourceList.length];
        candidates.push(c.id);
        owner = c;
      }
      const app = await makeApplication(em, { job: jobs[i === 7 ? 2 : i % 2], candidate: c });
      const created = i * 9 + (i % 3) * 0.41;
      app.createdAt = at(created);
      app.stageChangedAt = at(created);
      em.create(ApplicationReview, {
        application: app,
        overall: 48 + i * 6,
        suggestion: 'review',
        reason: 'x',
      });
      await em.flush();
      apps.push(app.id);
      for (const [name, h] of paths[i % 2]) {
        const actor =
          name === 'send_offer'
            ? { by: 'approver' as const, person: null, dingtalkUserId: 'a' }
            : ['advance_second_round', 'reject', 'request_offer', 'hire'].includes(name)
              ? HR
              : name === 'accept_offer'
                ? { by: 'candidate' as const, person: { kind: 'candidate' as const, id: c.id } }
                : SYS;
        await t.orm.em.fork().transactional((tx) =>
          transition(tx, {
            applicationId: app.id,
            name,
            actor,
            reason: 'test',
            now: at(created + h + i / 7),
          }),
        );
      }
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  const scopes = (): Array<[string, Scope]> => [
    ['HR all', { filters: {}, departmentIds: null }],
    ['HR source', { filters: { source: 'referral' }, departmentIds: null }],
    ['manager A', { filters: {}, departmentIds: [ids.dA] }],
    ['manager B', { filters: {}, departmentIds: [ids.dB] }],
    ['department A filter', { filters: { departmentId: ids.dA }, departmentIds: null }],
    ['one job', { filters: { jobId: ids.j1 }, departmentIds: null }],
    ['date range', { filters: { from: '2026-10-01', to: '2026-10-03' }, departmentIds: null }],
    ['manager A, date range', { filters: { to: '2026-10-02' }, departmentIds: [ids.dA] }],
  ];

  /** Every query, every scope: read from the rollups and from the source tables. */
  async function expectQueriesEqualRaw(now: Date): Promise<void> {
    const em = () => t.orm.em.fork();
    for (const [name, scope] of scopes()) {
      const raw = { ...scope, raw: true };
      expect(await funnel(em(), scope), name).toEqual(await funnel(em(), raw));
      expect(await times(em(), scope, now), name).toEqual(await times(em(), raw, now));
      expect(await sources(em(), scope), name).toEqual(await sources(em(), raw));
      expect(await aiValidity(em(), scope), name).toEqual(await aiValidity(em(), raw));
    }
  }

  /** Stays and hires counted in a duration grain (`dep`: one department). */
  async function durations(em: Em, grain: string, jobId = 0): Promise<number> {
    const [r] = await em.execute<Array<{ n: number | string | null }>>(
      'select sum(n) as n from analytics_durations where grain = ? and job_id = ?',
      [grain, jobId],
    );
    return Number(r.n ?? 0);
  }

  /** Stays (from_since known) and hires among the stage events of these applications. */
  async function eventsOf(appIds: number[]): Promise<number> {
    const rows = await t.orm.em.fork().execute<Array<{ n: number | string }>>(
      `select count(*) as n from application_stage_events where application_id in (${appIds.map(() => '?').join(',')})
            and from_stage is not null and from_since is not null`,
      appIds,
    );
    const hires = await t.orm.em
      .fork()
      .execute<Array<{ n: number | string }>>(
        `select count(*) as n from application_stage_events where application_id in (${appIds.map(() => '?').join(',')}) and to_stage = 'hired'`,
        appIds,
      );
    return Number(rows[0].n) + Number(hires[0].n);
  }

  it('equal a recomputation before any deletion', async () => {
    const em = t.orm.em.fork();
    const rows = await rollupRows(em);
    expect(rows.length).toBeGreaterThan(50);
    expect(rows).toEqual(await recomputedRollupRows(em, dialect));
  });

  it('take out a deleted application, a deleted candidate and deleted events exactly', async () => {
    const em = t.orm.em.fork();
    const now = at(400);
    const allBefore = await durations(em, 'all');
    const depABefore = await durations(em, 'dep', ids.dA);
    const depBBefore = await durations(em, 'dep', ids.dB);
    // Each deleted application below had a full path: the hired one in department A (apps[1]),
    // the candidate with two applications (apps[6] in A, rejected; apps[7] in B, hired), and
    // apps[3] (A), whose events are deleted first, one by one, and then the application.
    const removed = await eventsOf([apps[1], apps[6], apps[7], apps[3]]);
    const removedA = await eventsOf([apps[1], apps[6], apps[3]]);
    expect(removed).toBeGreaterThan(20);

    // 1. An application (its review first: a foreign key).
    await em.execute('delete from application_reviews where application_id = ?', [apps[1]]);
    await em.execute('delete from applications where id = ?', [apps[1]]);
    // 2. A candidate with both their applications.
    await em.execute('delete from application_reviews where application_id in (?, ?)', [apps[6], apps[7]]);
    await em.execute('delete from applications where candidate_id = ?', [candidates[6]]);
    await em.execute('delete from candidates where id = ?', [candidates[6]]);
    // 3. Events deleted before their application (each through the event trigger), then it.
    await em.execute('delete from application_stage_events where application_id = ?', [apps[3]]);
    await em.execute('delete from application_reviews where application_id = ?', [apps[3]]);
    await em.execute('delete from applications where id = ?', [apps[3]]);
    // 4. One event of an application that stays (apps[4], department A: its rejection, a stay in
    // review and no hire): the history is then one stay shorter.
    const [last] = await em.execute<Array<{ id: number }>>(
      `select id from application_stage_events where application_id = ? and from_since is not null order by id desc limit 1`,
      [apps[4]],
    );
    await em.execute('delete from application_stage_events where id = ?', [last.id]);
    // 5. The orphaned events of a deleted application: nothing counts them any more.
    await em.execute('delete from application_stage_events where application_id = ?', [apps[1]]);

    expect(await durations(em, 'all')).toBe(allBefore - removed - 1);
    expect(await durations(em, 'dep', ids.dA)).toBe(depABefore - removedA - 1);
    expect(await durations(em, 'dep', ids.dB)).toBe(depBBefore - (removed - removedA));
    expect(await rollupRows(em)).toEqual(await recomputedRollupRows(em, dialect));
    await expectQueriesEqualRaw(now);
    // Not vacuous: HR sees the 4 applications left (apps 0, 2, 4, 5), and the one hire left.
    expect((await times(t.orm.em.fork(), { filters: {}, departmentIds: null }, now)).timeToHire.n).toBe(1);
    expect((await funnel(t.orm.em.fork(), { filters: {}, departmentIds: null })).overall.applications).toBe(
      4,
    );
  });
});
