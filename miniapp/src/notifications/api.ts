import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DeliveryFailure,
  FailuresResponse,
  InboxItem,
  InboxResponse,
} from '../../../shared/api/notifications';
import { apiRequest } from '../api';

/** Query keys of this feature (one root, so a change can invalidate all of it). */
export const notificationKeys = {
  all: ['notifications'] as const,
  inbox: () => [...notificationKeys.all, 'inbox'] as const,
  failures: () => [...notificationKeys.all, 'failures'] as const,
};

/** The signed-in candidate's inbox. */
export function fetchInbox(signal?: AbortSignal): Promise<InboxResponse> {
  return apiRequest('/api/inbox', { signal });
}

/** Marks one inbox message read. */
export function markRead(id: number): Promise<InboxItem> {
  return apiRequest(`/api/inbox/${id}/read`, { method: 'POST' });
}

/** Messages that could not be delivered (HR). */
export function fetchFailures(signal?: AbortSignal): Promise<FailuresResponse> {
  return apiRequest('/api/notifications/failures?limit=100', { signal });
}

/** Queues a failed message again (HR). */
export function retryFailure(id: number): Promise<DeliveryFailure> {
  return apiRequest(`/api/notifications/failures/${id}/retry`, { method: 'POST' });
}

/** The inbox and its unread count. */
export const useInbox = () =>
  useQuery({ queryKey: notificationKeys.inbox(), queryFn: ({ signal }) => fetchInbox(signal) });

/**
 * Marks a message read. The answer is the message as stored now, so the cached inbox takes it
 * (and one unread fewer) instead of reading the whole inbox again.
 */
export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: markRead,
    onSuccess: (item) =>
      qc.setQueryData<InboxResponse>(notificationKeys.inbox(), (d) => {
        if (!d) return d;
        const items = d.items.map((x) => (x.id === item.id ? item : x));
        return { items, unread: items.filter((x) => !x.read).length };
      }),
  });
}

/** Undeliverable messages (HR). */
export const useFailures = () =>
  useQuery({ queryKey: notificationKeys.failures(), queryFn: ({ signal }) => fetchFailures(signal) });

/**
 * Queues a failed message again. It is no longer a failure, so it leaves the cached list (the
 * server answered with the re-queued row; no need to read the list again).
 */
export function useRetryFailure() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: retryFailure,
    onSuccess: (row) =>
      qc.setQueryData<FailuresResponse>(notificationKeys.failures(), (d) =>
        d ? { total: Math.max(0, d.total - 1), items: d.items.filter((x) => x.id !== row.id) } : d,
      ),
  });
}
