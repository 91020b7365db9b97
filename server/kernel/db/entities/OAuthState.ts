import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * A pending DingTalk OAuth2 login. Kept in the database (not process memory) so the
 * callback may land on any instance; `usedAt` makes each state single-use.
 */
export const OAuthState = defineEntity({
  name: 'OAuthState',
  tableName: 'oauth_states',
  properties: {
    id: p.integer().primary(),
    nonce: p.string().length(64).unique(),
    /** Where the mini-app goes after sign-in (a same-origin path). */
    nextPath: p.string().length(500).default('/'),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
/** OAuth state row. */
export type IOAuthState = InferEntity<typeof OAuthState>;
