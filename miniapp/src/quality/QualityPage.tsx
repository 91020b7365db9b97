import type { UseQueryResult } from '@tanstack/react-query';
import { Card, ErrorBlock, List, Selector, Tag } from 'antd-mobile';
import { useState } from 'react';
import type { AgreementStats } from '../../../shared/api/agreement';
import type { Correlation } from '../../../shared/api/analytics';
import { routes } from '../../../shared/routes';
import { Spinner } from '../layout/Spinner';
import { useI18n } from '../locale';
import { usePipelineJobs } from '../pipeline/api';
import { QueryState } from '../query/QueryState';
import { useAgreement, useAudit, useDeletionRequests, useOutcomeGroups } from './api';

const num = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);

/**
 * HR: the bias audit and the AI-vs-human agreement of one job or all jobs, with the flags that
 * need a person's attention (TRUST.md "Fairness"). Demographics only ever appear here in
 * aggregate.
 */
export function QualityPage() {
  const { t } = useI18n();
  const [jobId, setJobId] = useState<number | null>(null);
  const jobsQ = usePipelineJobs();
  const erasuresQ = useDeletionRequests();
  const agreementQ = useAgreement(jobId);
  const auditQ = useAudit(jobId);
  const queries: UseQueryResult<unknown>[] = [jobsQ, erasuresQ, agreementQ, auditQ];
  const failed = queries.find((q) => q.isError);
  if (failed)
    return (
      <QueryState query={failed} title={t('q.loadFailed')}>
        {() => null}
      </QueryState>
    );
  const jobs = jobsQ.data?.items ?? [];
  const erasures = erasuresQ.data?.items ?? [];
  const agreement = agreementQ.data ?? null;
  const audit = auditQ.data ?? null;
  const stats = (s: AgreementStats) => t('q.agreement.row', { n: s.n, qwk: num(s.qwk), r: num(s.pearson) });
  return (
    <div data-testid="quality" style={{ padding: 12 }}>
      <Selector
        columns={2}
        value={[jobId ?? 0]}
        onChange={(v) => setJobId(v[0] ? Number(v[0]) : null)}
        options={[{ label: t('q.allJobs'), value: 0 }, ...jobs.map((j) => ({ label: j.title, value: j.id }))]}
      />
      {!agreement || !audit ? (
        <Spinner />
      ) : (
        <>
          <Card title={t('q.agreement.title')} style={{ marginTop: 12 }} data-testid="q-agreement">
            <p className="muted">{t('q.agreement.intro', { days: agreement.recentDays })}</p>
            {agreement.jobs.length === 0 ? (
              <ErrorBlock status="empty" title={t('q.agreement.empty')} description="" />
            ) : (
              <p data-testid="q-agreement-overall">
                {t('q.agreement.overall', {
                  n: agreement.overall.n,
                  qwk: num(agreement.overall.qwk),
                  r: num(agreement.overall.pearson),
                })}
              </p>
            )}
            {agreement.jobs.map((j) => (
              <List key={j.jobId} header={`${j.jobTitle} · ${stats(j)}`}>
                {j.competencies.map((c) => (
                  <List.Item
                    key={c.competency}
                    data-testid="q-competency"
                    description={
                      <>
                        <div>
                          {t('q.agreement.window', {
                            days: agreement.recentDays,
                            recent: num(c.recent.qwk),
                            rn: c.recent.n,
                            earlier: num(c.earlier.qwk),
                            en: c.earlier.n,
                          })}
                        </div>
                        {c.bias !== null && Math.abs(c.bias) >= 0.5 ? (
                          <div>
                            {t(c.bias > 0 ? 'q.agreement.bias.higher' : 'q.agreement.bias.lower', {
                              x: Math.abs(c.bias).toFixed(1),
                            })}
                          </div>
                        ) : null}
                        {c.n < agreement.thresholds.minPairs ? (
                          <div>{t('q.agreement.few', { n: agreement.thresholds.minPairs })}</div>
                        ) : null}
                      </>
                    }
                  >
                    {c.competency} · {stats(c)}{' '}
                    {c.flags.map((f) => (
                      <Tag key={f} color="danger" data-testid={`q-flag-${f}`}>
                        {t(`q.flag.${f}`)}
                      </Tag>
                    ))}
                  </List.Item>
                ))}
              </List>
            ))}
          </Card>
          <Card title={t('q.audit.title')} style={{ marginTop: 12 }} data-testid="q-audit">
            <p className="muted">
              {t('q.audit.intro', { threshold: audit.threshold, minShare: Math.round(audit.minShare * 100) })}
            </p>
            {audit.total === 0 ? (
              <ErrorBlock status="empty" title={t('q.audit.empty')} description="" />
            ) : (
              <p data-testid="q-audit-total">
                {t('q.audit.total', { n: audit.total, median: audit.medianScore ?? '—' })}
              </p>
            )}
            {audit.total === 0
              ? null
              : audit.dimensions.map((d) => (
                  <List key={d.dimension} header={d.dimension}>
                    {d.categories.map((c) => (
                      <List.Item
                        key={c.category}
                        data-testid="q-category"
                        description={t('q.audit.scoring', {
                          rate: pct(c.scoringRate),
                          ratio: num(c.scoringImpactRatio),
                        })}
                      >
                        {t('q.audit.category', {
                          category: c.category,
                          count: c.count,
                          sel: pct(c.selectionRate),
                          ratio: num(c.selectionImpactRatio),
                        })}{' '}
                        {c.flagged ? <Tag color="danger">{t('q.audit.flagged')}</Tag> : null}
                        {c.excluded ? <Tag>{t('q.audit.excluded')}</Tag> : null}
                      </List.Item>
                    ))}
                    <List.Item>{t('q.audit.unknown', { n: d.unknown })}</List.Item>
                  </List>
                ))}
          </Card>
          <Card title={t('q.screening.title')} style={{ marginTop: 12 }} data-testid="q-screening">
            <p className="muted">{t('q.screening.intro')}</p>
            {audit.screening.total === 0 ? (
              <ErrorBlock status="empty" title={t('q.screening.empty')} description="" />
            ) : (
              audit.screening.dimensions.map((d) => (
                <List key={d.dimension} header={d.dimension}>
                  {d.categories.map((c) => (
                    <List.Item key={c.category} data-testid="q-screening-category">
                      {t('q.screening.category', {
                        category: c.category,
                        count: c.count,
                        sel: pct(c.selectionRate),
                        ratio: num(c.selectionImpactRatio),
                      })}{' '}
                      {c.flagged ? <Tag color="danger">{t('q.audit.flagged')}</Tag> : null}
                      {c.excluded ? <Tag>{t('q.audit.excluded')}</Tag> : null}
                    </List.Item>
                  ))}
                  <List.Item>{t('q.audit.unknown', { n: d.unknown })}</List.Item>
                </List>
              ))
            )}
          </Card>
        </>
      )}
      <OutcomeGroups jobId={jobId} />
      <Card title={t('q.erasure.title')} style={{ marginTop: 12 }} data-testid="q-erasures">
        {erasures.length === 0 ? <p className="muted">{t('q.erasure.empty')}</p> : null}
        <List>
          {erasures.map((r) => (
            <List.Item
              key={r.id}
              data-testid="q-erasure"
              description={
                r.status === 'done'
                  ? t('q.erasure.done', { at: new Date(r.completedAt ?? r.dueBy).toLocaleString() })
                  : t('q.erasure.pending', { due: new Date(r.dueBy).toLocaleDateString() })
              }
            >
              {t('q.erasure.row', {
                id: r.candidateId,
                by: t(r.requestedBy === 'candidate' ? 'q.erasure.by.candidate' : 'q.erasure.by.hr'),
              })}
            </List.Item>
          ))}
        </List>
      </Card>
    </div>
  );
}

