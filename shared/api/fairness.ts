import type { AuditReport } from '../fairness/audit';

/** Response of `GET /api/fairness/audit`: the bias audit of one job (`jobId`) or all (null). */
export interface FairnessAuditResponse extends AuditReport {
  jobId: number | null;
  /**
   * The résumé screening stage: HR's decisions on screened résumés (selected = invited to the AI
   * interview; kept in the pool or rejected = not), with the match score HR saw as the score.
   */
  screening: AuditReport;
}
