import { Button, Card, ErrorBlock, List, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useReports } from './api';
import './reports.css';

/** Interviews to review: HR sees all, managers their department, interviewers their assignments. */
export function ReportsPage() {
  const { t } = useI18n();
  const nav = useNavigate();
  const reports = useReports();
  return (
    <QueryState query={reports} title={t('rp.loadFailed')}>
      {({ items }) => (
        <div className="rp-page" data-testid="reports">
          {items.length === 0 ? (
            <ErrorBlock status="empty" title={t('rp.list.empty')} description="" />
          ) : null}
          <List>
            {items.map((r) => (
              <List.Item
                key={r.id}
                data-testid="report-item"
                clickable
                onClick={() => nav(routes.report(r.id))}
                description={`${r.jobTitle} · ${new Date(r.createdAt).toLocaleDateString()}`}
                extra={r.overall !== null ? <b className="rp-score">{r.overall}</b> : null}
              >
                {r.candidateName}{' '}
                <Tag color={r.status === 'ready' ? 'primary' : 'warning'} fill="outline">
                  {t(`rp.status.${r.status}`)}
                </Tag>{' '}
                {r.ratedByMe ? <Tag color="success">{t('rp.list.rated')}</Tag> : null}
              </List.Item>
            ))}
          </List>
        </div>
      )}
    </QueryState>
  );
}

/** Home entry for reviewers: link to the list with the number still unrated by me. */
export function ReviewEntry() {
  const { t } = useI18n();
  // The count is a hint: a failed load shows the entry without it.
  const items = useReports().data?.items;
  const open = items ? items.filter((x) => !x.ratedByMe).length : null;
  return (
    <List>
      <List.Item
        data-testid="reports-open"
        clickable
        onClick={() => window.location.assign(routes.reports())}
        extra={open ? String(open) : null}
      >
        {t('rp.list.open')}
      </List.Item>
    </List>
  );
}

/** A card with a title, used by the report and feedback screens. */
export function Section({
  title,
  children,
  testid,
}: {
  title: string;
  children: React.ReactNode;
  testid?: string;
}) {
  return (
    <Card title={title} className="rp-card" data-testid={testid}>
      {children}
    </Card>
  );
}

/** Small helper so screens can show a retry button. */
export function Retry({ onClick }: { onClick: () => void }) {
  const { t } = useI18n();
  return (
    <Button size="small" onClick={onClick}>
      {t('rp.loadFailed')}
    </Button>
  );
}
