/**
 * One message to one person, queued in the caller's transaction: other features' "tell the
 * candidate" (a request answered, an accommodation decided) and "remind the owner" (work queue)
 * go through here so the choice of channel stays in messaging.
 */
import type { TemplateData, TemplateName } from '../../../bot/messages';
import type { Config } from '../../kernel/config';
import type { ICandidate } from '../../kernel/db/entities/Candidate';
import type { IUser } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { candidateTargets, employeeTarget, notify } from './recipients';

/** What to send; `key` makes it idempotent (the target is appended). */
export interface DirectMessage<T extends TemplateName> {
  key: string;
  topic: string;
  aggregate: string;
  template: T;
  data: TemplateData[T];
  dueAt: Date;
}

/** Queues `msg` to a candidate (robot 1:1 if they are in the organisation, else inbox + gateway). */
export async function queueCandidateMessage<T extends TemplateName>(
  em: Em,
  config: Pick<Config, 'notifications'>,
  candidate: ICandidate,
  msg: DirectMessage<T>,
): Promise<void> {
  await notify(em, await candidateTargets(em, candidate, config.notifications), msg);
}

/** Queues `msg` to an employee (robot 1:1). */
export async function queueEmployeeMessage<T extends TemplateName>(
  em: Em,
  user: Pick<IUser, 'dingtalkUserId' | 'locale'>,
  msg: DirectMessage<T>,
): Promise<void> {
  await notify(em, [employeeTarget(user)], msg);
}
