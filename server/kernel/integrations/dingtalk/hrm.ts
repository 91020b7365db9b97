import type * as HrmClientModule from '@alicloud/dingtalk/dist/hrm_1_0/client';
import type HrmClient from '@alicloud/dingtalk/dist/hrm_1_0/client';
import type { DingTalkCore } from './client';
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

/** `yyyy-MM-dd HH:mm:ss` in China time, the old API's format. */
function formatShanghai(d: Date): string {
  const s = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}
