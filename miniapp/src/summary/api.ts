import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SummaryReportResponse } from '../../../shared/api/summary';
import type { OfferTerms, StageResponse } from '../../../shared/api/workflow';
import { apiRequest } from '../api';

/** The summary report (面试总结报告) of one interview report. */
export const useSummaryReport = (reportId: number) =>
  useQuery({
    queryKey: ['summary', reportId] as const,
    queryFn: ({ signal }) =>
      apiRequest<SummaryReportResponse>(`/api/summary/reports/${reportId}`, { signal }),
  });

/**
 * HR starts the 录用 approval from the summary: the pipeline's `request_offer` decision (the
 * server fills the DingTalk form from this summary). Whatever the outcome, the summary reloads
 * (a 409 means someone moved the application or an approval is already open).
 */
export function useRequestOffer(reportId: number, applicationId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { version: number; offer: OfferTerms }) =>
      apiRequest<StageResponse>(`/api/applications/${applicationId}/decisions`, {
        method: 'POST',
        body: { action: 'request_offer', version: v.version, offer: v.offer },
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['summary', reportId] }),
  });
}
