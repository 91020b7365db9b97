import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../kernel/db/entities/AuditLog';
import { Department } from '../../kernel/db/entities/Department';
import { InboundEvent } from '../../kernel/db/entities/InboundEvent';
import { User } from '../../kernel/db/entities/User';
import type { StreamConnection } from '../../kernel/integrations/dingtalk/stream';
import { type RunningJobs, startJobs } from '../../kernel/jobs/registry';
import { startStream } from '../../runtime';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { httpEventMode, startVariantApp, type VariantApp } from '../../testing/variantApp';

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
 * Issue 14 item 1: the organisation comes from DingTalk (sync now, then the address-book events
 * over Stream and HTTP, each applied once), and admins grant and revoke roles.
 * Starts from an empty product: only the sandbox's DingTalk organisation, no seed.
 */
describeEachDialect('organisation from DingTalk and roles', (dialect) => {
  let t: TestApp;
  let http: VariantApp;
  let runner: RunningJobs;
  let stream: StreamConnection | null;
  let admin: string;
  const fresh = () => t.orm.em.fork();
  const user = (userid: string) =>
    fresh().findOne(User, { dingtalkUserId: userid }, { populate: ['department'] });
  const idOf = async (userid: string) => (await user(userid))?.id ?? -1;

  beforeAll(async () => {
    t = await startTestApp(dialect, { seed: false });
    await t.sandbox.configureEvents({ redeliverMs: 1500, retryMs: 100, maxAttempts: 3 });
    runner = startJobs(t.runtime.jobs, t.deps, ['worker'], { timers: false });
    stream = startStream(t.runtime, ['worker'], () => runner.wakeConsumers());
    await waitFor('stream connection', async () => (await t.sandbox.events()).connections.length > 0);
    http = await startVariantApp(t, httpEventMode);
    // The sandbox org's DingTalk main admin (hr01) is the one person let in on an empty product.
    admin = await t.signInEmployee('hr01');
  }, 30_000);

  afterAll(async () => {
    await http?.close();
    stream?.close();
    await runner?.stop();
    await t?.close();
  });

  describe('sync now', () => {
    it('before a role is granted, a member is refused and told which admins to ask', async () => {
      await expect(t.signInEmployee('int01')).rejects.toThrow(/403.*no_access.*王晓燕/);
    });

    it('reads every department and member from DingTalk; a second sync changes nothing', async () => {
      const unauth = await t.api('POST', '/api/org/sync');
      expect(unauth.status).toBe(401);
      const r = await t.api('POST', '/api/org/sync', { token: admin });
      expect(r.status).toBe(200);
      // int01 was recorded by the refused sign-in above; hr01 by theirs: both get their department now.
      expect(r.body).toMatchObject({
        departmentsCreated: 5,
        membersCreated: 6,
        membersUpdated: 2,
        membersDeactivated: 0,
      });
      const again = await t.api('POST', '/api/org/sync', { token: admin });
      expect(again.body).toMatchObject({
        departmentsCreated: 0,
        departmentsUpdated: 0,
        departmentsRemoved: 0,
        membersCreated: 0,
        membersUpdated: 0,
        membersDeactivated: 0,
      });
      expect(await fresh().count(User, {})).toBe(8);
      expect((await user('int01'))?.department?.name).toBe('研发中心');
      expect((await user('int01'))?.roles).toEqual([]);
      const status = await t.api('GET', '/api/org/status', { token: admin });
      expect(status.body).toMatchObject({ departments: 5, members: 8, withoutRole: 7 });
      expect(status.body.lastSync).toMatchObject({ membersCreated: 0, byName: '王晓燕' });
      expect(status.body.admins).toEqual([{ id: await idOf('hr01'), name: '王晓燕' }]);
      const members = await t.api('GET', '/api/org/members?role=none', { token: admin });
      expect(members.body.total).toBe(7);
      const search = await t.api('GET', '/api/org/members?q=%E5%BC%A0%E4%BC%9F', { token: admin });
      expect(search.body.items.map((m: { userid: string }) => m.userid)).toEqual(['int01']);
      const depts = await t.api('GET', '/api/org/departments', { token: admin });
      expect(depts.body.items.find((d: { dingtalkId: number }) => d.dingtalkId === 20)).toMatchObject({
        name: '研发中心',
        memberCount: 3,
      });
      expect(await fresh().count(AuditLog, { action: 'organisation.synced' })).toBe(2);
      const bad = await t.api('GET', '/api/org/members?role=boss', { token: admin });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe('query.role');
    });

    it('picks up what the events missed: a department and a member added without an event', async () => {
      await t.sandbox.addDepartment({ deptId: 50, name: '市场部', parentId: 1, publish: false });
      await t.sandbox.addEmployee({ userid: 'mkt01', name: '吴芳', deptId: 50, publish: false });
      const r = await t.api('POST', '/api/org/sync', { token: admin });
      expect(r.body).toMatchObject({ departmentsCreated: 1, membersCreated: 1 });
      expect((await user('mkt01'))?.department?.name).toBe('市场部');
    });

    it('two syncs at once write each newcomer once', async () => {
      await t.sandbox.addEmployee({ userid: 'mkt02', name: '何静', deptId: 50, publish: false });
      const [a, b] = await Promise.all([
        t.api('POST', '/api/org/sync', { token: admin }),
        t.api('POST', '/api/org/sync', { token: admin }),
      ]);
      expect([a.status, b.status], JSON.stringify([a.body, b.body])).toEqual([200, 200]);
      expect(a.body.membersCreated + b.body.membersCreated).toBe(1);
      expect(await fresh().count(User, { dingtalkUserId: 'mkt02' })).toBe(1);
    });
  });

  describe('roles', () => {
    it('an admin grants a role; the person can then sign in; granting again writes nothing', async () => {
      const id = await idOf('int01');
      const r = await t.api('POST', `/api/org/members/${id}/roles`, {
        token: admin,
        body: { role: 'interviewer' },
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ changed: true, member: { userid: 'int01', roles: ['interviewer'] } });
      const dup = await t.api('POST', `/api/org/members/${id}/roles`, {
        token: admin,
        body: { role: 'interviewer' },
      });
      expect(dup.body.changed).toBe(false);
      expect(await fresh().count(AuditLog, { action: 'role.granted', objectId: String(id) })).toBe(1);
      const tok = await t.signInEmployee('int01');
      expect((await t.api('GET', '/api/me', { token: tok })).status).toBe(200);
    });

    it('a manager is granted for a department (default: their own)', async () => {
      const id = await idOf('mgr01');
      const own = await t.api('POST', `/api/org/members/${id}/roles`, {
        token: admin,
        body: { role: 'manager' },
      });
      expect(own.body.member.managedDepartment.name).toBe('研发中心');
      const sales = await fresh().findOneOrFail(Department, { dingtalkId: 40 });
      const other = await t.api('POST', `/api/org/members/${id}/roles`, {
        token: admin,
        body: { role: 'manager', departmentId: sales.id },
      });
      expect(other.body).toMatchObject({ changed: true, member: { managedDepartment: { name: '销售部' } } });
      // The policies read the managed department: mgr01 now manages Sales.
      const tok = await t.signInEmployee('mgr01');
      expect((await t.api('GET', '/api/me', { token: tok })).status).toBe(200);
    });

    it('bad input names the field and changes nothing', async () => {
      const id = await idOf('int02');
      const cases: Array<[unknown, number, string]> = [
        [{ role: 'boss' }, 400, 'body.role'],
        [{}, 400, 'body.role'],
        [{ role: 'hr', departmentId: 1 }, 400, 'body.departmentId'],
        [{ role: 'manager', departmentId: 'x' }, 400, 'body.departmentId'],
        [{ role: 'hr', extra: 1 }, 400, 'body.extra'],
      ];
      for (const [body, status, field] of cases) {
        const r = await t.api('POST', `/api/org/members/${id}/roles`, { token: admin, body });
        expect(r.status, JSON.stringify(body)).toBe(status);
        expect(r.body.error.details[0].field).toBe(field);
      }
      expect(
        (await t.api('POST', '/api/org/members/99999/roles', { token: admin, body: { role: 'hr' } })).status,
      ).toBe(404);
      const gone = await t.api('POST', `/api/org/members/${id}/roles`, {
        token: admin,
        body: { role: 'manager', departmentId: 99999 },
      });
      expect(gone.status).toBe(404);
      expect((await user('int02'))?.roles).toEqual([]);
      expect((await t.api('DELETE', `/api/org/members/${id}/roles/boss`, { token: admin })).status).toBe(400);
    });

    it('only admins grant and sync; HR reads; others are refused', async () => {
      const hrId = await idOf('hr02');
      await t.api('POST', `/api/org/members/${hrId}/roles`, { token: admin, body: { role: 'hr' } });
      const hr = await t.signInEmployee('hr02');
      expect((await t.api('GET', '/api/org/members', { token: hr })).status).toBe(200);
      expect((await t.api('POST', '/api/org/sync', { token: hr })).status).toBe(403);
      const grant = await t.api('POST', `/api/org/members/${hrId}/roles`, {
        token: hr,
        body: { role: 'admin' },
      });
      expect(grant.status).toBe(403);
      const int = await t.signInEmployee('int01');
      expect((await t.api('GET', '/api/org/members', { token: int })).status).toBe(403);
      expect((await t.api('GET', '/api/org/status', { token: int })).status).toBe(403);
      expect((await user('hr02'))?.roles).toEqual(['hr']);
    });

    it('the last admin cannot be removed; two admins revoking each other at once leave one', async () => {
      const hr01 = await idOf('hr01');
      const last = await t.api('DELETE', `/api/org/members/${hr01}/roles/admin`, { token: admin });
      expect(last.status).toBe(409);
      expect(last.body.error.code).toBe('last_admin');
      const hr02 = await idOf('hr02');
      await t.api('POST', `/api/org/members/${hr02}/roles`, { token: admin, body: { role: 'admin' } });
      const other = await t.signInEmployee('hr02');
      const [a, b] = await Promise.all([
        t.api('DELETE', `/api/org/members/${hr02}/roles/admin`, { token: admin }),
        t.api('DELETE', `/api/org/members/${hr01}/roles/admin`, { token: other }),
      ]);
      const statuses = [a.status, b.status].sort();
      // One wins; the loser either finds itself no longer admin (403) or is the last one (409).
      expect(statuses[0]).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      const admins = (await fresh().find(User, { active: true })).filter((u) => u.roles.includes('admin'));
      expect(admins).toHaveLength(1);
      if (admins[0].dingtalkUserId === 'hr02') admin = other;
      expect(await fresh().count(AuditLog, { action: 'role.revoked' })).toBe(1);
    });
  });

  describe('address-book events', () => {
    it('user_add_org over Stream, delivered twice: one member, recorded once', async () => {
      await t.sandbox.configureEvents({ copies: 2 });
      try {
        const eventId = await t.sandbox.addEmployee({
          userid: 'new01',
          name: '郑爽',
          deptId: 30,
          title: '设计师',
        });
        await waitFor('member', () => user('new01'));
        await waitFor('both copies', async () =>
          (await t.sandbox.events()).deliveries.filter(
            (d) => d.eventId === eventId && d.status === 'delivered',
          ).length === 2
            ? true
            : null,
        );
        expect(await fresh().count(User, { dingtalkUserId: 'new01' })).toBe(1);
        expect(await fresh().count(InboundEvent, { eventId })).toBe(1);
        expect((await user('new01'))?.roles).toEqual([]);
      } finally {
        await t.sandbox.configureEvents({ copies: 1 });
      }
    });

    it('user_modify_org and org_dept_* over Stream: re-read and applied', async () => {
      await t.sandbox.modifyEmployee('new01', { title: '高级设计师', deptId: 20 });
      await waitFor('modified', async () => (await user('new01'))?.title === '高级设计师');
      expect((await user('new01'))?.department?.dingtalkId).toBe(20);
      await t.sandbox.addDepartment({ deptId: 60, name: '法务部', parentId: 1 });
      await waitFor('dept', () => fresh().findOne(Department, { dingtalkId: 60 }));
      await t.sandbox.modifyDepartment(60, { name: '法务与合规部' });
      await waitFor(
        'renamed',
        async () => (await fresh().findOne(Department, { dingtalkId: 60 }))?.name === '法务与合规部',
      );
      await t.sandbox.removeDepartment(60);
      await waitFor(
        'removed',
        async () => (await fresh().findOne(Department, { dingtalkId: 60 }))?.removedAt,
      );
    });

    it('a forged org_dept_remove for a department DingTalk still has changes nothing', async () => {
      const before = await fresh().count(InboundEvent, {});
      await t.sandbox.publishEvent('org_dept_remove', { DeptId: [20], TimeStamp: String(Date.now()) });
      await sleep(600);
      expect((await fresh().findOneOrFail(Department, { dingtalkId: 20 })).removedAt).toBeNull();
      expect(await fresh().count(InboundEvent, {})).toBe(before);
    });

    it('over the HTTP callback too, each event applied once', async () => {
      await t.sandbox.configureEvents({ mode: 'http', url: `${http.url}/api/dingtalk/events`, copies: 2 });
      try {
        const eventId = await t.sandbox.addEmployee({ userid: 'new02', name: '冯磊', deptId: 40 });
        await waitFor('member over http', () => user('new02'));
        await t.sandbox.modifyDepartment(40, { name: '销售与客户成功部' });
        await waitFor(
          'renamed over http',
          async () =>
            (await fresh().findOneOrFail(Department, { dingtalkId: 40 })).name === '销售与客户成功部',
        );
        await waitFor('all delivered', async () =>
          (await t.sandbox.events()).deliveries.every(
            (d) => d.status === 'delivered' || d.status === 'failed',
          ),
        );
        expect(await fresh().count(InboundEvent, { eventId })).toBe(1);
        expect(await fresh().count(User, { dingtalkUserId: 'new02' })).toBe(1);
      } finally {
        await t.sandbox.configureEvents({ mode: 'stream', url: null, copies: 1 });
      }
    });

    it('a member who leaves is deactivated and their session ends (event), and a sync agrees', async () => {
      const id = await idOf('new01');
      await t.api('POST', `/api/org/members/${id}/roles`, { token: admin, body: { role: 'interviewer' } });
      const tok = await t.signInEmployee('new01');
      expect((await t.api('GET', '/api/me', { token: tok })).status).toBe(200);
      await t.sandbox.removeEmployee('new01');
      await waitFor('deactivated', async () => (await user('new01'))?.active === false);
      expect((await t.api('GET', '/api/me', { token: tok })).status).toBe(401);
      const r = await t.api('POST', '/api/org/sync', { token: admin });
      expect(r.body.membersDeactivated).toBe(0);
      expect((await user('new01'))?.active).toBe(false);
      const listed = await t.api('GET', '/api/org/members?includeInactive=true&q=new01', { token: admin });
      expect(listed.body.items[0]).toMatchObject({ userid: 'new01', active: false });
    });
  });
});
