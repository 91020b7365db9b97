import type { AgreementReport } from '../../../shared/api/agreement';
import type { AuditReport } from '../../../shared/fairness/audit';
import { apiRequest } from '../api';

/** AI-vs-human agreement per job and competency (HR). */
export const fetchAgreement = (jobId: number | null) =>
  apiRequest<AgreementReport>(`/api/scoring/agreement${jobId ? `?jobId=${jobId}` : ''}`);

/** The bias audit of one job or all jobs (HR). */
export const fetchAudit = (jobId: number | null) =>
  apiRequest<AuditReport & { jobId: number | null }>(`/api/fairness/audit${jobId ? `?jobId=${jobId}` : ''}`);
