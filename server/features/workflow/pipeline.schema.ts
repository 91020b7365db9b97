import { z } from 'zod';
import { STAGES } from '../../../shared/stages';

export { decisionBody, jobRulesBody, offerAnswerBody } from '../../../shared/api/workflow';

/** Query of `GET /api/pipeline/jobs/:id`. */
export const boardQuery = z.strictObject({
  stage: z.enum(STAGES).optional(),
  suggestion: z.enum(['pass', 'review', 'reject']).optional(),
  q: z.string().trim().max(50).optional(),
});
