import { List } from 'antd-mobile';
import { routes } from '../../../shared/routes';
import { useI18n } from '../locale';

// Kept apart from FeedbackPage so the candidate's home does not load the feedback screen.
/** Home entry for candidates. */
export function FeedbackEntry() {
  const { t } = useI18n();
  return (
    <List>
      <List.Item
        data-testid="feedback-open"
        clickable
        onClick={() => window.location.assign(routes.feedback())}
      >
        {t('fb.open')}
      </List.Item>
    </List>
  );
}
