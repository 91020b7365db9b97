import type { ErrorCode } from '../errors';
import type { TakeMode } from './bookings';

/**
 * What the server hands the browser to upload one recording attempt: the server's own
 * resumable route (local storage) or an OSS PostObject form (the browser posts straight to OSS).
 */
export type UploadGrant =
  | {
      mode: 'local';
      attempt: number;
      key: string;
      url: string;
      contentType: string;
      minBytes: number;
      maxBytes: number;
      expiresAt: string;
      /** Bytes per PUT; resume with HEAD (Upload-Offset) after a network drop. */
      chunkBytes: number;
    }
  | {
      mode: 'oss';
      attempt: number;
      key: string;
      url: string;
      fields: Record<string, string>;
      contentType: string;
      minBytes: number;
      maxBytes: number;
      expiresAt: string;
      /**
       * Recordings larger than this go up as an OSS multipart upload (resumable part by part,
       * each part PUT to a URL the server signs); smaller ones use the PostObject form.
       */
      partBytes: number;
    };

/**
 * Answer of `POST /api/interview/answers/:id/multipart` (OSS mode): the upload id, the parts OSS
 * already holds (after a network drop) and a signed PUT URL for every part still missing.
 */
export interface MultipartState {
  uploadId: string;
  partBytes: number;
  partCount: number;
  /** Parts OSS already has with their sizes (ListParts). */
  uploaded: Array<{ partNumber: number; size: number }>;
  /** Signed PUT URLs of the parts still to send. */
  urls: Array<{ partNumber: number; url: string }>;
  /** When the part URLs stop working; ask again with `op: 'resume'`. */
  expiresAt: string;
  /** Set by `op: 'complete'`: the object is assembled. */
  completed?: { bytes: number };
}

// ---- Responses of `/api/interview/*` (the candidate's interview). The server's presenters are
// checked against these and the mini-app reads them.

/** The locales the notice is written in. */
export type NoticeLocale = 'zh-CN' | 'en';

/** The notice the candidate reads before consenting, with the hash the consent refers to. */
export interface NoticeView {
  version: string;
  locale: NoticeLocale;
  hash: string;
  sections: Array<{ id: string; title: string; body: string }>;
}

/** An interview session's state. */
export type SessionStatus = 'open' | 'submitted' | 'withdrawn';

/** Response of `GET /api/interview`. */
export interface InterviewOverview {
  company: string | null;
  job: { id: number; title: string };
  questionCount: number;
  hasPractice: boolean;
  expectedMinutes: number;
  deadlineAt: string | null;
  /** `anytime` before the deadline, or only in a `booked` window. */
  takeMode: TakeMode;
  /** Whether a new sitting may begin now, and if not the catalogued reason. */
  start: { now: boolean; reason: ErrorCode | null };
  notice: NoticeView;
  consent: { action: 'grant' | 'withdraw'; scopes: string[]; at: string; noticeHash: string } | null;
  accommodations: { extraTimePercent: number; extraRetakes: number; audioOnlyAllowed: boolean };
  session: {
    id: number;
    status: SessionStatus;
    audioOnly: boolean;
    answered: number;
    submittedAt: string | null;
  } | null;
}

/** An answer's state. */
export type AnswerState = 'served' | 'answering' | 'uploaded' | 'verified' | 'retake' | 'late' | 'submitted';

/** An answer as the server presents it (timing computed on the server). */
export interface AnswerView {
  id: number;
  state: AnswerState;
  question: {
    id: number;
    text: string;
    practice: boolean;
    answerType: 'video' | 'audio' | 'text';
    promptMediaKind: 'image' | 'video' | null;
    promptMediaUrl: string | null;
    thinkSeconds: number;
    answerSeconds: number;
    maxChars: number;
  };
  /** "question k of n" (practice: k = 0). */
  position: { k: number; n: number };
  servedAt: string;
  thinkEndsAt: string;
  answerEndsAt: string;
  lateAfter: string;
  thinkSecondsLeft: number;
  answerSecondsLeft: number;
  retakesUsed: number;
  retakesLeft: number | null;
  attempts: number;
  late: boolean;
  locked: boolean;
}

/** Response of the routes that change one answer (start, retake, accept, text). */
export interface AnswerResponse {
  answer: AnswerView;
}

/** Response of `POST /api/interview/consent`. */
export interface ConsentResponse {
  consent: { id: number; scopes: string[]; personOnly: boolean; at: string };
}

/** Response of `POST /api/interview/consent/withdraw`. */
export interface WithdrawResponse {
  withdrawn: true;
  at: string;
}

/** Response of `POST /api/interview/start`. */
export interface StartResponse {
  session: { id: number; status: SessionStatus; audioOnly: boolean };
}

/** Response of `POST /api/interview/next`: the next question, or that all are answered. */
export type NextResponse =
  | { done: true; answered: number; total: number }
  | { done: false; answer: AnswerView };

/** Response of `POST /api/interview/answers/:id/grant`. */
export interface GrantResponse {
  grant: UploadGrant;
}

/**
 * The server's check of one recording attempt: the response of
 * `POST /api/interview/answers/:id/complete` (202 while `checking`) and of
 * `GET /api/interview/answers/:id/attempts/:attempt`, which the candidate polls until the
 * worker's verdict (`verified` or `rejected`) is in.
 */
export type VerificationResponse =
  | {
      status: 'checking';
      attempt: number;
      ok?: undefined;
      answer: AnswerView;
    }
  | {
      status: 'verified';
      attempt: number;
      ok: true;
      durationMs: number | null;
      flags: string[];
      /** Quality problems worth a retake that does not count against the limit. */
      warning: { flags: string[]; freeRetake: boolean } | null;
      answer: AnswerView;
    }
  | {
      status: 'rejected';
      attempt: number;
      ok: false;
      problem: { code: ErrorCode; message: string };
      answer: AnswerView;
    };

/**
 * Response of the verdict poll `GET /api/interview/answers/:id/attempts/:n`: while the worker
 * checks the recording only `{ status: 'checking', attempt }` (a small row, asked every 300 ms);
 * the verdict with the answer once it is in.
 */
/**
 * Longest a verdict poll may ask the server to hold it (`?wait=` in ms) while the worker checks
 * the recording: the server answers as soon as the verdict is in, or `checking` when the wait
 * runs out. Well under the usual proxy read timeouts (nginx 60 s).
 */
export const VERDICT_WAIT_MAX_MS = 10_000;
/** What the mini-app and the load bench ask for: one held poll instead of about 25 quick ones. */
export const VERDICT_WAIT_MS = 8_000;

export type AttemptPollResponse =
  | { status: 'checking'; attempt: number; ok?: undefined }
  | Exclude<VerificationResponse, { status: 'checking' }>;

/** Response of `POST /api/interview/submit`. */
export interface SubmitResponse {
  session: { id: number; status: SessionStatus; submittedAt: string | null };
}

/**
 * How long a client waits before asking again for a recording's verdict, after `polls` asks.
 * Quick (300 ms) for the first five, the time an idle worker's media check takes; then growing by
 * half each time to at most 3 s, so candidates waiting on a busy worker do not flood the web
 * processes with polls (a thousand candidates polling every 300 ms are 3,300 requests a second).
 * The mini-app's interview and follow-up screens and the load bench all use it.
 */
export function verdictPollDelayMs(polls: number): number {
  if (polls < 5) return 300;
  return Math.min(3000, Math.round(300 * 1.5 ** (polls - 4)));
}
