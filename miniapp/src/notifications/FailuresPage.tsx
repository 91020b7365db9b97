import { Button, Card, ErrorBlock, List, SpinLoading, Toast } from 'antd-mobile';
import type { DeliveryFailure } from '../../../shared/api/notifications';
import { useI18n } from '../locale';
import { fetchFailures, retryFailure } from './api';
import { useLoad } from './useLoad';

/** HR: messages that could not be delivered, why, and a way to send them again. */
export function FailuresPage() {
  const { t } = useI18n();
  const { data, setData, failed } = useLoad(fetchFailures);
  const items = data?.items ?? null;
  const setItems = (f: (xs: DeliveryFailure[] | null) => DeliveryFailure[] | null) =>
    setData((d) => (d ? { ...d, items: f(d.items) ?? [] } : d));
  if (failed) return <ErrorBlock status="default" title={t('nt.loadFailed')} description="" />;
  if (!items) return <SpinLoading />;
  return (
    <div data-testid="delivery-failures">
      <h2>{t('nt.failures.title')}</h2>
      {items.length === 0 ? (
        <ErrorBlock status="empty" title={t('nt.failures.empty')} description="" />
      ) : null}
      {items.map((f) => (
        <Card
          key={f.id}
          data-testid="failure-item"
          title={f.topic}
          extra={f.channel}
          style={{ marginBottom: 12 }}
        >
          <div>{f.recipient}</div>
          <div className="muted">
            {t('nt.failures.attempts', { n: f.attempts })} · {new Date(f.dueAt).toLocaleString()}
          </div>
          <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{f.lastError}</pre>
          <Button
            size="small"
            color="primary"
            onClick={() =>
              retryFailure(f.id).then(() => {
                Toast.show(t('nt.failures.retried'));
                setItems((xs) => xs?.filter((x) => x.id !== f.id) ?? null);
              })
            }
          >
            {t('nt.failures.retry')}
          </Button>
        </Card>
      ))}
    </div>
  );
}

/** Home entry for HR. */
export function FailuresEntry() {
  const { t } = useI18n();
  return (
    <List>
      <List.Item
        data-testid="failures-open"
        clickable
        onClick={() => window.location.assign('/notifications/failures')}
      >
        {t('nt.failures.open')}
      </List.Item>
    </List>
  );
}
