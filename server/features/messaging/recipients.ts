/**
 * Who gets a message and through which channel, and the helper that enqueues one message row
 * per channel. Employees get the app robot 1:1; candidates who are also members of the
 * organisation (same DingTalk unionId as an employee) too; outside candidates get the mini-app
 * inbox plus the company's SMS/e-mail gateway when one is configured.
 */
import type { BotLocale, TemplateData, TemplateName } from '../../../bot/messages';
import { botLocale } from '../../../bot/messages';
import { Candidate, type ICandidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { JobRules } from '../../kernel/db/entities/JobRules';
import { type IUser, User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { asTx, type Tx } from '../../kernel/db/tx';
import { CHANNELS } from './channels';
import type { MessagePayload } from './render';
import type { NotificationSettings } from './settings';

/** Where one message goes. */
export interface Target {
  kind: 'employee' | 'candidate' | 'group';
  /** Employee/internal candidate: DingTalk userid; outside candidate: candidate id; group: conversation id. */
  id: string;
  channel: string;
  locale: BotLocale;
}

/** The robot 1:1 target of an employee. */
export function employeeTarget(user: Pick<IUser, 'dingtalkUserId' | 'locale'>): Target {
  return {
    kind: 'employee',
    id: user.dingtalkUserId,
    channel: CHANNELS.robotOto,
    locale: botLocale(user.locale),
  };
}

/** Targets of a candidate: robot 1:1 if they are in the organisation, else inbox (+ gateway). */
export async function candidateTargets(
  em: Em,
  candidate: ICandidate,
  s: Pick<NotificationSettings, 'gateway'>,
): Promise<Target[]> {
  const member = candidate.unionId
    ? await em.findOne(User, { unionId: candidate.unionId, active: true }, { fields: ['dingtalkUserId'] })
    : null;
  return candidateTargetsOf(candidate, member?.dingtalkUserId ?? null, s);
}

/**
 * {@link candidateTargets} from what is already loaded: the candidate's fields and the DingTalk
 * userid of the active employee with the same unionId (null when there is none).
 */
export function candidateTargetsOf(
  candidate: Pick<ICandidate, 'id' | 'locale' | 'mobile' | 'email'>,
  memberUserId: string | null,
  s: Pick<NotificationSettings, 'gateway'>,
): Target[] {
  const locale = botLocale(candidate.locale);
  if (memberUserId) return [{ kind: 'employee', id: memberUserId, channel: CHANNELS.robotOto, locale }];
  const targets: Target[] = [
    { kind: 'candidate', id: String(candidate.id), channel: CHANNELS.inbox, locale },
  ];
  if (s.gateway && (candidate.mobile || candidate.email))
    targets.push({ kind: 'candidate', id: String(candidate.id), channel: CHANNELS.gateway, locale });
  return targets;
}

/** The hiring team's group: the job's own (`JobRules.hiringGroupConversationId`), else the configured one. */
export async function groupTarget(
  em: Em,
  jobId: number,
  s: Pick<NotificationSettings, 'hiringGroupId'>,
  locale: BotLocale = 'zh-CN',
): Promise<Target> {
  const rules = await em.findOne(JobRules, { job: jobId }, { fields: ['hiringGroupConversationId'] });
  const id = rules?.hiringGroupConversationId || s.hiringGroupId;
  return { kind: 'group', id, channel: CHANNELS.group, locale };
}

/** One message to enqueue. */
export interface Notice<T extends TemplateName> {
  /** Base key; the target is appended (`<key>:<channel>:<id>`). */
  key: string;
  topic: string;
  aggregate: string;
  template: T;
  data: TemplateData[T];
  dueAt?: Date;
  extra?: Partial<MessagePayload>;
}

/** Enqueues `notice` for each target, in the caller's transaction (ORM or plain SQL). */
export async function notify<T extends TemplateName>(
  em: Em | Tx,
  targets: Target[],
  notice: Notice<T>,
): Promise<void> {
  const tx = asTx(em);
  for (const t of targets) {
    await tx.enqueue({
      key: `${notice.key}:${t.channel}:${t.id}`,
      topic: notice.topic,
      aggregate: notice.aggregate,
      recipient: { kind: t.kind, id: t.id },
      channel: t.channel,
      payload: { template: notice.template, data: notice.data, locale: t.locale, ...notice.extra } as Record<
        string,
        unknown
      >,
      dueAt: notice.dueAt,
    });
  }
}

/** Loads what messages about an application need: candidate, job, the job's hiring manager. */
export async function loadContext(em: Em, candidateId: number, jobId: number) {
  const [candidate, job] = await Promise.all([
    em.findOne(Candidate, { id: candidateId }),
    em.findOne(Job, { id: jobId }, { populate: ['hiringManager'] }),
  ]);
  return { candidate, job, manager: job?.hiringManager ? (job.hiringManager as unknown as IUser) : null };
}

/** Employees by id (number) or DingTalk userid (string). */
export async function usersOf(em: Em, ids: Array<number | string>): Promise<IUser[]> {
  const nums = ids.filter((x): x is number => typeof x === 'number');
  const strs = ids.filter((x): x is string => typeof x === 'string');
  const out: IUser[] = [];
  if (nums.length) out.push(...(await em.find(User, { id: { $in: nums } })));
  if (strs.length) out.push(...(await em.find(User, { dingtalkUserId: { $in: strs } })));
  return out;
}
