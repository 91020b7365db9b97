import { describe, expect, it, vi } from 'vitest';
import type { Deps } from '../deps';
import { buildEventRegistry } from '../events/registry';
import { createLogger } from '../logger';
import { consumerJob, defineConsumer, defineJob, type JobDefinition, startJobs } from './registry';

// The registries only route calls; they need a logger and nothing else of the process.
const deps = { logger: createLogger('silent'), config: { delivery: { tickSeconds: 1 } } } as unknown as Deps;

describe('event registry assembly', () => {
  it('merges features in order, subscribes consumers, and refuses two consumers with one name', () => {
    const calls: string[] = [];
    const reg = buildEventRegistry([
      {
        reactions: { 'booking.created': [async () => void calls.push('a')] },
        consumers: [{ name: 'calendar', events: ['booking.created', 'booking.cancelled'] }],
      },
      {
        reactions: { 'booking.created': [async () => void calls.push('b')] },
        consumers: [{ name: 'bot', events: ['booking.created'] }],
      },
    ]);
    expect(reg.inTx['booking.created']).toHaveLength(2);
    expect(reg.subscriptions).toEqual({
      'booking.created': ['calendar', 'bot'],
      'booking.cancelled': ['calendar'],
    });
    expect(() =>
      buildEventRegistry([
        { consumers: [{ name: 'x', events: ['report.ready'] }] },
        { consumers: [{ name: 'x', events: ['application.rejected'] }] },
      ]),
    ).toThrow('two event consumers are named x');
  });
});

