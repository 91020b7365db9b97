import { Button } from 'antd-mobile';
import { routes } from '../../../shared/routes';
import { useI18n } from '../locale';
import './entry.css';

// Kept apart from InterviewPage (recording, upload, device check) so the candidate's home, which
// shows this button, does not load the interview screen until it is opened.
/** The candidate home's interview entry. */
export function InterviewEntry() {
  const { t } = useI18n();
  return (
    <a href={routes.interview()} data-testid="iv-open" className="iv-open">
      <Button block color="primary">
        {t('iv.open')}
      </Button>
    </a>
  );
}
