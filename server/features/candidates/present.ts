import type { CandidateListItem } from '../../../shared/api/candidates';
import type { ICandidate } from '../../kernel/db/entities/Candidate';
import type { IInvitation } from '../../kernel/db/entities/Invitation';

/** A candidate as employees see them. Mobile is masked except for HR (PIPL minimisation). */
export function presentCandidate(c: ICandidate, opts: { showContact: boolean; invitations?: IInvitation[] }) {
  return {
    id: c.id,
    name: c.name,
    mobile: c.mobile
      ? opts.showContact
        ? c.mobile
        : `${c.mobile.slice(0, 3)}****${c.mobile.slice(-4)}`
      : null,
    email: opts.showContact ? (c.email ?? null) : null,
    hasDingTalk: c.unionId !== null,
    source: c.source,
    referrer: opts.showContact ? (c.referrer ?? null) : null,
    createdAt: c.createdAt.toISOString(),
    applications: (opts.invitations ?? []).map((i) => ({
      jobId: i.job.id,
      jobTitle: i.job.title ?? null,
      invitedAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
      revoked: i.revokedAt !== null,
    })),
  };
}
/** A candidate in lists (the shared contract). */
export function presentListItem(c: ICandidate, showContact: boolean): CandidateListItem {
  const { applications: _, ...item } = presentCandidate(c, { showContact });
  return item;
}

/** A candidate as the API shows them. */
export type CandidateView = ReturnType<typeof presentCandidate>;
