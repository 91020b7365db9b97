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

/**
 * Calls per second this process makes to one contacts API. DingTalk allows 20 per app and API
 * (reference §9); a full sync of a large organisation makes one call per department, so it is
 * paced below the limit instead of running into `90018` and failing after the client's retries.
 */
export const CONTACTS_CALLS_PER_SECOND = 15;

/** Spaces calls to each key evenly (per process; other instances are covered by the retries). */
export class Pacer {
  private readonly nextAt = new Map<string, number>();
  constructor(private readonly perSecond: number) {}

  async wait(key: string): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextAt.get(key) ?? 0);
    this.nextAt.set(key, at + 1000 / this.perSecond);
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}

/** Reads DingTalk's organisation with the app token. */
export class DingTalkContacts {
  private readonly pacer = new Pacer(CONTACTS_CALLS_PER_SECOND);

  constructor(private readonly core: DingTalkCore) {}

  private async oapi<T>(path: string, body: unknown): Promise<T> {
    await this.pacer.wait(path);
    return this.core.oapi<T>(path, body);
  }

  /** One department's detail (`not_found` DingTalkError when it no longer exists). */
  async department(deptId: number): Promise<DingTalkDepartment> {
    const res = await this.oapi<{ result: { dept_id: number; name: string; parent_id?: number } }>(
      '/topapi/v2/department/get',
      { dept_id: deptId, language: 'zh_CN' },
    );
    return { deptId: res.result.dept_id, name: res.result.name, parentId: res.result.parent_id ?? null };
  }

  /** The direct sub-departments of `deptId`. */
  async subDepartments(deptId: number): Promise<DingTalkDepartment[]> {
    const res = await this.oapi<{
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
      const res = await this.oapi<{
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
