import { z } from 'zod';

/**
 * Optional demographic self-identification, used only for bias audits (TRUST.md). Every field
 * is optional and "prefer not to say" is the same as leaving it out. Stored apart from the
 * candidate's profile, never shown to reviewers, never read by the scorer.
 */
export const DEMOGRAPHIC_DIMENSIONS = {
  sex: ['female', 'male', 'other'],
  ageBand: ['under25', '25-34', '35-44', '45plus'],
  disability: ['yes', 'no'],
} as const;

/** A dimension name. */
export type DemographicDimension = keyof typeof DEMOGRAPHIC_DIMENSIONS;

/** Body of `PUT /api/me/demographics`. */
export const demographicsBody = z.strictObject({
  sex: z.enum(DEMOGRAPHIC_DIMENSIONS.sex).nullable().optional(),
  ageBand: z.enum(DEMOGRAPHIC_DIMENSIONS.ageBand).nullable().optional(),
  disability: z.enum(DEMOGRAPHIC_DIMENSIONS.disability).nullable().optional(),
});
/** Body of `PUT /api/me/demographics`. */
export type DemographicsBody = z.infer<typeof demographicsBody>;

/** The candidate's answers (absent = not given). */
export type DemographicAnswers = Partial<Record<DemographicDimension, string>>;

/** Response of `GET` and `PUT /api/me/demographics`. */
export interface DemographicsResponse {
  demographics: DemographicAnswers;
}
