/**
 * Ending an employee's access at once: deactivation turns the account off and bumps its session
 * generation, so every session token issued before is refused on its next request (and stays
 * refused if the account is later turned on again).
 */
import { audit } from '../../kernel/audit';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';

/** Why an employee's access ended. */
export type DeactivationReason = 'left_organisation' | 'deactivated';

/**
 * Deactivates the employee with DingTalk userid `userid` in the caller's transaction. Returns
 * false when there is no such employee or they were already inactive (nothing changes).
 */
export async function deactivateEmployee(
  em: Em,
  userid: string,
  reason: DeactivationReason,
): Promise<boolean> {
  const user = await em.findOne(User, { dingtalkUserId: userid });
  if (!user?.active) return false;
  user.active = false;
  user.sessionGeneration += 1;
  audit(em, null, 'user.deactivated', { type: 'user', id: user.id }, { reason });
  await em.flush();
  return true;
}
