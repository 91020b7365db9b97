/**
 * Hiring analytics (issue 17): the filters, the figures and the export of `GET /api/analytics/*`.
 * The funnel's stage order and the AI score bands live here so the server's queries, the
 * mini-app's charts and the tests share one definition.
 */
import { z } from 'zod';
import type { Stage } from '../stages';
import { CANDIDATE_SOURCES, type CandidateSource } from './candidates';

/** A day, `YYYY-MM-DD`, read in Asia/Shanghai (the product's default zone). */
const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date (YYYY-MM-DD)')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00+08:00`)), 'not a real date');

/**
 * Filters every analytics query takes. The date range selects applications by the day they were
 * created (a cohort): the funnel, times and rates are about the people who applied in that range.
 */
export const analyticsFilters = z
  .strictObject({
    jobId: z.coerce.number().int().positive().optional(),
    departmentId: z.coerce.number().int().positive().optional(),
    source: z.enum(CANDIDATE_SOURCES).optional(),
    /** First day (inclusive). */
    from: day.optional(),
    /** Last day (inclusive). */
    to: day.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'must not be before from' });
/** Parsed analytics filters. */
export type AnalyticsFilters = z.infer<typeof analyticsFilters>;

/**
 * The funnel's steps, in order. An application counts as having reached a step when it reached
 * that step or any later one (a person-only evaluation skips `scored`, an offer's approval may be
 * retried, a backfilled row only knows the last stage), so every step's count is at most the
 * previous one's.
 */
export const FUNNEL_STAGES = [
  'invited',
  'submitted',
  'in_review',
  'second_round',
  'second_round_done',
  'offer_approval',
  'offer_sent',
  'accepted',
  'hired',
] as const satisfies readonly Stage[];
/** A funnel step. */
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/**
 * The funnel step each stage proves reached (index into {@link FUNNEL_STAGES}). Exits
 * (rejected, withdrawn) prove nothing beyond the stages the application passed before them.
 */
export const FUNNEL_RANK: Record<Stage, number> = {
  invited: 0,
  booked: 0,
  interviewing: 0,
  submitted: 1,
  scored: 1,
  in_review: 2,
  second_round: 3,
  second_round_booked: 3,
  second_round_done: 4,
  offer_approval: 5,
  offer_sent: 6,
  accepted: 7,
  onboarding: 7,
  hired: 8,
  rejected: 0,
  withdrawn: 0,
};

/** One step of a funnel. */
export interface FunnelStep {
  stage: FunnelStage;
  /** Applications that reached this step (or a later one). */
  reached: number;
  /** reached / previous step's reached; null for the first step or when the previous is 0. */
  conversion: number | null;
}

/** A funnel: its steps and where its applications are now. */
export interface Funnel {
  applications: number;
  steps: FunnelStep[];
  /** Applications currently in each stage (every stage, zeros included). */
  current: Record<Stage, number>;
}

/** Response of `GET /api/analytics/funnel`. */
export interface FunnelResponse {
  overall: Funnel;
  jobs: Array<{ jobId: number; title: string } & Funnel>;
}

