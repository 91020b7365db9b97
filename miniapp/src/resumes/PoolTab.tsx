import { Badge, Button, Card, ErrorBlock, Input, Popup, Selector, Space, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import {
  normalizePoolTag,
  POOL_OUTCOMES,
  POOL_STAGES,
  POOL_TAG_MAX_CHARS,
  POOL_TAGS_MAX,
  type PoolRow,
  poolTagKey,
} from '../../../shared/api/resumes';
import { useErrorText } from '../errors';
import { useJobs } from '../jobs/api';
import { SearchField } from '../layout/SearchField';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { type PoolFilters, usePool, usePoolInvite, usePoolTagSuggestions, useSetPoolTags } from './api';

/** How many filters are set (the 「筛选」 button's badge). */
export function activeFilterCount(f: PoolFilters): number {
  return (f.jobId ? 1 : 0) + (f.stage ? 1 : 0) + (f.outcome ? 1 : 0) + (f.tags?.length ?? 0);
}

/**
 * The pool's filters in a bottom sheet, so the list keeps the phone's screen: a past job, the
 * stage reached, an outcome and tags (any of them). Every choice applies at once; 完成 closes.
 */
function FilterSheet(props: {
  visible: boolean;
  filters: PoolFilters;
  onChange: (f: PoolFilters) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { filters: f, onChange } = props;
  // Past jobs include closed ones: the pool is where past candidates are found again.
  const jobs = useJobs('', '');
  const suggestions = usePoolTagSuggestions(props.visible);
  const tagOptions = [
    ...new Set([...(f.tags ?? []), ...(suggestions.data?.tags ?? []).map((s) => s.tag)]),
  ].map((tag) => ({ label: tag, value: tag }));
  return (
    <Popup
      visible={props.visible}
      onMaskClick={props.onClose}
      onClose={props.onClose}
      bodyStyle={{ maxHeight: '80vh', overflow: 'auto', padding: 12 }}
    >
      <div data-testid="sc-pool-sheet" role="dialog" aria-label={t('sc.filterTitle')}>
        <h3 style={{ margin: '4px 0 8px' }}>{t('sc.filterTitle')}</h3>
        <div className="muted">{t('sc.poolPastJob')}</div>
        <Selector
          data-testid="sc-pool-job"
          options={(jobs.data?.items ?? []).map((j) => ({ label: j.title, value: String(j.id) }))}
          value={f.jobId ? [String(f.jobId)] : []}
          onChange={(v) => onChange({ ...f, jobId: v[0] ? Number(v[0]) : undefined })}
        />
        <div className="muted">{t('sc.poolStage')}</div>
        <Selector
          data-testid="sc-pool-stage"
          columns={3}
          options={POOL_STAGES.map((s) => ({ label: t(`pl.stage.${s}`), value: s }))}
          value={f.stage ? [f.stage] : []}
          onChange={(v) => onChange({ ...f, stage: v[0] })}
        />
        <div className="muted">{t('sc.poolOutcome')}</div>
        <Selector
          data-testid="sc-pool-outcome"
          columns={3}
          options={POOL_OUTCOMES.map((o) => ({ label: t(`sc.outcome.${o}`), value: o }))}
          value={f.outcome ? [f.outcome] : []}
          onChange={(v) => onChange({ ...f, outcome: v[0] })}
        />
        <div className="muted">{t('sc.poolTags')}</div>
        {tagOptions.length ? (
          <Selector
            data-testid="sc-pool-tags"
            multiple
            options={tagOptions}
            value={f.tags ?? []}
            onChange={(v) => onChange({ ...f, tags: v.length ? v : undefined })}
          />
        ) : (
          <div className="muted">{t('sc.poolNoTags')}</div>
        )}
        <Space style={{ marginTop: 12, width: '100%' }} justify="end">
          <Button data-testid="sc-pool-reset" onClick={() => onChange({})}>
            {t('sc.filterReset')}
          </Button>
          <Button color="primary" data-testid="sc-pool-done" onClick={props.onClose}>
            {t('sc.filterDone')}
          </Button>
        </Space>
      </div>
    </Popup>
  );
}

/** The active filters as chips; tapping one removes that filter. */
function FilterChips({ filters: f, onChange }: { filters: PoolFilters; onChange: (f: PoolFilters) => void }) {
  const { t } = useI18n();
  const jobs = useJobs('', '');
  const chips: Array<{ key: string; label: string; drop: PoolFilters }> = [];
  if (f.jobId) {
    const title = jobs.data?.items.find((j) => j.id === f.jobId)?.title ?? `#${f.jobId}`;
    chips.push({ key: 'job', label: t('sc.chip.job', { v: title }), drop: { ...f, jobId: undefined } });
  }
  if (f.stage)
    chips.push({
      key: 'stage',
      label: t('sc.chip.stage', { v: t(`pl.stage.${f.stage}`) }),
      drop: { ...f, stage: undefined },
    });
  if (f.outcome)
    chips.push({
      key: 'outcome',
      label: t('sc.chip.outcome', { v: t(`sc.outcome.${f.outcome}`) }),
      drop: { ...f, outcome: undefined },
    });
  for (const tag of f.tags ?? []) {
    const rest = (f.tags ?? []).filter((x) => x !== tag);
    chips.push({
      key: `tag:${tag}`,
      label: t('sc.chip.tag', { v: tag }),
      drop: { ...f, tags: rest.length ? rest : undefined },
    });
  }
  if (!chips.length) return null;
  return (
    <Space wrap style={{ margin: '6px 0', '--gap': '6px' }} data-testid="sc-pool-chips">
      {chips.map((c) => (
        <Button
          key={c.key}
          size="mini"
          shape="rounded"
          color="primary"
          fill="outline"
          data-testid="sc-pool-chip"
          aria-label={t('sc.chipRemove', { v: c.label })}
          onClick={() => onChange(c.drop)}
          style={{ minHeight: 28 }}
        >
          {c.label} ×
        </Button>
      ))}
    </Space>
  );
}

/**
 * HR edits one pool entry's tags in a popup: the current tags (tap × to remove), a field to type
 * a new one, and the company's tags in use to tap. Saving sends only what changed (added and
 * removed), so two people tagging the same candidate do not undo each other.
 */
function TagEditor({ row, onClose }: { row: PoolRow | null; onClose: () => void }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const save = useSetPoolTags();
  const suggestions = usePoolTagSuggestions(row !== null);
  const [tags, setTags] = useState<string[]>([]);
  const [draft, setDraft] = useState('');
  const [shownFor, setShownFor] = useState<number | null>(null);
  // A fresh copy of the row's tags each time the popup opens for a row.
  if (row && shownFor !== row.candidateId) {
    setShownFor(row.candidateId);
    setTags(row.tags);
    setDraft('');
  }
  if (!row && shownFor !== null) setShownFor(null);
  const has = (tag: string) => tags.some((x) => poolTagKey(x) === poolTagKey(tag));
  const full = tags.length >= POOL_TAGS_MAX;
  const cleaned = normalizePoolTag(draft);
  const tooLong = [...cleaned].length > POOL_TAG_MAX_CHARS;
  const add = (raw: string) => {
    const tag = normalizePoolTag(raw);
    if (!tag || [...tag].length > POOL_TAG_MAX_CHARS || has(tag) || full) return;
    setTags([...tags, tag]);
    setDraft('');
  };
  const submit = () => {
    if (!row) return;
    const before = new Set(row.tags.map(poolTagKey));
    const after = new Set(tags.map(poolTagKey));
    const added = tags.filter((x) => !before.has(poolTagKey(x)));
    const removed = row.tags.filter((x) => !after.has(poolTagKey(x)));
    if (!added.length && !removed.length) return onClose();
    save.mutate(
      { candidateId: row.candidateId, add: added, remove: removed },
      {
        onSuccess: () => {
          Toast.show(t('sc.tags.saved'));
          onClose();
        },
        onError: (e) => Toast.show(errorOf(e)),
      },
    );
  };
  const offered = (suggestions.data?.tags ?? []).filter((s) => !has(s.tag)).slice(0, 20);
  return (
    <Popup
      visible={row !== null}
      onMaskClick={onClose}
      onClose={onClose}
      bodyStyle={{ maxHeight: '80vh', overflow: 'auto', padding: 12 }}
    >
      {row ? (
        <div
          data-testid="sc-tags-editor"
          role="dialog"
          aria-label={t('sc.tags.title', { name: row.candidateName })}
        >
          <h3 style={{ margin: '4px 0 8px' }}>{t('sc.tags.title', { name: row.candidateName })}</h3>
          <Space wrap style={{ '--gap': '6px' }} data-testid="sc-tags-current">
            {tags.length === 0 ? <span className="muted">{t('sc.tags.none')}</span> : null}
            {tags.map((tag) => (
              <Button
                key={tag}
                size="mini"
                shape="rounded"
                color="primary"
                fill="outline"
                data-testid="sc-tags-remove"
                aria-label={t('sc.tags.remove', { tag })}
                onClick={() => setTags(tags.filter((x) => x !== tag))}
                style={{ minHeight: 28 }}
              >
                {tag} ×
              </Button>
            ))}
          </Space>
          <Space style={{ marginTop: 10, width: '100%' }} align="center">
            <Input
              data-testid="sc-tags-input"
              aria-label={t('sc.tags.placeholder')}
              placeholder={t('sc.tags.placeholder')}
              value={draft}
              onChange={setDraft}
              onEnterPress={() => add(draft)}
              disabled={full}
              style={{ flex: 1, minWidth: 180, borderBottom: '1px solid #ddd' }}
            />
            <Button
              size="small"
              data-testid="sc-tags-add"
              disabled={!cleaned || tooLong || full || has(cleaned)}
              onClick={() => add(draft)}
            >
              {t('sc.tags.add')}
            </Button>
          </Space>
          {full ? <div className="muted">{t('sc.tags.max', { max: POOL_TAGS_MAX })}</div> : null}
          {tooLong ? (
            <div className="muted" role="alert">
              {t('sc.tags.tooLong', { max: POOL_TAG_MAX_CHARS })}
            </div>
          ) : null}
          {offered.length ? (
            <>
              <div className="muted" style={{ marginTop: 10 }}>
                {t('sc.tags.suggested')}
              </div>
              <Space wrap style={{ '--gap': '6px' }} data-testid="sc-tags-suggestions">
                {offered.map((s) => (
                  <Button
                    key={s.tag}
                    size="mini"
                    shape="rounded"
                    disabled={full}
                    data-testid="sc-tags-suggestion"
                    onClick={() => add(s.tag)}
                    style={{ minHeight: 28 }}
                  >
                    {s.tag}（{s.count}）
                  </Button>
                ))}
              </Space>
            </>
          ) : null}
          <Space style={{ marginTop: 12, width: '100%' }} justify="end">
            <Button onClick={onClose}>{t('sc.cancel')}</Button>
            <Button color="primary" data-testid="sc-tags-save" loading={save.isPending} onClick={submit}>
              {t('sc.tags.save')}
            </Button>
          </Space>
        </div>
      ) : null}
    </Popup>
  );
}

/** One pool entry: last role, skills, HR's tags, how far they got, history, merged records. */
function PoolCard(props: { row: PoolRow; jobId: number | null; onEditTags: (r: PoolRow) => void }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const invite = usePoolInvite();
  const { row: r, jobId } = props;
  return (
    <Card data-testid="sc-pool-row" title={r.candidateName} style={{ marginTop: 12 }}>
      {r.lastRole ? <div>{r.lastRole}</div> : null}
      <Space wrap style={{ margin: '6px 0' }}>
        {r.skills.map((s) => (
          <Tag key={s}>{s}</Tag>
        ))}
      </Space>
      <Space
        wrap
        align="center"
        style={{ margin: '2px 0 6px', '--gap': '6px' }}
        data-testid="sc-pool-tags-row"
      >
        {r.tags.map((tag) => (
          <Tag key={tag} color="primary" fill="outline" data-testid="sc-pool-tag">
            {tag}
          </Tag>
        ))}
        <Button
          size="mini"
          fill="none"
          color="primary"
          data-testid="sc-pool-edit-tags"
          onClick={() => props.onEditTags(r)}
          style={{ minHeight: 28 }}
        >
          {t('sc.tags.edit')}
        </Button>
      </Space>
      <div className="muted" data-testid="sc-pool-reached">
        {t('sc.poolReached', {
          stage: r.stageReached ? t(`pl.stage.${r.stageReached}`) : t('sc.poolNoStage'),
          outcomes: r.outcomes.map((o) => t(`sc.outcome.${o}`)).join('、') || '—',
        })}
      </div>
      {r.history.length ? (
        <div className="muted">
          {t('sc.history', {
            jobs: r.history.map((h) => `${h.jobTitle}（${t(`sc.decided.${h.decision}`)}）`).join('、'),
          })}
        </div>
      ) : null}
      {r.duplicates.length ? (
        <div className="muted" data-testid="sc-pool-merged">
          {t('sc.merged', {
            n: r.duplicates.length,
            why: r.mergedBy.map((w) => t(`sc.mergedBy.${w}`)).join('、'),
          })}
        </div>
      ) : null}
      <Button
        size="small"
        color="primary"
        data-testid="sc-pool-invite"
        disabled={!jobId}
        style={{ marginTop: 8 }}
        onClick={() => {
          if (!jobId) return;
          invite.mutate(
            { resumeId: r.resumeId, jobId },
            { onSuccess: () => Toast.show(t('sc.decided.invite')), onError: (e) => Toast.show(errorOf(e)) },
          );
        }}
      >
        {t('sc.poolInvite')}
      </Button>
    </Card>
  );
}

/**
 * The talent pool: candidates who agreed to be kept. One line to search plus 「筛选」 (with the
 * number of filters set) opening the filters in a sheet; the filters set show as chips that
 * remove themselves. Each entry shows HR's tags, edited from the entry; one step re-invites.
 * Entries come a page at a time; 「加载更多」 under the last one brings the next page.
 */
export function PoolTab({ jobId }: { jobId: number | null }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState<PoolFilters>({});
  const [sheet, setSheet] = useState(false);
  const [editing, setEditing] = useState<PoolRow | null>(null);
  const pool = usePool(q, filters);
  const n = activeFilterCount(filters);
  return (
    <div data-testid="sc-pool-tab">
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <div style={{ flex: 1, minWidth: 0 }}>
          <SearchField placeholder={t('sc.poolSearch')} onSearch={setQ} onClear={() => setQ('')} />
        </div>
        <Badge content={n || null} data-testid="sc-pool-filter-badge">
          <Button
            size="small"
            data-testid="sc-pool-filter"
            aria-label={n ? t('sc.filterActive', { n }) : t('sc.filter')}
            onClick={() => setSheet(true)}
          >
            {t('sc.filter')}
          </Button>
        </Badge>
      </div>
      <FilterChips filters={filters} onChange={setFilters} />
      {jobId ? null : <p className="muted">{t('sc.poolChooseJob')}</p>}
      <FilterSheet visible={sheet} filters={filters} onChange={setFilters} onClose={() => setSheet(false)} />
      <TagEditor row={editing} onClose={() => setEditing(null)} />
      <QueryState query={pool} title={t('sc.loadFailed')}>
        {(d) => {
          const rows = d.pages.flatMap((p) => p.rows);
          if (!rows.length) return <ErrorBlock status="empty" title={t('sc.poolEmpty')} description="" />;
          return (
            <>
              {rows.map((r) => (
                <PoolCard key={r.resumeId} row={r} jobId={jobId} onEditTags={setEditing} />
              ))}
              {pool.hasNextPage ? (
                <Button
                  block
                  style={{ marginTop: 12 }}
                  data-testid="sc-pool-more"
                  loading={pool.isFetchingNextPage}
                  onClick={() => void pool.fetchNextPage()}
                >
                  {t('sc.poolMore')}
                </Button>
              ) : null}
            </>
          );
        }}
      </QueryState>
    </div>
  );
}
