import { Button, Collapse, ErrorBlock, Form, Input, List, Selector, Space, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { AuditItem } from '../../../shared/api/audit';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { type AuditFilterValues, downloadAuditCsv, useAuditFacets, useAuditLog } from './api';

const EMPTY: AuditFilterValues = { actorId: '', objectType: '', objectId: '', action: '', from: '', to: '' };

function ActorName({ item }: { item: AuditItem }) {
  const { t } = useI18n();
  if (item.actor.kind === 'system') return <>{t('audit.system')}</>;
  if (item.actor.kind === 'candidate') return <>{t('audit.candidate', { id: item.actor.id ?? '?' })}</>;
  return <>{item.actor.name ?? `#${item.actor.id}`}</>;
}

/** The filter form: person, object, action, dates. Applied on "filter", so typing does not refetch. */
function Filters({ onApply }: { onApply: (f: AuditFilterValues) => void }) {
  const { t } = useI18n();
  const facets = useAuditFacets();
  const [f, setF] = useState<AuditFilterValues>(EMPTY);
  const set = (k: keyof AuditFilterValues) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const pick = (k: keyof AuditFilterValues, options: Array<{ label: string; value: string }>) => (
    <Selector
      options={[{ label: t('audit.any'), value: '' }, ...options]}
      value={[f[k]]}
      onChange={(v) => set(k)(v[0] ?? '')}
      style={{ '--padding': '4px 10px' }}
    />
  );
  return (
    <Collapse defaultActiveKey={['filters']}>
      <Collapse.Panel key="filters" title={t('audit.apply')}>
        <Form layout="vertical" data-testid="audit-filters">
          <Form.Item label={t('audit.person')}>
            {pick(
              'actorId',
              (facets.data?.actors ?? []).map((a) => ({ label: a.name, value: String(a.id) })),
            )}
          </Form.Item>
          <Form.Item label={t('audit.action')}>
            {pick(
              'action',
              (facets.data?.actions ?? []).map((a) => ({ label: a, value: a })),
            )}
          </Form.Item>
          <Form.Item label={t('audit.object')}>
            {pick(
              'objectType',
              (facets.data?.objectTypes ?? []).map((o) => ({ label: o, value: o })),
            )}
          </Form.Item>
          <Form.Item label={t('audit.objectId')}>
            <Input
              value={f.objectId}
              onChange={set('objectId')}
              clearable
              data-testid="audit-object-id"
              aria-label={t('audit.objectId')}
            />
          </Form.Item>
          <Form.Item label={t('audit.from')}>
            <input
              type="date"
              className="audit-date"
              value={f.from}
              onChange={(e) => set('from')(e.target.value)}
              data-testid="audit-from"
              aria-label={t('audit.from')}
            />
          </Form.Item>
          <Form.Item label={t('audit.to')}>
            <input
              type="date"
              className="audit-date"
              value={f.to}
              onChange={(e) => set('to')(e.target.value)}
              data-testid="audit-to"
              aria-label={t('audit.to')}
            />
          </Form.Item>
          <Space>
            <Button color="primary" data-testid="audit-apply" onClick={() => onApply(f)}>
              {t('audit.apply')}
            </Button>
            <Button
              onClick={() => {
                setF(EMPTY);
                onApply(EMPTY);
              }}
            >
              {t('audit.reset')}
            </Button>
          </Space>
        </Form>
      </Collapse.Panel>
    </Collapse>
  );
}

/** HR and admins: the audit log with filters, pages of 30 and a CSV export of what is filtered. */
export function AuditPage() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const [filters, setFilters] = useState<AuditFilterValues>(EMPTY);
  const [exporting, setExporting] = useState(false);
  const log = useAuditLog(filters);
  return (
    <div data-testid="audit-page">
      <Filters onApply={setFilters} />
      <Button
        block
        style={{ margin: '12px 0' }}
        data-testid="audit-export"
        loading={exporting}
        onClick={async () => {
          setExporting(true);
          try {
            await downloadAuditCsv(filters);
            Toast.show(t('audit.exported'));
          } catch (e) {
            Toast.show(errorOf(e));
          } finally {
            setExporting(false);
          }
        }}
      >
        {t('audit.export')}
      </Button>
      <QueryState query={log} title={t('audit.loadFailed')}>
        {(data) => {
          const items = data.pages.flatMap((p) => p.items);
          if (items.length === 0)
            return <ErrorBlock status="empty" title={t('audit.empty')} description="" />;
          return (
            <>
              <List data-testid="audit-list">
                {items.map((i) => (
                  <List.Item
                    key={i.id}
                    data-testid="audit-item"
                    description={
                      <>
                        <div>
                          <ActorName item={i} /> · {new Date(i.at).toLocaleString()}
                        </div>
                        <div>
                          {i.object.type}
                          {i.object.id ? ` #${i.object.id}` : ''}
                        </div>
                        {i.details ? <pre className="audit-details">{JSON.stringify(i.details)}</pre> : null}
                      </>
                    }
                  >
                    {i.action}
                  </List.Item>
                ))}
              </List>
              {log.hasNextPage ? (
                <Button
                  block
                  style={{ marginTop: 12 }}
                  loading={log.isFetchingNextPage}
                  onClick={() => void log.fetchNextPage()}
                >
                  {t('audit.more')}
                </Button>
              ) : null}
            </>
          );
        }}
      </QueryState>
    </div>
  );
}

/** Home entry for HR and admins. */
export function AuditEntry() {
  const { t } = useI18n();
  const nav = useNavigate();
  return (
    <List>
      <List.Item
        data-testid="audit-open"
        clickable
        description={t('audit.openDesc')}
        onClick={() => nav(routes.auditLog())}
      >
        {t('audit.open')}
      </List.Item>
    </List>
  );
}
