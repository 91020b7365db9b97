import type { AgreementReport } from '../../../shared/api/agreement';
import type { AuditReport } from '../../../shared/fairness/audit';
import { apiRequest } from '../api';

/** AI-vs-human agreement per job and competency (HR). */
export const fetchAgreement = (jobId: number | null) =>
  apiRequest<AgreementReport>(`/api/scoring/agreement${jobId ? `?jobId=${jobId}` : ''}`);

/** A deletion request as HR lists it. */
export interface DeletionRequestRow {
  id: number;
  candidateId: number;
  requestedBy: string;
  status: 'pending' | 'done';
  requestedAt: string;
  dueBy: string;
  completedAt: string | null;
}

/** Deletion requests, open first, by due date (HR). */
export const fetchDeletionRequests = () =>
  apiRequest<{ items: DeletionRequestRow[] }>('/api/privacy/deletion-requests');

/** The bias audit of one job or all jobs (HR). */
export const fetchAudit = (jobId: number | null) =>
  apiRequest<AuditReport & { jobId: number | null }>(`/api/fairness/audit${jobId ? `?jobId=${jobId}` : ''}`);
