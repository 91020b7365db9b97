import { List } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { useI18n } from '../locale';

/** The candidate home's way to the résumé screen (tiny: the screen itself is a lazy chunk). */
export function ResumeEntry() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <List>
      <List.Item clickable data-testid="rs-open" onClick={() => navigate(routes.myResume())}>
        {t('rs.entry')}
      </List.Item>
    </List>
  );
}
