import type { DecisionBody } from '../../../shared/api/workflow';
import type { Stage } from '../../../shared/stages';
import { apiRequest } from '../api';

/** A job with counts per stage. */
export interface PipelineJob {
  id: number;
  title: string;
  status: string;
  counts: Partial<Record<Stage, number>>;
}

/** A pipeline card. */
export interface PipelineCard {
  id: number;
  candidateName: string;
  stage: Stage;
  version: number;
  stageChangedAt: string;
  overall: number | null;
  suggestion: 'pass' | 'review' | 'reject' | null;
  suggestionReason: string | null;
  openApproval: { kind: string; status: string } | null;
}

/** One stage change. */
export interface StageChange {
  at: string;
  from: Stage | null;
  to: Stage | null;
  by: 'system' | 'hr' | 'approver' | 'candidate' | null;
  approver: string | null;
  reason: string;
}

/** An approval. */
export interface ApprovalView {
  id: number;
  kind: 'second_round' | 'offer';
  status: 'requested' | 'running' | 'agreed' | 'refused' | 'terminated' | 'failed';
  approverUserIds: string[];
  decidedByUserId: string | null;
  remark: string | null;
  lastError: string | null;
  startedAt: string;
}

/** The application detail HR sees. */
export interface ApplicationDetail {
  id: number;
  stage: Stage;
  version: number;
  candidate: { id: number; name: string };
  job: { id: number; title: string };
  review?: {
    overall: number | null;
    suggestion: string;
    reason: string;
    remark: string | null;
    report: {
      reportId: number;
      strengths: string[];
      gaps: Array<{ competency: string; text: string }>;
    } | null;
  } | null;
  approvals?: ApprovalView[];
  history?: StageChange[];
  actions: string[];
}

/** The candidate's own application. */
export interface MyApplication {
  id: number;
  jobTitle: string;
  stage: Stage;
  version: number;
  offer: { salary: string; level: string; startDate: string } | null;
}

export const fetchJobs = () => apiRequest<{ items: PipelineJob[] }>('/api/pipeline/jobs');
export const fetchBoard = (jobId: number, q: Record<string, string>) =>
  apiRequest<{ job: { id: number; title: string }; counts: Record<Stage, number>; items: PipelineCard[] }>(
    `/api/pipeline/jobs/${jobId}${Object.keys(q).length ? `?${new URLSearchParams(q)}` : ''}`,
  );
export const fetchApplication = (id: number) =>
  apiRequest<{ application: ApplicationDetail }>(`/api/applications/${id}`);
export const postDecision = (id: number, body: DecisionBody) =>
  apiRequest<{ stage: Stage; version: number }>(`/api/applications/${id}/decisions`, {
    method: 'POST',
    body,
  });
export const fetchMyApplications = () => apiRequest<{ items: MyApplication[] }>('/api/my/applications');
export const answerOffer = (id: number, answer: 'accept' | 'decline', version: number) =>
  apiRequest<{ stage: Stage; version: number }>(`/api/applications/${id}/offer-answer`, {
    method: 'POST',
    body: { answer, version },
  });
