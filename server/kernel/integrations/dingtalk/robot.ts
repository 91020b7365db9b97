import type * as RobotClientModule from '@alicloud/dingtalk/dist/robot_1_0/client';
import type RobotClient from '@alicloud/dingtalk/dist/robot_1_0/client';
import type { DingTalkCore } from './client';
import { DingTalkError } from './errors';
import { lazySdk } from './sdk';

const $robot = lazySdk<typeof RobotClientModule>('@alicloud/dingtalk/dist/robot_1_0/client');

/** A robot message: `msgKey` (sampleMarkdown, sampleActionCard…) and its parameters. */
export interface RobotMessage {
  msgKey: string;
  msgParam: Record<string, string>;
}

/** Result of one `batchSendOTO` call. */
export interface OtoResult {
  processQueryKey: string;
  invalidUserIds: string[];
  flowControlledUserIds: string[];
}

/** Read status of a 1:1 robot message (reference §6b `batchOTOQuery`). */
export interface OtoReadStatus {
  sendStatus: string;
  readers: Array<{ userId: string; read: boolean; readTimestamp: number | null }>;
}

/** DingTalk's documented (UNCONFIRMED officially) batch size of `batchSendOTO`. */
export const OTO_CHUNK = 20;

/**
 * The enterprise internal robot (`robot_1_0`, reference §6b): 1:1 messages, group messages and
 * read status, through the real SDK with the app token (refresh-once and throttle retry come
 * from {@link DingTalkCore.withAppToken}).
 */
export class DingTalkRobot {
  #lazyClient: RobotClient | null = null;

  /** Made on first call: a process that never calls this API never loads its SDK module. */
  private get client(): RobotClient {
    if (!this.#lazyClient) this.#lazyClient = new $robot.default(this.core.sdkConfig());
    return this.#lazyClient;
  }

  constructor(private readonly core: DingTalkCore) {}

  /** The robot code messages are sent as (normally the AppKey). */
  get robotCode(): string {
    return this.core.settings.robotCode;
  }

  /** Sends one message 1:1 to up to any number of users, in calls of {@link OTO_CHUNK}. */
  async sendOto(userIds: string[], msg: RobotMessage): Promise<OtoResult[]> {
    const out: OtoResult[] = [];
    for (let i = 0; i < userIds.length; i += OTO_CHUNK) {
      const chunk = userIds.slice(i, i + OTO_CHUNK);
      const res = await this.core.withAppToken('robot.batchSendOTO', (token) =>
        this.client.batchSendOTOWithOptions(
          new $robot.BatchSendOTORequest({
            robotCode: this.robotCode,
            userIds: chunk,
            msgKey: msg.msgKey,
            msgParam: JSON.stringify(msg.msgParam),
          }),
          new $robot.BatchSendOTOHeaders({ xAcsDingtalkAccessToken: token }),
          this.core.runtime(),
        ),
      );
      out.push({
        processQueryKey: res.body?.processQueryKey ?? '',
        invalidUserIds: res.body?.invalidStaffIdList ?? [],
        flowControlledUserIds: res.body?.flowControlledStaffIdList ?? [],
      });
    }
    return out;
  }

  /** Posts to a group the robot is in (`orgGroupSend`). Returns the processQueryKey. */
  async sendGroup(openConversationId: string, msg: RobotMessage): Promise<string> {
    const res = await this.core.withAppToken('robot.orgGroupSend', (token) =>
      this.client.orgGroupSendWithOptions(
        new $robot.OrgGroupSendRequest({
          robotCode: this.robotCode,
          openConversationId,
          msgKey: msg.msgKey,
          msgParam: JSON.stringify(msg.msgParam),
        }),
        new $robot.OrgGroupSendHeaders({ xAcsDingtalkAccessToken: token }),
        this.core.runtime(),
      ),
    );
    const key = res.body?.processQueryKey;
    if (!key) throw new DingTalkError('other', 'no_process_key', 'orgGroupSend returned no processQueryKey');
    return key;
  }

  /** Who has read a 1:1 message (`batchOTOQuery`). */
  async readStatus(processQueryKey: string): Promise<OtoReadStatus> {
    const res = await this.core.withAppToken('robot.batchOTOQuery', (token) =>
      this.client.batchOTOQueryWithOptions(
        new $robot.BatchOTOQueryRequest({ robotCode: this.robotCode, processQueryKey }),
        new $robot.BatchOTOQueryHeaders({ xAcsDingtalkAccessToken: token }),
        this.core.runtime(),
      ),
    );
    return {
      sendStatus: res.body?.sendStatus ?? '',
      readers: (res.body?.messageReadInfoList ?? []).map((r) => ({
        userId: r.userId ?? '',
        read: r.readStatus === 'READ',
        readTimestamp: r.readTimestamp ?? null,
      })),
    };
  }
}
