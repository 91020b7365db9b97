/**
 * The sandbox's address book (reference §11) as the product's contacts client sees it: the app
 * token on every call, departments one level at a time, members with cursor pagination, DingTalk's
 * error shapes, and the hooks (and console) that change the organisation of this sandbox only.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_EMPLOYEES, DEMO_ORG } from '../../server/kernel/db/seeds/demoCompany';
import { type Sandbox, startSandbox } from './server';

let sb: Sandbox;
let other: Sandbox;
let token: string;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, appUrl: 'http://app.example.test' });
  other = await startSandbox({ port: 0, appUrl: 'http://app.example.test' });
  const r = await fetch(`${sb.url}/gettoken?appkey=${DEMO_ORG.appKey}&appsecret=${DEMO_ORG.appSecret}`);
  token = (await r.json()).access_token;
});
afterAll(async () => {
  await sb?.close();
  await other?.close();
});

const oapi = async (path: string, body: unknown, t: string | null = token) =>
  (
    await fetch(`${sb.url}${path}${t ? `?access_token=${t}` : ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  ).json();

it('lists departments one level at a time and members page by page', async () => {
  const root = await oapi('/topapi/v2/department/listsub', { dept_id: 1 });
  expect(root.errcode).toBe(0);
  expect(root.result.map((d: { dept_id: number }) => d.dept_id)).toEqual([10, 20, 30, 40]);
  const p1 = await oapi('/topapi/v2/user/list', { dept_id: 20, cursor: 0, size: 2 });
  expect(p1.result).toMatchObject({ has_more: true, next_cursor: 2 });
  const p2 = await oapi('/topapi/v2/user/list', { dept_id: 20, cursor: 2, size: 2 });
  expect(p2.result.has_more).toBe(false);
  const ids = [...p1.result.list, ...p2.result.list].map((u: { userid: string }) => u.userid).sort();
  expect(ids).toEqual(
    DEMO_EMPLOYEES.filter((e) => e.deptId === 20)
      .map((e) => e.userid)
      .sort(),
  );
  expect(p1.result.list[0]).toMatchObject({ unionid: expect.any(String), dept_id_list: [20] });
});

it("answers with DingTalk's errors: no token, unknown department, bad size", async () => {
  expect((await oapi('/topapi/v2/department/listsub', { dept_id: 1 }, null)).errcode).toBe(88);
  expect((await oapi('/topapi/v2/department/get', { dept_id: 999 })).errcode).toBe(60003);
  expect((await oapi('/topapi/v2/user/list', { dept_id: 20, cursor: 0, size: 500 })).errcode).toBe(40035);
});

it('hooks change this sandbox only, and announce the change as an address-book event', async () => {
  const post = (path: string, body: unknown, method = 'POST') =>
    fetch(`${sb.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const add = await post('/api/sandbox/contact/employees', { userid: 'x01', name: '新人', deptId: 30 });
  expect(add.status).toBe(200);
  expect((await add.json()).eventId).toEqual(expect.any(String));
  expect(
    (await post('/api/sandbox/contact/employees', { userid: 'x01', name: '重复', deptId: 30 })).status,
  ).toBe(409);
  const list = await oapi('/topapi/v2/user/list', { dept_id: 30, cursor: 0, size: 100 });
  expect(list.result.list.map((u: { userid: string }) => u.userid)).toContain('x01');
  // A department with members cannot be removed (DingTalk refuses too).
  expect((await fetch(`${sb.url}/api/sandbox/contact/departments/30`, { method: 'DELETE' })).status).toBe(
    409,
  );
  const events = await (await fetch(`${sb.url}/api/sandbox/events`)).json();
  expect(events.deliveries.map((d: { eventType: string }) => d.eventType)).toContain('user_add_org');
  // The other sandbox (same demo data) is untouched.
  const t2 = (
    await (
      await fetch(`${other.url}/gettoken?appkey=${DEMO_ORG.appKey}&appsecret=${DEMO_ORG.appSecret}`)
    ).json()
  ).access_token;
  const list2 = await (
    await fetch(`${other.url}/topapi/v2/user/list?access_token=${t2}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dept_id: 30, cursor: 0, size: 100 }),
    })
  ).json();
  expect(list2.result.list.map((u: { userid: string }) => u.userid)).not.toContain('x01');
  const html = await (await fetch(`${sb.url}/`)).text();
  expect(html).toContain('data-testid="add-member"');
  expect(html).toContain('新人');
});
