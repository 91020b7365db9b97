import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CandidateFollowUpsResponse,
  CandidateFollowUpView,
  PlanFollowUpsResponse,
  ReportFollowUpsResponse,
} from '../../../shared/api/followups';
import { apiRequest } from '../api';

/** Query keys of follow-up questions. */
export const followUpKeys = {
  mine: ['followups', 'mine'] as const,
  report: (reportId: number) => ['followups', 'report', reportId] as const,
};

/** The signed-in candidate's follow-up questions. */
export const useMyFollowUps = () =>
  useQuery({
    queryKey: followUpKeys.mine,
    queryFn: ({ signal }) => apiRequest<CandidateFollowUpsResponse>('/api/followups', { signal }),
  });

/** Answers one follow-up. */
export function useAnswerFollowUp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { id: number; text: string }) =>
      apiRequest<{ followUp: CandidateFollowUpView }>(`/api/followups/${b.id}/answer`, {
        method: 'POST',
        body: { text: b.text },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: followUpKeys.mine }),
  });
}

/** A report's questions with their follow-ups (reviewers). */
export const useReportFollowUps = (reportId: number) =>
  useQuery({
    queryKey: followUpKeys.report(reportId),
    queryFn: ({ signal }) =>
      apiRequest<ReportFollowUpsResponse>(`/api/followups/reports/${reportId}`, { signal }),
  });

/** Whether a job's plan asks follow-up questions (HR). */
export const usePlanFollowUps = (jobId: number) =>
  useQuery({
    queryKey: ['followups', 'plan', jobId] as const,
    queryFn: ({ signal }) => apiRequest<PlanFollowUpsResponse>(`/api/followups/plans/${jobId}`, { signal }),
  });

/** Switches follow-up questions on or off for a job's plan (HR). */
export function useSetPlanFollowUps(jobId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (enabled: boolean) =>
      apiRequest<PlanFollowUpsResponse>(`/api/followups/plans/${jobId}`, {
        method: 'PUT',
        body: { enabled },
      }),
    onSuccess: (r) => qc.setQueryData(['followups', 'plan', jobId], r),
  });
}
