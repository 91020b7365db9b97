import type * as HrmClientModule from '@alicloud/dingtalk/dist/hrm_1_0/client';
import type HrmClient from '@alicloud/dingtalk/dist/hrm_1_0/client';
import type { DingTalkCore } from './client';
import { CONTACTS_CALLS_PER_SECOND, Pacer } from './contacts';
import { DingTalkError } from './errors';
import { lazySdk } from './sdk';

const $hrm = lazySdk<typeof HrmClientModule>('@alicloud/dingtalk/dist/hrm_1_0/client');

/** A new hire to register as 待入职 (pre-entry). */
export interface PreEntryArgs {
  name: string;
  mobile: string;
  /** Planned start (UTC instant). */
  preEntryTime: Date;
  /** DingTalk userid of the HR operator (old API `op_userid`). */
  opUserId: string;
  position?: string;
  deptId?: number;
}

/** An employee's probation status in the roster (智能人事 花名册). */
export interface RosterStatus {
  userId: string;
  /** `sys01-employeeStatus`: 2 试用 (probation), 3 正式 (regular), 5 待离职 (leaving); null if absent. */
  status: number | null;
  /** `sys01-regularTime` (实际转正日期), `yyyy-MM-dd`. */
  regularDate: string | null;
}

/** A former employee's leaving record. */
export interface Dismission {
  userId: string;
  lastWorkDay: Date | null;
  /** The status before leaving: 2 still in probation, 3 regular. */
  preStatus: number | null;
}

/** One performance appraisal from the PERFORMANCE master data. */
export interface PerformanceRecord {
  userId: string;
  grade: string;
  period: string | null;
}

/** Largest batches the HR APIs take (roster 100, leaving records 50). */
const ROSTER_BATCH = 100;
const DISMISSION_BATCH = 50;

function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * HR pre-entry records (reference §8): the new `/v1.0/hrm/preentries`, falling back to the old
 * `addpreentry` when the new API is not available to the app (not found / no permission).
 */
export class DingTalkHrm {
  #lazyClient: HrmClient | null = null;

  /** Made on first call: a process that never calls this API never loads its SDK module. */
  private get client(): HrmClient {
    if (!this.#lazyClient) this.#lazyClient = new $hrm.default(this.core.sdkConfig());
    return this.#lazyClient;
  }

  constructor(private readonly core: DingTalkCore) {}

  /** Adds the pre-entry record; returns the temporary user id and which API created it. */
  async addPreEntry(args: PreEntryArgs): Promise<{ id: string; via: 'new' | 'old' }> {
    try {
      const res = await this.core.withAppToken('hrm.addHrmPreentry', (token) =>
        this.client.addHrmPreentryWithOptions(
          new $hrm.AddHrmPreentryRequest({
            name: args.name,
            mobile: args.mobile,
            preEntryTime: args.preEntryTime.getTime(),
            agentId: this.core.settings.agentId,
            needSendPreEntryMsg: false,
          }),
          new $hrm.AddHrmPreentryHeaders({ xAcsDingtalkAccessToken: token }),
          this.core.runtime(),
        ),
      );
      return { id: res.body?.tmpUserId ?? '', via: 'new' };
    } catch (err) {
      // Only "this API is not there for you" falls back; a rejected record (member already in
      // the org, bad mobile) would be rejected by the old API too.
      const e = err as DingTalkError;
      const unavailable =
        e instanceof DingTalkError &&
        (e.httpStatus === 404 || e.httpStatus === 403 || e.code === 'InvalidAction.NotFound') &&
        e.kind !== 'throttle';
      if (!unavailable) throw err;
    }
    const extend: Record<string, string> = {};
    if (args.position) extend.position = args.position;
    if (args.deptId) extend.depts = String(args.deptId);
    const res = await this.core.oapi<{ userid?: string }>('/topapi/smartwork/hrm/employee/addpreentry', {
      param: {
        name: args.name,
        mobile: args.mobile,
        pre_entry_time: formatShanghai(args.preEntryTime),
        op_userid: args.opUserId,
        extend_info: JSON.stringify(extend),
      },
    });
    return { id: res.userid ?? '', via: 'old' };
  }
}

/**
 * What DingTalk's HR (智能人事) knows of hired people after they join, for closed-loop validity:
 * the employee behind a mobile, their probation status and 转正 date, leaving records and
 * performance grades. Every call goes through the SDK (the old `getbymobile` has no SDK client)
 * with the core's token and throttling rules; a failure throws {@link DingTalkError}.
 */
export class DingTalkHrmRecords {
  #lazyClient: HrmClient | null = null;
  /** A sync makes one `getbymobile` per new hire: paced below DingTalk's 20 calls/s per API. */
  private readonly pacer = new Pacer(CONTACTS_CALLS_PER_SECOND);

