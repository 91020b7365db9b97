/**
 * Jobs, the company question bank and competency library, and reviewer assignment: request
 * schemas (zod, shared by the server's validation and the mini-app's forms) and response types.
 */
import { z } from 'zod';

/** What HR and the API see of a job's lifecycle. */
export const JOB_STATES = ['open', 'paused', 'closed'] as const;
/** A job's state. */
export type JobStateView = (typeof JOB_STATES)[number];

const dingTalkConversationId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9+/=_$-]+$/, 'not a DingTalk conversation id');

/** The fields HR fills in for a job (create and edit). */
const jobFields = {
  title: z.string().trim().min(2).max(200),
  departmentId: z.number().int().positive(),
  location: z.string().trim().min(1).max(100),
  headcount: z.number().int().min(1).max(1000),
  description: z.string().trim().min(1).max(10_000),
  requirements: z.string().trim().max(10_000).default(''),
  /** Internal user id of the hiring manager (an active employee); null = none yet. */
  hiringManagerId: z.number().int().positive().nullable().default(null),
  /** The hiring team's DingTalk group (openConversationId); null = none. */
  hiringGroupConversationId: dingTalkConversationId.nullable().default(null),
};

/** Body of `POST /api/jobs`. */
export const createJobBody = z.strictObject(jobFields);
/** Create-job body. */
export type CreateJobBody = z.infer<typeof createJobBody>;

/** Body of `PUT /api/jobs/:id`: every field plus the version the editor read (compare-and-swap). */
export const updateJobBody = z.strictObject({ ...jobFields, version: z.number().int().positive() });
/** Update-job body. */
export type UpdateJobBody = z.infer<typeof updateJobBody>;

/** Body of `POST /api/jobs/:id/status`: open (or reopen), pause or close, with the version read. */
export const jobStatusBody = z.strictObject({
  status: z.enum(JOB_STATES),
  version: z.number().int().positive(),
});

/** Query of `GET /api/jobs`. */
export const listJobsQuery = z.strictObject({
  q: z.string().trim().max(50).optional(),
  status: z.enum(JOB_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Body of `PUT /api/jobs/:id/interviewers`: the job's reviewer pool (internal user ids). */
export const jobInterviewersBody = z.strictObject({
  userIds: z.array(z.number().int().positive()).max(50),
});

/** Body of `POST /api/applications/:id/reviewers`: named interviewers, or the pool's next turn. */
export const assignReviewersBody = z.union([
  z.strictObject({ userIds: z.array(z.number().int().positive()).min(1).max(10) }),
  z.strictObject({ roundRobin: z.literal(true) }),
]);
/** Assign-reviewers body. */
export type AssignReviewersBody = z.infer<typeof assignReviewersBody>;

/** A job as HR's list and form show it. */
export interface JobView {
  id: number;
  title: string;
  status: JobStateView;
  department: { id: number; name: string };
  location: string;
  headcount: number;
  description: string;
  requirements: string;
  hiringManager: { id: number; name: string } | null;
  hiringGroupConversationId: string | null;
  version: number;
  updatedAt: string;
}

/** Response of `GET /api/jobs`. */
export interface JobListResponse {
  total: number;
  items: JobView[];
}

/** Response of one job's routes. */
export interface JobResponse {
  job: JobView;
}

/** An employee as pickers show them (hiring manager, approvers, cc, interviewers). */
export interface EmployeeOption {
  id: number;
  name: string;
  dingtalkUserId: string;
  roles: string[];
  departmentId: number | null;
}

/** Response of `GET /api/jobs/form-options`: what the job and rules forms pick from. */
export interface JobFormOptionsResponse {
  departments: Array<{ id: number; name: string }>;
  employees: EmployeeOption[];
}

/** Response of the job interviewer pool routes. */
export interface JobInterviewersResponse {
  jobId: number;
  interviewers: Array<{ id: number; name: string }>;
}

/** Response of `POST /api/applications/:id/reviewers`. */
export interface AssignReviewersResponse {
  applicationId: number;
  /** Every reviewer of the application after the call (explicit assignments). */
  reviewers: Array<{ id: number; name: string }>;
  /** Who this call added (empty when all were assigned already). */
  added: number[];
}

// ---- Question bank and competency library ----

/** Fields of a bank question. */
export const bankQuestionBody = z.strictObject({
  text: z.string().trim().min(5).max(2000),
  competencies: z.array(z.string().trim().min(1).max(50)).min(1).max(6),
  answerType: z.enum(['video', 'audio', 'text']).default('video'),
  thinkSeconds: z.number().int().min(0).max(600).default(30),
  answerSeconds: z.number().int().min(5).max(900).default(120),
  retakes: z.number().int().min(0).max(5).default(1),
  referenceAnswers: z.array(z.string().trim().min(1).max(2000)).max(5).default([]),
});
/** Bank question body. */
export type BankQuestionBody = z.infer<typeof bankQuestionBody>;

/** Body of `PUT /api/question-bank/:id`: a new version of the question whose latest version is `:id`. */
export const bankQuestionEditBody = bankQuestionBody.extend({ archived: z.boolean().default(false) });

/** Query of `GET /api/question-bank`. */
export const bankSearchQuery = z.strictObject({
  q: z.string().trim().max(50).optional(),
  competency: z.string().trim().max(50).optional(),
});

/** A bank question version. */
export interface BankQuestionView {
  id: number;
  key: string;
  version: number;
  latest: boolean;
  archived: boolean;
  text: string;
  competencies: string[];
  answerType: 'video' | 'audio' | 'text';
  thinkSeconds: number;
  answerSeconds: number;
  retakes: number;
  referenceAnswers: string[];
  createdAt: string;
}

/** Response of `GET /api/question-bank`. */
export interface BankListResponse {
  items: BankQuestionView[];
}

/** Body of `POST /api/competencies`: a new competency, or a new version of an existing name. */
export const competencyBody = z.strictObject({
  name: z.string().trim().min(1).max(50),
  description: z.string().trim().max(500).default(''),
  indicatorsZh: z.array(z.string().trim().min(1).max(300)).min(1).max(10),
  indicatorsEn: z.array(z.string().trim().min(1).max(300)).min(1).max(10),
  /**
   * The version this edit started from. Given, the save is a compare-and-swap: if someone saved a
   * newer version meanwhile, 409 `competency_stale` and nothing is written. Absent: a new
   * competency (or a new version without the check).
   */
  version: z.number().int().positive().optional(),
});

/** A competency version of the library. */
export interface CompetencyView {
  id: number;
  name: string;
  version: number;
  description: string;
  indicatorsZh: string[];
  indicatorsEn: string[];
}

/** Response of `GET /api/competencies`. */
export interface CompetencyListResponse {
  items: CompetencyView[];
}

/** Body of `PUT /api/interview-plans/:jobId/from-bank`: the plan built from bank questions, in order. */
export const planFromBankBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        bankQuestionId: z.number().int().positive(),
        thinkSeconds: z.number().int().min(0).max(600).optional(),
        answerSeconds: z.number().int().min(5).max(900).optional(),
        retakes: z.number().int().min(0).max(5).optional(),
      }),
    )
    .min(1)
    .max(30),
});
/** Plan-from-bank body. */
export type PlanFromBankBody = z.infer<typeof planFromBankBody>;
