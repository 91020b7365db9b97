/**
 * Responses of the privacy routes (deletion requests, TRUST.md "Retention and deletion"). The
 * server's presenter (`server/features/privacy/erasure.ts`) is checked against these and the
 * mini-app's privacy card and HR's quality screen read them.
 */

/** A deletion request as its candidate sees it. */
export interface DeletionRequestView {
  id: number;
  status: 'pending' | 'done';
  requestedAt: string;
  dueBy: string;
  completedAt: string | null;
  /** What was removed, once done. */
  summary: Record<string, unknown> | null;
}

/** Response of `GET /api/me/deletion-request` (null: never asked). */
export interface MyDeletionRequestResponse {
  request: DeletionRequestView | null;
}

/** Response of filing a request (`POST /api/me/deletion-request`, `/api/candidates/:id/deletion-request`). */
export interface DeletionRequestResponse {
  request: DeletionRequestView;
}

/** A deletion request as HR lists it. */
export interface DeletionRequestRow extends DeletionRequestView {
  candidateId: number;
  /** Who filed it (`candidate` or the employee's kind and id). */
  requestedBy: string;
}

/** Response of `GET /api/privacy/deletion-requests`: open first, by due date. */
export interface DeletionRequestsResponse {
  items: DeletionRequestRow[];
}
