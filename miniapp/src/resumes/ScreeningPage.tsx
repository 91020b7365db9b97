import {
  Button,
  Card,
  Dialog,
  ErrorBlock,
  List,
  Popup,
  Selector,
  Space,
  Tabs,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import type { RequirementStatus, ScreeningDecision, ScreeningRow } from '../../../shared/api/resumes';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { useJobs } from '../jobs/api';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useAtsImport, useDecide, useHrUploadResume, useResume, useScreening } from './api';
import { PoolTab } from './PoolTab';
import { ProfileView } from './ProfileView';

const STATUS_COLOR: Record<RequirementStatus, 'success' | 'warning' | 'default'> = {
  met: 'success',
  partly: 'warning',
  not_shown: 'default',
};

/** Asks HR for the rejection feedback; null when cancelled or empty. */
async function askFeedback(title: string, ok: string, cancel: string): Promise<string | null> {
  let text = '';
  const confirmed = await Dialog.confirm({
    title,
    content: <TextArea data-testid="sc-feedback" rows={4} maxLength={2000} onChange={(v) => (text = v)} />,
    confirmText: ok,
    cancelText: cancel,
  });
  return confirmed && text.trim() ? text.trim() : null;
}

/** The parsed profile of one résumé in a popup, with HR's corrections. */
function ProfilePopup({ resumeId, onClose }: { resumeId: number | null; onClose: () => void }) {
  const { t } = useI18n();
  const resume = useResume(resumeId);
  return (
    <Popup
      visible={resumeId !== null}
      onMaskClick={onClose}
      bodyStyle={{ maxHeight: '80vh', overflow: 'auto' }}
    >
      <QueryState query={resume} title={t('sc.loadFailed')}>
        {(d) => (d.resume.profile ? <ProfileView profile={d.resume.profile} resumeId={d.resume.id} /> : null)}
      </QueryState>
    </Popup>
  );
}

/** One candidate's match: the score, a line per requirement with its quote, and HR's decision. */
function Row({ row, jobId }: { row: ScreeningRow; jobId: number }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const decide = useDecide(jobId);
  const [profileOf, setProfileOf] = useState<number | null>(null);
  const act = async (decision: ScreeningDecision) => {
    let feedback = '';
    if (decision === 'reject') {
      const f = await askFeedback(t('sc.feedback'), t('sc.send'), t('sc.cancel'));
      if (f === null) return;
      feedback = f;
    }
    decide.mutate(
      { resumeId: row.resumeId, decision, feedback },
      { onSuccess: () => Toast.show(t(`sc.decided.${decision}`)), onError: (e) => Toast.show(errorOf(e)) },
    );
  };
  return (
    <Card
      data-testid="sc-row"
      title={row.candidateName}
      extra={
        <Tag color="primary" data-testid="sc-score">
          {t('sc.score', { score: row.match.score })}
        </Tag>
      }
      style={{ marginBottom: 12 }}
    >
      <div className="muted">
        {t('sc.years', { relevant: row.match.relevantYears, total: row.match.totalYears })}
      </div>
      {row.match.lines.map((l) => (
        <div key={l.requirement} data-testid="sc-line" style={{ margin: '8px 0' }}>
          <Space>
            <Tag color={STATUS_COLOR[l.status]} data-testid="sc-line-status">
              {t(`sc.${l.status}`)}
            </Tag>
            <span>{l.requirement}</span>
          </Space>
          {l.quote ? (
            <blockquote className="muted" style={{ margin: '4px 0 0 8px' }}>
              “{l.quote}”
            </blockquote>
          ) : null}
          {l.missing.length ? (
            <div className="muted" style={{ marginLeft: 8 }}>
              {t('sc.missing', { what: l.missing.join('、') })}
            </div>
          ) : null}
        </div>
      ))}
      <Space wrap style={{ marginTop: 8 }}>
        <Button size="small" onClick={() => setProfileOf(row.resumeId)} data-testid="sc-profile">
          {t('sc.profile')}
        </Button>
        {row.decision ? (
          <Tag data-testid="sc-decided">{t(`sc.decided.${row.decision.decision}`)}</Tag>
        ) : (
          <>
            <Button size="small" color="primary" data-testid="sc-invite" onClick={() => void act('invite')}>
              {t('sc.invite')}
            </Button>
            <Button size="small" data-testid="sc-pool" onClick={() => void act('pool')}>
              {t('sc.pool')}
            </Button>
            <Button
              size="small"
              color="danger"
              fill="outline"
              data-testid="sc-reject"
              onClick={() => void act('reject')}
            >
              {t('sc.reject')}
            </Button>
          </>
        )}
      </Space>
      <ProfilePopup resumeId={profileOf} onClose={() => setProfileOf(null)} />
    </Card>
  );
}

/**
 * HR uploads the résumé of one imported candidate (to the job chosen above, if any): DingTalk's
 * recruitment API gives candidates but no résumé file.
 */
