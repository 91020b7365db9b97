/**
 * "Share in DingTalk" (issue 19 item 5): inside DingTalk, DingTalk's own share sheet sends the
 * link to a chat (`biz.util.share`); in any other browser the text and link are copied instead,
 * and when even that is refused the link is shown to copy by hand. The outcome is said in words
 * in a live region, so a screen reader hears it too.
 */
import { Button, Input } from 'antd-mobile';
import { useState } from 'react';
import { type ShareContent, type ShareOutcome, shareLink } from '../dingtalk';
import { useI18n } from '../locale';

/**
 * A share button for one link; `testId` names the button (the status is `<testId>-status`).
 * `content` may be a function that fetches it (a link the server signs), called on each tap.
 */
export function ShareButton({
  content,
  label,
  testId = 'share',
}: {
  content: ShareContent | (() => Promise<ShareContent>);
  label: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<ShareOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  return (
    <span className="share">
      <Button
        size="mini"
        data-testid={testId}
        loading={busy}
        onClick={async () => {
          setBusy(true);
          try {
            const c = typeof content === 'function' ? await content() : content;
            setUrl(c.url);
            setOutcome(await shareLink(c));
          } catch {
            // The link itself could not be fetched: nothing to copy by hand either.
            setUrl(null);
            setOutcome('failed');
          } finally {
            setBusy(false);
          }
        }}
      >
        {label}
      </Button>
      <span role="status" aria-live="polite" data-testid={`${testId}-status`} data-outcome={outcome ?? ''}>
        {outcome ? ` ${t(`share.${outcome}`)}` : ''}
      </span>
      {outcome === 'failed' && url ? (
        <Input readOnly value={url} aria-label={t('share.manualLabel')} data-testid={`${testId}-manual`} />
      ) : null}
    </span>
  );
}
