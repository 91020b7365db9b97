import { Button, ErrorBlock, List, Selector, Space, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  CANDIDATE_SOURCE_LABELS,
  CANDIDATE_SOURCES,
  type CandidateSource,
} from '../../../shared/api/candidates';
import { routes } from '../../../shared/routes';
import { SearchField } from '../layout/SearchField';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { PAGE, useCandidates } from './api';

/** The source's name in the reader's language. */
export function useSourceLabel() {
  const { lang } = useI18n();
  return (s: CandidateSource) => CANDIDATE_SOURCE_LABELS[s][lang === 'en' ? 'en' : 'zh'];
}

/** HR: the candidate pool, searchable by name/mobile/e-mail, filtered by source, paged. */
export function CandidatesPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const sourceLabel = useSourceLabel();
  const [q, setQ] = useState('');
  const [source, setSource] = useState<CandidateSource | ''>('');
  const [offset, setOffset] = useState(0);
  const list = useCandidates(q, source, offset);
  return (
    <div data-testid="candidates-page">
      <Space wrap style={{ marginBottom: 8 }}>
        <Button
          size="small"
          color="primary"
          data-testid="candidate-add"
          onClick={() => navigate(routes.candidateNew())}
        >
          {t('cd.add')}
        </Button>
        <Button
          size="small"
          data-testid="candidate-import"
          onClick={() => navigate(routes.candidateImport())}
        >
          {t('cd.import')}
        </Button>
      </Space>
      <SearchField
        placeholder={t('cd.list.search')}
        onSearch={(v) => {
          setQ(v.trim());
          setOffset(0);
        }}
        onClear={() => setQ('')}
      />
      <Selector
        style={{ margin: '8px 0' }}
        columns={3}
        value={[source]}
        onChange={(v) => {
          setSource((v[0] ?? '') as CandidateSource | '');
          setOffset(0);
        }}
        options={[
          { label: t('cd.list.allSources'), value: '' },
          ...CANDIDATE_SOURCES.map((s) => ({
            label: list.data ? `${sourceLabel(s)} ${list.data.bySource[s]}` : sourceLabel(s),
            value: s,
          })),
        ]}
      />
      <QueryState query={list} title={t('cd.loadFailed')}>
        {({ total, items }) => (
          <>
            <div className="muted">{t('cd.list.total', { n: total })}</div>
            {items.length === 0 ? (
              <ErrorBlock status="empty" title={t('cd.list.empty')} description="" />
            ) : null}
            <List>
              {items.map((c) => (
                <List.Item
                  key={c.id}
                  data-testid="candidate-row"
                  clickable
                  onClick={() => navigate(routes.candidate(c.id))}
                  description={[c.mobile, c.email].filter(Boolean).join(' · ')}
                  extra={<Tag color="primary">{sourceLabel(c.source)}</Tag>}
                >
                  {c.name}
                </List.Item>
              ))}
            </List>
            <Space style={{ marginTop: 8 }}>
              <Button
                size="small"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                {t('cd.list.prev')}
              </Button>
              <Button size="small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
                {t('cd.list.next')}
              </Button>
            </Space>
          </>
        )}
      </QueryState>
    </div>
  );
}

/** Home entry for HR: the pool, adding and importing. */
export function CandidatesEntry() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <List>
      <List.Item data-testid="candidates-open" clickable onClick={() => navigate(routes.candidates())}>
        {t('cd.list.open')}
      </List.Item>
      <List.Item
        data-testid="candidates-import-open"
        clickable
        onClick={() => navigate(routes.candidateImport())}
      >
        {t('cd.import.title')}
      </List.Item>
    </List>
  );
}
