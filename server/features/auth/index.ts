/**
 * Sign-in (DingTalk 免登 for employees, DingTalk OAuth2 or an invitation link for candidates),
 * the signed-in principal (`/api/me`) and invitations.
 */
import type { Feature } from '../../kernel/feature';
import { authRoutes } from './auth.routes';
import { invitationRoutes } from './invitations.routes';
import { meRoutes } from './me.routes';

export const auth: Feature = {
  name: 'auth',
  routes: (deps) => [authRoutes(deps.config.rateLimits.signInPerMinute), meRoutes(), invitationRoutes()],
};
