import { z } from 'zod';
import { STAGES } from '../../../shared/stages';

export { decisionBody, jobRulesBody, offerAnswerBody } from '../../../shared/api/workflow';

/** Query of `GET /api/pipeline/jobs/:id`. */
export const boardQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  suggestion: z.enum(['pass', 'review', 'reject']).optional(),
  q: z.string().trim().max(50).optional(),
  /** Page size: a board grows with the job, so it is always read a page at a time. */
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
