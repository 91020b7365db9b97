import type { Logger } from '../../logger';
import { DingTalkCore, type DingTalkSettings } from './client';
import { DingTalkIdentity } from './identity';
import { DingTalkOAuth } from './oauth';

export { DingTalkCore } from './client';
export { DingTalkError } from './errors';
export type { DingTalkUserDetail, DingTalkUserInfo } from './identity';
export type { DingTalkAccount } from './oauth';

/** The DingTalk modules the server uses, sharing one token cache. */
export interface DingTalk {
  core: DingTalkCore;
  identity: DingTalkIdentity;
  oauth: DingTalkOAuth;
}

/** Wires the DingTalk modules for the configured app. */
export function createDingTalk(
  settings: DingTalkSettings,
  log: Logger,
  opts: { throttleDelayMs?: number } = {},
): DingTalk {
  const core = new DingTalkCore(settings, log, opts.throttleDelayMs);
  return { core, identity: new DingTalkIdentity(core), oauth: new DingTalkOAuth(core) };
}
