/**
 * Contracts of candidate management: adding a candidate, bulk import (preview, confirm),
 * invitations (create in bulk, resend, revoke, copy link), and the normalisation of contact
 * details that makes "the same person" decidable (the server's unique keys and the mini-app's
 * form check use the same functions).
 */
import { z } from 'zod';
import type { Stage } from '../stages';
import type { ReportStatus } from './reports';

/** Where a candidate came from (kept for statistics). */
export const CANDIDATE_SOURCES = ['referral', 'job_site', 'campus', 'dingtalk_recruit', 'other'] as const;
/** Candidate source. */
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

/** Names of each source in both languages; import files may use either name or the code. */
export const CANDIDATE_SOURCE_LABELS: Record<CandidateSource, { zh: string; en: string }> = {
  referral: { zh: '内推', en: 'Referral' },
  job_site: { zh: '招聘网站', en: 'Job site' },
  campus: { zh: '校园', en: 'Campus' },
  dingtalk_recruit: { zh: 'DingTalk 招聘', en: 'DingTalk Recruiting' },
  other: { zh: '其他', en: 'Other' },
};

/** The source named by `text` (code, Chinese or English label, case-insensitive), or null. */
export function parseSource(text: string): CandidateSource | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!t) return null;
  for (const s of CANDIDATE_SOURCES) {
    const l = CANDIDATE_SOURCE_LABELS[s];
    if (t === s || t === l.zh.toLowerCase() || t === l.en.toLowerCase()) return s;
  }
  if (t === '钉钉招聘') return 'dingtalk_recruit';
  return null;
}

/**
 * A mobile number in E.164 (`+8613912345678`), or null when it is not one. Mainland numbers
 * may be written without the country code, with spaces, dashes or a `0086`/`86` prefix; other
 * countries need their `+` code. Why E.164: one spelling per number, so the unique key finds a
 * person however HR typed it.
 */
export function normaliseMobile(text: string): string | null {
  const compact = text.trim().replace(/[\s\-()（）]/g, '');
  if (!compact) return null;
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else if (/^1\d{10}$/.test(compact)) digits = `86${compact}`;
  else digits = compact;
  if (!/^\d+$/.test(digits)) return null;
  if (digits.startsWith('86')) return /^861[3-9]\d{9}$/.test(digits) ? `+${digits}` : null;
  return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
}

/** How a mobile in E.164 is shown and stored: mainland numbers as the 11 digits people know. */
export function displayMobile(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164;
}

/** A lower-cased e-mail address, or null when it does not look like one. */
export function normaliseEmail(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (!t || t.length > 200) return null;
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(t) ? t : null;
}

const contactText = z.string().trim().max(200);

/**
 * The contact rule of every form that adds a person (HR's add-one, the public job page): a mobile
 * or an e-mail, each valid when given; the issue names the field.
 */
export function checkContact(
  v: { mobile?: string | null; email?: string | null },
  ctx: z.RefinementCtx,
): void {
  if (v.mobile && !normaliseMobile(v.mobile))
    ctx.addIssue({ code: 'custom', path: ['mobile'], message: 'not a valid mobile number' });
  if (v.email && !normaliseEmail(v.email))
    ctx.addIssue({ code: 'custom', path: ['email'], message: 'not a valid e-mail address' });
  if (!v.mobile && !v.email)
    ctx.addIssue({ code: 'custom', path: ['mobile'], message: 'give a mobile number or an e-mail address' });
}

/** Body of `POST /api/candidates`. At least one of mobile and e-mail. */
export const createCandidateBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    mobile: contactText.optional(),
    email: contactText.optional(),
    source: z.enum(CANDIDATE_SOURCES).default('other'),
    referrer: z.string().trim().max(100).optional(),
  })
  .superRefine(checkContact);
/** Body of `POST /api/candidates`. */
export type CreateCandidateBody = z.input<typeof createCandidateBody>;

