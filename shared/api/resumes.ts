/**
 * Contracts of résumés (issue 15): intake limits, the structured profile with the source span of
 * every field, the explainable job match, and HR's screening queue and decisions.
 */
import { z } from 'zod';
import { STAGES, type Stage } from '../stages';

/** Largest résumé file accepted (bytes). */
export const RESUME_MAX_BYTES = 10 * 1024 * 1024;
/** Most pages of a PDF résumé. */
export const RESUME_MAX_PAGES = 10;
/** Most uncompressed bytes of all entries of a DOCX (a zip): more is treated as a decompression bomb. */
export const RESUME_DOCX_MAX_UNCOMPRESSED = 30 * 1024 * 1024;
/** Most entries of a DOCX zip. */
export const RESUME_DOCX_MAX_ENTRIES = 2000;
/** Largest compression ratio of one DOCX entry before it is treated as a bomb. */
export const RESUME_DOCX_MAX_RATIO = 200;
/** Most pixels of a photo of a résumé (width x height). */
export const RESUME_MAX_PIXELS = 40_000_000;

/** File kinds accepted, told apart by their magic bytes (never by the name or the declared type). */
export const RESUME_KINDS = ['pdf', 'docx', 'jpeg', 'png'] as const;
/** A résumé's file kind. */
export type ResumeKind = (typeof RESUME_KINDS)[number];

/** Where a résumé is in its processing. */
export const RESUME_STATUSES = ['pending', 'parsed', 'failed', 'erased'] as const;
/** Résumé processing status. */
export type ResumeStatus = (typeof RESUME_STATUSES)[number];

/** Offsets (UTF-16 code units, end exclusive) into the extracted text. */
export interface SourceSpan {
  start: number;
  end: number;
}

/** One parsed value with the text it came from (null span once HR corrected it). */
export interface ProfileField {
  value: string;
  span: SourceSpan | null;
  /** HR corrected the value (the correction is in the audit log). */
  corrected?: boolean;
  /** Filled by the LLM where the parser found nothing (checked: the span holds the value). */
  source?: 'llm';
}

/** What the LLM was asked to fill in a profile, and what came of it. */
export interface ProfileLlmRecord {
  /** Version of the prompt (the prompt is that template on this résumé's text and `asked`). */
  promptVersion: string;
  /** The model as the endpoint named it. */
  model: string;
  /** Paths the parser left empty. */
  asked: string[];
  /** Paths filled with a value found in the text. */
  filled: string[];
  /** Values refused, with why (not in the text, not asked for, ...). */
  discarded: Array<{ path: string; value: string; reason: string }>;
  /** Why nothing was filled (endpoint down, timeout, not JSON). */
  error?: string;
  /** The raw output (capped). */
  output?: string;
  at: string;
}

/** One school. Dates are `YYYY-MM` (or `YYYY`), `present` for an open end. */
export interface EducationEntry {
  school: ProfileField | null;
  degree: ProfileField | null;
  major: ProfileField | null;
  start: ProfileField | null;
  end: ProfileField | null;
  span: SourceSpan;
}

/** One job held. */
export interface ExperienceEntry {
  employer: ProfileField | null;
  title: ProfileField | null;
  start: ProfileField | null;
  end: ProfileField | null;
  description: ProfileField | null;
  span: SourceSpan;
}

/**
 * Protected attributes as the résumé states them. Kept so HR sees the whole résumé, and so
 * the screening can strip them: never an input of the match.
 */
export interface ProtectedAttributes {
  name: ProfileField | null;
  gender: ProfileField | null;
  birthDate: ProfileField | null;
  age: ProfileField | null;
  maritalStatus: ProfileField | null;
  ethnicity: ProfileField | null;
  hometown: ProfileField | null;
}

/** The structured profile parsed from a résumé's text. */
export interface ResumeProfile {
  language: 'zh' | 'en';
  contact: { email: ProfileField | null; mobile: ProfileField | null };
  personal: ProtectedAttributes;
  education: EducationEntry[];
  experience: ExperienceEntry[];
  skills: ProfileField[];
  certificates: ProfileField[];
  languages: ProfileField[];
  /** Indexes of the text's lines holding protected attributes or contact: the screening never reads them. */
  personalLines: number[];
  /** Set when an LLM was asked to fill the fields the parser left empty. */
  llm?: ProfileLlmRecord;
}

