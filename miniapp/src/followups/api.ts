import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CandidateFollowUpsResponse,
  CandidateFollowUpView,
  FollowUpRecordingResponse,
  FollowUpRecordingStatus,
  PlanFollowUpsResponse,
  ReportFollowUpsResponse,
} from '../../../shared/api/followups';
import type { GrantResponse, MultipartState } from '../../../shared/api/interview';
import { verdictPollDelayMs } from '../../../shared/api/interview';
import { apiRequest } from '../api';
import { baseType, uploadWithGrant } from '../interview/upload';

/** Query keys of follow-up questions. */
export const followUpKeys = {
  mine: ['followups', 'mine'] as const,
  recording: (id: number) => ['followups', 'recording', id] as const,
  report: (reportId: number) => ['followups', 'report', reportId] as const,
};

/** The signed-in candidate's follow-up questions (read again when a recording's status moves on). */
export const useMyFollowUps = () =>
  useQuery({
    queryKey: followUpKeys.mine,
    queryFn: ({ signal }) => apiRequest<CandidateFollowUpsResponse>('/api/followups', { signal }),
  });

/** How often a card asks whether its recording was checked and transcribed (ms). */
const TRANSCRIBE_POLL_MS = 2000;

const recordingStatus = (id: number, signal?: AbortSignal) =>
  apiRequest<FollowUpRecordingStatus>(`/api/followups/${id}/recording`, { signal });

/** Whether a recording's status still moves on by itself (the worker checks or transcribes it). */
const inProgress = (s: FollowUpRecordingStatus['status'] | undefined) =>
  s === undefined || s === 'checking' || s === 'verified';

/**
 * Polls the small status row of follow-up `id`'s recording while it is checked and transcribed
 * (`active`), instead of the whole list; once it moved on (answered, or failed) the list is read
 * again, once.
 */
export function useFollowUpRecording(id: number, active: boolean) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: followUpKeys.recording(id),
    queryFn: async ({ signal }) => {
      const r = await recordingStatus(id, signal);
      if (!inProgress(r.status)) void qc.invalidateQueries({ queryKey: followUpKeys.mine, exact: true });
      return r;
    },
    enabled: active,
    refetchInterval: (q) => (inProgress(q.state.data?.status) ? TRANSCRIBE_POLL_MS : false),
    gcTime: 0,
  });
}

/** Consecutive failed polls of a check's verdict before the send is reported failed. */
const POLL_RETRIES = 5;

/**
 * Records-and-sends one follow-up answer: a grant, the upload (same routes as interview
 * answers), then `complete` (202) and polls of the small status row (quick, then backing off:
 * `verdictPollDelayMs`) until the worker's media check is in, which hands it to transcription.
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
      let r: FollowUpRecordingStatus = await apiRequest<FollowUpRecordingResponse>(
        `/api/followups/${b.id}/recording/complete`,
        { method: 'POST' },
      );
      // A dropped poll is asked again (the check goes on in the worker either way).
      for (let failed = 0, polls = 0; r.status === 'checking'; polls++) {
        await new Promise((done) => setTimeout(done, verdictPollDelayMs(polls)));
        try {
          r = await recordingStatus(b.id);
          failed = 0;
        } catch (err) {
          if (++failed >= POLL_RETRIES) throw err;
        }
      }
      return r;
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
