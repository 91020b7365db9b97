/**
 * `GET /api/home`: what each employee's home shows (issue 14 item 8), in one call. Each part is
 * present only for the roles that see it; every number carries the link to where it is worked on.
 */
import type { Stage } from '../stages';

/** One of HR's numbers for today. */
export interface HomeNumber {
  count: number;
  /** Mini-app path to open (built from `shared/routes.ts`). */
  link: string;
}

/** HR's (and admins') today. Day boundaries are Asia/Shanghai. */
export interface HrToday {
  /** Candidates added today. */
  newCandidates: HomeNumber;
  /** Interviews (booked or done) starting today. */
  interviewsToday: HomeNumber;
  /** Interview reports not yet released to the candidate. */
  reportsToReview: HomeNumber;
  /**
   * Work waiting on a person that is due today or overdue: open explanation / human-review /
   * quality requests, messages that failed for good, approvals waiting over two days.
   */
  queueDue: HomeNumber;
  /** DingTalk approvals started and not decided yet. */
  approvalsPending: HomeNumber;
}

/** A job's pipeline, counted by stage. */
export interface HomeJobPipeline {
  id: number;
  title: string;
  status: string;
  counts: Partial<Record<Stage, number>>;
  link: string;
}

/** An approval waiting in DingTalk. */
export interface HomeApproval {
  id: number;
  kind: string;
  candidateName: string;
  jobTitle: string;
  startedAt: string;
  link: string;
}

/** An interview on someone's calendar. */
export interface HomeInterview {
  bookingId: number;
  candidateName: string;
  jobTitle: string;
  kind: 'ai_interview' | 'second_round';
  startAt: string;
  endAt: string;
  link: string;
}

/** A report waiting for this interviewer's rating. */
export interface HomeReportToRate {
  reportId: number;
  candidateName: string;
  jobTitle: string;
  createdAt: string;
  link: string;
}

/** Response of `GET /api/home`. */
export interface HomeSummaryResponse {
  /** Start of "today" (ISO, Asia/Shanghai midnight) the numbers were counted from. */
  today: string;
  hr: HrToday | null;
  manager: { jobs: HomeJobPipeline[]; approvals: HomeApproval[] } | null;
  interviewer: { today: HomeInterview[]; upcoming: HomeInterview[]; toRate: HomeReportToRate[] } | null;
}
