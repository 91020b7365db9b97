import { AccommodationRequest } from './AccommodationRequest';
import {
  AnalyticsApplicationCount,
  AnalyticsBookingReminder,
  AnalyticsDuration,
  AnalyticsOutcomeRow,
  AnalyticsOutcomeSum,
  AnalyticsReminderCount,
  AnalyticsReportScore,
} from './AnalyticsRollup';
import { Application } from './Application';
import { ApplicationReview } from './ApplicationReview';
import { ApplicationStageEvent } from './ApplicationStageEvent';
import { Approval } from './Approval';
import { ApprovalTemplate } from './ApprovalTemplate';
import { AuditLog } from './AuditLog';
import { Booking, SlotCounter } from './Booking';
import { BotInboundMessage } from './BotInboundMessage';
import { Candidate } from './Candidate';
import { CandidateImport } from './CandidateImport';
import { DeletionRequest } from './DeletionRequest';
import { DemographicSelfId } from './DemographicSelfId';
import { Department } from './Department';
import { FollowUp } from './FollowUp';
import { HireOutcome, HireOutcomeSync } from './HireOutcome';
import { InboundEvent } from './InboundEvent';
import { InboxMessage } from './InboxMessage';
import { InterviewAccommodation } from './InterviewAccommodation';
import { InterviewConsent } from './InterviewConsent';
import { AvailabilityOverride, InterviewerDay, InterviewerSchedule } from './InterviewerSchedule';
import { InterviewPlan, InterviewQuestion } from './InterviewPlan';
import { InterviewAnswer, InterviewAttempt, InterviewSession } from './InterviewSession';
import { Invitation } from './Invitation';
import { Job, JobInterviewer } from './Job';
import { JobRules } from './JobRules';
import { LiveScorecard } from './LiveScorecard';
import { OAuthState } from './OAuthState';
import { OrgSettings } from './OrgSettings';
import { OutboxMessage } from './OutboxMessage';
import { PlanInterviewer, PlanSchedule } from './PlanSchedule';
import { BankQuestion, Competency } from './QuestionBank';
import { QuestionDraft } from './QuestionDraft';
import { QueueClosure } from './QueueClosure';
import { RateLimitBucket } from './RateLimitBucket';
import { RebookLinkUse } from './RebookLinkUse';
import { CandidateTag, PoolKey, PoolMember, PoolState, Resume, ScreeningDecisionRow } from './Resume';
import {
  AnswerScore,
  AnswerTranscript,
  InterviewReport,
  ReportRating,
  ReviewAssignment,
  ReviewTask,
  ScoringModel,
} from './Scoring';
import { SummaryRules } from './SummaryRules';
import { User } from './User';

export {
  AccommodationRequest,
  AnalyticsApplicationCount,
  AnalyticsBookingReminder,
  AnalyticsDuration,
  AnalyticsOutcomeRow,
  AnalyticsOutcomeSum,
  AnalyticsReminderCount,
  AnalyticsReportScore,
  AnswerScore,
  AnswerTranscript,
  Application,
  ApplicationReview,
  ApplicationStageEvent,
  Approval,
  ApprovalTemplate,
  AuditLog,
  AvailabilityOverride,
  BankQuestion,
  Booking,
  BotInboundMessage,
  Candidate,
  CandidateImport,
  CandidateTag,
  Competency,
  DeletionRequest,
  DemographicSelfId,
  Department,
  FollowUp,
  HireOutcome,
  HireOutcomeSync,
  InboundEvent,
  InboxMessage,
  InterviewAccommodation,
  InterviewAnswer,
  InterviewAttempt,
  InterviewConsent,
  InterviewerDay,
  InterviewerSchedule,
  InterviewPlan,
  InterviewQuestion,
  InterviewReport,
  InterviewSession,
  Invitation,
  Job,
  JobInterviewer,
  JobRules,
  LiveScorecard,
  OAuthState,
  OrgSettings,
  OutboxMessage,
  PlanInterviewer,
  PlanSchedule,
  PoolKey,
  PoolMember,
  PoolState,
  QuestionDraft,
  QueueClosure,
  RateLimitBucket,
  RebookLinkUse,
  ReportRating,
  Resume,
  ReviewAssignment,
  ReviewTask,
  ScoringModel,
  ScreeningDecisionRow,
  SlotCounter,
  SummaryRules,
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
  InterviewAccommodation,
  InterviewConsent,
  InterviewSession,
  InterviewAnswer,
  InterviewAttempt,
  Invitation,
  OAuthState,
  AuditLog,
  OutboxMessage,
  DemographicSelfId,
  DeletionRequest,
  InboxMessage,
  BotInboundMessage,
  JobRules,
  ApprovalTemplate,
  Approval,
  ApplicationReview,
  InboundEvent,
  PlanSchedule,
  PlanInterviewer,
  InterviewerSchedule,
  InterviewerDay,
  AvailabilityOverride,
  Booking,
  SlotCounter,
  RebookLinkUse,
  RateLimitBucket,
  AnswerTranscript,
  AnswerScore,
  InterviewReport,
  ReportRating,
  ReviewAssignment,
  ReviewTask,
  ScoringModel,
  JobInterviewer,
  BankQuestion,
  Competency,
  QuestionDraft,
  CandidateImport,
  AccommodationRequest,
  QueueClosure,
  Resume,
  ScreeningDecisionRow,
  FollowUp,
  ApplicationStageEvent,
  LiveScorecard,
  SummaryRules,
  AnalyticsApplicationCount,
  AnalyticsDuration,
  AnalyticsBookingReminder,
  AnalyticsReminderCount,
  AnalyticsReportScore,
  AnalyticsOutcomeRow,
  AnalyticsOutcomeSum,
  HireOutcome,
  HireOutcomeSync,
  CandidateTag,
  PoolMember,
  PoolKey,
  PoolState,
];
