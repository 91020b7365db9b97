/**
 * DingTalk's address-book events as the directory applies them. `user_leave_org` is only a hint
 * (reference §11: at-least-once, possibly out of order, and a body can be forged or replayed):
 * each named employee is re-read through the API, and only one DingTalk no longer knows loses
 * access, at once.
 */
import type { InboundDeps, InboundDingTalkEvent, InboundEventHandler } from '../../kernel/events/inbound';
import { DingTalkError } from '../../kernel/integrations/dingtalk/errors';
import { deactivateEmployee } from './sessions';

/** The userids an address-book event names (`UserId` is a list; a single string is accepted). */
export function userIdsOf(e: InboundDingTalkEvent): string[] {
  const raw = e.data.UserId ?? e.data.userId ?? e.data.userid;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return [...new Set(list.filter((u): u is string => typeof u === 'string' && u.length > 0))].slice(0, 100);
}

/** Which of the named employees DingTalk no longer has (read with `/topapi/v2/user/get`). */
async function departed(e: InboundDingTalkEvent, deps: InboundDeps): Promise<string[]> {
  const gone: string[] = [];
  for (const userid of userIdsOf(e)) {
    try {
      await deps.dingtalk.identity.userDetail(userid);
    } catch (err) {
      if (err instanceof DingTalkError && err.kind === 'not_found') gone.push(userid);
      else throw err; // throttled or down: redelivered, decided later
    }
  }
  return gone;
}

/** The directory's handler of `user_leave_org` (declared in the feature's index). */
export const addressBookEvents: InboundEventHandler = {
  eventTypes: ['user_leave_org'],
  dedupeKey: (e) =>
    e.eventId
      ? `user_leave_org:${e.eventId}`
      : `user_leave_org:${userIdsOf(e).join(',')}:${String(e.data.TimeStamp ?? '')}`.slice(0, 190),
  prepare: departed,
  async apply(em, e, _deps, facts) {
    const gone = (facts as string[]) ?? [];
    // Everyone named is still a member: the body claims what DingTalk does not show (forged, or
    // DingTalk a moment behind). Nothing is recorded, so a genuine event is not a duplicate.
    if (!gone.length && userIdsOf(e).length)
      throw new Error('user_leave_org: DingTalk still lists every named employee');
    let n = 0;
    for (const userid of gone) if (await deactivateEmployee(em, userid, 'left_organisation')) n++;
    return n
      ? { result: 'applied', detail: `deactivated ${n}` }
      : { result: 'ignored', detail: 'nobody named has left (per DingTalk)' };
  },
};
