/**
 * Contracts of accommodation requests: the candidate asks (extra time, extra retakes, audio
 * only, with a note), HR grants or declines; a grant is what the interview then serves.
 */
import { z } from 'zod';

/** Days HR has to decide on a request (its due date in the work queue). */
export const ACCOMMODATION_DUE_DAYS = 3;

/** Body of `POST /api/my/accommodation-requests`. At least one adjustment must be asked for. */
export const accommodationRequestBody = z
  .strictObject({
    applicationId: z.number().int().positive(),
    extraTimePercent: z.number().int().min(0).max(100).default(0),
    extraRetakes: z.number().int().min(0).max(3).default(0),
    audioOnly: z.boolean().default(false),
    note: z.string().trim().max(500).default(''),
  })
  .refine((v) => v.extraTimePercent > 0 || v.extraRetakes > 0 || v.audioOnly, {
    path: ['extraTimePercent'],
    message: 'ask for extra time, extra retakes or audio only',
  });
/** Body of `POST /api/my/accommodation-requests`. */
export type AccommodationRequestBody = z.input<typeof accommodationRequestBody>;

/** Body of `POST /api/accommodation-requests/:id/decision`. */
export const accommodationDecisionBody = z.strictObject({
  decision: z.enum(['grant', 'decline']),
  note: z.string().trim().max(500).default(''),
});
/** Body of `POST /api/accommodation-requests/:id/decision`. */
export type AccommodationDecisionBody = z.input<typeof accommodationDecisionBody>;

/** A request as the candidate and HR see it. */
export interface AccommodationRequestView {
  id: number;
  applicationId: number;
  jobTitle: string;
  extraTimePercent: number;
  extraRetakes: number;
  audioOnly: boolean;
  note: string;
  status: 'pending' | 'granted' | 'declined';
  dueAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  createdAt: string;
}

/** Response of the accommodation request routes (one request). */
export interface AccommodationRequestResponse {
  request: AccommodationRequestView;
}

/** Response of `GET /api/my/accommodation-requests`. */
export interface MyAccommodationRequestsResponse {
  requests: AccommodationRequestView[];
}
