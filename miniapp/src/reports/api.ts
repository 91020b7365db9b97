import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  FeedbackListResponse,
  FeedbackRequestResponse,
  MediaResponse,
  RatingsResponse,
  ReleaseResponse,
  ReportResponse,
  ReportsResponse,
} from '../../../shared/api/reports';
import { apiRequest } from '../api';

/** Report rows, the reviewer view and the candidate's feedback: `shared/api/reports`. */
export type {
  FeedbackView as Feedback,
  ReportCompetencyView as ReportCompetency,
  ReportDetail,
  ReportSummary,
} from '../../../shared/api/reports';

/** Query keys of the reports feature. */
export const reportKeys = {
  all: ['reports'] as const,
  list: () => [...reportKeys.all, 'list'] as const,
  detail: (id: number) => [...reportKeys.all, 'detail', id] as const,
  feedback: () => [...reportKeys.all, 'feedback'] as const,
};

export const fetchReports = (signal?: AbortSignal) =>
  apiRequest<ReportsResponse>('/api/reports?limit=50', { signal });
export const fetchReport = (id: number, signal?: AbortSignal) =>
  apiRequest<ReportResponse>(`/api/reports/${id}`, { signal });
/** A short-lived signed URL of one answer's recording (fetched when the reviewer presses play). */
export const fetchMedia = (id: number, answerId: number) =>
  apiRequest<MediaResponse>(`/api/reports/${id}/media/${answerId}`);
export const saveRatings = (
  id: number,
  ratings: Array<{ competency: string; score: number }>,
  comment?: string,
) =>
  apiRequest<RatingsResponse>(`/api/reports/${id}/ratings`, {
    method: 'PUT',
    body: { ratings, ...(comment ? { comment } : {}) },
  });
export const releaseReport = (id: number) =>
  apiRequest<ReleaseResponse>(`/api/reports/${id}/release`, { method: 'POST' });
export const fetchFeedback = (signal?: AbortSignal) =>
  apiRequest<FeedbackListResponse>('/api/feedback', { signal });
export const askAboutFeedback = (id: number, kind: 'explanation' | 'human_review', message: string) =>
  apiRequest<FeedbackRequestResponse>(`/api/feedback/${id}/requests`, {
    method: 'POST',
    body: { kind, message },
  });

/** The review list. */
export const useReports = () =>
  useQuery({ queryKey: reportKeys.list(), queryFn: ({ signal }) => fetchReports(signal) });

/** One report (reviewer view). */
export const useReport = (id: number) =>
  useQuery({ queryKey: reportKeys.detail(id), queryFn: ({ signal }) => fetchReport(id, signal) });

/** Rates a report; the report and the list ("rated by me") reload. */
export function useSaveRatings(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { ratings: Array<{ competency: string; score: number }>; comment?: string }) =>
      saveRatings(id, v.ratings, v.comment),
    onSuccess: () => qc.invalidateQueries({ queryKey: reportKeys.all }),
  });
}

/** Releases a report to its candidate; the report and the list reload. */
export function useReleaseReport(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => releaseReport(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: reportKeys.all }),
  });
}

/** The candidate's released feedback. */
/** The candidate's feedback query (key and read), for the hook and for loading it before a screen renders. */
export const feedbackQuery = () => ({
  queryKey: reportKeys.feedback(),
  queryFn: ({ signal }: { signal?: AbortSignal }) => fetchFeedback(signal),
});

export const useFeedback = () => useQuery(feedbackQuery());

/** Asks for an explanation or a human review; the feedback (with its requests) reloads. */
export function useAskAboutFeedback(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { kind: 'explanation' | 'human_review'; message: string }) =>
      askAboutFeedback(id, v.kind, v.message),
    onSuccess: () => qc.invalidateQueries({ queryKey: reportKeys.feedback() }),
  });
}
