import { afterAll, beforeAll, expect, it } from 'vitest';
import { FUNNEL_RANK } from '../../../../shared/api/analytics';
import { TRANSITIONS } from '../../../../shared/pipeline';
import type { Stage } from '../../../../shared/stages';
import { makeJob } from '../../../testing/factories';
import { describeEachDialect, startTestApp, type TestApp } from '../../../testing/harness';
import { sqlDate } from '../raw';
import { generateHistory } from './history';

/** Generated history is a set of paths the real pipeline could have produced, and repeatable. */
describeEachDialect('generated hiring history', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
  }, 30_000);
  afterAll(async () => t?.close());

  it('writes legal, time-ordered paths ending in the application stage, before now', async () => {
    const em = t.orm.em.fork();
    const jobs = [await makeJob(em), await makeJob(em)];
    const now = new Date('2026-12-01T00:00:00Z');
    const wrote = await t.orm.em.fork().transactional((tx) =>
      generateHistory(tx, {
        applications: 300,
        jobIds: jobs.map((j) => j.id),
        now,
        days: 60,
        seed: 5,
        batch: 70,
      }),
    );
    const count = async (table: string) =>
      Number((await em.execute<Array<{ n: number }>>(`select count(*) as n from ${table}`))[0].n);
    expect(wrote.applications).toBe(300);
    expect(await count('applications')).toBe(300);
    expect(await count('candidates')).toBe(300);
    expect(await count('application_stage_events')).toBe(wrote.events);
    expect(await count('application_reviews')).toBe(wrote.reviews);
    expect(wrote.events).toBeGreaterThan(1000);

    const apps = await em.execute<Array<Record<string, unknown>>>(
      'select id, job_id, stage, version, funnel_reach, stage_changed_at, created_at from applications',
    );
    const events = await em.execute<Array<Record<string, unknown>>>(
      'select application_id, job_id, from_stage, to_stage, transition, at, from_since from application_stage_events order by id',
    );
    const byApp = new Map<number, Array<Record<string, unknown>>>();
    for (const e of events)
      byApp.set(Number(e.application_id), [...(byApp.get(Number(e.application_id)) ?? []), e]);
    const stages = new Set<string>();
    for (const a of apps) {
      const list = byApp.get(Number(a.id)) ?? [];
      let stage = 'invited';
      let since = (sqlDate(a.created_at) as Date).getTime();
      for (const e of list) {
        const rule = TRANSITIONS[e.transition as keyof typeof TRANSITIONS];
        expect(rule.from as readonly string[]).toContain(stage);
        expect(e.from_stage).toBe(stage);
        expect(e.to_stage).toBe(rule.to);
        expect(Number(e.job_id)).toBe(Number(a.job_id));
        expect((sqlDate(e.from_since) as Date).getTime()).toBe(since);
        const at = (sqlDate(e.at) as Date).getTime();
        expect(at).toBeGreaterThanOrEqual(since);
        expect(at).toBeLessThanOrEqual(now.getTime());
        stage = rule.to;
        since = at;
      }
      expect(a.stage).toBe(stage);
      expect(Number(a.funnel_reach)).toBe(Math.max(0, ...list.map((e) => FUNNEL_RANK[e.to_stage as Stage])));
      expect(Number(a.version)).toBe(list.length + 1);
      stages.add(stage);
    }
    // Believable spread: people end everywhere, including hired, rejected and still waiting.
    for (const s of ['invited', 'in_review', 'rejected', 'withdrawn', 'hired'])
      expect(stages, s).toContain(s);
    // The same seed writes the same history.
    const again = await t.orm.em
      .fork()
      .transactional((tx) =>
        generateHistory(tx, { applications: 300, jobIds: jobs.map((j) => j.id), now, days: 60, seed: 5 }),
      );
    expect(again).toEqual(wrote);
  }, 60_000);
});