/** How well the résumé shows one requirement. */
export const REQUIREMENT_STATUSES = ['met', 'partly', 'not_shown'] as const;
/** Requirement status. */
export type RequirementStatus = (typeof REQUIREMENT_STATUSES)[number];

/** One line of the match: a requirement, how well it is shown and the quote that shows it. */
export interface MatchLine {
  requirement: string;
  status: RequirementStatus;
  /** The résumé text supporting it (empty when not shown). */
  quote: string;
  /** Where the quote is in the extracted text. */
  span: SourceSpan | null;
  /** What was looked for and found / missing (keywords, years, degree). */
  found: string[];
  missing: string[];
}

/** The job match of one résumé. */
export interface ResumeMatch {
  /** 0-100. */
  score: number;
  lines: MatchLine[];
  /** Years of experience relevant to the job's requirements, from the dates (one decimal). */
  relevantYears: number;
  /** Years of all experience, overlaps counted once. */
  totalYears: number;
}

/** A résumé as its owner and HR see it. */
export interface ResumeView {
  id: number;
  candidateId: number;
  jobId: number | null;
  fileName: string;
  kind: ResumeKind;
  size: number;
  pages: number | null;
  status: ResumeStatus;
  /** Why extraction failed (a catalogued error code). */
  errorCode: string | null;
  /** How the text was obtained: `pdftotext`, `ocr`, `mammoth`. */
  method: string | null;
  text: string | null;
  profile: ResumeProfile | null;
  /** Kept in the talent pool until (ISO), with the candidate's separate consent; null = not kept. */
  poolUntil: string | null;
  createdAt: string;
}

/** `GET /api/resumes/mine`, `GET /api/resumes/candidates/:id`. */
export interface ResumeListResponse {
  resumes: ResumeView[];
}

/** `GET /api/resumes/:id`. */
export interface ResumeResponse {
  resume: ResumeView;
  /** A short-lived link to the file itself. */
  fileUrl: string | null;
}

/** HR's decisions on a screened résumé. The AI never makes one. */
export const SCREENING_DECISIONS = ['invite', 'reject', 'pool'] as const;
/** A screening decision. */
export type ScreeningDecision = (typeof SCREENING_DECISIONS)[number];

/** One row of a job's screening queue. */
export interface ScreeningRow {
  resumeId: number;
  candidateId: number;
  candidateName: string;
  match: ResumeMatch;
  decision: {
    decision: ScreeningDecision;
    feedback: string | null;
    decidedAt: string;
    decidedBy: number;
  } | null;
}

/** `GET /api/resumes/jobs/:jobId/screening`: parsed résumés for the job, best match first. */
export interface ScreeningResponse {
  job: { id: number; title: string; requirements: string[] };
  rows: ScreeningRow[];
  /** Résumés for the job still being read (not in `rows` yet). */
  pending: number;
}

/** Params with a numeric id (a résumé's, or a candidate's on `/candidates/:id`). */
export const resumeIdParams = z.strictObject({ id: z.coerce.number().int().positive() });
/** Params of the screening queue. */
export const screeningParams = z.strictObject({ jobId: z.coerce.number().int().positive() });

/** Editable profile paths: `contact.email`, `education.0.school`, `skills.2`, ... */
export const correctionPath = z
  .string()
  .regex(
    /^(contact\.(email|mobile)|education\.\d{1,2}\.(school|degree|major|start|end)|experience\.\d{1,2}\.(employer|title|start|end|description)|(skills|certificates|languages)\.\d{1,3})$/,
    'must name a profile field, e.g. education.0.school',
  );

/** `PATCH /api/resumes/:id/profile`: HR corrects one field. */
export const correctFieldBody = z.strictObject({
  path: correctionPath,
  value: z.string().trim().max(2000),
  /** Why (kept in the audit log). */
  reason: z.string().trim().max(500).default(''),
});
/** Body of {@link correctFieldBody}. */
export type CorrectFieldBody = z.infer<typeof correctFieldBody>;

/** `POST /api/resumes/jobs/:jobId/decisions`: HR decides on one screened résumé. */
export const screeningDecisionBody = z
  .strictObject({
    resumeId: z.number().int().positive(),
    decision: z.enum(SCREENING_DECISIONS),
    /** Required for a rejection: what the candidate reads. */
    feedback: z.string().trim().max(2000).default(''),
  })
  .refine((b) => b.decision !== 'reject' || b.feedback.length >= 5, {
    path: ['feedback'],
    message: 'a rejection needs feedback for the candidate (at least 5 characters)',
  });
