import { Button, Card, ErrorBlock, List, Toast } from 'antd-mobile';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useFailures, useRetryFailure } from './api';

/** HR: messages that could not be delivered, why, and a way to send them again. */
export function FailuresPage() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const failures = useFailures();
  const retry = useRetryFailure();
  return (
    <QueryState query={failures} title={t('nt.loadFailed')}>
      {({ items }) => (
        <div data-testid="delivery-failures">
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
                  retry.mutate(f.id, {
                    onSuccess: () => Toast.show(t('nt.failures.retried')),
                    onError: (e) => Toast.show(errorOf(e)),
                  })
                }
              >
                {t('nt.failures.retry')}
              </Button>
            </Card>
          ))}
        </div>
      )}
    </QueryState>
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
        onClick={() => window.location.assign(routes.deliveryFailures())}
      >
        {t('nt.failures.open')}
      </List.Item>
    </List>
  );
}
