import { Tag } from 'antd-mobile';
import { useI18n } from '../locale';
import { useReportFollowUps } from './api';

/** The report's section: each question with its answer, follow-up and follow-up answer together. */
export function ReportFollowUps({ reportId }: { reportId: number }) {
  const { t } = useI18n();
  const q = useReportFollowUps(reportId);
  const items = q.data?.items ?? [];
  if (!items.length) return null;
  return (
    <div className="rp-comp" data-testid="report-followups">
      <h3>{t('fu.report.title')}</h3>
      {items.map((f) => (
        <div key={f.id} data-testid="report-followup">
          <p>
            <b>{t('fu.question', { n: f.position, q: f.questionText })}</b>
          </p>
          <p>
            {t('fu.report.answer')}：{f.answerText ?? '—'}
          </p>
          <p>
            {t('fu.report.followUp')}：{f.followUp}{' '}
            {f.phrasedBy === 'llm' ? <Tag>{t('fu.report.llm')}</Tag> : null}
          </p>
          <p className="muted">{t('fu.report.why', { reason: f.reason })}</p>
          <p>
            {t('fu.report.followUpAnswer')}：
            {f.status === 'answered'
              ? f.followUpAnswer
              : f.status === 'withdrawn'
                ? t('fu.report.withdrawn')
                : t('fu.report.pending')}
          </p>
          {f.followUpScore !== null ? (
            <p className="muted">{t('fu.report.score', { score: f.followUpScore })}</p>
          ) : null}
        </div>
      ))}
    </div>
  );
}