/** Body of {@link screeningDecisionBody}. */
export type ScreeningDecisionBody = z.infer<typeof screeningDecisionBody>;

/** Answer of a decision; `invitationUrl` for an invitation. */
export interface ScreeningDecisionResponse {
  decision: ScreeningDecision;
  invitationUrl: string | null;
}

/** `POST /api/resumes/:id/pool`: the candidate's separate consent to be kept in the talent pool. */
export const poolConsentBody = z.strictObject({ keep: z.boolean() });

/**
 * Pipeline stages a pooled candidate can be searched by ("reached at least"), in order: every
 * stage but the exits (`rejected`, `withdrawn`), which say how an application ended, not how far
 * it got; those are outcomes.
 */
export const POOL_STAGES = STAGES.filter((s) => s !== 'rejected' && s !== 'withdrawn') as Exclude<
  Stage,
  'rejected' | 'withdrawn'
>[];
/** A stage of {@link POOL_STAGES}. */
export type PoolStage = Exclude<Stage, 'rejected' | 'withdrawn'>;

/**
 * Outcomes a pooled candidate can be searched by: a screening decision (`invited`, `rejected`,
 * `pool`) or where an application ended (`hired`, `rejected`, `withdrawn`, or `in_progress`
 * while it still moves).
 */
export const POOL_OUTCOMES = ['invited', 'rejected', 'pool', 'hired', 'withdrawn', 'in_progress'] as const;
/** One outcome of {@link POOL_OUTCOMES}. */
export type PoolOutcome = (typeof POOL_OUTCOMES)[number];

/** Most characters of one talent-pool tag (after trimming). */
export const POOL_TAG_MAX_CHARS = 20;
/** Most tags one pooled candidate carries. */
export const POOL_TAGS_MAX = 10;

/**
 * A tag as stored: NFKC (full-width ＪＡＶＡ is JAVA), trimmed, inner white space collapsed to
 * one space. Two tags are the same tag when their {@link poolTagKey}s are equal.
 */
export function normalizePoolTag(raw: string): string {
  return raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
}

/** The identity of a tag: normalised and lower-cased ("Java" and "java" are one tag). */
export function poolTagKey(raw: string): string {
  return normalizePoolTag(raw).toLowerCase();
}

/** One tag in a request: normalised, then 1 to {@link POOL_TAG_MAX_CHARS} characters (code points). */
const poolTag = z
  .string()
  .max(200)
  .transform(normalizePoolTag)
  .refine((t) => [...t].length >= 1 && [...t].length <= POOL_TAG_MAX_CHARS, {
    message: `a tag has 1 to ${POOL_TAG_MAX_CHARS} characters`,
  });

/** A query parameter given once (`tag=a`) or repeated (`tag=a&tag=b`), as a list. */
const repeated = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(max));

/** Most entries one page of the talent pool holds. */
export const POOL_PAGE_MAX = 100;

/**
 * Query of `GET /api/resumes/pool`: text anywhere in the résumé, a skill, a past job (screened
 * for or applied to), the furthest stage reached in any application (at least `stage`), an
 * outcome held by any of the candidate's decisions or applications, and tags (`tag`, repeated).
 * Filters combine with AND; the tags among themselves with OR: an entry carrying ANY of the
 * chosen tags matches. HR tags people with alternatives ("Java", "Go"; "校招", "社招") far more
 * often than with facets that must all hold, and "all of" is still reachable by narrowing
 * with the other filters; a match on none would be the empty list HR reads as "no one".
 */
