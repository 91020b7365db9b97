import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BulkInviteBody,
  BulkInviteResponse,
  CandidateInvitationsResponse,
  CandidateListResponse,
  CandidateProfileResponse,
  CandidateSource,
  CreateCandidateBody,
  CreateCandidateResponse,
  ImportResponse,
  InvitationView,
  InviteChannel,
} from '../../../shared/api/candidates';
import type { PipelineJobsResponse } from '../../../shared/api/workflow';
import { apiRequest } from '../api';

/** Query keys of this feature (one root, so a change can invalidate all of it). */
export const candidateKeys = {
  all: ['candidates'] as const,
  list: (q: string, source: CandidateSource | '', offset: number) =>
    [...candidateKeys.all, 'list', q, source, offset] as const,
  invitations: (id: number) => [...candidateKeys.all, 'invitations', id] as const,
  one: (id: number) => [...candidateKeys.all, 'one', id] as const,
  profile: (id: number) => [...candidateKeys.all, 'profile', id] as const,
  jobs: () => [...candidateKeys.all, 'jobs'] as const,
};

/** Page size of the list. */
export const PAGE = 20;

/** One page of the candidate list (search, source filter). */
export const useCandidates = (q: string, source: CandidateSource | '', offset: number) =>
  useQuery({
    queryKey: candidateKeys.list(q, source, offset),
    queryFn: ({ signal }) => {
      const p = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
      if (q) p.set('q', q);
      if (source) p.set('source', source);
      return apiRequest<CandidateListResponse>(`/api/candidates?${p}`, { signal });
    },
    placeholderData: keepPreviousData,
  });

/** One candidate (detail header). */
export const useCandidate = (id: number) =>
  useQuery({
    queryKey: candidateKeys.one(id),
    queryFn: ({ signal }) =>
      apiRequest<{ candidate: { id: number; name: string; mobile: string | null; email: string | null } }>(
        `/api/candidates/${id}`,
        { signal },
      ),
  });

/** The hiring team's profile of a candidate (403 `candidate_profile_forbidden` for others). */
export const useCandidateProfile = (id: number) =>
  useQuery({
    queryKey: candidateKeys.profile(id),
    queryFn: ({ signal }) =>
      apiRequest<CandidateProfileResponse>(`/api/candidates/${id}/profile`, { signal }),
  });

/** A candidate's invitations with fresh links. */
export const useInvitations = (id: number) =>
  useQuery({
    queryKey: candidateKeys.invitations(id),
    queryFn: ({ signal }) =>
      apiRequest<CandidateInvitationsResponse>(`/api/candidates/${id}/invitations`, { signal }),
  });

/** Jobs HR can invite to (open ones). */
export const useOpenJobs = () =>
  useQuery({
    queryKey: candidateKeys.jobs(),
    queryFn: ({ signal }) => apiRequest<PipelineJobsResponse>('/api/pipeline/jobs', { signal }),
    select: (d) => d.items.filter((j) => j.status === 'open'),
  });

/** Adds a candidate (or merges into the existing one). */
export function useCreateCandidate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCandidateBody) =>
      apiRequest<CreateCandidateResponse>('/api/candidates', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: candidateKeys.all }),
  });
}

/** Reads a picked file as base64 (the API takes JSON only). */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

/** Uploads a file for preview (nothing is imported yet). */
export const usePreviewImport = () =>
  useMutation({
    mutationFn: async (file: File) =>
      apiRequest<ImportResponse>('/api/candidates/imports', {
        method: 'POST',
        body: { fileName: file.name, contentBase64: await fileToBase64(file) },
      }),
  });

/** Imports the previewed rows (all or none). */
export function useConfirmImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      apiRequest<ImportResponse>(`/api/candidates/imports/${id}/confirm`, { method: 'POST', body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: candidateKeys.all }),
  });
}

/** Invites candidates (a list or an import) to a job. */
export function useBulkInvite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: BulkInviteBody) =>
      apiRequest<BulkInviteResponse>('/api/invitations/bulk', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: candidateKeys.all }),
  });
}

/** Resends (a fresh link; with `dingtalk` a new message) or revokes one invitation. */
export function useInvitationAction(candidateId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { id: number; action: 'resend' | 'revoke'; channel?: InviteChannel }) =>
      apiRequest<{ invitation: InvitationView }>(`/api/invitations/${a.id}/${a.action}`, {
        method: 'POST',
        body: a.action === 'resend' ? { channel: a.channel ?? 'link' } : {},
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: candidateKeys.invitations(candidateId) }),
  });
}

/** Copies text; falls back to a hidden text area where the clipboard API is missing (old WebViews). */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}
