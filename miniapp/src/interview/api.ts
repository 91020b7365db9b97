import type { MultipartState, UploadGrant } from '../../../shared/api/interview';
import { apiRequest } from '../api';

/** `GET /api/interview`. */
export interface Overview {
  company: string | null;
  job: { id: number; title: string };
  questionCount: number;
  hasPractice: boolean;
  expectedMinutes: number;
  deadlineAt: string | null;
  notice: {
    version: string;
    locale: 'zh-CN' | 'en';
    hash: string;
    sections: Array<{ id: string; title: string; body: string }>;
  };
  consent: { action: 'grant' | 'withdraw'; scopes: string[]; at: string; noticeHash: string } | null;
  session: {
    id: number;
    status: 'open' | 'submitted' | 'withdrawn';
    audioOnly: boolean;
    answered: number;
  } | null;
}

/** An answer as the server presents it (timing computed on the server). */
export interface Answer {
  id: number;
  state: 'served' | 'answering' | 'uploaded' | 'verified' | 'retake' | 'late' | 'submitted';
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
  position: { k: number; n: number };
  thinkSecondsLeft: number;
  answerSecondsLeft: number;
  retakesUsed: number;
  retakesLeft: number | null;
  attempts: number;
  late: boolean;
  locked: boolean;
}

/** An upload grant: the server's own resumable route (local) or an OSS PostObject form. */
export type Grant = UploadGrant;

/** Result of `complete`. */
export type Verification =
  | {
      ok: true;
      durationMs: number | null;
      flags: string[];
      warning: { flags: string[]; freeRetake: boolean } | null;
      answer: Answer;
    }
  | { ok: false; problem: { code: string; message: string }; answer: Answer };

const post = <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body: body ?? {} });

/** The interview API, as the screens use it. */
export const interviewApi = {
  overview: (locale: string) => apiRequest<Overview>(`/api/interview?locale=${encodeURIComponent(locale)}`),
  consent: (body: {
    noticeHash: string;
    locale: 'zh-CN' | 'en';
    videoProcessing: boolean;
    aiEvaluation: boolean;
    personOnly: boolean;
  }) => post<{ consent: unknown }>('/api/interview/consent', body),
  withdraw: () => post('/api/interview/consent/withdraw'),
  start: (body: { audioOnly?: boolean; recorderMime?: string }) =>
    post<{ session: { id: number; audioOnly: boolean } }>('/api/interview/start', body),
  next: () =>
    post<{ done: true; answered: number; total: number } | { done: false; answer: Answer }>(
      '/api/interview/next',
    ),
  startAnswer: (id: number) => post<{ answer: Answer }>(`/api/interview/answers/${id}/start`),
  grant: (id: number, body: { contentType: string; bytes: number; resume?: boolean }) =>
    post<{ grant: Grant }>(`/api/interview/answers/${id}/grant`, body),
  /** OSS mode: init / resume (after a drop) / complete a multipart upload of the attempt. */
  multipart: (
    id: number,
    body: { attempt: number; op: 'init' | 'resume' | 'complete'; bytes: number; uploadId?: string },
  ) => post<MultipartState>(`/api/interview/answers/${id}/multipart`, body),
  complete: (id: number, attempt: number) =>
    post<Verification>(`/api/interview/answers/${id}/complete`, { attempt }),
  retake: (id: number) => post<{ answer: Answer }>(`/api/interview/answers/${id}/retake`),
  accept: (id: number) => post<{ answer: Answer }>(`/api/interview/answers/${id}/accept`),
  text: (id: number, text: string) => post<{ answer: Answer }>(`/api/interview/answers/${id}/text`, { text }),
  submit: () => post<{ session: { id: number; status: string } }>('/api/interview/submit'),
};
