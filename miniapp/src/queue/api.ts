import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AccommodationRequestBody,
  AccommodationRequestResponse,
  MyAccommodationRequestsResponse,
} from '../../../shared/api/accommodations';
import type { CloseQueueItemResponse, QueueKind, QueueResponse } from '../../../shared/api/queue';
import type { ApprovalResponse } from '../../../shared/api/workflow';
import { apiRequest } from '../api';

/** Query keys of the queue and of accommodation requests. */
export const queueKeys = {
  all: ['queue'] as const,
  page: (kind: QueueKind | '', offset: number) => [...queueKeys.all, kind, offset] as const,
  myAccommodations: () => ['accommodations', 'mine'] as const,
};

/** Page size of the queue. */
export const QUEUE_PAGE = 20;

/** One page of the queue, with counts. */
export const useQueue = (kind: QueueKind | '', offset: number) =>
  useQuery({
    queryKey: queueKeys.page(kind, offset),
    queryFn: ({ signal }) => {
      const p = new URLSearchParams({ limit: String(QUEUE_PAGE), offset: String(offset) });
      if (kind) p.set('kind', kind);
      return apiRequest<QueueResponse>(`/api/queue?${p}`, { signal });
    },
    placeholderData: keepPreviousData,
  });

/** Closes an item with a note (the answer, for a candidate's request). */
export function useCloseItem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { key: string; note: string }) =>
      apiRequest<CloseQueueItemResponse>('/api/queue/close', { method: 'POST', body: b }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queueKeys.all }),
  });
}

/** Grants or declines an accommodation request. */
export function useDecideAccommodation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { id: number; decision: 'grant' | 'decline'; note: string }) =>
      apiRequest<AccommodationRequestResponse>(`/api/accommodation-requests/${b.id}/decision`, {
        method: 'POST',
        body: { decision: b.decision, note: b.note },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queueKeys.all }),
  });
}

/** Sends an accommodation request to a DingTalk approval (便利安排审批). */
export function useAccommodationApproval() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      apiRequest<ApprovalResponse>(`/api/accommodation-requests/${id}/approval`, { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queueKeys.all }),
  });
}

/** Queues a failed message again. */
export function useRetryMessage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiRequest(`/api/notifications/failures/${id}/retry`, { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queueKeys.all }),
  });
}

/** The candidate's own accommodation requests. */
export const useMyAccommodations = () =>
  useQuery({
    queryKey: queueKeys.myAccommodations(),
    queryFn: ({ signal }) =>
      apiRequest<MyAccommodationRequestsResponse>('/api/my/accommodation-requests', { signal }),
  });

/** The candidate asks for an accommodation. */
export function useRequestAccommodation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AccommodationRequestBody) =>
      apiRequest<AccommodationRequestResponse>('/api/my/accommodation-requests', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queueKeys.myAccommodations() }),
  });
}
