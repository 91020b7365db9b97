/** Query of `GET /api/candidates` (the contract lives in shared/api/candidates). */
export { listCandidatesQuery } from '../../../shared/api/candidates';