/** Median and 90th percentile of durations, in milliseconds (null without data). */
export interface DurationStats {
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/** Response of `GET /api/analytics/times`. */
export interface TimesResponse {
  /** Time spent in each stage before leaving it (completed stays only), pipeline order. */
  stages: Array<{ stage: Stage } & DurationStats>;
  /** Application created -> hired. */
  timeToHire: DurationStats;
  /**
   * Where candidates wait now: applications sitting in each non-final stage and how long they
   * have been there (pipeline order, stages with nobody left out).
   */
  waiting: Array<{ stage: Stage } & DurationStats>;
}

/** One source's effectiveness. */
export interface SourceRow {
  source: CandidateSource;
  applicants: number;
  /** Reached per funnel step, and the share of applicants that did (null without applicants). */
  steps: Array<{ stage: FunnelStage; reached: number; rate: number | null }>;
  hires: number;
  timeToHire: DurationStats;
}

/** Response of `GET /api/analytics/sources`. */
export interface SourcesResponse {
  items: SourceRow[];
}

/**
 * AI score bands (the report's overall score, 0-100), highest first. `min` inclusive, `max`
 * exclusive (null: no upper bound).
 */
export const AI_SCORE_BANDS = [
  { key: '80+', min: 80, max: null },
  { key: '60-79', min: 60, max: 80 },
  { key: '<60', min: 0, max: 60 },
] as const;
/** A band's key. */
export type AiScoreBand = (typeof AI_SCORE_BANDS)[number]['key'];

/** Below this many people a rate is not shown (nobody should read a rate on five people). */
export const AI_VALIDITY_MIN_N = 10;

/** One AI score band against what people decided. */
export interface AiValidityRow {
  band: AiScoreBand;
  /** Applications with an AI score in the band. */
  scored: number;
  /** Screening decided by a person: advanced to the second round or rejected before it. */
  decided: number;
  advanced: number;
  /** advanced / decided; null when decided < minN. */
  advanceRate: number | null;
  /** Final outcome known (hired, rejected or withdrawn). */
  closed: number;
  hired: number;
  /** hired / closed; null when closed < minN. */
  hireRate: number | null;
}

/** Response of `GET /api/analytics/ai-validity`. */
export interface AiValidityResponse {
  minN: number;
  bands: AiValidityRow[];
}

/** Response of `GET /api/analytics/options`: what the caller may filter by. */
export interface AnalyticsOptionsResponse {
  jobs: Array<{ id: number; title: string; departmentId: number }>;
  departments: Array<{ id: number; name: string }>;
  sources: CandidateSource[];
}

/** Fewest ratings compared with other raters before a rater's leniency is shown. */
export const RATER_LENIENCY_MIN_N = 5;

/**
 * One rater (interviewer or HR) in `GET /api/analytics/raters`: their load (reports rated,
 * ratings given) and leniency: over the ratings where somebody else rated the same competency of
 * the same report, the mean of (their score - the other raters' mean score there), on the 1-5
 * scale. Positive: kinder than colleagues on the same answers. Null below
 * {@link RATER_LENIENCY_MIN_N} compared ratings.
 */
export interface RaterRow {
  reviewerId: number;
  name: string;
  reports: number;
  ratings: number;
  meanScore: number;
  compared: number;
  othersMean: number | null;
  leniency: number | null;
}

/** `GET /api/analytics/raters`: raters by ratings given, most first. */
export interface RatersResponse {
  minN: number;
  items: RaterRow[];
}

/**
 * A correlation with its 95% confidence interval (Fisher z: tanh(atanh(r) ± 1.96 / sqrt(n - 3))).
 * `r`, `low` and `high` are null below the minimum n ("not enough data yet") or when either
 * side does not vary (every hire passed probation, every score the same).
 */
export interface Correlation {
  n: number;
  r: number | null;
  low: number | null;
  high: number | null;
}

/**
 * How well one interview score predicts what happened after hiring: the probation outcome
 * (1 转正, 0 left before it; people still in probation are not counted) and the latest
 * performance grade (on the scale of {@link PERFORMANCE_GRADE_SCALE}).
 */
export interface OutcomeValidityRow {
  /** `overall` (the report's overall score) or a competency's name. */
  competency: string;
  probation: Correlation;
  performance: Correlation;
}

/**
 * Performance grades as numbers for correlations. Numeric grades (scores such as "3.75") are
 * read as they are; other labels not listed here are left out.
 */
export const PERFORMANCE_GRADE_SCALE: Record<string, number> = {
  S: 5,
  'A+': 4.5,
  A: 4,
  'B+': 3.5,
  B: 3,
  'B-': 2.5,
  C: 2,
  D: 1,
};

/** The state of the latest sync of hire outcomes from DingTalk's HR. */
export interface OutcomeSyncView {
  id: number;
  status: 'requested' | 'running' | 'done' | 'failed';
  requestedAt: string;
  finishedAt: string | null;
  synced: number;
  notFound: number;
  error: string | null;
}

/** Response of `GET /api/analytics/outcomes`: closed-loop validity (issue 17 item 4). */
export interface OutcomeValidityResponse {
  /** Below this many hires with a known outcome a correlation is not shown. */
  minN: number;
  /** Hired applications in scope, and what DingTalk's HR says of them. */
  hires: number;
  outcomes: {
    probation: number;
    regular: number;
    left: number;
    /** Left before 转正 (counted as not passing probation). */
    leftInProbation: number;
    notFound: number;
    /** Not read from DingTalk yet. */
    unsynced: number;
    /** With a performance grade on the scale. */
    graded: number;
  };
  /** `overall` first, then competencies by name. */
  items: OutcomeValidityRow[];
  /**
   * The same per self-identified group (HR only, null for managers; groups with fewer than
   * `minN` hires show n without r): feeds the fairness page.
   */
  groups: Array<{ dimension: string; category: string; hires: number; items: OutcomeValidityRow[] }> | null;
  lastSync: OutcomeSyncView | null;
}

/** Response of `POST /api/analytics/outcomes/sync`: the run asked for (or the one already due). */
export interface OutcomeSyncResponse {
  sync: OutcomeSyncView;
  /** false: a run was already requested or running, and that one is returned. */
  created: boolean;
}

/** Cancellation notice assumed when a plan stage sets none (hours before the start). */
export const DEFAULT_CANCEL_NOTICE_HOURS = 24;

/**
 * Bookings that got one reminder schedule through one set of channels. The schedule is the
 * candidate reminders actually sent (outbox rows delivered), as minutes before the start, largest
 * first (`[]`: none was sent); `channels` the channels they went through (sorted). Rates are over
 * `settled` (bookings whose outcome is known: completed, no-show or cancelled) and null below
 * `minN`. A cancellation is late when it came within the plan stage's cancellation notice
 * (`cancelCutoffHours`, or {@link DEFAULT_CANCEL_NOTICE_HOURS} when none) of the start, or after it.
 */
export interface ReminderEffectRow {
  schedule: number[];
  channels: string[];
  /** Every booking in scope with this schedule and channels (upcoming ones included). */
  booked: number;
  settled: number;
  noShows: number;
  noShowRate: number | null;
  cancellations: number;
  lateCancellations: number;
  lateCancelRate: number | null;
}

/** Response of `GET /api/analytics/reminders`: no-shows and late cancellations by reminders. */
export interface RemindersResponse {
  minN: number;
  items: ReminderEffectRow[];
}

/** Tables that export to .xlsx. */
export const ANALYTICS_TABLES = [
  'funnel',
  'times',
  'sources',
  'ai_validity',
  'raters',
  'reminders',
  'outcomes',
  'candidates',
] as const;
/** An exportable table. */
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

/** Query of `GET /api/analytics/export.xlsx`. */
export const analyticsExportQuery = z
  .strictObject({
    table: z.enum(ANALYTICS_TABLES),
    jobId: z.coerce.number().int().positive().optional(),
    departmentId: z.coerce.number().int().positive().optional(),
    source: z.enum(CANDIDATE_SOURCES).optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'must not be before from' });

/** Most rows one candidate-list export carries. */
export const ANALYTICS_EXPORT_MAX_ROWS = 20_000;
