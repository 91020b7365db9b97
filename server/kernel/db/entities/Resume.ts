import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import {
  RESUME_KINDS,
  RESUME_STATUSES,
  type ResumeProfile,
  SCREENING_DECISIONS,
} from '../../../../shared/api/resumes';
import { Candidate } from './Candidate';
import { Job } from './Job';
import { User } from './User';

/**
 * A résumé file a candidate (or HR for them) uploaded, with the text the worker extracted and
 * the profile parsed from it. The file lives in the object store under `resumes/<candidateId>/`;
 * erasure deletes it and clears text and profile (`status: erased`).
 */
export const Resume = defineEntity({
  name: 'Resume',
  tableName: 'resumes',
  indexes: [{ properties: ['job', 'status'] }],
  properties: {
    id: p.integer().primary(),
    candidate: () => p.manyToOne(Candidate),
    /** The job the résumé was sent for (null: general application / talent pool). */
    job: () => p.manyToOne(Job).nullable(),
    /** HR who uploaded it for the candidate; null = the candidate did. */
    uploadedBy: () => p.manyToOne(User).nullable(),
    /** Object store key; null once erased. */
    objectKey: p.string().length(200).nullable(),
    fileName: p.string().length(200),
    kind: p.enum(RESUME_KINDS),
    size: p.integer(),
    pages: p.integer().nullable(),
    status: p.enum(RESUME_STATUSES).default('pending'),
    /** Catalogued error code of a failed extraction. */
    errorCode: p.string().length(64).nullable(),
    /** `pdftotext`, `ocr`, `mammoth`. */
    method: p.string().length(16).nullable(),
    text: p.text().nullable(),
    profile: p.json<ResumeProfile>().nullable(),
    /** Consent to processing the résumé: when, and on what basis (`candidate` or `hr_upload`). */
    consentAt: p.datetime(3),
    consentBasis: p.string().length(16),
    /** The separate talent-pool consent: kept until then; null = not in the pool. */
    poolUntil: p.datetime(3).nullable(),
    extractMs: p.integer().nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
/** Résumé row. */
export type IResume = InferEntity<typeof Resume>;

/**
 * HR's decision on a screened candidate for a job (invite, reject with feedback, keep in the
 * pool). One per candidate and job: the unique key makes two simultaneous decisions one.
 */
export const ScreeningDecisionRow = defineEntity({
  name: 'ScreeningDecision',
  tableName: 'screening_decisions',
  uniques: [{ properties: ['job', 'candidate'] }],
  properties: {
    id: p.integer().primary(),
    job: () => p.manyToOne(Job),
    candidate: () => p.manyToOne(Candidate),
    resume: () => p.manyToOne(Resume).nullable(),
    decision: p.enum(SCREENING_DECISIONS),
    feedback: p.text().nullable(),
    /** Score shown to HR when they decided (the AI's suggestion, kept for the bias audit). */
    score: p.integer(),
    decidedBy: () => p.manyToOne(User),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Screening decision row. */
export type IScreeningDecision = InferEntity<typeof ScreeningDecisionRow>;

/**
 * One tag HR put on a pooled candidate (talent pool, issue 15 item 4). A row per tag rather than
 * a JSON column: "has tag X" is an index lookup on both MySQL and SQLite (`key`, then the
 * candidate), and counting a company's tags for the picker is a GROUP BY. `key` is the tag
 * lower-cased, so one candidate holds "Java" once whatever the case (the unique key enforces it
 * on SQLite too, whose comparisons are case-sensitive). Deleted with the pool consent or the
 * candidate's data (resumes/tags.ts).
 */
export const CandidateTag = defineEntity({
  name: 'CandidateTag',
  tableName: 'candidate_tags',
  uniques: [{ properties: ['candidate', 'key'] }],
  indexes: [{ properties: ['key', 'candidate'] }],
  properties: {
    id: p.integer().primary(),
    candidate: () => p.manyToOne(Candidate).deleteRule('cascade'),
    /** As HR wrote it (trimmed, NFKC, inner spaces collapsed), 1-20 characters. */
    tag: p.string().length(40),
    /** {@link tag} lower-cased: the identity of the tag. */
    key: p.string().length(80),
    /** HR who added it. */
    createdBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
/** Candidate tag row. */
export type ICandidateTag = InferEntity<typeof CandidateTag>;

/**
 * One pooled candidate record (talent pool, issue 18): the record's newest parsed résumé still
 * under its pool consent, and the person-group it belongs to. Derived data, kept in step by the
 * résumé feature (resumes/poolGroups.ts) whenever what it depends on changes, and rebuilt by it
 * from the résumés when missing or outdated; the pool listing filters and pages on it in SQL
 * instead of grouping every pooled résumé in memory.
 *
 * `groupKey` is the id of the newest résumé among the group's records: equal for every record of
 * one person, unique per person, and the listing's order (newest first) and cursor at once. The
 * record whose `resumeId` equals it leads the group. Plain integer columns without foreign keys:
 * the rows are a cache the feature can always rebuild.
 */
export const PoolMember = defineEntity({
  name: 'PoolMember',
  tableName: 'pool_members',
  indexes: [{ properties: ['groupKey', 'resumeId'] }, { properties: ['poolUntil'] }],
  properties: {
    candidateId: p.integer().primary().autoincrement(false),
    resumeId: p.integer().unique(),
    /** The résumé's pool consent end: the record leaves the pool (and its group) then. */
    poolUntil: p.datetime(3),
    groupKey: p.integer(),
    /** The profile's skills lower-cased, each between newlines (`\njava\ngo\n`): exact skill match. */
    skills: p.text(),
  },
});
/** Pool member row. */
export type IPoolMember = InferEntity<typeof PoolMember>;

/**
 * One identity key of a pooled record (a mobile, an e-mail, a name with a school; see
 * shared/resumes/duplicates.ts), hashed so that equality is exact in every collation and the
 * index stays short. Two records holding one hash are one person.
 */
export const PoolKey = defineEntity({
  name: 'PoolKey',
  tableName: 'pool_keys',
  uniques: [{ properties: ['candidateId', 'hash'] }],
  indexes: [{ properties: ['hash', 'candidateId'] }],
  properties: {
    id: p.integer().primary(),
    candidateId: p.integer(),
    /** SHA-256 of the key, first 32 hex digits. */
    hash: p.string().length(32),
    /** `mobile`, `email` or `name_school`. */
    kind: p.string().length(12),
  },
});
/** Pool key row. */
export type IPoolKey = InferEntity<typeof PoolKey>;

/**
 * The pool groups' bookkeeping, one row (`id` 1): the grouping rule's version the stored groups
 * were built with (an older or missing one makes the next read rebuild them), and the row every
 * regrouping locks so two of them never interleave.
 */
export const PoolState = defineEntity({
  name: 'PoolState',
  tableName: 'pool_state',
  properties: {
    id: p.integer().primary().autoincrement(false),
    version: p.integer(),
    builtAt: p.datetime(3),
  },
});
/** Pool state row. */
export type IPoolState = InferEntity<typeof PoolState>;
