/**
 * The address book (通讯录, reference §11): departments and members listed with the app token
 * (`/topapi/v2/department/listsub`, `/topapi/v2/department/get`, `/topapi/v2/user/list`), and
 * test/console hooks that change this sandbox's organisation the way an org admin would in
 * DingTalk, each followed by the address-book event DingTalk sends (`user_add_org`,
 * `user_modify_org`, `org_dept_create`, `org_dept_modify`, `org_dept_remove`). The product
 * must treat the events as hints and re-read through the API; `publish: false` on a hook
 * changes the organisation without an event (a missed delivery, for "sync now").
 */
import type { Context } from 'koa';
import type { DemoEmployee } from '../../../server/kernel/db/seeds/demoCompany';
import type { SandboxModule } from '../context';
import { OLD_API, sendOldApiError, sendOldApiOk } from '../errors';
import { bodyOf, oldApi, str } from '../gateway';
import type { SandboxState } from '../state';
import { departedEmployees } from './contact';
import { publishEvent } from './stream';

/** Members still in the organisation (the departed are no longer listed). */
function members(state: SandboxState): DemoEmployee[] {
  const gone = departedEmployees(state);
  return state.org.employees.filter((e) => !gone.has(e.userid));
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

function bad(ctx: Context, status: number, error: string): void {
  ctx.status = status;
  ctx.body = { error };
}

/** Registers the address-book API and hooks. */
export const addressBookModule: SandboxModule = ({ router, state }) => {
  const dept = (id: number) => state.org.departments.find((d) => d.dingtalkId === id);

  router.post('/topapi/v2/department/listsub', oldApi(state), (ctx) => {
    const raw = bodyOf(ctx).dept_id;
    const id = raw === undefined ? 1 : num(raw);
    if (id === undefined) return sendOldApiError(ctx, OLD_API.missingParameter, '参数 dept_id 不合法');
    if (!dept(id)) return sendOldApiError(ctx, OLD_API.deptNotFound);
    sendOldApiOk(ctx, {
      result: state.org.departments
        .filter((d) => d.parentDingtalkId === id)
        .map((d) => ({
          dept_id: d.dingtalkId,
          name: d.name,
          parent_id: d.parentDingtalkId,
          auto_add_user: true,
          create_dept_group: false,
        })),
    });
  });

  router.post('/topapi/v2/department/get', oldApi(state), (ctx) => {
    const id = num(bodyOf(ctx).dept_id);
    if (id === undefined) return sendOldApiError(ctx, OLD_API.missingParameter, '缺少参数 dept_id');
    const d = dept(id);
    if (!d) return sendOldApiError(ctx, OLD_API.deptNotFound);
    sendOldApiOk(ctx, {
      result: {
        dept_id: d.dingtalkId,
        name: d.name,
        ...(d.parentDingtalkId ? { parent_id: d.parentDingtalkId } : {}),
      },
    });
  });

  router.post('/topapi/v2/user/list', oldApi(state), (ctx) => {
    const b = bodyOf(ctx);
    const id = num(b.dept_id);
    const cursor = num(b.cursor);
    const size = num(b.size);
    if (id === undefined || cursor === undefined || size === undefined)
      return sendOldApiError(ctx, OLD_API.missingParameter, '缺少参数 dept_id, cursor 或 size');
    if (size < 1 || size > 100) return sendOldApiError(ctx, OLD_API.missingParameter, 'size 最大为 100');
    if (!dept(id)) return sendOldApiError(ctx, OLD_API.deptNotFound);
    const all = members(state).filter((e) => e.deptId === id);
    const page = all.slice(cursor, cursor + size);
    const more = cursor + size < all.length;
    sendOldApiOk(ctx, {
      result: {
        has_more: more,
        ...(more ? { next_cursor: cursor + size } : {}),
        list: page.map((e) => ({
          userid: e.userid,
          unionid: e.unionid,
          name: e.name,
          mobile: e.mobile,
          title: e.title,
          dept_id_list: [e.deptId],
          leader: e.roles.includes('manager'),
          admin: e.roles.includes('admin'),
          active: true,
        })),
      },
    });
  });

  // ---- hooks: an org admin changes the organisation in DingTalk ------------------------------

  const announce = (publish: unknown, eventType: string, fields: Record<string, unknown>) =>
    publish === false ? null : publishEvent(state, eventType, { ...fields, TimeStamp: String(state.now()) });

  router.post('/api/sandbox/contact/employees', (ctx) => {
    const b = bodyOf(ctx);
    const userid = str(b.userid);
    const name = str(b.name);
    const deptId = num(b.deptId);
    if (!userid || !name || deptId === undefined)
      return bad(ctx, 400, 'userid, name and deptId are required');
    if (!dept(deptId)) return bad(ctx, 404, 'no such department');
    if (state.employee(userid)) return bad(ctx, 409, 'userid taken');
    const e: DemoEmployee = {
      userid,
      unionid: str(b.unionid) ?? `uid-${userid}`,
      name,
      mobile: str(b.mobile) ?? '',
      title: str(b.title) ?? '',
      deptId,
      roles: b.leader === true ? ['manager'] : [],
    };
    state.org.employees.push(e);
    ctx.body = { userid, eventId: announce(b.publish, 'user_add_org', { UserId: [userid] }) };
  });

  router.patch('/api/sandbox/contact/employees/:userid', (ctx) => {
    const b = bodyOf(ctx);
    const i = state.org.employees.findIndex((e) => e.userid === ctx.params.userid);
    if (i < 0) return bad(ctx, 404, 'no such employee');
    const deptId = b.deptId === undefined ? undefined : num(b.deptId);
    if (b.deptId !== undefined && (deptId === undefined || !dept(deptId)))
      return bad(ctx, 404, 'no such department');
    const e = state.org.employees[i];
    // Replace, never mutate: the original object is shared with the demo data.
    state.org.employees[i] = {
      ...e,
      name: str(b.name) ?? e.name,
      title: str(b.title) ?? e.title,
      mobile: str(b.mobile) ?? e.mobile,
      deptId: deptId ?? e.deptId,
    };
    ctx.body = { userid: e.userid, eventId: announce(b.publish, 'user_modify_org', { UserId: [e.userid] }) };
  });

  router.post('/api/sandbox/contact/departments', (ctx) => {
    const b = bodyOf(ctx);
    const id = num(b.deptId);
    const name = str(b.name);
    const parent = num(b.parentId) ?? 1;
    if (id === undefined || !name) return bad(ctx, 400, 'deptId and name are required');
    if (dept(id)) return bad(ctx, 409, 'deptId taken');
    if (!dept(parent)) return bad(ctx, 404, 'no such parent department');
    state.org.departments.push({ dingtalkId: id, name, parentDingtalkId: parent });
    ctx.body = { deptId: id, eventId: announce(b.publish, 'org_dept_create', { DeptId: [id] }) };
  });

  router.patch('/api/sandbox/contact/departments/:id', (ctx) => {
    const b = bodyOf(ctx);
    const id = num(ctx.params.id);
    const i = state.org.departments.findIndex((d) => d.dingtalkId === id);
    if (id === undefined || i < 0) return bad(ctx, 404, 'no such department');
    const d = state.org.departments[i];
    state.org.departments[i] = { ...d, name: str(b.name) ?? d.name };
    ctx.body = { deptId: id, eventId: announce(b.publish, 'org_dept_modify', { DeptId: [id] }) };
  });

  router.delete('/api/sandbox/contact/departments/:id', (ctx) => {
    const id = num(ctx.params.id);
    const i = state.org.departments.findIndex((d) => d.dingtalkId === id);
    if (id === undefined || i < 0) return bad(ctx, 404, 'no such department');
    // DingTalk refuses to delete a department that still has members or sub-departments.
    if (
      members(state).some((e) => e.deptId === id) ||
      state.org.departments.some((d) => d.parentDingtalkId === id)
    )
      return bad(ctx, 409, 'department not empty');
    state.org.departments.splice(i, 1);
    ctx.body = {
      deptId: id,
      eventId: announce(ctx.query.publish !== 'false', 'org_dept_remove', { DeptId: [id] }),
    };
  });
};
