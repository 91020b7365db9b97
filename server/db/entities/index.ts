import { Application } from './Application';
import { AuditLog } from './AuditLog';
import { BotInboundMessage } from './BotInboundMessage';
import { Candidate } from './Candidate';
import { Department } from './Department';
import { InboxMessage } from './InboxMessage';
import { InterviewPlan, InterviewQuestion } from './InterviewPlan';
import { Invitation } from './Invitation';
import { Job } from './Job';
import { OAuthState } from './OAuthState';
import { OrgSettings } from './OrgSettings';
import { OutboxMessage } from './OutboxMessage';
import { User } from './User';

export {
  Application,
  AuditLog,
  BotInboundMessage,
  Candidate,
  Department,
  InboxMessage,
  InterviewPlan,
  InterviewQuestion,
  Invitation,
  Job,
  OAuthState,
  OrgSettings,
  OutboxMessage,
  User,
};

/** Every entity the ORM knows; migrations are generated from this list. */
export const entities = [
  OrgSettings,
  Department,
  User,
  Candidate,
  Job,
  Application,
  InterviewPlan,
  InterviewQuestion,
  Invitation,
  OAuthState,
  AuditLog,
  OutboxMessage,
  InboxMessage,
  BotInboundMessage,
];
