import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, startTestApp, type TestApp } from '../../../testing/harness';

/**
 * Approval events come in bursts (task and instance changes, duplicates of each) and each is
 * checked against the instance; concurrent reads of one instance must cost DingTalk one call, or
 * the per-app QPS limit turns a burst into failed events.
 */
describeEachDialect('reading approval instances', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  const reads = async () =>
    (await t.sandbox.calls()).filter((c) => c.path.startsWith('/v1.0/workflow/processInstances')).length;

  it('concurrent reads of one instance share one call; a later read asks again', async () => {
    const before = await reads();
    const all = await Promise.allSettled(
      Array.from({ length: 10 }, () => t.deps.dingtalk.workflow.getProcessInstance('no-such-instance')),
    );
    // All ten get the same answer (here DingTalk's refusal of an unknown instance)...
    expect(new Set(all.map((r) => r.status))).toEqual(new Set(['rejected']));
    // ...from a single call.
    expect((await reads()) - before).toBe(1);
    await t.deps.dingtalk.workflow.getProcessInstance('no-such-instance').catch(() => {});
    expect((await reads()) - before).toBe(2);
  });
});
