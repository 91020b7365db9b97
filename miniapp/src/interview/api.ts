import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type {
  AnswerResponse,
  AttemptPollResponse,
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
import { VERDICT_WAIT_MS, verdictPollDelayMs } from '../../../shared/api/interview';
import type { PlanListResponse, PlanResponse } from '../../../shared/api/interviewPlans';
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
  overview: (locale: string, signal?: AbortSignal) =>
    apiRequest<InterviewOverview>(`/api/interview?locale=${encodeURIComponent(locale)}`, { signal }),
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
  /** Reports the upload done; the answer is `checking` (202) until a worker's verdict. */
  complete: (id: number, attempt: number) =>
    post<VerificationResponse>(`/api/interview/answers/${id}/complete`, { attempt }),
  /** The check's verdict on one attempt (a bare `checking` while the worker runs it). */
  /** Held by the server while the worker checks, up to `VERDICT_WAIT_MS` (answers at the verdict). */
  verdict: (id: number, attempt: number, signal?: AbortSignal) =>
    apiRequest<AttemptPollResponse>(
      `/api/interview/answers/${id}/attempts/${attempt}?wait=${VERDICT_WAIT_MS}`,
      { signal },
    ),
  retake: (id: number) => post<AnswerResponse>(`/api/interview/answers/${id}/retake`),
  accept: (id: number) => post<AnswerResponse>(`/api/interview/answers/${id}/accept`),
  text: (id: number, text: string) => post<AnswerResponse>(`/api/interview/answers/${id}/text`, { text }),
  submit: () => post<SubmitResponse>('/api/interview/submit'),
};

/** Query keys of the interview feature. */
export const interviewKeys = {
  all: ['interview'] as const,
  overview: (locale: string) => [...interviewKeys.all, 'overview', locale] as const,
  plans: () => [...interviewKeys.all, 'plans'] as const,
  plan: (jobId: number) => [...interviewKeys.all, 'plan', jobId] as const,
  verdict: (answerId: number, attempt: number) =>
    [...interviewKeys.all, 'verdict', answerId, attempt] as const,
};

/**
 * Polls the verdict of `attempt` of answer `answerId` until the media check is done (the
 * worker runs ffmpeg, usually well under a second when idle); `attempt` null: nothing to poll.
 * Each poll is held by the server until the verdict is in (or about 8 s), so the screen learns
 * it within a quarter second and asks once or twice per recording.
 */
export const useAttemptVerdict = (answerId: number, attempt: number | null) =>
  useQuery({
    queryKey: interviewKeys.verdict(answerId, attempt ?? 0),
    queryFn: ({ signal }) => interviewApi.verdict(answerId, attempt ?? 0, signal),
    enabled: attempt !== null,
    // Quick at first, then backing off while a busy worker checks (verdictPollDelayMs).
    refetchInterval: (q) =>
      q.state.data?.status === 'checking' ? verdictPollDelayMs(q.state.dataUpdateCount) : false,
    // A dropped poll is asked again at the next interval rather than failing the screen.
    retry: true,
    retryDelay: (failures) => verdictPollDelayMs(failures),
    gcTime: 0,
  });

/** The overview's query (key and read), for the hook and for loading it before a screen renders. */
export const overviewQuery = (locale: string) => ({
  queryKey: interviewKeys.overview(locale),
  queryFn: ({ signal }: { signal?: AbortSignal }) => interviewApi.overview(locale, signal),
});

/** The candidate's interview overview (notice in `locale`, consent, session progress). */
export const useInterviewOverview = (locale: string) => useQuery(overviewQuery(locale));

/**
 * Marks the overview stale after a step of the interview (consent, start, an answer, submit,
 * withdraw), so the start page shows the server's progress when the candidate comes back.
 */
export function useInvalidateInterview() {
  const qc = useQueryClient();
  // Stable, so the interview's step callbacks keep their identity across renders.
  return useCallback(() => void qc.invalidateQueries({ queryKey: interviewKeys.all }), [qc]);
}

/** HR: every job with its number of questions. */
export const usePlanList = () =>
  useQuery({
    queryKey: interviewKeys.plans(),
    queryFn: ({ signal }) => apiRequest<PlanListResponse>('/api/interview-plans', { signal }),
  });

/** HR: one job's plan and questions. */
export const usePlan = (jobId: number) =>
  useQuery({
    queryKey: interviewKeys.plan(jobId),
    queryFn: ({ signal }) => apiRequest<PlanResponse>(`/api/interview-plans/${jobId}`, { signal }),
  });

/** HR saves a job's questions; the plan and the job list (question counts) reload. */
export function useSaveQuestions(jobId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { questions: unknown[] }) =>
      apiRequest<PlanResponse>(`/api/interview-plans/${jobId}/questions`, { method: 'PUT', body }),
    onSuccess: (plan) => {
      qc.setQueryData(interviewKeys.plan(jobId), plan);
      return qc.invalidateQueries({ queryKey: interviewKeys.plans() });
    },
  });
}
