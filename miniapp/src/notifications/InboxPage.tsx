import { Badge, Button, Card, ErrorBlock, Toast } from 'antd-mobile';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useInbox, useMarkRead } from './api';

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
  const errorOf = useErrorText();
  const inbox = useInbox();
  const read = useMarkRead();
  return (
    <QueryState query={inbox} title={t('nt.loadFailed')}>
      {({ items }) => (
        <div className="nt-inbox" data-testid="inbox">
          {items.length === 0 ? (
            <ErrorBlock status="empty" title={t('nt.inbox.empty')} description="" />
          ) : null}
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
                  onClick={() => read.mutate(m.id, { onError: (e) => Toast.show(errorOf(e)) })}
                >
                  {t('nt.inbox.markRead')}
                </Button>
              )}
            </Card>
          ))}
        </div>
      )}
    </QueryState>
  );
}