/** Query of `GET /api/candidates`. */
export const listCandidatesQuery = z.strictObject({
  q: z.string().trim().max(50).optional(),
  source: z.enum(CANDIDATE_SOURCES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Largest import file accepted (bytes, before base64). */
export const IMPORT_MAX_BYTES = 150 * 1024;
/** Most data rows one import may hold. */
export const IMPORT_MAX_ROWS = 1000;

/** Body of `POST /api/candidates/imports`: the file, base64-encoded (JSON bodies only). */
export const importPreviewBody = z.strictObject({
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/\.(xlsx|csv)$/i, 'must end in .xlsx or .csv'),
  contentBase64: z
    .string()
    .min(1)
    .max(Math.ceil((IMPORT_MAX_BYTES * 4) / 3) + 8, 'file is too large'),
});
/** Body of `POST /api/candidates/imports`. */
export type ImportPreviewBody = z.infer<typeof importPreviewBody>;

/** One problem of one row of an import file. `row` is the spreadsheet's row number (header = 1). */
export interface ImportRowError {
  row: number;
  field: 'name' | 'mobile' | 'email' | 'source' | 'referrer' | 'contact';
  message: { zh: string; en: string };
}

/** One valid row as it will be imported. `merge` names the existing candidate it updates. */
export interface ImportRowView {
  row: number;
  name: string;
  mobile: string | null;
  email: string | null;
  source: CandidateSource;
  referrer: string | null;
  /** Also in rows (the first row with the same mobile/e-mail absorbs the later ones). */
  sameAsRow: number | null;
  /** An existing candidate with the same mobile or e-mail (merged, not doubled). */
  existingCandidateId: number | null;
}

/** Response of `POST /api/candidates/imports` and `GET /api/candidates/imports/:id`. */
export interface ImportView {
  id: number;
  fileName: string;
  status: 'previewed' | 'confirmed';
  totalRows: number;
  rows: ImportRowView[];
  errors: ImportRowError[];
  /** After confirmation: how many candidates were created and how many merged into existing ones. */
  created: number | null;
  merged: number | null;
  candidateIds: number[];
}
/** Response of the import routes. */
export interface ImportResponse {
  import: ImportView;
}

/** How an invitation reaches the candidate. */
export const INVITE_CHANNELS = ['link', 'dingtalk'] as const;
/**
 * `link`: HR copies the link text (SMS, e-mail); `dingtalk`: a message through the outbox (a
 * DingTalk work notice when the candidate is a member of the organisation, else the inbox/gateway).
 */
export type InviteChannel = (typeof INVITE_CHANNELS)[number];

/** Body of `POST /api/invitations/bulk`: candidates by id or a confirmed import. */
export const bulkInviteBody = z
  .strictObject({
    jobId: z.number().int().positive(),
    candidateIds: z.array(z.number().int().positive()).min(1).max(1000).optional(),
    importId: z.number().int().positive().optional(),
    channel: z.enum(INVITE_CHANNELS).default('link'),
    expiresInDays: z.number().int().min(1).max(90).optional(),
  })
  .refine((v) => !!v.candidateIds !== !!v.importId, {
    path: ['candidateIds'],
    message: 'give either candidateIds or importId',
  });
/** Body of `POST /api/invitations/bulk`. */
export type BulkInviteBody = z.input<typeof bulkInviteBody>;

/** Body of `POST /api/invitations/:id/resend`. */
export const resendInvitationBody = z.strictObject({
  channel: z.enum(INVITE_CHANNELS).default('link'),
});

/** An invitation as HR sees it. `url` is a fresh link to the same invitation (absent when revoked). */
export interface InvitationView {
  id: number;
  candidateId: number;
  candidateName: string;
  jobId: number;
  jobTitle: string;
  status: 'active' | 'revoked' | 'expired';
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  firstUsedAt: string | null;
  url: string | null;
  /** Text to paste into an SMS or e-mail (zh-CN), null when revoked. */
  messageText: string | null;
  /** Messages queued for it (`dingtalk` channel). */
  messagesQueued: number;
}

/** Response of `POST /api/invitations/bulk`. */
export interface BulkInviteResponse {
  invitations: InvitationView[];
  /** Candidates skipped (already invited to this job with an active invitation). */
  skipped: Array<{ candidateId: number; invitationId: number }>;
}

/** A candidate in the list and detail screens. */
export interface CandidateListItem {
  id: number;
  name: string;
  mobile: string | null;
  email: string | null;
  source: CandidateSource;
  referrer: string | null;
  hasDingTalk: boolean;
  createdAt: string;
}

/** Response of `GET /api/candidates`. */
export interface CandidateListResponse {
  total: number;
  items: CandidateListItem[];
  /** How many of the candidates the caller may see came from each source (statistics; the search applies, the source filter not). */
  bySource: Record<CandidateSource, number>;
}

/** Response of `POST /api/candidates`: `merged` when an existing candidate had the same contact. */
export interface CreateCandidateResponse {
  candidate: CandidateListItem;
  merged: boolean;
}

/** Response of `GET /api/candidates/:id/invitations`. */
export interface CandidateInvitationsResponse {
  invitations: InvitationView[];
}

/**
 * One application on a candidate's profile, as the people working on it see it: the job, the
 * stage, the live booking and the AI report with its evidence. Only applications the caller
 * works on are listed (HR: all; the job's hiring manager or its department's manager; reviewers
 * assigned to it).
 */
export interface CandidateProfileApplication {
  applicationId: number;
  jobId: number;
  jobTitle: string;
  stage: Stage;
  stageChangedAt: string;
  /** Why the caller may see it. */
  access: 'hr' | 'manager' | 'reviewer';
  /** The next live (booked) slot, or null. */
  booking: {
    id: number;
    kind: 'ai_interview' | 'second_round';
    startAt: string;
    endAt: string;
    timeZone: string;
    interviewerName: string | null;
  } | null;
  /** The latest AI interview report, or null before one exists. */
  report: {
    id: number;
    status: ReportStatus;
    overall: number | null;
    released: boolean;
    /** Per competency the score and the candidate's own words it rests on. */
    competencies: Array<{
      name: string;
      score: number;
      evidence: Array<{ quote: string; question: string | null }>;
    }>;
    /** Each answer: the question and the transcript. */
    answers: Array<{ position: number; question: string; transcript: string }>;
    /** The caller has rated this report. */
    ratedByMe: boolean;
  } | null;
}

/** Response of `GET /api/candidates/:id/profile` (an interviewer's, manager's or HR's view). */
export interface CandidateProfileResponse {
  profile: {
    id: number;
    name: string;
    /** Masked (138****0001) except for HR. */
    mobile: string | null;
    source: CandidateSource;
    applications: CandidateProfileApplication[];
  };
}
