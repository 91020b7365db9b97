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

export const fetchReports = () => apiRequest<ReportsResponse>('/api/reports?limit=50');
export const fetchReport = (id: number) => apiRequest<ReportResponse>(`/api/reports/${id}`);
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
export const fetchFeedback = () => apiRequest<FeedbackListResponse>('/api/feedback');
export const askAboutFeedback = (id: number, kind: 'explanation' | 'human_review', message: string) =>
  apiRequest<FeedbackRequestResponse>(`/api/feedback/${id}/requests`, {
    method: 'POST',
    body: { kind, message },
  });
