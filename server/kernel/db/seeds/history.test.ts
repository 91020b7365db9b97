import { afterAll, beforeAll, expect, it } from 'vitest';
import { FUNNEL_RANK } from '../../../../shared/api/analytics';
import { TRANSITIONS } from '../../../../shared/pipeline';
import type { Stage } from '../../../../shared/stages';
import { makeJob, makePlan, makeSchedule } from '../../../testing/factories';
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

  it('writes bookings, reminders, reports and outcomes that agree with the events, without changing them', async () => {
    const em = t.orm.em.fork();
    const now = new Date('2026-12-01T00:00:00Z');
    const withSchedules = async (reminders: number[] | null) => {
      const job = await makeJob(em, { questions: false });
      const plan = await makePlan(em, { job });
      for (const kind of ['ai_interview', 'second_round'] as const) {
        const s = await makeSchedule(em, { plan, kind });
        s.reminderOffsetsMinutes = reminders ? { candidate: reminders, interviewer: [] } : null;
      }
      await em.flush();
      return job.id;
    };
    const jobsA = [await withSchedules([1440, 60]), await withSchedules(null), await withSchedules([])];
    const jobsB = [(await makeJob(em)).id, (await makeJob(em)).id, (await makeJob(em)).id];
    const opts = { applications: 900, now, days: 90, seed: 8, rebooks: 1 };
    const a = await t.orm.em
      .fork()
      .transactional((tx) => generateHistory(tx, { ...opts, jobIds: jobsA, surroundings: {} }));
    const b = await t.orm.em.fork().transactional((tx) => generateHistory(tx, { ...opts, jobIds: jobsB }));
    // The same events, scores and stages with or without the surroundings.
    const path = (jobs: number[]) =>
      em
        .execute<Array<Record<string, unknown>>>(
          `select e.transition, e.at, e.from_since, a.stage, rv.overall from application_stage_events e
             join applications a on a.id = e.application_id left join application_reviews rv on rv.application_id = a.id
            where e.job_id in (${jobs.join(',')}) order by e.id`,
        )
        .then((rows) => rows.map((r) => JSON.stringify(r)));
    expect(await path(jobsA)).toEqual(await path(jobsB));
    expect({ ...a, bookings: 0, outbox: 0, reports: 0, outcomes: 0 }).toEqual({
      ...b,
      bookings: 0,
      outbox: 0,
      reports: 0,
      outcomes: 0,
    });

    // A booking per book event, its fate the next event's.
    const events = await em.execute<Array<{ application_id: number; transition: string; at: unknown }>>(
      `select application_id, transition, at from application_stage_events where job_id in (${jobsA.join(',')}) order by id`,
    );
    const bookings = await em.execute<Array<Record<string, unknown>>>(
      `select b.id, b.application_id, b.kind, b.status, b.start_at, b.created_at, b.cancelled_at, p.job_id
         from bookings b join plan_schedules ps on ps.id = b.schedule_id join interview_plans p on p.id = ps.plan_id
        order by b.id`,
    );
    expect(bookings.length).toBe(a.bookings);
    const byApp = new Map<number, typeof events>();
    for (const e of events)
      byApp.set(Number(e.application_id), [...(byApp.get(Number(e.application_id)) ?? []), e]);
    const expected: string[] = [];
    for (const [app, list] of byApp)
      for (const [i, e] of list.entries()) {
        const next = list[i + 1]?.transition;
        if (e.transition === 'book')
          expected.push(
            `${app}:ai_interview:${next === 'start_interview' ? 'completed' : next === 'unbook' ? 'settled' : 'booked'}`,
          );
        if (e.transition === 'book_second_round')
          expected.push(`${app}:second_round:${next === 'complete_second_round' ? 'completed' : 'booked'}`);
      }
    const got = bookings.map(
      (x) =>
        `${x.application_id}:${x.kind}:${x.status === 'no_show' || x.status === 'cancelled' ? 'settled' : x.status}`,
    );
    expect(got.sort()).toEqual(expected.sort());

    // Reminders: the schedule's times (none for the job that sets none), sent only while the
    // booking was on and by now.
    const sent = await em.execute<
      Array<{ aggregate: string; topic: string; due_at: unknown; status: string }>
    >(`select aggregate, topic, due_at, status from outbox where topic like 'reminder.candidate.%'`);
    const booking = new Map(bookings.map((x) => [`booking:${x.id}`, x]));
    const wanted = new Map([
      [jobsA[0], ['1440', '60']],
      [jobsA[1], ['1440', '60']],
      [jobsA[2], []],
    ]);
    for (const r of sent) {
      const x = booking.get(r.aggregate);
      if (!x) throw new Error(`reminder for unknown ${r.aggregate}`);
      const m = /^reminder\.candidate\.(\d+)m$/.exec(r.topic)?.[1] ?? '';
      expect(wanted.get(Number(x.job_id))).toContain(m);
      const due = (sqlDate(r.due_at) as Date).getTime();
      expect(due).toBe((sqlDate(x.start_at) as Date).getTime() - Number(m) * 60_000);
      expect(due).toBeGreaterThan((sqlDate(x.created_at) as Date).getTime());
      if (r.status === 'sent') {
        expect(due).toBeLessThanOrEqual(now.getTime());
        if (x.cancelled_at) expect(due).toBeLessThanOrEqual((sqlDate(x.cancelled_at) as Date).getTime());
      }
    }
    const statuses = new Set(sent.map((r) => r.status));
    expect([...statuses].sort()).toEqual(['cancelled', 'pending', 'sent']);
    // Believable proportions of settled AI bookings: some no-shows, some late cancellations.
    const ai = bookings.filter((x) => x.kind === 'ai_interview' && x.status !== 'booked');
    const share = (s: string) => ai.filter((x) => x.status === s).length / ai.length;
    expect(share('no_show')).toBeGreaterThan(0.05);
    expect(share('no_show')).toBeLessThan(0.3);
    expect(share('completed')).toBeGreaterThan(0.2);

    // A report per scored application, an outcome per hire, with every status.
    expect(a.reports).toBe(a.reviews);
    const hired = await em.execute<Array<{ n: number }>>(
      `select count(*) as n from applications where stage = 'hired' and job_id in (${jobsA.join(',')})`,
    );
    expect(a.outcomes).toBe(Number(hired[0].n));
    expect(a.outcomes).toBeGreaterThan(5);
    const outcomeRows = await em.execute<Array<{ status: string }>>('select status from hire_outcomes');
    expect(outcomeRows.length).toBe(a.outcomes);
  }, 120_000);
});