export const poolQuery = z.strictObject({
  q: z.string().trim().max(100).default(''),
  skill: z.string().trim().max(50).default(''),
  jobId: z.coerce.number().int().positive().optional(),
  stage: z.enum(POOL_STAGES as [PoolStage, ...PoolStage[]]).optional(),
  outcome: z.enum(POOL_OUTCOMES).optional(),
  tag: repeated(poolTag, POOL_TAGS_MAX),
  /** Entries on one page; at most {@link POOL_PAGE_MAX}. */
  limit: z.coerce.number().int().min(1).max(POOL_PAGE_MAX).default(50),
  /** Where the page starts: the previous page's `nextCursor` (absent: the first page). */
  cursor: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
/** Query of {@link poolQuery}. */
export type PoolQuery = z.infer<typeof poolQuery>;

/** One candidate in the talent pool. */
export interface PoolRow {
  resumeId: number;
  candidateId: number;
  candidateName: string;
  skills: string[];
  /** Latest job held: title and employer. */
  lastRole: string | null;
  poolUntil: string;
  /** Past screening decisions (of every merged record): the jobs they were considered for and the outcome. */
  history: Array<{ jobId: number; jobTitle: string; decision: ScreeningDecision }>;
  /** Furthest pipeline stage reached in any application (of every merged record); null without one. */
  stageReached: PoolStage | null;
  /** Outcomes of every decision and application (of every merged record), in {@link POOL_OUTCOMES} order. */
  outcomes: PoolOutcome[];
  /**
   * Other records of the same person (same mobile or e-mail, or same name and school), merged
   * into this entry; their résumés stay as they are.
   */
  duplicates: Array<{ candidateId: number; candidateName: string; resumeId: number }>;
  /** Why the records were taken for one person. */
  mergedBy: Array<'mobile' | 'email' | 'name_school'>;
  /** HR's tags on the person: the union over every merged record, alphabetical (case-insensitive). */
  tags: string[];
}

/**
 * `GET /api/resumes/pool`: one page of entries, newest résumé first. `nextCursor` asks for the
 * next page (`cursor=`), null on the last one. Paging with the same filters returns every
 * matching entry once, in order; an entry that changes meanwhile (a new résumé moves it to the
 * top) shows where it is when its page is read.
 */
export interface PoolResponse {
  rows: PoolRow[];
  nextCursor: number | null;
}

/** Params of a pool entry's tags: the id of one of the entry's candidate records. */
export const poolTagsParams = z.strictObject({ id: z.coerce.number().int().positive() });

/**
 * `POST /api/resumes/pool/:id/tags`: HR adds and removes tags on a pool entry. A tag added that
 * the entry already has (in any case) is kept as it was; removing one the entry lacks is a no-op.
 * A tag may not be both added and removed at once; at least one change is required.
 */
export const poolTagsBody = z
  .strictObject({
    add: z.array(poolTag).max(POOL_TAGS_MAX).default([]),
    remove: z.array(poolTag).max(POOL_TAGS_MAX).default([]),
  })
  .refine((b) => b.add.length + b.remove.length > 0, {
    path: ['add'],
    message: 'add or remove at least one tag',
  })
  .refine((b) => !b.remove.some((r) => b.add.some((a) => poolTagKey(a) === poolTagKey(r))), {
    path: ['remove'],
    message: 'a tag cannot be added and removed at once',
  });
/** Body of {@link poolTagsBody}. */
export type PoolTagsBody = z.infer<typeof poolTagsBody>;

/** Answer of a tag change: the entry's tags afterwards (the union over its merged records). */
export interface PoolTagsResponse {
  candidateId: number;
  tags: string[];
}

/** Query of `GET /api/resumes/pool/tags`: the company's tags containing `q`, most used first. */
export const poolTagSuggestionsQuery = z.strictObject({
  q: z.string().trim().max(POOL_TAG_MAX_CHARS).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

/** `GET /api/resumes/pool/tags`: tags in use for the picker, each with how many candidates carry it. */
export interface PoolTagSuggestionsResponse {
  tags: Array<{ tag: string; count: number }>;
}

/** `POST /api/resumes/pool/invite`: one step re-invites a pooled candidate to another job. */
export const poolInviteBody = z.strictObject({
  resumeId: z.number().int().positive(),
  jobId: z.number().int().positive(),
});

/** Most mobiles in one DingTalk recruitment import. */
export const ATS_IMPORT_MAX_MOBILES = 200;

/** Body of `POST /api/resumes/ats/import`: mobiles of candidates in DingTalk recruitment (钉钉招聘). */
export const atsImportBody = z.strictObject({
  mobiles: z.array(z.string().trim().min(1).max(32)).min(1).max(ATS_IMPORT_MAX_MOBILES),
});
/** ATS import body. */
export type AtsImportBody = z.infer<typeof atsImportBody>;

/** What happened to one mobile of an ATS import. */
export interface AtsImportRowView {
  mobile: string;
  /** `created` / `merged` into the candidate with that mobile / `not_found` in DingTalk / `invalid` mobile. */
  status: 'created' | 'merged' | 'not_found' | 'invalid';
  candidateId: number | null;
  atsCandidateId: string | null;
  name: string | null;
}

/** Response of `POST /api/resumes/ats/import`. */
export interface AtsImportResponse {
  rows: AtsImportRowView[];
}
