import { Badge, Button, Card, ErrorBlock, SpinLoading } from 'antd-mobile';
import type { InboxItem } from '../../../shared/api/notifications';
import { useI18n } from '../locale';
import { fetchInbox, markRead } from './api';
import { useLoad } from './useLoad';

/** Renders the bot's markdown subset (bold, line breaks) as text nodes: no HTML injection. */
export function MarkdownText({ text }: { text: string }) {
  return (
    <div className="nt-text">
      {text.split('\n').map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity of their own
        <p key={i}>
          {line.split(/\*\*(.+?)\*\*/g).map((part, j) =>
            // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity of their own
            j % 2 ? <b key={j}>{part}</b> : <span key={j}>{part}</span>,
          )}
        </p>
      ))}
    </div>
  );
}

/** Where a button points: mini-app paths stay in the app. */
function href(url: string): string {
  return url;
}

/** The candidate's inbox: the bot's messages for people outside the organisation. */
export function InboxPage() {
  const { t } = useI18n();
  const { data, setData, failed } = useLoad(fetchInbox);
  const items = data?.items ?? null;
  const setItems = (f: (xs: InboxItem[] | null) => InboxItem[] | null) =>
    setData((d) => (d ? { ...d, items: f(d.items) ?? [] } : d));
  if (failed) return <ErrorBlock status="default" title={t('nt.loadFailed')} description="" />;
  if (!items) return <SpinLoading />;
  return (
    <div className="nt-inbox" data-testid="inbox">
      <h2>{t('nt.inbox.title')}</h2>
      {items.length === 0 ? <ErrorBlock status="empty" title={t('nt.inbox.empty')} description="" /> : null}
      {items.map((m) => (
        <Card
          key={m.id}
          data-testid="inbox-item"
          title={
            <span>
              {m.read ? null : <Badge content={Badge.dot} style={{ marginRight: 6 }} />}
              {m.title}
            </span>
          }
          extra={<span className="muted">{new Date(m.createdAt).toLocaleString()}</span>}
          style={{ marginBottom: 12 }}
        >
          <MarkdownText text={m.body} />
          {m.buttons.map((b) => (
            <a key={b.url} href={href(b.url)} style={{ marginRight: 8 }}>
              <Button size="small" color="primary" fill="outline">
                {b.title}
              </Button>
            </a>
          ))}
          {m.read ? null : (
            <Button
              size="small"
              fill="none"
              onClick={() =>
                markRead(m.id).then((r) => setItems((xs) => xs?.map((x) => (x.id === r.id ? r : x)) ?? null))
              }
            >
              {t('nt.inbox.markRead')}
            </Button>
          )}
        </Card>
      ))}
    </div>
  );
}
