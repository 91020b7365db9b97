import { List } from 'antd-mobile';
import { routes } from '../../../shared/routes';
import { useI18n } from '../locale';
import { useInbox } from './api';

// Kept apart from InboxPage so the candidate's home does not load the inbox screen.
/** Home entry for candidates: link to the inbox with the unread count. */
export function InboxEntry() {
  const { t } = useI18n();
  // The count is a hint: a failed load shows the entry without it.
  const unread = useInbox().data?.unread ?? null;
  return (
    <List>
      <List.Item
        data-testid="inbox-open"
        clickable
        onClick={() => window.location.assign(routes.inbox())}
        extra={unread ? t('nt.inbox.unread', { n: unread }) : null}
      >
        {t('nt.inbox.open')}
      </List.Item>
    </List>
  );
}
