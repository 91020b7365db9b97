import { Button, Card, ErrorBlock, List, SpinLoading, Tag } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../locale';
import { fetchReports, type ReportSummary } from './api';
import './reports.css';

/** Interviews to review: HR sees all, managers their department, interviewers their assignments. */
export function ReportsPage() {
  const { t } = useI18n();
  const nav = useNavigate();
  const [items, setItems] = useState<ReportSummary[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    fetchReports()
      .then((r) => setItems(r.items))
      .catch(() => setFailed(true));
  }, []);
  if (failed) return <ErrorBlock status="default" title={t('rp.loadFailed')} description="" />;
  if (!items) return <SpinLoading />;
  return (
    <div className="rp-page" data-testid="reports">
      <h2>{t('rp.list.title')}</h2>
      {items.length === 0 ? <ErrorBlock status="empty" title={t('rp.list.empty')} description="" /> : null}
      <List>
        {items.map((r) => (
          <List.Item
            key={r.id}
            data-testid="report-item"
            clickable
            onClick={() => nav(`/reports/${r.id}`)}
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
  );
}

/** Home entry for reviewers: link to the list with the number still unrated by me. */
export function ReviewEntry() {
  const { t } = useI18n();
  const [open, setOpen] = useState<number | null>(null);
  useEffect(() => {
    fetchReports()
      .then((r) => setOpen(r.items.filter((x) => !x.ratedByMe).length))
      .catch(() => setOpen(null));
  }, []);
  return (
    <List>
      <List.Item
        data-testid="reports-open"
        clickable
        onClick={() => window.location.assign('/reports')}
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