  private get client(): HrmClient {
    if (!this.#lazyClient) this.#lazyClient = new $hrm.default(this.core.sdkConfig());
    return this.#lazyClient;
  }

  constructor(
    private readonly core: DingTalkCore,
    private readonly performance: { tenantId: number; view: string },
  ) {}

  /** The member's userid for a mobile, or null when nobody in the org has it (60121). */
  async userIdByMobile(mobile: string): Promise<string | null> {
    await this.pacer.wait('getbymobile');
    try {
      const res = await this.core.oapi<{ result?: { userid?: string } }>('/topapi/v2/user/getbymobile', {
        mobile,
      });
      return res.result?.userid ?? null;
    } catch (err) {
      if (err instanceof DingTalkError && err.code === '60121') return null;
      throw err;
    }
  }

  /** Probation status and 转正 date of members (people who left are not in the roster). */
  async roster(userIds: readonly string[]): Promise<RosterStatus[]> {
    const out: RosterStatus[] = [];
    for (const batch of chunks(userIds, ROSTER_BATCH)) {
      await this.pacer.wait('hrm.getEmployeeRosterByField');
      const res = await this.core.withAppToken('hrm.getEmployeeRosterByField', (token) =>
        this.client.getEmployeeRosterByFieldWithOptions(
          new $hrm.GetEmployeeRosterByFieldRequest({
            userIdList: batch,
            fieldFilterList: ['sys01-employeeStatus', 'sys01-regularTime'],
            appAgentId: this.core.settings.agentId,
            text2SelectConvert: false,
          }),
          new $hrm.GetEmployeeRosterByFieldHeaders({ xAcsDingtalkAccessToken: token }),
          this.core.runtime(),
        ),
      );
      for (const r of res.body?.result ?? []) {
        const field = (code: string) =>
          r.fieldDataList?.find((f) => f.fieldCode === code)?.fieldValueList?.[0]?.value ?? null;
        const status = field('sys01-employeeStatus');
        out.push({
          userId: r.userId ?? '',
          status: status === null || status === '' ? null : Number(status),
          regularDate: field('sys01-regularTime') || null,
        });
      }
    }
    return out;
  }

  /** Leaving records of former employees (ids that did not leave are absent). */
  async dismissions(userIds: readonly string[]): Promise<Dismission[]> {
    const out: Dismission[] = [];
    for (const batch of chunks(userIds, DISMISSION_BATCH)) {
      await this.pacer.wait('hrm.queryHrmEmployeeDismissionInfo');
      const res = await this.core.withAppToken('hrm.queryHrmEmployeeDismissionInfo', (token) =>
        this.client.queryHrmEmployeeDismissionInfoWithOptions(
          new $hrm.QueryHrmEmployeeDismissionInfoRequest({ userIdList: batch }),
          new $hrm.QueryHrmEmployeeDismissionInfoHeaders({ xAcsDingtalkAccessToken: token }),
          this.core.runtime(),
        ),
      );
      for (const r of res.body?.result ?? [])
        out.push({
          userId: r.userId ?? '',
          lastWorkDay: typeof r.lastWorkDay === 'number' ? new Date(r.lastWorkDay) : null,
          preStatus: typeof r.preStatus === 'number' ? r.preStatus : null,
        });
    }
    return out;
  }

  /**
   * Performance appraisals (master data scope `PERFORMANCE`), every page. The grade is the
   * `performanceValue` field; the period `periodName` (UNCONFIRMED code, see the sandbox).
   */
  async performanceRecords(userIds: readonly string[]): Promise<PerformanceRecord[]> {
    const out: PerformanceRecord[] = [];
    for (const batch of chunks(userIds, ROSTER_BATCH)) {
      let next = 0;
      for (let page = 0; page < 1000; page++) {
        await this.pacer.wait('hrm.masterDataQuery');
        const res = await this.core.withAppToken('hrm.masterDataQuery', (token) =>
          this.client.masterDataQueryWithOptions(
            new $hrm.MasterDataQueryRequest({
              scopeCode: 'PERFORMANCE',
              viewEntityCode: this.performance.view,
              tenantId: this.performance.tenantId,
              relationIds: batch,
              nextToken: next,
              maxResults: 100,
            }),
            new $hrm.MasterDataQueryHeaders({ xAcsDingtalkAccessToken: token }),
            this.core.runtime(),
          ),
        );
        for (const r of res.body?.result ?? []) {
          const field = (code: string) =>
            r.viewEntityFieldVOList?.find((f) => f.fieldCode === code)?.fieldDataVO?.value ?? null;
          const grade = field('performanceValue');
          if (r.relationId && grade) out.push({ userId: r.relationId, grade, period: field('periodName') });
        }
        if (!res.body?.hasMore) break;
        next = Number(res.body.nextToken ?? 0);
      }
    }
    return out;
  }
}

/** `yyyy-MM-dd HH:mm:ss` in China time, the old API's format. */
function formatShanghai(d: Date): string {
  const s = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}
