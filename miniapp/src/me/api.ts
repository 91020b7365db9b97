import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DemographicAnswers, DemographicsResponse } from '../../../shared/api/demographics';
import type { DeletionRequestResponse, MyDeletionRequestResponse } from '../../../shared/api/privacy';
import { apiRequest } from '../api';

/** Query keys of the candidate's own privacy settings. */
export const meKeys = {
  all: ['me'] as const,
  demographics: () => [...meKeys.all, 'demographics'] as const,
  deletionRequest: () => [...meKeys.all, 'deletion-request'] as const,
};

/** The candidate's optional self-identification. */
export const useDemographics = () =>
  useQuery({
    queryKey: meKeys.demographics(),
    queryFn: ({ signal }) => apiRequest<DemographicsResponse>('/api/me/demographics', { signal }),
  });

/** Saves the self-identification (`null` = not given); the stored answers replace the cached ones. */
export function useSaveDemographics() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<Record<keyof DemographicAnswers, string | null>>) =>
      apiRequest<DemographicsResponse>('/api/me/demographics', { method: 'PUT', body }),
    onSuccess: (r) => qc.setQueryData(meKeys.demographics(), r),
  });
}

/** Deletes the self-identification. */
export function useClearDemographics() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<void>('/api/me/demographics', { method: 'DELETE' }),
    onSuccess: () => qc.setQueryData<DemographicsResponse>(meKeys.demographics(), { demographics: {} }),
  });
}

/** The candidate's latest deletion request (null: never asked). */
export const useMyDeletionRequest = () =>
  useQuery({
    queryKey: meKeys.deletionRequest(),
    queryFn: ({ signal }) => apiRequest<MyDeletionRequestResponse>('/api/me/deletion-request', { signal }),
  });

/** Asks for all the candidate's data to be deleted; the request is shown from then on. */
export function useRequestDeletion() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiRequest<DeletionRequestResponse>('/api/me/deletion-request', {
        method: 'POST',
        body: { confirm: true },
      }),
    onSuccess: (r) => qc.setQueryData<MyDeletionRequestResponse>(meKeys.deletionRequest(), r),
  });
}
