import { Badge, List } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { useI18n } from '../locale';
import { useMyFollowUps } from './api';

// Kept apart from FollowUpsPage so the candidate's home does not load the answer screen.
/** Home entry for candidates with follow-up questions (shown only when there are any). */
export function FollowUpsEntry() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const q = useMyFollowUps();
  if (!q.data?.items.length) return null;
  return (
    <List>
      <List.Item
        data-testid="followups-open"
        clickable
        extra={q.data.pending ? <Badge content={q.data.pending} /> : null}
        onClick={() => navigate(routes.followUps())}
      >
        {t('fu.title')}
      </List.Item>
    </List>
  );
}
