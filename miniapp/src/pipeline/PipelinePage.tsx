import { Badge, Button, CapsuleTabs, ErrorBlock, List, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { STAGES, type Stage } from '../../../shared/stages';
import type { MessageKey } from '../i18n';
import { useScreenTitle } from '../layout/screenTitle';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { type PipelineCard, useBoard, usePipelineJobs } from './api';
import './pipeline.css';
import { SearchField } from '../layout/SearchField';
import { Spinner } from '../layout/Spinner';

/** i18n key of a stage. */
export const stageKey = (s: Stage) => `pl.stage.${s}` as MessageKey;

/** HR/manager home entry: the jobs with how many candidates are in each stage. */
export function PipelineEntry() {
  const nav = useNavigate();
  const q = usePipelineJobs();
  if (q.isPending && !q.isError) return <Spinner />;
  // A failed load shows no jobs here; the home's other sections stay usable.
  const jobs = q.data?.items ?? [];
  return (
    <List data-testid="pipeline-jobs">
      {jobs.map((j) => {
        const review = j.counts.in_review ?? 0;
        const total = Object.values(j.counts).reduce((a, b) => a + (b ?? 0), 0);
        return (
          <List.Item
            key={j.id}
            clickable
            data-testid={`pipeline-job-${j.id}`}
            onClick={() => nav(routes.pipelineJob(j.id))}
            extra={review ? <Badge content={review} /> : String(total)}
          >
            {j.title}
          </List.Item>
        );
      })}
    </List>
  );
}

/** The board of one job: counts per stage as tabs, filters, and the candidates. */
export function PipelinePage() {
  const { t } = useI18n();
  const nav = useNavigate();
  const jobId = Number(useParams().jobId);
  const [stage, setStage] = useState<string>('all');
  const [suggestion, setSuggestion] = useState<string>('');
  const [q, setQ] = useState('');
  const filter: Record<string, string> = {};
  if (stage !== 'all') filter.stage = stage;
  if (suggestion) filter.suggestion = suggestion;
  if (q) filter.q = q;
  const board = useBoard(jobId, filter);
  useScreenTitle(board.data?.pages[0]?.job.title);
  if (board.isError || !board.data)
    return (
      <QueryState query={board} title={t('pl.loadFailed')}>
        {() => null}
      </QueryState>
    );
  const first = board.data.pages[0];
  const data = { job: first.job, counts: first.counts, items: board.data.pages.flatMap((p) => p.items) };
  const visible = STAGES.filter((s) => data.counts[s] > 0 || s === stage);
  return (
    <div className="pl-page" data-testid="pipeline-board">
      <CapsuleTabs activeKey={stage} onChange={setStage}>
        <CapsuleTabs.Tab key="all" title={t('pl.board.all')} />
        {visible.map((s) => (
          <CapsuleTabs.Tab key={s} title={`${t(stageKey(s))} ${data.counts[s] ?? 0}`} />
        ))}
      </CapsuleTabs>
      <div style={{ display: 'flex', gap: 8, margin: '8px 0', flexWrap: 'wrap' }}>
        {(['', 'pass', 'review', 'reject'] as const).map((s) => (
          <Tag
            key={s || 'any'}
            round
            color={suggestion === s ? 'primary' : 'default'}
            onClick={() => setSuggestion(s)}
            data-testid={`filter-${s || 'any'}`}
          >
            {s ? t(`pl.suggestion.${s}` as MessageKey) : t('pl.board.all')}
          </Tag>
        ))}
      </div>
      <SearchField placeholder={t('pl.board.search')} onSearch={setQ} onClear={() => setQ('')} />
      {data.items.length === 0 ? (
        <ErrorBlock status="empty" title={t('pl.board.empty')} description="" />
      ) : null}
      <List>
        {data.items.map((c: PipelineCard) => (
          <List.Item
            key={c.id}
            clickable
            data-testid="pipeline-card"
            onClick={() => nav(routes.pipelineApplication(c.id))}
            description={
              <span>
                {t(stageKey(c.stage))}
                {c.overall !== null ? ` · ${t('pl.detail.overall')} ${c.overall}` : ''}
              </span>
            }
            extra={
              c.openApproval ? (
                <Tag color="warning">{t('pl.approval.open')}</Tag>
              ) : c.suggestion && c.stage === 'in_review' ? (
                <Tag
                  color={
                    c.suggestion === 'reject' ? 'danger' : c.suggestion === 'pass' ? 'success' : 'default'
                  }
                >
                  {t(`pl.suggestion.${c.suggestion}` as MessageKey)}
                </Tag>
              ) : null
            }
          >
            {c.candidateName}
          </List.Item>
        ))}
      </List>
      {board.hasNextPage ? (
        <Button
          block
          fill="none"
          loading={board.isFetchingNextPage}
          onClick={() => void board.fetchNextPage()}
          data-testid="pipeline-more"
        >
          {t('pl.board.more')}
        </Button>
      ) : null}
    </div>
  );
}
