import { useQuery } from '@tanstack/react-query';
import type { AgreementReport } from '../../../shared/api/agreement';
import type { OutcomeValidityResponse } from '../../../shared/api/analytics';
import type { FairnessAuditResponse } from '../../../shared/api/fairness';
import type { DeletionRequestsResponse } from '../../../shared/api/privacy';
import { apiRequest } from '../api';

export type { DeletionRequestRow } from '../../../shared/api/privacy';

/** Query keys of HR's fairness and quality screen. */
export const qualityKeys = {
  all: ['quality'] as const,
  agreement: (jobId: number | null) => [...qualityKeys.all, 'agreement', jobId] as const,
  audit: (jobId: number | null) => [...qualityKeys.all, 'audit', jobId] as const,
  outcomes: (jobId: number | null) => [...qualityKeys.all, 'outcomes', jobId] as const,
  deletionRequests: () => [...qualityKeys.all, 'deletion-requests'] as const,
};

/** AI-vs-human agreement per job and competency (HR). */
export const fetchAgreement = (jobId: number | null, signal?: AbortSignal) =>
  apiRequest<AgreementReport>(`/api/scoring/agreement${jobId ? `?jobId=${jobId}` : ''}`, { signal });

/** Deletion requests, open first, by due date (HR). */
export const fetchDeletionRequests = (signal?: AbortSignal) =>
  apiRequest<DeletionRequestsResponse>('/api/privacy/deletion-requests', { signal });

/** The bias audit of one job or all jobs (HR). */
export const fetchAudit = (jobId: number | null, signal?: AbortSignal) =>
  apiRequest<FairnessAuditResponse>(`/api/fairness/audit${jobId ? `?jobId=${jobId}` : ''}`, { signal });

/** Agreement of one job (or all); another job shows the spinner until its numbers load. */
export const useAgreement = (jobId: number | null) =>
  useQuery({
    queryKey: qualityKeys.agreement(jobId),
    queryFn: ({ signal }) => fetchAgreement(jobId, signal),
  });

/** The bias audit of one job (or all). */
export const useAudit = (jobId: number | null) =>
  useQuery({ queryKey: qualityKeys.audit(jobId), queryFn: ({ signal }) => fetchAudit(jobId, signal) });

/** HR's list of deletion requests. */
export const useDeletionRequests = () =>
  useQuery({
    queryKey: qualityKeys.deletionRequests(),
    queryFn: ({ signal }) => fetchDeletionRequests(signal),
  });

/** Closed-loop validity of one job (or all), with its per-group breakdown (HR). */
export const useOutcomeGroups = (jobId: number | null) =>
  useQuery({
    queryKey: qualityKeys.outcomes(jobId),
    queryFn: ({ signal }) =>
      apiRequest<OutcomeValidityResponse>(`/api/analytics/outcomes${jobId ? `?jobId=${jobId}` : ''}`, {
        signal,
      }),
  });