/**
 * The closed-loop validity per self-identified group (from the analytics report): whether the AI
 * overall score predicts probation and performance equally well across groups.
 */
function OutcomeGroups({ jobId }: { jobId: number | null }) {
  const { t } = useI18n();
  const q = useOutcomeGroups(jobId);
  const cell = (c: Correlation) =>
    c.r === null || c.low === null || c.high === null
      ? t('q.outcomes.notEnough', { n: c.n })
      : `r=${c.r.toFixed(2)} [${c.low.toFixed(2)}, ${c.high.toFixed(2)}] n=${c.n}`;
  return (
    <Card title={t('q.outcomes.title')} style={{ marginTop: 12 }} data-testid="q-outcomes">
      <QueryState query={q} title={t('q.loadFailed')}>
        {(d) => (
          <>
            <p className="muted">{t('q.outcomes.intro', { n: d.minN })}</p>
            {d.groups?.length ? (
              <List>
                {d.groups.map((g) => {
                  const overall = g.items.find((i) => i.competency === 'overall');
                  return (
                    <List.Item key={`${g.dimension}:${g.category}`} data-testid="q-outcomes-group">
                      {t('q.outcomes.row', {
                        group: `${g.dimension}: ${g.category}`,
                        hires: g.hires,
                        probation: overall ? cell(overall.probation) : '—',
                        performance: overall ? cell(overall.performance) : '—',
                      })}
                    </List.Item>
                  );
                })}
              </List>
            ) : (
              <p className="muted">{t('q.outcomes.empty')}</p>
            )}
          </>
        )}
      </QueryState>
    </Card>
  );
}

/** Home entry for HR. */
export function QualityEntry() {
  const { t } = useI18n();
  return (
    <List>
      <List.Item
        data-testid="quality-open"
        clickable
        onClick={() => window.location.assign(routes.quality())}
      >
        {t('q.open')}
      </List.Item>
    </List>
  );
}
