import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  LiveRoundListResponse,
  OutlineResponse,
  ScorecardBody,
  ScorecardResponse,
  ScorecardsResponse,
} from '../../../shared/api/liveround';
import { apiRequest } from '../api';

/** Query keys of live rounds. */
export const liveRoundKeys = {
  list: ['liveround', 'list'] as const,
  outline: (id: number) => ['liveround', id, 'outline'] as const,
  mine: (id: number) => ['liveround', id, 'scorecard'] as const,
  all: (id: number) => ['liveround', id, 'scorecards'] as const,
};

/** Live rounds the signed-in employee interviews, manages or (HR) all. */
export const useLiveRounds = () =>
  useQuery({
    queryKey: liveRoundKeys.list,
    queryFn: ({ signal }) => apiRequest<LiveRoundListResponse>('/api/liveround', { signal }),
  });

/** The interview outline (面试提纲) of one live round. */
export const useOutline = (bookingId: number) =>
  useQuery({
    queryKey: liveRoundKeys.outline(bookingId),
    queryFn: ({ signal }) => apiRequest<OutlineResponse>(`/api/liveround/${bookingId}/outline`, { signal }),
  });

/** The signed-in rater's own scorecard (403 for people who do not rate this round). */
export const useMyScorecard = (bookingId: number) =>
  useQuery({
    queryKey: liveRoundKeys.mine(bookingId),
    queryFn: ({ signal }) =>
      apiRequest<ScorecardResponse>(`/api/liveround/${bookingId}/scorecard`, { signal }),
  });

/** Every rater's scorecard (HR and the job's hiring manager; 403 for others). */
export const useAllScorecards = (bookingId: number) =>
  useQuery({
    queryKey: liveRoundKeys.all(bookingId),
    queryFn: ({ signal }) =>
      apiRequest<ScorecardsResponse>(`/api/liveround/${bookingId}/scorecards`, { signal }),
  });

/** Saves the scorecard (a draft, or an audited edit after submission), then submits it when asked. */
export function useSaveScorecard(bookingId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (b: { body: ScorecardBody; submit: boolean }) => {
      let r = await apiRequest<ScorecardResponse>(`/api/liveround/${bookingId}/scorecard`, {
        method: 'PUT',
        body: b.body,
      });
      if (b.submit)
        r = await apiRequest<ScorecardResponse>(`/api/liveround/${bookingId}/scorecard/submit`, {
          method: 'POST',
        });
      return r;
    },
    onSuccess: (r) => {
      qc.setQueryData(liveRoundKeys.mine(bookingId), r);
      void qc.invalidateQueries({ queryKey: liveRoundKeys.all(bookingId) });
      void qc.invalidateQueries({ queryKey: liveRoundKeys.list });
    },
  });
}
