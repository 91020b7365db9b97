/**
 * The event map: every domain event type with the shape of its `data`. `emit` and every
 * handler and consumer are checked against it, so an event cannot be emitted with the wrong
 * data or handled under a type nobody emits. Events that cross into asynchronous consumers are
 * stored as JSON (the outbox) and may be read back by a newer version of the code: keep fields
 * additive, and validate with the zod schemas here where a consumer must not trust old rows.
 *
 * Naming: `<aggregate kind>.<what happened>`, past tense (or `.requested` for work asked of
 * another part of the system).
 */
import { z } from 'zod';
import { APPROVAL_KINDS } from './api/workflow';
import { STAGES } from './stages';

/** `booking.created|rescheduled|cancelled|no_show|completed` data (emitted by the booking feature). */
export const bookingEventData = z.object({
  bookingId: z.number().int(),
  applicationId: z.number().int(),
  candidateId: z.number().int(),
  jobId: z.number().int(),
  kind: z.enum(['ai_interview', 'second_round']),
  interviewerId: z.number().int().nullable(),
  startAt: z.string(),
  endAt: z.string(),
  timezone: z.string(),
  /** Why it was cancelled or marked (free text from the person who did it). */
  reason: z.string().nullable().optional(),
  /** `booking.rescheduled`: where it was before. */
  previousStartAt: z.string().optional(),
  previousInterviewerId: z.number().int().nullable().optional(),
  /**
   * A "remind me at…" booking of an AI interview taken any time: it only schedules reminders
   * (no seat, no pipeline move, no no-show). Absent on older rows: a real booking.
   */
  reminderOnly: z.boolean().optional(),
});
/** Booking event data. */
export type BookingEventData = z.infer<typeof bookingEventData>;

/** `interview.started` and `interview.submitted` data (emitted by the interview feature). */
export const interviewSessionData = z.object({
  applicationId: z.number().int(),
  sessionId: z.number().int(),
  candidateId: z.number().int(),
  jobId: z.number().int(),
});
/** Interview session event data. */
export type InterviewSessionData = z.infer<typeof interviewSessionData>;

/** One competency of a report. */
export const reportCompetency = z.object({
  name: z.string(),
  score: z.number().min(0).max(100),
  evidence: z.array(z.string()),
});

/** `report.ready` data (emitted by the scoring feature). */
export const reportReadyData = z.object({
  applicationId: z.number().int(),
  reportId: z.number().int(),
  candidateId: z.number().int(),
  jobId: z.number().int(),
  overall: z.number().min(0).max(100),
  competencies: z.array(reportCompetency),
  strengths: z.array(z.string()),
  gaps: z.array(z.object({ competency: z.string(), text: z.string(), suggestion: z.string() })),
  /** Quality flags (e.g. `low_audio`, `possible_assistance`); any flag sends the report to review. */
  flags: z.array(z.string()),
  recommendation: z.string(),
  reportUrl: z.string(),
});
/** Report summary as the workflow receives it. */
export type ReportReadyData = z.infer<typeof reportReadyData>;

/** `approval.started` / `approval.decided` data. */
export const approvalEventData = z.object({
  applicationId: z.number().int(),
  approvalId: z.number().int(),
  kind: z.enum(APPROVAL_KINDS),
  approverUserIds: z.array(z.string()),
  result: z.enum(['agree', 'refuse', 'terminated']).optional(),
  remark: z.string().optional(),
});
/** Approval event data. */
export type ApprovalEventData = z.infer<typeof approvalEventData>;

/** `application.stage_changed` data. */
export const stageChangedData = z.object({
  applicationId: z.number().int(),
  candidateId: z.number().int(),
  jobId: z.number().int(),
  from: z.enum(STAGES),
  to: z.enum(STAGES),
  reason: z.string(),
});
/** Stage change data. */
export type StageChangedData = z.infer<typeof stageChangedData>;

/** `application.rejected` data: what the candidate is told. */
export const rejectedData = z.object({
  applicationId: z.number().int(),
  candidateId: z.number().int(),
  jobId: z.number().int(),
  feedback: z.string(),
});
/** Rejection data. */
export type RejectedData = z.infer<typeof rejectedData>;

/** Consent scopes a candidate can grant (TRUST.md: two separate consents, or person-only). */
export const CONSENT_SCOPES = ['video_processing', 'ai_evaluation', 'person_only'] as const;
/** One consent scope. */
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

/** Event type -> `data`. */
export interface EventMap {
  'booking.created': BookingEventData;
  'booking.rescheduled': BookingEventData;
  'booking.cancelled': BookingEventData;
  'booking.no_show': BookingEventData;
  'booking.completed': BookingEventData;
  'interview.consent_granted': { applicationId: number; scopes: ConsentScope[]; personOnly: boolean };
  'interview.consent_withdrawn': {
    applicationId: number;
    sessionId: number | null;
    candidateId: number;
    /** Object keys of the recordings to delete (read in the withdrawing transaction). */
    deleteObjectKeys: string[];
  };
  'interview.started': InterviewSessionData;
  'interview.submitted': InterviewSessionData;
  'report.ready': ReportReadyData;
  'approval.requested': { applicationId: number; approvalId: number; kind: ApprovalEventData['kind'] };
  'approval.started': ApprovalEventData;
  'approval.decided': ApprovalEventData;
  'approval.withdraw': { approvalId: number; processInstanceId: string; operator: string; remark: string };
  'application.stage_changed': StageChangedData;
  'application.rejected': RejectedData;
  'onboarding.requested': { applicationId: number };
  'privacy.deletion_requested': { requestId: number; candidateId: number };
  /** A follow-up answer's recording was verified; the worker transcribes and scores it. */
  'followup.recorded': { followUpId: number; sessionId: number; candidateId: number };
  /** A résumé file was stored; the worker extracts and parses it. */
  'resume.uploaded': { resumeId: number; candidateId: number };
  /**
   * Existing candidates were given a mobile or an e-mail they lacked (adding, importing or an
   * application merged into them): the talent pool regroups them.
   */
  'candidate.contacts_changed': { candidateIds: number[] };
}

/** Every domain event type. */
export type EventType = keyof EventMap;

/** The booking events (one data shape). */
export const BOOKING_EVENT_TYPES = [
  'booking.created',
  'booking.rescheduled',
  'booking.cancelled',
  'booking.no_show',
  'booking.completed',
] as const satisfies readonly EventType[];
