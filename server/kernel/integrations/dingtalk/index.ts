import type { Logger } from '../../logger';
import { DingTalkAts } from './ats';
import { DingTalkCalendar } from './calendar';
import { DingTalkCore, type DingTalkSettings } from './client';
import { DingTalkContacts } from './contacts';
import { DingTalkHrm, DingTalkHrmRecords } from './hrm';
import { DingTalkIdentity } from './identity';
import { DingTalkMessages } from './messages';
import { DingTalkOAuth } from './oauth';
import { DingTalkRobot } from './robot';
import { DingTalkWorkflow } from './workflow';

export type { AiInterviewSync, AtsCandidate, AtsCandidatePage } from './ats';
export { DingTalkCore } from './client';
export type { DingTalkDepartment, DingTalkMember } from './contacts';
export { ROOT_DEPT_ID } from './contacts';
export { DingTalkError } from './errors';
export type { Dismission, PerformanceRecord, RosterStatus } from './hrm';
export type { DingTalkUserDetail, DingTalkUserInfo } from './identity';
export type { DingTalkAccount } from './oauth';

/** The DingTalk modules the server uses, sharing one token cache. */
export interface DingTalk {
  core: DingTalkCore;
  identity: DingTalkIdentity;
  contacts: DingTalkContacts;
  oauth: DingTalkOAuth;
  calendar: DingTalkCalendar;
  workflow: DingTalkWorkflow;
  hrm: DingTalkHrm;
  /** Probation, leaving and performance records of hired people (closed-loop validity). */
  hrmRecords: DingTalkHrmRecords;
  ats: DingTalkAts;
  robot: DingTalkRobot;
  messages: DingTalkMessages;
}

/** Wires the DingTalk modules for the configured app. */
export function createDingTalk(
  settings: DingTalkSettings,
  log: Logger,
  opts: { throttleDelayMs?: number } = {},
): DingTalk {
  const core = new DingTalkCore(settings, log, opts.throttleDelayMs);
  return {
    core,
    identity: new DingTalkIdentity(core),
    contacts: new DingTalkContacts(core),
    oauth: new DingTalkOAuth(core),
    calendar: new DingTalkCalendar(core),
    workflow: new DingTalkWorkflow(core),
    hrm: new DingTalkHrm(core),
    hrmRecords: new DingTalkHrmRecords(core, {
      tenantId: settings.hrm.performanceTenantId,
      view: settings.hrm.performanceView,
    }),
    ats: new DingTalkAts(core),
    robot: new DingTalkRobot(core),
    messages: new DingTalkMessages(core),
  };
}
