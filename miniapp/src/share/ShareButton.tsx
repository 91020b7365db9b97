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

/** A share button for one link; `testId` names the button (the status is `<testId>-status`). */
export function ShareButton({
  content,
  label,
  testId = 'share',
}: {
  content: ShareContent;
  label: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<ShareOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <span className="share">
      <Button
        size="mini"
        data-testid={testId}
        loading={busy}
        onClick={async () => {
          setBusy(true);
          try {
            setOutcome(await shareLink(content));
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
      {outcome === 'failed' ? (
        <Input
          readOnly
          value={content.url}
          aria-label={t('share.manualLabel')}
          data-testid={`${testId}-manual`}
        />
      ) : null}
    </span>
  );
}
