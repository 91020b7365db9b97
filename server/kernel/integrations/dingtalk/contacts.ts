/**
 * The address book (通讯录, dingtalk-reference.md §11) through the documented `oapi` endpoints
 * (no SDK client exists for them): departments one level at a time and members per department
 * with cursor pagination. Contacts calls do not count toward the monthly quota (§9).
 */
import type { DingTalkCore } from './client';

/** A department as DingTalk lists it. */
export interface DingTalkDepartment {
  deptId: number;
  name: string;
  /** Null for the root (dept_id 1). */
  parentId: number | null;
}

/** A member as `/topapi/v2/user/list` returns them. */
export interface DingTalkMember {
  userid: string;
  unionid: string | null;
  name: string;
  mobile: string | null;
  title: string | null;
  deptIds: number[];
  /** Leads at least one of their departments (DingTalk's 部门主管). */
  leader: boolean;
}

/** DingTalk's root department id. */
export const ROOT_DEPT_ID = 1;

/** Reads DingTalk's organisation with the app token. */
export class DingTalkContacts {
  constructor(private readonly core: DingTalkCore) {}

  /** One department's detail (`not_found` DingTalkError when it no longer exists). */
  async department(deptId: number): Promise<DingTalkDepartment> {
    const res = await this.core.oapi<{ result: { dept_id: number; name: string; parent_id?: number } }>(
      '/topapi/v2/department/get',
      { dept_id: deptId, language: 'zh_CN' },
    );
    return { deptId: res.result.dept_id, name: res.result.name, parentId: res.result.parent_id ?? null };
  }

  /** The direct sub-departments of `deptId`. */
  async subDepartments(deptId: number): Promise<DingTalkDepartment[]> {
    const res = await this.core.oapi<{
      result: Array<{ dept_id: number; name: string; parent_id?: number }>;
    }>('/topapi/v2/department/listsub', { dept_id: deptId, language: 'zh_CN' });
    return (res.result ?? []).map((d) => ({
      deptId: d.dept_id,
      name: d.name,
      parentId: d.parent_id ?? deptId,
    }));
  }

  /** Every department under the root, parents before children (breadth first), root included. */
  async allDepartments(): Promise<DingTalkDepartment[]> {
    const root = await this.department(ROOT_DEPT_ID);
    const out: DingTalkDepartment[] = [{ ...root, parentId: null }];
    for (let i = 0; i < out.length; i++) {
      out.push(...(await this.subDepartments(out[i].deptId)));
      if (out.length > 10_000) throw new Error('organisation larger than 10,000 departments');
    }
    return out;
  }

  /** Every member listed directly in `deptId` (all pages, 100 at a time). */
  async members(deptId: number): Promise<DingTalkMember[]> {
    const out: DingTalkMember[] = [];
    let cursor = 0;
    for (;;) {
      const res = await this.core.oapi<{
        result: {
          has_more: boolean;
          next_cursor?: number;
          list: Array<{
            userid: string;
            unionid?: string;
            name: string;
            mobile?: string;
            title?: string;
            dept_id_list?: number[];
            leader?: boolean;
          }>;
        };
      }>('/topapi/v2/user/list', { dept_id: deptId, cursor, size: 100, language: 'zh_CN' });
      for (const u of res.result.list ?? [])
        out.push({
          userid: u.userid,
          unionid: u.unionid || null,
          name: u.name,
          mobile: u.mobile || null,
          title: u.title || null,
          deptIds: u.dept_id_list ?? [deptId],
          leader: u.leader === true,
        });
      if (!res.result.has_more || res.result.next_cursor === undefined) return out;
      cursor = res.result.next_cursor;
    }
  }
}
