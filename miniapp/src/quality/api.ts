import type { AgreementReport } from '../../../shared/api/agreement';
import type { FairnessAuditResponse } from '../../../shared/api/fairness';
import type { DeletionRequestsResponse } from '../../../shared/api/privacy';
import { apiRequest } from '../api';

/** AI-vs-human agreement per job and competency (HR). */
export const fetchAgreement = (jobId: number | null) =>
  apiRequest<AgreementReport>(`/api/scoring/agreement${jobId ? `?jobId=${jobId}` : ''}`);

export type { DeletionRequestRow } from '../../../shared/api/privacy';

/** Deletion requests, open first, by due date (HR). */
export const fetchDeletionRequests = () =>
  apiRequest<DeletionRequestsResponse>('/api/privacy/deletion-requests');

/** The bias audit of one job or all jobs (HR). */
export const fetchAudit = (jobId: number | null) =>
  apiRequest<FairnessAuditResponse>(`/api/fairness/audit${jobId ? `?jobId=${jobId}` : ''}`);
