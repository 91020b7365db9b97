import { List } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useI18n } from '../locale';
import { fetchInbox } from './api';

// Kept apart from InboxPage so the candidate's home does not load the inbox screen.
/** Home entry for candidates: link to the inbox with the unread count. */
export function InboxEntry() {
  const { t } = useI18n();
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    fetchInbox()
      .then((r) => setUnread(r.unread))
      .catch(() => setUnread(null));
  }, []);
  return (
    <List>
      <List.Item
        data-testid="inbox-open"
        clickable
        onClick={() => window.location.assign('/inbox')}
        extra={unread ? t('nt.inbox.unread', { n: unread }) : null}
      >
        {t('nt.inbox.open')}
      </List.Item>
    </List>
  );
}
