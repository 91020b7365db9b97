import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { CONSENT_SCOPES, type ConsentScope } from '../../../../shared/events';
import { Application } from './Application';
import { Candidate } from './Candidate';

/** What a consent row grants. `person_only` records the choice to be evaluated by a person only. */
export { CONSENT_SCOPES, type ConsentScope };

/**
 * One consent decision, immutable: a new decision (or a withdrawal) is a new row; rows are
 * never updated or deleted by the product. The latest row of an application is in force.
 * `noticeHash` names the exact notice text the candidate saw.
 */
export const InterviewConsent = defineEntity({
  name: 'InterviewConsent',
  tableName: 'interview_consents',
  indexes: [{ properties: ['application', 'createdAt'] }],
  properties: {
    id: p.integer().primary(),
    application: () => p.manyToOne(Application),
    candidate: () => p.manyToOne(Candidate),
    action: p.enum(['grant', 'withdraw'] as const),
    /** Scopes in force after this decision (empty after a withdrawal). */
    scopes: p.json<ConsentScope[]>(),
    noticeVersion: p.string().length(32),
    /** SHA-256 of the notice text shown, in the locale shown. */
    noticeHash: p.string().length(64),
    locale: p.string().length(16),
    ip: p.string().length(64),
    userAgent: p.string().length(500),
    createdAt: p.datetime(3),
  },
});
/** Consent row. */
export type IInterviewConsent = InferEntity<typeof InterviewConsent>;
