import type { AuditReport } from '../fairness/audit';

/** Response of `GET /api/fairness/audit`: the bias audit of one job (`jobId`) or all (null). */
export interface FairnessAuditResponse extends AuditReport {
  jobId: number | null;
}
