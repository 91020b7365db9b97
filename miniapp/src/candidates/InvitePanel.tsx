import { Button, Card, List, Selector, Space, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import type { BulkInviteResponse, InvitationView, InviteChannel } from '../../../shared/api/candidates';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { jobShareContent } from '../share/jobShare';
import { ShareButton } from '../share/ShareButton';
import { copyText, useBulkInvite, useOpenJobs } from './api';

/** Invites candidates (by ids or a confirmed import) to one job, by link or DingTalk message. */
export function InvitePanel(props: {
  candidateIds?: number[];
  importId?: number;
  onDone?: (r: BulkInviteResponse) => void;
}) {
  const { t, lang } = useI18n();
  const errorOf = useErrorText();
  const jobs = useOpenJobs();
  const invite = useBulkInvite();
  const [jobId, setJobId] = useState<number | null>(null);
  const [channel, setChannel] = useState<InviteChannel>('link');
  const [result, setResult] = useState<BulkInviteResponse | null>(null);
  return (
    <Card title={t('cd.invite.title')} data-testid="invite-panel" style={{ marginTop: 12 }}>
      <div className="muted">{t('cd.invite.job')}</div>
      <Selector
        data-testid="invite-job"
        columns={1}
        value={jobId ? [jobId] : []}
        onChange={(v) => setJobId((v[0] as number | undefined) ?? null)}
        options={(jobs.data ?? []).map((j) => ({ label: j.title, value: j.id }))}
      />
      <div className="muted" style={{ marginTop: 8 }}>
        {t('cd.invite.channel')}
      </div>
      <Selector
        columns={2}
        value={[channel]}
        onChange={(v) => v[0] && setChannel(v[0])}
        options={[
          { label: t('cd.invite.channel.link'), value: 'link' as const },
          { label: t('cd.invite.channel.dingtalk'), value: 'dingtalk' as const },
        ]}
      />
      <Button
        block
        color="primary"
        style={{ marginTop: 12 }}
        data-testid="invite-send"
        disabled={!jobId}
        loading={invite.isPending}
        onClick={() => {
          if (!jobId) {
            Toast.show(t('cd.invite.pickJob'));
            return;
          }
          invite.mutate(
            {
              jobId,
              channel,
              ...(props.importId ? { importId: props.importId } : { candidateIds: props.candidateIds }),
            },
            {
              onSuccess: (r) => {
                setResult(r);
                Toast.show(t('cd.invite.sent', { n: r.invitations.length }));
                props.onDone?.(r);
              },
              onError: (e) => Toast.show(errorOf(e)),
            },
          );
        }}
      >
        {props.importId ? t('cd.invite.sendAll') : t('cd.invite.send')}
      </Button>
      {jobId ? (
        // A chat gets the job's public page, never an invitation: an invitation link signs its
        // candidate in, and a chat message is forwarded and read by others.
        <div style={{ marginTop: 8 }}>
          <ShareButton
            testId="job-share"
            label={t('cd.invite.share')}
            content={() => jobShareContent(jobId, lang)}
          />
        </div>
      ) : null}
      {result ? (
        <div data-testid="invite-result" style={{ marginTop: 12 }}>
          <div data-testid="invite-count">{t('cd.invite.sent', { n: result.invitations.length })}</div>
          {result.skipped.length ? (
            <div className="muted">{t('cd.invite.skipped', { n: result.skipped.length })}</div>
          ) : null}
          <List>
            {result.invitations.map((i) => (
              <InvitationRow key={i.id} invitation={i} />
            ))}
          </List>
        </div>
      ) : null}
    </Card>
  );
}

/** One invitation: status, validity, and its text to copy. */
export function InvitationRow({
  invitation: i,
  extra,
}: {
  invitation: InvitationView;
  extra?: React.ReactNode;
}) {
  const { t } = useI18n();
  const color = i.status === 'active' ? 'success' : i.status === 'revoked' ? 'danger' : 'default';
  return (
    <List.Item
      data-testid="invitation-row"
      description={
        <Space direction="vertical" style={{ width: '100%' }}>
          <span>{t('cd.invite.expires', { at: new Date(i.expiresAt).toLocaleString() })}</span>
          <Space wrap>
            {i.messageText ? (
              <Button
                size="mini"
                data-testid="invitation-copy"
                onClick={() =>
                  void copyText(i.messageText as string).then(() => Toast.show(t('cd.invite.copied')))
                }
              >
                {t('cd.invite.copy')}
              </Button>
            ) : null}
            {extra}
          </Space>
        </Space>
      }
      extra={<Tag color={color}>{t(`cd.invite.status.${i.status}`)}</Tag>}
    >
      {i.candidateName} · {i.jobTitle}
    </List.Item>
  );
}