describe('job registry', () => {
  const counter = (name: string, role: JobDefinition['role'], schedule: JobDefinition['schedule']) => {
    const ran: string[] = [];
    const job = defineJob({
      name,
      role,
      schedule,
      init: (_d, id) => ({ id, n: 0 }),
      async run(_d, state) {
        state.n++;
        ran.push(`${name}#${state.n}`);
      },
    });
    return { job, ran };
  };

  it('starts only the jobs of the process roles; run() wakes one; unknown names throw', async () => {
    const w = counter('w.one', 'worker', { cron: '0 0 1 1 *' });
    const web = counter('web.one', 'web', { cron: '0 0 1 1 *' });
    const jobs = startJobs([w.job, web.job], deps, ['worker'], { timers: false });
    expect(jobs.names).toEqual(['w.one']);
    await jobs.run('w.one');
    await jobs.run('w.one');
    expect(w.ran).toEqual(['w.one#1', 'w.one#2']); // state kept between wakes
    expect(() => jobs.run('web.one')).toThrow('no job web.one');
    await jobs.stop();
  });

  it('wakes a cron job on its schedule once node-cron has loaded, and a stop ends it', async () => {
    // Every second (node-cron's six-field form); node-cron itself loads on first use.
    const c = counter('c.tick', 'worker', { cron: '* * * * * *' });
    const jobs = startJobs([c.job], deps, ['worker']);
    await expect.poll(() => c.ran.length, { timeout: 4000 }).toBeGreaterThan(0);
    await jobs.stop();
    const after = c.ran.length;
    await new Promise((r) => setTimeout(r, 1300));
    expect(c.ran.length).toBe(after);
  });

  it('a cron job longer than its period never overlaps and node-cron prints nothing to the console', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const long = defineJob({
      name: 'c.long',
      role: 'worker',
      schedule: { cron: '* * * * * *' },
      run: async () => {
        runs++;
        active++;
        most = Math.max(most, active);
        await new Promise((r) => setTimeout(r, 2300));
        active--;
      },
    });
    const printed: string[] = [];
    const spies = (['warn', 'info', 'error', 'debug', 'log'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void printed.push(a.join(' '))),
    );
    try {
      const jobs = startJobs([long], deps, ['worker']);
      await expect.poll(() => runs, { timeout: 4000 }).toBeGreaterThan(0);
      // At least two more ticks come while the first run is still going.
      await new Promise((r) => setTimeout(r, 2600));
      await jobs.stop();
    } finally {
      for (const s of spies) s.mockRestore();
    }
    expect(most).toBe(1);
    expect(runs).toBeLessThanOrEqual(2);
    expect(printed.filter((l) => l.includes('NODE-CRON'))).toEqual([]);
  });

  it('a run that fails after the stop gave up on it is logged as cut short; one failing before is an error', async () => {
    const lines: Array<{ level: number; msg: string; job?: string }> = [];
    const logger = createLogger('info', { write: (l: string) => void lines.push(JSON.parse(l)) });
    const fail: Record<string, (e: Error) => void> = {};
    const job = (name: string) =>
      defineJob({
        name,
        role: 'worker',
        schedule: { everyMs: 60_000 },
        run: () =>
          new Promise<void>((_, reject) => {
            fail[name] = reject;
          }),
      });
    const jobs = startJobs([job('early'), job('late')], { ...deps, logger }, ['worker'], { timers: false });
    const early = jobs.run('early');
    const late = jobs.run('late');
    fail.early(new Error('provider down'));
    await early;
    await jobs.stop(50);
    // The stop closed the connections under it.
    fail.late(new Error("Can't add new command when connection is in closed state"));
    await late;
    const of = (name: string) => lines.filter((l) => l.job === name).map((l) => [l.level, l.msg]);
    expect(of('early')).toEqual([[50, 'job failed']]);
    expect(of('late')).toEqual([[40, 'job run cut short by the stop (redone after its lease)']]);
    expect(lines.some((l) => l.msg.startsWith('stopping with job runs still in progress'))).toBe(true);
  });

  it('a stop right after start cancels a cron schedule that has not loaded yet', async () => {
    const c = counter('c.early', 'worker', { cron: '* * * * * *' });
    const jobs = startJobs([c.job], deps, ['worker']);
    await jobs.stop();
    await new Promise((r) => setTimeout(r, 1300));
    expect(c.ran).toEqual([]);
  });

  it('a wake while one is running joins it (no overlap); a failing run is logged, not thrown', async () => {
    let release: () => void = () => {};
    let runs = 0;
    const slow = defineJob({
      name: 'slow',
      role: 'worker',
      schedule: { everyMs: 60_000 },
      run: async () => {
        runs++;
        await new Promise<void>((r) => {
          release = r;
        });
        throw new Error('provider down');
      },
    });
    const jobs = startJobs([slow], deps, ['worker'], { timers: false });
    const a = jobs.run('slow');
    const b = jobs.run('slow');
    release();
    await Promise.all([a, b]);
    expect(runs).toBe(1);
    await jobs.stop();
  });

  it('a stop waits for a run in progress, but only for its grace period', async () => {
    let release: () => void = () => {};
    let finished = false;
    let stopped = 0;
    const stuck = defineJob({
      name: 'stuck',
      role: 'worker',
      schedule: { everyMs: 60_000 },
      run: async () => {
        await new Promise<void>((r) => {
          release = r;
        });
        finished = true;
      },
      stop: () => {
        stopped++;
      },
    });
    // Within the grace: the stop waits for the run to end.
    let jobs = startJobs([stuck], deps, ['worker'], { timers: false });
    void jobs.run('stuck');
    const waited = jobs.stop(5_000);
    setTimeout(() => release(), 20);
    await waited;
    expect(finished).toBe(true);
    // A run that never ends: the stop returns after the grace, and the job's own stop still runs.
    finished = false;
    jobs = startJobs([stuck], deps, ['worker'], { timers: false });
    void jobs.run('stuck');
    const t0 = Date.now();
    await jobs.stop(50);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(finished).toBe(false);
    expect(stopped).toBe(2);
    release();
  });

  it('runs once-at-start jobs at start, intervals on their timer, and nothing after stop', async () => {
    const once = counter('boot', 'worker', { once: 'start' });
    const tick = counter('tick', 'worker', { everyMs: 20 });
    const jobs = startJobs([once.job, tick.job], deps, ['worker']);
    await new Promise((r) => setTimeout(r, 120));
    await jobs.stop();
    const n = tick.ran.length;
    expect(once.ran).toEqual(['boot#1']);
    expect(n).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 60));
    expect(tick.ran.length).toBe(n);
  });

  it('a consumer without a schedule of its own gets no job; one with a schedule gets `consumer.<name>`', () => {
    const handle = async () => {};
    expect(
      consumerJob(defineConsumer({ name: 'bot', events: ['report.ready'], schedule: null, handle })),
    ).toBeNull();
    const job = consumerJob(defineConsumer({ name: 'calendar', events: ['booking.created'], handle }));
    expect(job).toMatchObject({ name: 'consumer.calendar', role: 'worker', schedule: { everyMs: 5000 } });
  });

  it('refuses two jobs with one name', () => {
    const a = counter('dup', 'worker', { everyMs: 1000 });
    expect(() => startJobs([a.job, a.job], deps, ['worker'], { timers: false })).toThrow(
      'two jobs are named dup',
    );
  });
});
