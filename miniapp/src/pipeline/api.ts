import type {
  ApplicationBase,
  ApplicationDetail,
  ApplicationResponse,
  DecisionBody,
  MyApplicationsResponse,
  PipelineBoardResponse,
  PipelineJobsResponse,
  StageResponse,
} from '../../../shared/api/workflow';
import { apiRequest } from '../api';

/** Jobs, cards, approvals, stage changes and applications: `shared/api/workflow`. */
export type {
  ApprovalView,
  MyApplicationView as MyApplication,
  PipelineCard,
  PipelineJob,
  StageChange,
} from '../../../shared/api/workflow';

/**
 * An application as its screen reads it: the review, approvals and history are absent from a
 * candidate's own view (`ApplicationBase`), present for employees (`ApplicationDetail`).
 */
export type ApplicationScreen = ApplicationBase & Partial<Omit<ApplicationDetail, keyof ApplicationBase>>;

export const fetchJobs = () => apiRequest<PipelineJobsResponse>('/api/pipeline/jobs');
export const fetchBoard = (jobId: number, q: Record<string, string>) =>
  apiRequest<PipelineBoardResponse>(
    `/api/pipeline/jobs/${jobId}${Object.keys(q).length ? `?${new URLSearchParams(q)}` : ''}`,
  );
export const fetchApplication = (id: number) => apiRequest<ApplicationResponse>(`/api/applications/${id}`);
export const postDecision = (id: number, body: DecisionBody) =>
  apiRequest<StageResponse>(`/api/applications/${id}/decisions`, {
    method: 'POST',
    body,
  });
export const fetchMyApplications = () => apiRequest<MyApplicationsResponse>('/api/my/applications');
export const answerOffer = (id: number, answer: 'accept' | 'decline', version: number) =>
  apiRequest<StageResponse>(`/api/applications/${id}/offer-answer`, {
    method: 'POST',
    body: { answer, version },
  });
