import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type {
  AiValidityResponse,
  AnalyticsOptionsResponse,
  AnalyticsTable,
  FunnelResponse,
  OutcomeSyncResponse,
  OutcomeValidityResponse,
  RatersResponse,
  RemindersResponse,
  SourcesResponse,
  TimesResponse,
} from '../../../shared/api/analytics';
import type { CandidateSource } from '../../../shared/api/candidates';
import { ApiError, apiRequest } from '../api';
import { getSession } from '../auth/session';

/** The dashboard's filters as the screen holds them (empty = not filtered). */
export interface AnalyticsFilterValues {
  jobId?: number;
  departmentId?: number;
  source?: CandidateSource;
  from?: string;
  to?: string;
}

/** The filters as a query string (only those set). */
export function filterParams(f: AnalyticsFilterValues): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '') p.set(k, String(v));
  return p;
}

const get =
  <T>(path: string, f: AnalyticsFilterValues) =>
  ({ signal }: { signal: AbortSignal }) =>
    apiRequest<T>(`/api/analytics/${path}?${filterParams(f)}`, { signal });

/** Query keys of the dashboards. */
export const analyticsKeys = {
  all: ['analytics'] as const,
  of: (what: string, f: AnalyticsFilterValues) =>
    [...analyticsKeys.all, what, filterParams(f).toString()] as const,
};

/** What the caller may filter by. */
export const useAnalyticsOptions = () =>
  useQuery({
    queryKey: [...analyticsKeys.all, 'options'],
    queryFn: ({ signal }) => apiRequest<AnalyticsOptionsResponse>('/api/analytics/options', { signal }),
  });

/** The funnel overall and per job. */
export const useFunnel = (f: AnalyticsFilterValues) =>
  useQuery({
    queryKey: analyticsKeys.of('funnel', f),
    queryFn: get<FunnelResponse>('funnel', f),
    placeholderData: keepPreviousData,
  });

/** Time in stage, time to hire, waiting now. */
export const useTimes = (f: AnalyticsFilterValues) =>
  useQuery({
    queryKey: analyticsKeys.of('times', f),
    queryFn: get<TimesResponse>('times', f),
    placeholderData: keepPreviousData,
  });

/** Source effectiveness. */
export const useSources = (f: AnalyticsFilterValues) =>
  useQuery({
    queryKey: analyticsKeys.of('sources', f),
    queryFn: get<SourcesResponse>('sources', f),
    placeholderData: keepPreviousData,
  });

/** AI score bands against people's decisions. */
export const useAiValidity = (f: AnalyticsFilterValues) =>
  useQuery({
    queryKey: analyticsKeys.of('ai', f),
    queryFn: get<AiValidityResponse>('ai-validity', f),
    placeholderData: keepPreviousData,
  });

/** Interviewer load and leniency. */
export const useRaters = (f: AnalyticsFilterValues) =>
  useQuery({
    queryKey: analyticsKeys.of('raters', f),
    queryFn: get<RatersResponse>('raters', f),
    placeholderData: keepPreviousData,
  });

/** No-shows and late cancellations by reminder schedule and channel. */
export const useReminders = (f: AnalyticsFilterValues) =>
  useQuery({
    queryKey: analyticsKeys.of('reminders', f),
    queryFn: get<RemindersResponse>('reminders', f),
    placeholderData: keepPreviousData,
  });

/** Closed-loop validity: interview scores against probation and performance. */
export const useOutcomes = (f: AnalyticsFilterValues) =>
  useQuery({
    queryKey: analyticsKeys.of('outcomes', f),
    queryFn: get<OutcomeValidityResponse>('outcomes', f),
    placeholderData: keepPreviousData,
  });

/** HR's "sync now": asks the worker to read hire outcomes from DingTalk's HR. */
export const requestOutcomeSync = () =>
  apiRequest<OutcomeSyncResponse>('/api/analytics/outcomes/sync', { method: 'POST' });

/**
 * Downloads one table as .xlsx for the filters. Fetched with the session token (a plain link
 * would carry no credential), then handed to the browser as a file. The server audits it.
 */
export async function downloadXlsx(table: AnalyticsTable, f: AnalyticsFilterValues): Promise<void> {
  const session = getSession();
  const p = filterParams(f);
  p.set('table', table);
  const res = await fetch(`/api/analytics/export.xlsx?${p}`, {
    headers: session ? { Authorization: `Bearer ${session.token}` } : {},
  });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'bad_response',
      body?.error?.message ?? res.statusText,
      body?.error?.details,
    );
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `analytics-${table}-${new Date().toISOString().slice(0, 10)}.xlsx`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
