import { Button, Card, Dialog, ErrorBlock, List, Space, Tabs, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { QUEUE_KIND_LABELS, QUEUE_KINDS, type QueueItem, type QueueKind } from '../../../shared/api/queue';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import {
  QUEUE_PAGE,
  useAccommodationApproval,
  useCloseItem,
  useDecideAccommodation,
  useQueue,
  useRetryMessage,
} from './api';

/** Asks for a note (or the answer to the candidate); resolves null when cancelled or empty. */
async function askNote(
  title: string,
  placeholder: string,
  send: string,
  cancel: string,
): Promise<string | null> {
  let text = '';
  const ok = await Dialog.confirm({
    title,
    content: (
      <TextArea
        data-testid="queue-note"
        placeholder={placeholder}
        rows={4}
        maxLength={1000}
        onChange={(v) => (text = v)}
      />
    ),
    confirmText: send,
    cancelText: cancel,
  });
  return ok && text.trim() ? text.trim() : null;
}

/** HR's work queue (待办): everything waiting on a person, soonest due first, acted on here. */
export function QueuePage() {
  const { t, lang } = useI18n();
  const errorOf = useErrorText();
  const navigate = useNavigate();
  const [kind, setKind] = useState<QueueKind | ''>('');
  const [offset, setOffset] = useState(0);
  const queue = useQueue(kind, offset);
  const close = useCloseItem();
  const decide = useDecideAccommodation();
  const retry = useRetryMessage();
  const toApproval = useAccommodationApproval();
  const label = (k: QueueKind) => QUEUE_KIND_LABELS[k][lang === 'en' ? 'en' : 'zh'];
  const fail = (e: unknown) => Toast.show(errorOf(e));

  const act = async (item: QueueItem, action: string) => {
    const id = Number(item.key.split(':')[1]);
    if (action === 'rescore' && item.reportId) return navigate(routes.report(item.reportId));
    if (action === 'retry')
      return retry.mutate(id, { onSuccess: () => Toast.show(t('qu.retried')), onError: fail });
    if (action === 'approval')
      return toApproval.mutate(id, { onSuccess: () => Toast.show(t('qu.approvalSent')), onError: fail });
    const reply = action === 'reply';
    const note = await askNote(
      reply
        ? t('qu.reply')
        : action === 'grant'
          ? t('qu.grant')
          : action === 'decline'
            ? t('qu.decline')
            : t('qu.close'),
      reply ? t('qu.replyPlaceholder') : t('qu.notePlaceholder'),
      t('qu.send'),
      t('qu.cancel'),
    );
    if (note === null) return;
    if (action === 'grant' || action === 'decline')
      return decide.mutate(
        { id, decision: action, note },
        {
          onSuccess: () => Toast.show(action === 'grant' ? t('qu.granted') : t('qu.declined')),
          onError: fail,
        },
      );
    close.mutate(
      { key: item.key, note },
      { onSuccess: (r) => Toast.show(r.candidateNotified ? t('qu.told') : t('qu.closed')), onError: fail },
    );
  };

  return (
    <div data-testid="queue-page">
      <Tabs
        activeKey={kind || 'all'}
        onChange={(k) => {
          setKind(k === 'all' ? '' : (k as QueueKind));
          setOffset(0);
        }}
      >
        <Tabs.Tab key="all" title={t('qu.all')} />
        {QUEUE_KINDS.map((k) => (
          <Tabs.Tab key={k} title={label(k)} />
        ))}
      </Tabs>
      <QueryState query={queue} title={t('qu.loadFailed')}>
        {(d) => (
          <>
            <div className="muted" data-testid="queue-counts">
              {t('qu.counts', {
                total: Object.values(d.counts).reduce((a, b) => a + b, 0),
                overdue: d.overdue,
                soon: d.dueSoon,
              })}
            </div>
            {d.items.length === 0 ? <ErrorBlock status="empty" title={t('qu.empty')} description="" /> : null}
            {d.items.map((item) => (
              <Card
                key={item.key}
                data-testid="queue-item"
                title={label(item.kind)}
                extra={
                  item.overdue ? (
                    <Tag color="danger">{t('qu.overdue')}</Tag>
                  ) : (
                    <Tag>{t('qu.due', { at: new Date(item.dueAt).toLocaleString() })}</Tag>
                  )
                }
                style={{ marginBottom: 12 }}
              >
                {item.candidateName ? (
                  <div>
                    {item.candidateName}
                    {item.jobTitle ? ` · ${item.jobTitle}` : ''}
                  </div>
                ) : null}
                <div className="muted" style={{ whiteSpace: 'pre-wrap' }}>
                  {item.detail}
                </div>
                <Space wrap style={{ marginTop: 8 }}>
                  {item.actions.map((a) => (
                    <Button
                      key={a}
                      size="small"
                      data-testid={`queue-${a}`}
                      color={
                        a === 'reply' || a === 'grant' ? 'primary' : a === 'decline' ? 'danger' : 'default'
                      }
                      onClick={() => void act(item, a)}
                    >
                      {t(`qu.${a}`)}
                    </Button>
                  ))}
                </Space>
              </Card>
            ))}
            <Space>
              <Button
                size="small"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - QUEUE_PAGE))}
              >
                {t('qu.prev')}
              </Button>
              <Button
                size="small"
                disabled={offset + QUEUE_PAGE >= d.total}
                onClick={() => setOffset(offset + QUEUE_PAGE)}
              >
                {t('qu.next')}
              </Button>
            </Space>
          </>
        )}
      </QueryState>
    </div>
  );
}

/** Home entry for HR: the queue with how many items wait. */
export function QueueEntry() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const q = useQueue('', 0);
  const n = q.data ? Object.values(q.data.counts).reduce((a, b) => a + b, 0) : null;
  return (
    <List>
      <List.Item data-testid="queue-open" clickable onClick={() => navigate(routes.queue())}>
        {n === null ? t('qu.open') : t('qu.openCount', { n })}
      </List.Item>
    </List>
  );
}
