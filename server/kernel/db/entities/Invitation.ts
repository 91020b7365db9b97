import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Candidate } from './Candidate';
import { Job } from './Job';
import { User } from './User';

/**
 * An invitation of one candidate to one job. The link carries a signed token naming this row;
 * the row is what makes revocation and the deadline authoritative (a valid signature alone
 * is not enough).
 */
export const Invitation = defineEntity({
  name: 'Invitation',
  tableName: 'invitations',
  properties: {
    id: p.integer().primary(),
    candidate: () => p.manyToOne(Candidate),
    job: () => p.manyToOne(Job),
    createdBy: () => p.manyToOne(User).nullable(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    firstUsedAt: p.datetime().nullable(),
    /** Messages HR had sent for it (first send and resends): names the next send's outbox key. */
    sendCount: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
/** Invitation row. */
export type IInvitation = InferEntity<typeof Invitation>;
