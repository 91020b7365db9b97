import type {
  AnswerResponse,
  ConsentResponse,
  GrantResponse,
  InterviewOverview,
  MultipartState,
  NextResponse,
  StartResponse,
  SubmitResponse,
  VerificationResponse,
  WithdrawResponse,
} from '../../../shared/api/interview';
import { apiRequest } from '../api';

/** The overview, an answer, an upload grant and the recording check: `shared/api/interview`. */
export type {
  AnswerView as Answer,
  InterviewOverview as Overview,
  UploadGrant as Grant,
  VerificationResponse as Verification,
} from '../../../shared/api/interview';

const post = <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body: body ?? {} });

/** The interview API, as the screens use it. */
export const interviewApi = {
  overview: (locale: string) =>
    apiRequest<InterviewOverview>(`/api/interview?locale=${encodeURIComponent(locale)}`),
  consent: (body: {
    noticeHash: string;
    locale: 'zh-CN' | 'en';
    videoProcessing: boolean;
    aiEvaluation: boolean;
    personOnly: boolean;
  }) => post<ConsentResponse>('/api/interview/consent', body),
  withdraw: () => post<WithdrawResponse>('/api/interview/consent/withdraw'),
  start: (body: { audioOnly?: boolean; recorderMime?: string }) =>
    post<StartResponse>('/api/interview/start', body),
  next: () => post<NextResponse>('/api/interview/next'),
  startAnswer: (id: number) => post<AnswerResponse>(`/api/interview/answers/${id}/start`),
  grant: (id: number, body: { contentType: string; bytes: number; resume?: boolean }) =>
    post<GrantResponse>(`/api/interview/answers/${id}/grant`, body),
  /** OSS mode: init / resume (after a drop) / complete a multipart upload of the attempt. */
  multipart: (
    id: number,
    body: { attempt: number; op: 'init' | 'resume' | 'complete'; bytes: number; uploadId?: string },
  ) => post<MultipartState>(`/api/interview/answers/${id}/multipart`, body),
  complete: (id: number, attempt: number) =>
    post<VerificationResponse>(`/api/interview/answers/${id}/complete`, { attempt }),
  retake: (id: number) => post<AnswerResponse>(`/api/interview/answers/${id}/retake`),
  accept: (id: number) => post<AnswerResponse>(`/api/interview/answers/${id}/accept`),
  text: (id: number, text: string) => post<AnswerResponse>(`/api/interview/answers/${id}/text`, { text }),
  submit: () => post<SubmitResponse>('/api/interview/submit'),
};
