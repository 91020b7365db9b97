import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { CANDIDATE_SOURCES } from '../../../../shared/api/candidates';

/**
 * An external person applying for a job. `unionId` is set once they sign in with DingTalk
 * OAuth2 (stable across the developer's apps); invitation-only candidates have none.
 */
export const Candidate = defineEntity({
  name: 'Candidate',
  tableName: 'candidates',
  properties: {
    id: p.integer().primary(),
    unionId: p.string().length(64).nullable().unique(),
    name: p.string().length(100),
    mobile: p.string().length(32).nullable(),
    email: p.string().length(200).nullable(),
    locale: p.string().length(8).default('zh-CN'),
    /** Where the candidate came from (statistics). */
    source: p.enum(CANDIDATE_SOURCES).default('other'),
    referrer: p.string().length(100).nullable(),
    /**
     * The mobile in E.164 and the lower-cased e-mail: one spelling per person, unique, so
     * adding or importing the same person twice (even in two simultaneous imports) merges
     * instead of doubling. Null for rows that predate them and share a contact with another.
     */
    mobileKey: p.string().length(32).nullable().unique(),
    emailKey: p.string().length(200).nullable().unique(),
    createdById: p.integer().nullable(),
    lastSignInAt: p.datetime().nullable(),
    /**
     * Bumped when the person's sessions must end at once (erasure, deactivation, leaving the
     * organisation): session tokens carry the generation they were issued under, and a token
     * of an older generation is refused on its next request.
     */
    sessionGeneration: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Candidate row. */
export type ICandidate = InferEntity<typeof Candidate>;
