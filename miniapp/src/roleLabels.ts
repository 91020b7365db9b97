import type { Me } from '../../shared/api/auth';
import type { MessageKey } from './i18n';

/**
 * Message keys of the labels to show for a principal's roles. Candidates hold no employee role,
 * so they are labelled by their kind instead of showing an empty list.
 */
export function roleLabelKeys(me: Pick<Me, 'kind' | 'roles'>): MessageKey[] {
  if (me.kind === 'candidate') return ['role.candidate'];
  return me.roles.map((role): MessageKey => `role.${role}`);
}

/** Message key of the home screen's title. */
export function homeTitleKey(home: Me['home']): MessageKey {
  return `home.title.${home}`;
}
