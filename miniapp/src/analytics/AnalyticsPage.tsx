import type { UseQueryResult } from '@tanstack/react-query';
import { Button, Card, Collapse, Selector, Toast } from 'antd-mobile';
import { type ReactNode, useMemo, useState } from 'react';
import {
  AI_VALIDITY_MIN_N,
  type AnalyticsTable,
  type DurationStats,
  type FunnelStep,
  type OutcomeValidityRow,
} from '../../../shared/api/analytics';
import { CANDIDATE_SOURCE_LABELS, type CandidateSource } from '../../../shared/api/candidates';
import type { Stage } from '../../../shared/stages';
import { useErrorText } from '../errors';
import type { MessageKey } from '../i18n';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import {
  type AnalyticsFilterValues,
  downloadXlsx,
  requestOutcomeSync,
  useAiValidity,
  useAnalyticsOptions,
  useFunnel,
  useOutcomes,
  useRaters,
  useReminders,
  useSources,
  useTimes,
} from './api';
import { Bars } from './Chart';
import './analytics.css';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** A rate as a chart's percent (one decimal); none stays a gap in the chart, not a zero. */
const pctValue = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/** A rate as a table cell: "too few" where the server withheld it (under the minimum n). */
function useRateCell() {
  const { t } = useI18n();
  return (x: number | null) => (x === null ? t('an.tooFew') : pct(x));
}

/** Downloads one table as .xlsx and says how it went (done, or the error in words). */
function useDownload() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  return async (table: AnalyticsTable, filters: AnalyticsFilterValues) => {
    try {
      await downloadXlsx(table, filters);
      Toast.show(t('an.exported'));
    } catch (e) {
      Toast.show(errorOf(e));
    }
  };
}

