/**
 * The organisation's directory as the product keeps it: employees who leave the DingTalk
 * organisation (or are deactivated) lose access at once, sessions included.
 */
import type { Feature } from '../../kernel/feature';
import { addressBookEvents } from './inbound';

export { type DeactivationReason, deactivateEmployee } from './sessions';

export const directory: Feature = {
  name: 'directory',
  dingtalkEvents: [addressBookEvents],
};
