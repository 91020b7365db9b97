import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CandidateFollowUpsResponse,
  CandidateFollowUpView,
  FollowUpRecordingResponse,
  PlanFollowUpsResponse,
  ReportFollowUpsResponse,
} from '../../../shared/api/followups';
import type { GrantResponse, MultipartState } from '../../../shared/api/interview';
import { apiRequest } from '../api';
import { baseType, uploadWithGrant } from '../interview/upload';

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
    // While a recording is transcribed, look again until its answer is in.
    refetchInterval: (q) => (q.state.data?.items.some((i) => i.recording === 'verified') ? 2000 : false),
  });

/**
 * Records-and-sends one follow-up answer: a grant, the upload (same routes as interview
 * answers), then the server's check, which hands it to transcription.
 */
export function useRecordFollowUp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (b: { id: number; blob: Blob; mime: string; onProgress: (f: number) => void }) => {
      const { grant } = await apiRequest<GrantResponse>(`/api/followups/${b.id}/recording`, {
        method: 'POST',
        body: { contentType: baseType(b.mime), bytes: b.blob.size },
      });
      // OSS: a long recording goes up part by part and resumes after a drop, as interview answers do.
      await uploadWithGrant(
        grant,
        b.blob,
        (f) => b.onProgress(f),
        (step) =>
          apiRequest<MultipartState>(`/api/followups/${b.id}/recording/multipart`, {
            method: 'POST',
            body: step,
          }),
      );
      return apiRequest<FollowUpRecordingResponse>(`/api/followups/${b.id}/recording/complete`, {
        method: 'POST',
      });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: followUpKeys.mine }),
  });
}

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
