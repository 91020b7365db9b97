import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { DeletionRequestResponse } from '../../../shared/api/privacy';
import type {
  ApplicationBase,
  ApplicationDetail,
  ApplicationResponse,
  DecisionBody,
  MyApplicationsResponse,
  PipelineBoardResponse,
  PipelineJobsResponse,
  StageResponse,
} from '../../../shared/api/workflow';
import { apiRequest } from '../api';
import { qualityKeys } from '../quality/api';

/** Jobs, cards, approvals, stage changes and applications: `shared/api/workflow`. */
export type {
  ApprovalView,
  MyApplicationView as MyApplication,
  PipelineCard,
  PipelineJob,
  StageChange,
} from '../../../shared/api/workflow';

/**
 * An application as its screen reads it: the review, approvals and history are absent from a
 * candidate's own view (`ApplicationBase`), present for employees (`ApplicationDetail`).
 */
export type ApplicationScreen = ApplicationBase & Partial<Omit<ApplicationDetail, keyof ApplicationBase>>;

/** Query keys of the pipeline feature. */
export const pipelineKeys = {
  all: ['pipeline'] as const,
  jobs: () => [...pipelineKeys.all, 'jobs'] as const,
  board: (jobId: number, filter: Record<string, string>) =>
    [...pipelineKeys.all, 'board', jobId, filter] as const,
  application: (id: number) => [...pipelineKeys.all, 'application', id] as const,
  mine: () => [...pipelineKeys.all, 'mine'] as const,
};

export const fetchJobs = (signal?: AbortSignal) =>
  apiRequest<PipelineJobsResponse>('/api/pipeline/jobs', { signal });
export const fetchBoard = (jobId: number, q: Record<string, string>, offset: number, signal?: AbortSignal) =>
  apiRequest<PipelineBoardResponse>(
    `/api/pipeline/jobs/${jobId}?${new URLSearchParams({ ...q, offset: String(offset) })}`,
    { signal },
  );
export const fetchApplication = (id: number, signal?: AbortSignal) =>
  apiRequest<ApplicationResponse>(`/api/applications/${id}`, { signal });
export const postDecision = (id: number, body: DecisionBody) =>
  apiRequest<StageResponse>(`/api/applications/${id}/decisions`, { method: 'POST', body });
export const fetchMyApplications = (signal?: AbortSignal) =>
  apiRequest<MyApplicationsResponse>('/api/my/applications', { signal });
export const answerOffer = (id: number, answer: 'accept' | 'decline', version: number) =>
  apiRequest<StageResponse>(`/api/applications/${id}/offer-answer`, {
    method: 'POST',
    body: { answer, version },
  });
/** HR files a deletion request for a candidate who asked outside the app. */
export const fileDeletionRequest = (candidateId: number, reason: string) =>
  apiRequest<DeletionRequestResponse>(`/api/candidates/${candidateId}/deletion-request`, {
    method: 'POST',
    body: { confirm: true, reason },
  });

/** Jobs with counts per stage (HR, managers). */
export const usePipelineJobs = () =>
  useQuery({ queryKey: pipelineKeys.jobs(), queryFn: ({ signal }) => fetchJobs(signal) });

/**
 * One job's board, a page at a time (the server pages it; "more" loads the next page). A new
 * filter keeps the previous board on screen until it loads.
 */
export const useBoard = (jobId: number, filter: Record<string, string>) =>
  useInfiniteQuery({
    queryKey: pipelineKeys.board(jobId, filter),
    queryFn: ({ signal, pageParam }) => fetchBoard(jobId, filter, pageParam, signal),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextOffset ?? undefined,
    placeholderData: keepPreviousData,
  });

/** One application. */
export const useApplication = (id: number) =>
  useQuery({ queryKey: pipelineKeys.application(id), queryFn: ({ signal }) => fetchApplication(id, signal) });

/**
 * A decision on an application. Whatever the outcome (a conflict means somebody else moved it),
 * the application, boards and counts reload.
 */
export function useDecision(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DecisionBody) => postDecision(id, body),
    onSettled: () => qc.invalidateQueries({ queryKey: pipelineKeys.all }),
  });
}

/** Files a deletion request (HR); HR's list of requests reloads. */
export function useFileDeletionRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { candidateId: number; reason: string }) => fileDeletionRequest(v.candidateId, v.reason),
    onSuccess: () => qc.invalidateQueries({ queryKey: qualityKeys.deletionRequests() }),
  });
}

/** The candidate's own applications (offers). */
export const useMyApplications = () =>
  useQuery({ queryKey: pipelineKeys.mine(), queryFn: ({ signal }) => fetchMyApplications(signal) });

/** The candidate answers an offer; their applications reload whatever the outcome. */
export function useAnswerOffer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; answer: 'accept' | 'decline'; version: number }) =>
      answerOffer(v.id, v.answer, v.version),
    onSettled: () => qc.invalidateQueries({ queryKey: pipelineKeys.mine() }),
  });
}
