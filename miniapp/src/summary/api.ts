import { useQuery } from '@tanstack/react-query';
import type { SummaryReportResponse } from '../../../shared/api/summary';
import { apiRequest } from '../api';

/** The summary report (面试总结报告) of one interview report. */
export const useSummaryReport = (reportId: number) =>
  useQuery({
    queryKey: ['summary', reportId] as const,
    queryFn: ({ signal }) =>
      apiRequest<SummaryReportResponse>(`/api/summary/reports/${reportId}`, { signal }),
  });