function AtsResumeUpload({ candidateId, jobId }: { candidateId: number; jobId: number | null }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const upload = useHrUploadResume();
  if (upload.isSuccess)
    return (
      <Tag color="primary" data-testid="sc-ats-uploaded">
        {t('sc.ats.uploaded')}
      </Tag>
    );
  return (
    <input
      type="file"
      data-testid="sc-ats-file"
      aria-label={t('sc.ats.upload')}
      accept=".pdf,.docx,image/jpeg,image/png,application/pdf"
      disabled={upload.isPending}
      onChange={(e) => {
        const file = e.target.files?.[0];
        if (file) upload.mutate({ candidateId, file, jobId }, { onError: (err) => Toast.show(errorOf(err)) });
      }}
    />
  );
}

/** Brings candidates of DingTalk recruitment (钉钉招聘) in by mobile; HR then uploads their résumés here. */
function AtsTab({ jobId }: { jobId: number | null }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const [text, setText] = useState('');
  const run = useAtsImport();
  const mobiles = text
    .split(/[\s,，;；]+/)
    .map((m) => m.trim())
    .filter(Boolean);
  return (
    <div data-testid="sc-ats-tab">
      <p className="muted">{t('sc.ats.intro')}</p>
      <TextArea
        data-testid="sc-ats-mobiles"
        placeholder={t('sc.ats.placeholder')}
        value={text}
        onChange={setText}
        rows={4}
      />
      <Button
        size="small"
        color="primary"
        data-testid="sc-ats-run"
        disabled={mobiles.length === 0 || run.isPending}
        onClick={() => run.mutate(mobiles, { onError: (e) => Toast.show(errorOf(e)) })}
      >
        {t('sc.ats.run', { n: mobiles.length })}
      </Button>
      {run.data?.rows.map((r) => (
        <div key={r.mobile} data-testid="sc-ats-row" style={{ margin: '6px 0' }}>
          <Tag color={r.status === 'created' || r.status === 'merged' ? 'success' : 'default'}>
            {t(`sc.ats.${r.status}`)}
          </Tag>{' '}
          {r.mobile} {r.name ?? ''}
          {r.candidateId !== null ? (
            <div>
              <AtsResumeUpload candidateId={r.candidateId} jobId={jobId} />
            </div>
          ) : null}
        </div>
      ))}
    </div>
  );
}

/**
 * HR's résumé screening: pick a job, then its candidates' parsed résumés, best match first,
 * each with its reasons. HR decides; the match only suggests.
 */
export function ScreeningPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const jobs = useJobs('', 'open');
  const jobId = Number(params.get('jobId')) || null;
  const queue = useScreening(jobId);
  const [tab, setTab] = useState<'queue' | 'pool' | 'ats'>('queue');
  return (
    <div data-testid="screening-page" style={{ padding: 12 }}>
      <QueryState query={jobs} title={t('sc.loadFailed')}>
        {(d) => (
          <Selector
            data-testid="sc-jobs"
            options={d.items.map((j) => ({ label: j.title, value: String(j.id) }))}
            value={jobId ? [String(jobId)] : []}
            onChange={(v) => setParams(v[0] ? { jobId: v[0] } : {})}
          />
        )}
      </QueryState>
      <Tabs activeKey={tab} onChange={(k) => setTab(k as 'queue' | 'pool' | 'ats')}>
        <Tabs.Tab key="queue" title={t('sc.tab.queue')} />
        <Tabs.Tab key="pool" title={t('sc.tab.pool')} />
        <Tabs.Tab key="ats" title={t('sc.tab.ats')} />
      </Tabs>
      {tab === 'ats' ? (
        <AtsTab jobId={jobId} />
      ) : tab === 'pool' ? (
        <PoolTab jobId={jobId} />
      ) : jobId ? (
        <QueryState query={queue} title={t('sc.loadFailed')}>
          {(d) => (
            <>
              <p className="muted">{t('sc.aiNote')}</p>
              {d.job.requirements.length === 0 ? <p className="muted">{t('sc.noRequirements')}</p> : null}
              {d.pending > 0 ? <p className="muted">{t('sc.pending', { n: d.pending })}</p> : null}
              {d.rows.length === 0 ? (
                <ErrorBlock status="empty" title={t('sc.empty')} description="" />
              ) : null}
              {d.rows.map((r) => (
                <Row key={r.resumeId} row={r} jobId={jobId} />
              ))}
            </>
          )}
        </QueryState>
      ) : (
        <p className="muted">{t('sc.chooseJob')}</p>
      )}
    </div>
  );
}

/** HR home's way to the screening. */
export function ScreeningEntry() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <List>
      <List.Item clickable data-testid="sc-open" onClick={() => navigate(routes.screening())}>
        {t('sc.entry')}
      </List.Item>
    </List>
  );
}
