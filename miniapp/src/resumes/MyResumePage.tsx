import { Button, Card, List, Switch, Tag, Toast } from 'antd-mobile';
import { useRef, useState } from 'react';
import { useMe } from '../auth/AuthProvider';
import { errorText } from '../errorCatalogue';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useMyResumes, usePoolConsent, useUploadResume } from './api';
import { ProfileView } from './ProfileView';

/**
 * The candidate's résumé: the processing notice and its consent (unticked), the upload, and
 * each résumé's status with what was read from it. Reading happens on the server's worker; the
 * screen polls while a résumé is being read.
 */
export function MyResumePage() {
  const { t, lang } = useI18n();
  const errorOf = useErrorText();
  const me = useMe();
  const resumes = useMyResumes();
  const upload = useUploadResume();
  const pool = usePoolConsent();
  const [consent, setConsent] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const jobId = me.kind === 'candidate' ? me.invitationJobId : null;

  const send = () => {
    if (!file) return;
    upload.mutate(
      { file, jobId },
      {
        onSuccess: () => {
          Toast.show(t('rs.uploaded'));
          setFile(null);
          if (input.current) input.current.value = '';
        },
        onError: (e) => Toast.show(errorOf(e)),
      },
    );
  };

  return (
    <div data-testid="resume-page">
      <Card>
        <p className="muted" data-testid="rs-notice">
          {t('rs.notice')}
        </p>
        {/* A native checkbox: antd-mobile's hides its input, out of reach of the keyboard. */}
        <label data-testid="rs-consent" style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
          <input
            type="checkbox"
            checked={consent}
            onChange={(e) => setConsent(e.target.checked)}
            style={{ width: '1.25rem', height: '1.25rem', flex: 'none', marginTop: '0.15rem' }}
          />
          <span>{t('rs.consent')}</span>
        </label>
        <div style={{ margin: '12px 0' }}>
          <input
            ref={input}
            data-testid="rs-file"
            type="file"
            aria-label={t('rs.choose')}
            accept=".pdf,.docx,image/jpeg,image/png,application/pdf"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <div className="muted">{t('rs.kinds')}</div>
        </div>
        <Button
          color="primary"
          data-testid="rs-upload"
          disabled={!consent || !file || upload.isPending}
          loading={upload.isPending}
          onClick={send}
        >
          {upload.isPending ? t('rs.uploading') : t('rs.upload')}
        </Button>
      </Card>
      <QueryState query={resumes} title={t('sc.loadFailed')}>
        {(d) =>
          d.resumes.length === 0 ? (
            <p className="muted">{t('rs.none')}</p>
          ) : (
            d.resumes.map((r) => (
              <Card
                key={r.id}
                data-testid="rs-item"
                title={r.fileName}
                extra={
                  <Tag
                    data-testid="rs-status"
                    color={r.status === 'parsed' ? 'success' : r.status === 'failed' ? 'danger' : 'default'}
                  >
                    {t(`rs.status.${r.status}`)}
                  </Tag>
                }
                style={{ marginTop: 12 }}
              >
                {r.status === 'failed' && r.errorCode ? (
                  <p className="muted">{errorText(r.errorCode, lang === 'en' ? 'en' : 'zh-CN')}</p>
                ) : null}
                {r.profile ? <ProfileView profile={r.profile} /> : null}
                {r.status === 'parsed' ? (
                  <List>
                    <List.Item
                      extra={
                        <Switch
                          data-testid="rs-pool"
                          checked={r.poolUntil !== null}
                          onChange={(keep) =>
                            pool.mutate({ id: r.id, keep }, { onError: (e) => Toast.show(errorOf(e)) })
                          }
                        />
                      }
                      description={
                        r.poolUntil
                          ? t('rs.poolOn', { until: new Date(r.poolUntil).toLocaleDateString() })
                          : null
                      }
                    >
                      {t('rs.pool')}
                    </List.Item>
                  </List>
                ) : null}
              </Card>
            ))
          )
        }
      </QueryState>
    </div>
  );
}
