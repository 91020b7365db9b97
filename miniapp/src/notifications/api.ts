import type {
  DeliveryFailure,
  FailuresResponse,
  InboxItem,
  InboxResponse,
} from '../../../shared/api/notifications';
import { apiRequest } from '../api';

/** The signed-in candidate's inbox. */
export function fetchInbox(): Promise<InboxResponse> {
  return apiRequest('/api/inbox');
}

/** Marks one inbox message read. */
export function markRead(id: number): Promise<InboxItem> {
  return apiRequest(`/api/inbox/${id}/read`, { method: 'POST' });
}

/** Messages that could not be delivered (HR). */
export function fetchFailures(): Promise<FailuresResponse> {
  return apiRequest('/api/notifications/failures?limit=100');
}

/** Queues a failed message again (HR). */
export function retryFailure(id: number): Promise<DeliveryFailure> {
  return apiRequest(`/api/notifications/failures/${id}/retry`, { method: 'POST' });
}
