import { List } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { useI18n } from '../locale';

/**
 * The home's way into the dashboards (HR and managers). Its own small module: the home loads it
 * without the charts, which come with the dashboard's chunk when it is opened.
 */
export function AnalyticsEntry() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <List>
      <List.Item data-testid="analytics-open" clickable onClick={() => navigate(routes.analytics())}>
        {t('an.open')}
      </List.Item>
    </List>
  );
}
