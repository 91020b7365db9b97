/**
 * The organisation's directory: departments and members mirrored from DingTalk (sync now, and
 * kept current by the address-book events), the roles admins grant, and employees who leave the
 * DingTalk organisation (or are deactivated) losing access at once, sessions included.
 */
import type { Feature } from '../../kernel/feature';
import { addressBookEvents, departmentEvents, memberEvents } from './inbound';
import { organisationRoutes } from './routes';

export { type DeactivationReason, deactivateEmployee } from './sessions';

export const directory: Feature = {
  name: 'directory',
  routes: () => [organisationRoutes()],
  dingtalkEvents: [addressBookEvents, memberEvents, departmentEvents],
};
