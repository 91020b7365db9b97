import type { DingTalkCore } from './client';

/** What `getuserinfo` tells us about the person who opened the app (免登). */
export interface DingTalkUserInfo {
  userid: string;
  unionid: string | null;
  name: string;
  /** 1 main admin, 2 sub-admin, 100 boss, 0 other. */
  sysLevel: number;
}

/** Employee detail from `/topapi/v2/user/get`. */
export interface DingTalkUserDetail {
  userid: string;
  unionid: string | null;
  name: string;
  mobile: string | null;
  title: string | null;
  deptIds: number[];
  /** Leads at least one of their departments (`leader_in_dept`). */
  leader: boolean;
}

/**
 * Employee identity inside DingTalk (dingtalk-reference.md §2): the H5 app's auth code is
 * exchanged with the app token; the org is enforced by using our own corp's credentials.
 */
export class DingTalkIdentity {
  constructor(private readonly core: DingTalkCore) {}

  /** Exchanges a 免登 auth code (5 min, single use) for the user's identity. */
  async userInfoByCode(code: string): Promise<DingTalkUserInfo> {
    const res = await this.core.oapi<{
      result: { userid: string; unionid?: string; name?: string; sys_level?: number };
    }>('/topapi/v2/user/getuserinfo', { code });
    return {
      userid: res.result.userid,
      unionid: res.result.unionid || null,
      name: res.result.name ?? '',
      sysLevel: res.result.sys_level ?? 0,
    };
  }

  /** Loads an employee's detail (name, mobile, departments, title). */
  async userDetail(userid: string): Promise<DingTalkUserDetail> {
    const res = await this.core.oapi<{
      result: {
        userid: string;
        unionid?: string;
        name: string;
        mobile?: string;
        title?: string;
        dept_id_list?: number[];
        leader_in_dept?: Array<{ dept_id: number; leader: boolean }>;
      };
    }>('/topapi/v2/user/get', { userid, language: 'zh_CN' });
    const r = res.result;
    return {
      userid: r.userid,
      unionid: r.unionid || null,
      name: r.name,
      mobile: r.mobile || null,
      title: r.title || null,
      deptIds: r.dept_id_list ?? [],
      leader: (r.leader_in_dept ?? []).some((l) => l.leader === true),
    };
  }
}