/** One stats table: a header row and body rows, every number exact. */
function Table({ head, rows, testId }: { head: string[]; rows: ReactNode[][]; testId: string }) {
  return (
    <div className="an-table-wrap">
      <table className="an-table" data-testid={testId}>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            // Rows are positional (a stage, a band): their order is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: positional rows
            <tr key={i}>
              {r.map((c, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: positional cells
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A card with a chart, the exact table under it, and its export button. */
function Section({
  title,
  desc,
  table,
  filters,
  testId,
  children,
}: {
  title: string;
  desc: string;
  table: AnalyticsTable;
  filters: AnalyticsFilterValues;
  testId: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const download = useDownload();
  const [busy, setBusy] = useState(false);
  return (
    <Card title={title} className="an-card" data-testid={testId}>
      <p className="muted">{desc}</p>
      {children}
      <Button
        size="small"
        fill="outline"
        loading={busy}
        data-testid={`${testId}-export`}
        onClick={async () => {
          setBusy(true);
          await download(table, filters);
          setBusy(false);
        }}
      >
        {t('an.export')}
      </Button>
    </Card>
  );
}

/**
 * The figures' sections, by the table each exports. The id names the section's texts
 * (`an.<id>` title, `an.<id>.desc` description) and its test ids (`an-<id>`, `an-<id>-export`).
 */
const SECTION_TABLES = {
  funnel: 'funnel',
  times: 'times',
  sources: 'sources',
  ai: 'ai_validity',
  raters: 'raters',
  reminders: 'reminders',
  outcomes: 'outcomes',
} as const satisfies Record<string, AnalyticsTable>;

/**
 * One figure's card once its query has loaded (the error and a retry until then). `minN` reads
 * the minimum n the server applied, for descriptions that state it.
 */
function StatsSection<T>({
  id,
  query,
  filters,
  minN,
  children,
}: {
  id: keyof typeof SECTION_TABLES;
  query: UseQueryResult<T>;
  filters: AnalyticsFilterValues;
  minN?: (data: T) => number;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <QueryState query={query} title={t('an.loadFailed')}>
      {(d) => (
        <Section
          title={t(`an.${id}`)}
          desc={t(`an.${id}.desc`, minN ? { n: minN(d) } : undefined)}
          table={SECTION_TABLES[id]}
          filters={filters}
          testId={`an-${id}`}
        >
          {children(d)}
        </Section>
      )}
    </QueryState>
  );
}

/**
 * One filter as a row of choices, "all" first (no value). The "all" choice is held as an empty
 * string, which no department, job or source id is.
 */
function FilterChoice<V extends string | number>(props: {
  all: string;
  value: V | undefined;
  options: Array<{ label: string; value: V }>;
  onChange: (value: V | undefined) => void;
  testId?: string;
}) {
  return (
    <Selector<V | ''>
      columns={3}
      value={[props.value ?? '']}
      onChange={(v) => props.onChange(v[0] === '' || v[0] === undefined ? undefined : v[0])}
      options={[{ label: props.all, value: '' }, ...props.options]}
      data-testid={props.testId}
    />
  );
}

/** A day filter (from or to); cleared, it filters nothing. */
function DateFilter(props: {
  label: string;
  value: string | undefined;
  onChange: (day: string | undefined) => void;
  testId: string;
}) {
  return (
    <label>
      {props.label}{' '}
      <input
        type="date"
        value={props.value ?? ''}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value || undefined)}
      />
    </label>
  );
}

/** Filters: job, department, source, applied-from/to days. Applied at once (each is one tap). */
function Filters({
  value,
  onChange,
}: {
  value: AnalyticsFilterValues;
  onChange: (f: AnalyticsFilterValues) => void;
}) {
  const { t, lang } = useI18n();
  const options = useAnalyticsOptions();
  const jobs = (options.data?.jobs ?? []).filter(
    (j) => !value.departmentId || j.departmentId === value.departmentId,
  );
  const set = (patch: Partial<AnalyticsFilterValues>) => onChange({ ...value, ...patch });
  return (
    // Open at first; folded away it leaves the charts the whole phone screen.
    <Collapse defaultActiveKey={['filters']}>
      <Collapse.Panel key="filters" title={t('an.filters')}>
        <div className="an-filters" data-testid="an-filters">
          {(options.data?.departments.length ?? 0) > 1 && (
            <FilterChoice
              all={t('an.allDepartments')}
              value={value.departmentId}
              onChange={(departmentId) => set({ departmentId, jobId: undefined })}
              options={(options.data?.departments ?? []).map((d) => ({ label: d.name, value: d.id }))}
            />
          )}
          <FilterChoice
            all={t('an.allJobs')}
            value={value.jobId}
            onChange={(jobId) => set({ jobId })}
            options={jobs.map((j) => ({ label: j.title, value: j.id }))}
            testId="an-job"
          />
          <FilterChoice
            all={t('an.allSources')}
            value={value.source}
            onChange={(source) => set({ source })}
            options={(options.data?.sources ?? []).map((s) => ({
              label: CANDIDATE_SOURCE_LABELS[s][lang === 'en' ? 'en' : 'zh'],
              value: s,
            }))}
          />
          <div className="an-dates">
            <DateFilter
              label={t('an.from')}
              value={value.from}
              onChange={(from) => set({ from })}
              testId="an-from"
            />
            <DateFilter label={t('an.to')} value={value.to} onChange={(to) => set({ to })} testId="an-to" />
            <Button size="mini" onClick={() => onChange({})}>
              {t('an.clear')}
            </Button>
          </div>
          <p className="muted">{t('an.scopeNote')}</p>
        </div>
      </Collapse.Panel>
    </Collapse>
  );
}

/** Stage names in the UI language (the pipeline's own labels). */
function useStageLabel() {
  const { t } = useI18n();
  return (s: Stage) => t(`pl.stage.${s}` as MessageKey);
}

/** Durations read in hours under two days, in days above. */
function useDuration() {
  const { t } = useI18n();
  return (ms: number | null) => {
    if (ms === null) return '—';
    const h = ms / 3_600_000;
    return h < 48 ? t('an.hours', { h: h.toFixed(1) }) : t('an.days', { d: (h / 24).toFixed(1) });
  };
}

function FunnelSection({ filters }: { filters: AnalyticsFilterValues }) {
  const { t } = useI18n();
  const label = useStageLabel();
  const q = useFunnel(filters);
  const head = [t('an.stage'), t('an.reached'), t('an.conversion'), t('an.current')];
  const rows = (s: FunnelStep[], current: Record<Stage, number>) =>
    s.map((x) => [label(x.stage), x.reached, pct(x.conversion), current[x.stage]]);
  return (
    <StatsSection id="funnel" query={q} filters={filters}>
      {(d) => {
        const steps = d.overall.steps;
        return (
          <>
            <p data-testid="an-funnel-total">{t('an.applications', { n: d.overall.applications })}</p>
            <Bars
              horizontal
              categories={steps.map((s) => label(s.stage))}
              series={[{ name: t('an.reached'), values: steps.map((s) => s.reached) }]}
              height={280}
            />
            <Table testId="an-funnel-table" head={head} rows={rows(steps, d.overall.current)} />
            {d.jobs.length > 1 && (
              <>
                <h4>{t('an.funnel.job')}</h4>
                {d.jobs.map((j) => (
                  <details key={j.jobId} data-testid={`an-funnel-job-${j.jobId}`}>
                    <summary>
                      {j.title} · {t('an.applications', { n: j.applications })}
                    </summary>
                    <Table
                      testId={`an-funnel-job-table-${j.jobId}`}
                      head={head}
                      rows={rows(j.steps, j.current)}
                    />
                  </details>
                ))}
              </>
            )}
          </>
        );
      }}
    </StatsSection>
  );
}

function TimesSection({ filters }: { filters: AnalyticsFilterValues }) {
  const { t } = useI18n();
  const label = useStageLabel();
  const dur = useDuration();
  const q = useTimes(filters);
  const row = (name: string, s: DurationStats) => [name, s.n, dur(s.medianMs), dur(s.p90Ms)];
  const hours = (ms: number | null) => (ms === null ? null : Math.round(ms / 360_000) / 10);
  const head = [t('an.stage'), t('an.n'), t('an.median'), t('an.p90')];
  return (
    <StatsSection id="times" query={q} filters={filters}>
      {(d) => (
        <>
          <Bars
            horizontal
            categories={d.stages.map((s) => label(s.stage))}
            series={[
              { name: `${t('an.median')} (h)`, values: d.stages.map((s) => hours(s.medianMs)) },
              { name: `${t('an.p90')} (h)`, values: d.stages.map((s) => hours(s.p90Ms)) },
            ]}
            height={Math.max(200, 40 * d.stages.length)}
          />
          <Table
            testId="an-times-table"
            head={head}
            rows={[...d.stages.map((s) => row(label(s.stage), s)), row(t('an.timeToHire'), d.timeToHire)]}
          />
          <h4>{t('an.waiting')}</h4>
          <Table testId="an-waiting-table" head={head} rows={d.waiting.map((s) => row(label(s.stage), s))} />
        </>
      )}
    </StatsSection>
  );
}

function SourcesSection({ filters }: { filters: AnalyticsFilterValues }) {
  const { t, lang } = useI18n();
  const dur = useDuration();
  const q = useSources(filters);
  const name = (s: CandidateSource) => CANDIDATE_SOURCE_LABELS[s][lang === 'en' ? 'en' : 'zh'];
  return (
    <StatsSection id="sources" query={q} filters={filters}>
      {(d) => {
        const at = (i: (typeof d.items)[number], stage: string) => i.steps.find((s) => s.stage === stage);
        return (
          <>
            <Bars
              categories={d.items.map((i) => name(i.source))}
              series={[
                { name: t('an.applicants'), values: d.items.map((i) => i.applicants) },
                { name: t('an.passed'), values: d.items.map((i) => at(i, 'second_round')?.reached ?? 0) },
                { name: t('an.hires'), values: d.items.map((i) => i.hires) },
              ]}
            />
            <Table
              testId="an-sources-table"
              head={[t('an.source'), t('an.applicants'), t('an.passed'), t('an.hires'), t('an.timeToHire')]}
              rows={d.items.map((i) => [
                name(i.source),
                i.applicants,
                `${at(i, 'second_round')?.reached ?? 0} (${pct(at(i, 'second_round')?.rate ?? null)})`,
                `${i.hires} (${pct(at(i, 'hired')?.rate ?? null)})`,
                dur(i.timeToHire.medianMs),
              ])}
            />
          </>
        );
      }}
    </StatsSection>
  );
}

function AiSection({ filters }: { filters: AnalyticsFilterValues }) {
  const { t } = useI18n();
  const q = useAiValidity(filters);
  const rateOf = useRateCell();
  return (
    <StatsSection id="ai" query={q} filters={filters} minN={(d) => d.minN ?? AI_VALIDITY_MIN_N}>
      {(d) => (
        <>
          <Bars
            categories={d.bands.map((b) => b.band)}
            series={[
              // Rates under the minimum n are left out of the chart too (a gap, not a zero).
              { name: `${t('an.advanceRate')} %`, values: d.bands.map((b) => pctValue(b.advanceRate)) },
              { name: `${t('an.hireRate')} %`, values: d.bands.map((b) => pctValue(b.hireRate)) },
            ]}
          />
          <Table
            testId="an-ai-table"
            head={[
              t('an.band'),
              t('an.scored'),
              t('an.decided'),
              t('an.advanced'),
              t('an.advanceRate'),
              t('an.closed'),
              t('an.hired'),
              t('an.hireRate'),
            ]}
            rows={d.bands.map((b) => [
              b.band,
              b.scored,
              b.decided,
              b.advanced,
              rateOf(b.advanceRate),
              b.closed,
              b.hired,
              rateOf(b.hireRate),
            ])}
          />
        </>
      )}
    </StatsSection>
  );
}

function RatersSection({ filters }: { filters: AnalyticsFilterValues }) {
  const { t } = useI18n();
  const q = useRaters(filters);
  const num = (x: number | null) => (x === null ? t('an.tooFew') : x.toFixed(2));
  return (
    <StatsSection id="raters" query={q} filters={filters} minN={(d) => d.minN}>
      {(d) =>
        d.items.length ? (
          <Table
            testId="an-raters-table"
            head={[
              t('an.rater'),
              t('an.reportsRated'),
              t('an.ratings'),
              t('an.meanScore'),
              t('an.compared'),
              t('an.othersMean'),
              t('an.leniency'),
            ]}
            rows={d.items.map((r) => [
              r.name,
              r.reports,
              r.ratings,
              r.meanScore.toFixed(2),
              r.compared,
              num(r.othersMean),
              r.leniency === null ? t('an.tooFew') : `${r.leniency > 0 ? '+' : ''}${r.leniency.toFixed(2)}`,
            ])}
          />
        ) : (
          <p>{t('an.noRatings')}</p>
        )
      }
    </StatsSection>
  );
}

/** Minutes as the plan editor writes them: 1d, 2h, 30m. */
const lead = (m: number) => (m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`);

function RemindersSection({ filters }: { filters: AnalyticsFilterValues }) {
  const { t } = useI18n();
  const q = useReminders(filters);
  const rateOf = useRateCell();
  return (
    <StatsSection id="reminders" query={q} filters={filters} minN={(d) => d.minN}>
      {(d) => {
        const label = (i: (typeof d.items)[number]) =>
          `${i.schedule.length ? i.schedule.map(lead).join(' + ') : t('an.reminders.none')}${
            i.channels.length ? ` · ${i.channels.join('+')}` : ''
          }`;
        return d.items.length ? (
          <>
            <Bars
              categories={d.items.map(label)}
              series={[
                {
                  name: `${t('an.reminders.noShowRate')} %`,
                  values: d.items.map((i) => pctValue(i.noShowRate)),
                },
                {
                  name: `${t('an.reminders.lateRate')} %`,
                  values: d.items.map((i) => pctValue(i.lateCancelRate)),
                },
              ]}
            />
            <Table
              testId="an-reminders-table"
              head={[
                t('an.reminders.schedule'),
                t('an.reminders.channels'),
                t('an.reminders.booked'),
                t('an.reminders.noShowRate'),
                t('an.reminders.lateRate'),
              ]}
              rows={d.items.map((i) => [
                i.schedule.length ? i.schedule.map(lead).join(', ') : t('an.reminders.none'),
                i.channels.join(', ') || '—',
                `${i.booked} (${i.settled})`,
                `${rateOf(i.noShowRate)} (${i.noShows})`,
                `${rateOf(i.lateCancelRate)} (${i.lateCancellations})`,
              ])}
            />
          </>
        ) : (
          <p>{t('an.reminders.empty')}</p>
        );
      }}
    </StatsSection>
  );
}

/**
 * Closed-loop validity: per interview score, r [95% interval] with passing probation and with the
 * performance grade; "not enough data" below the minimum n. HR (the only ones the server sends
 * groups to) also sees it per self-identified group and can ask for a sync now.
 */
function OutcomesSection({ filters }: { filters: AnalyticsFilterValues }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const q = useOutcomes(filters);
  const [asked, setAsked] = useState(false);
  const cell = (c: OutcomeValidityRow['probation']) =>
    c.r === null || c.low === null || c.high === null
      ? t('an.outcomes.notEnough', { n: c.n })
      : `${c.r.toFixed(2)} [${c.low.toFixed(2)}, ${c.high.toFixed(2)}] n=${c.n}`;
  const name = (k: string) => (k === 'overall' ? t('an.outcomes.overall') : k);
  const rows = (items: OutcomeValidityRow[]) =>
    items.map((i) => [name(i.competency), cell(i.probation), cell(i.performance)]);
  const head = [t('an.outcomes.score'), t('an.outcomes.probation'), t('an.outcomes.performance')];
  return (
    <StatsSection id="outcomes" query={q} filters={filters} minN={(d) => d.minN}>
      {(d) => (
        <>
          <p className="muted" data-testid="an-outcomes-counts">
            {t('an.outcomes.counts', { hires: d.hires, ...d.outcomes })}
          </p>
          {/* Only correlations with enough data are drawn (a gap, not a zero); with none at all
              the table's "数据不足" says it, not an empty plot. */}
          {d.items.some((i) => i.probation.r !== null || i.performance.r !== null) ? (
            <Bars
              categories={d.items.map((i) => name(i.competency))}
              series={[
                { name: t('an.outcomes.probation'), values: d.items.map((i) => i.probation.r) },
                { name: t('an.outcomes.performance'), values: d.items.map((i) => i.performance.r) },
              ]}
            />
          ) : null}
          <Table testId="an-outcomes-table" head={head} rows={rows(d.items)} />
          {d.groups?.length ? (
            <>
              <p>{t('an.outcomes.groups')}</p>
              <Table
                testId="an-outcomes-groups"
                head={[t('an.outcomes.groups'), ...head]}
                rows={d.groups.flatMap((g) =>
                  rows(g.items).map((r) => [`${g.dimension}: ${g.category}`, ...r]),
                )}
              />
            </>
          ) : null}
          <p className="muted" data-testid="an-outcomes-sync">
            {d.lastSync
              ? t('an.outcomes.lastSync', {
                  status: t(`an.outcomes.st.${d.lastSync.status}`),
                  at: (d.lastSync.finishedAt ?? d.lastSync.requestedAt).slice(0, 16).replace('T', ' '),
                })
              : t('an.outcomes.never')}
          </p>
          {d.groups !== null ? (
            <Button
              size="small"
              disabled={asked}
              data-testid="an-outcomes-sync-now"
              onClick={() =>
                void requestOutcomeSync().then(
                  () => {
                    setAsked(true);
                    Toast.show(t('an.outcomes.syncAsked'));
                  },
                  (e) => {
                    Toast.show(errorOf(e));
                  },
                )
              }
            >
              {t('an.outcomes.sync')}
            </Button>
          ) : null}
        </>
      )}
    </StatsSection>
  );
}

/**
 * HR's and managers' hiring analytics: filters, then the funnel, times, sources and AI validity,
 * each a chart with the exact table under it and an .xlsx export (audited on the server).
 */
export function AnalyticsPage() {
  const { t } = useI18n();
  const download = useDownload();
  const [filters, setFilters] = useState<AnalyticsFilterValues>({});
  // One object per filter change: the charts redraw when the figures change, not on every render.
  const stable = useMemo(() => filters, [filters]);
  return (
    <div className="an-page" data-testid="analytics">
      <Filters value={stable} onChange={setFilters} />
      <FunnelSection filters={stable} />
      <TimesSection filters={stable} />
      <SourcesSection filters={stable} />
      <AiSection filters={stable} />
      <RatersSection filters={stable} />
      <RemindersSection filters={stable} />
      <OutcomesSection filters={stable} />
      <Button
        block
        fill="outline"
        data-testid="an-export-candidates"
        onClick={() => void download('candidates', stable)}
      >
        {t('an.exportCandidates')}
      </Button>
    </div>
  );
}
