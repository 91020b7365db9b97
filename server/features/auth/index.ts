/**
 * Sign-in (DingTalk 免登 for employees, DingTalk OAuth2 or an invitation link for candidates),
 * the signed-in principal (`/api/me`) and invitations.
 */
import type { Feature } from '../../kernel/feature';
import { authRoutes } from './auth.routes';
import { invitationRoutes } from './invitations.routes';
import { meRoutes } from './me.routes';

/** Inviting a candidate to a job in the caller's transaction (résumé screening invites this way). */
export { createInvitationIn } from './createInvitation';
/** A candidate's invitations as HR sees them (the candidate detail screen). */
export { invitationsOfCandidate } from './manageInvitations';
export { meResponse } from './me.routes';

export const auth: Feature = {
  name: 'auth',
  routes: (deps) => [authRoutes(deps.config.rateLimits.signInPerMinute), meRoutes(), invitationRoutes()],
};
