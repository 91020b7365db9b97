import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { InboundEvent } from '../../kernel/db/entities/InboundEvent';
import { User } from '../../kernel/db/entities/User';
import { sealEvent } from '../../kernel/integrations/dingtalk/callbackCrypto';
import type { StreamConnection } from '../../kernel/integrations/dingtalk/stream';
import { type RunningJobs, startJobs } from '../../kernel/jobs/registry';
import { startStream } from '../../runtime';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { httpEventMode, startVariantApp, type VariantApp } from '../../testing/variantApp';
import { deactivateEmployee } from './sessions';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 8000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(40);
  }
}

/**
 * Sessions end at once when an employee leaves the DingTalk organisation or is deactivated
 * (TRUST.md "Access control"): the old session token gets 401 on its next request.
 */
describeEachDialect('employees who leave lose their sessions at once', (dialect) => {
  let t: TestApp;
  let http: VariantApp;
  let runner: RunningJobs;
  let stream: StreamConnection | null;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    await t.sandbox.configureEvents({ redeliverMs: 1500, retryMs: 100, maxAttempts: 3 });
    runner = startJobs(t.runtime.jobs, t.deps, ['worker'], { timers: false });
    stream = startStream(t.runtime, ['worker'], () => runner.wakeConsumers());
    await waitFor('stream connection', async () => (await t.sandbox.events()).connections.length > 0);
    http = await startVariantApp(t, httpEventMode);
  }, 30_000);

  afterAll(async () => {
    await http?.close();
    stream?.close();
    await runner?.stop();
    await t?.close();
  });

  const fresh = () => t.orm.em.fork();
  const me = (token: string) => t.api('GET', '/api/me', { token });

  it('user_leave_org (Stream): the departed employee is deactivated and their session refused at once', async () => {
    const token = await t.signInEmployee('int04');
    const colleague = await t.signInEmployee('int03');
    expect((await me(token)).status).toBe(200);
    const res = await fetch(`${t.sandbox.url}/api/sandbox/employees/int04/leave`, { method: 'POST' });
    expect(res.status).toBe(200);
    await waitFor(
      'deactivated',
      async () => !(await fresh().findOneOrFail(User, { dingtalkUserId: 'int04' })).active,
    );
    const refused = await me(token);
    expect(refused.status).toBe(401);
    expect(['session_invalid', 'session_revoked']).toContain(refused.body.error.code);
    // Writes are refused too, and the colleague is untouched.
    expect((await t.api('GET', '/api/bookings/mine', { token })).status).toBe(401);
    expect((await me(colleague)).status).toBe(200);
    const user = await fresh().findOneOrFail(User, { dingtalkUserId: 'int04' });
    expect(user.sessionGeneration).toBe(1);
    expect(await fresh().count(AuditLog, { action: 'user.deactivated', objectId: String(user.id) })).toBe(1);
    // Signing in again is refused.
    await expect(t.signInEmployee('int04')).rejects.toThrow(/sign-in as int04 failed: 403/);
  }, 20_000);

  it('a forged or early user_leave_org (HTTP, demo secrets) for someone still in the organisation changes nothing', async () => {
    const token = await t.signInEmployee('int03');
    const before = await fresh().count(InboundEvent, {});
    const sealed = sealEvent(
      { ...t.config.dingtalk.callback },
      { EventType: 'user_leave_org', eventId: 'forged-1', UserId: ['int03'], TimeStamp: String(Date.now()) },
      Date.now(),
    );
    const r = await http.api('POST', `/api/dingtalk/events?${new URLSearchParams(sealed.query)}`, {
      body: sealed.body,
    });
    expect(r.status).toBeGreaterThanOrEqual(500);
    // Over Stream the same claim is refused as well (redelivered, then given up).
    await t.sandbox.publishEvent('user_leave_org', { UserId: ['int03'], TimeStamp: String(Date.now()) });
    await sleep(600);
    expect((await fresh().findOneOrFail(User, { dingtalkUserId: 'int03' })).active).toBe(true);
    expect((await me(token)).status).toBe(200);
    expect(await fresh().count(InboundEvent, {})).toBe(before);
  }, 20_000);

  it('deactivation ends sessions at once, and turning the account on again does not revive them', async () => {
    const token = await t.signInEmployee('int02');
    expect((await me(token)).status).toBe(200);
    await fresh().transactional((em) => deactivateEmployee(em, 'int02', 'deactivated'));
    expect((await me(token)).status).toBe(401);
    await fresh().nativeUpdate(User, { dingtalkUserId: 'int02' }, { active: true });
    const revived = await me(token);
    expect(revived.status).toBe(401);
    expect(revived.body.error.code).toBe('session_revoked');
    // A new sign-in works (new generation).
    expect((await me(await t.signInEmployee('int02'))).status).toBe(200);
    expect(await fresh().transactional((em) => deactivateEmployee(em, 'nobody', 'deactivated'))).toBe(false);
  });
});
