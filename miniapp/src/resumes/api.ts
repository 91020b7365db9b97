import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AtsImportResponse,
  PoolOutcome,
  PoolResponse,
  PoolStage,
  PoolTagSuggestionsResponse,
  PoolTagsResponse,
  ResumeListResponse,
  ResumeResponse,
  ScreeningDecision,
  ScreeningDecisionResponse,
  ScreeningResponse,
} from '../../../shared/api/resumes';
import { apiRequest } from '../api';

/** Query keys of résumés. */
export const resumeKeys = {
  all: ['resumes'] as const,
  mine: () => [...resumeKeys.all, 'mine'] as const,
  screening: (jobId: number) => [...resumeKeys.all, 'screening', jobId] as const,
};

/** The candidate's résumés; polls while one is still being read. */
export const useMyResumes = () =>
  useQuery({
    queryKey: resumeKeys.mine(),
    queryFn: ({ signal }) => apiRequest<ResumeListResponse>('/api/resumes/mine', { signal }),
    refetchInterval: (q) => (q.state.data?.resumes.some((r) => r.status === 'pending') ? 2000 : false),
  });

/** Uploads the candidate's résumé (multipart: consent, job, then the file). */
export function useUploadResume() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { file: File; jobId: number | null }) => {
      const form = new FormData();
      form.append('consent', 'true');
      if (b.jobId) form.append('jobId', String(b.jobId));
      form.append('file', b.file, b.file.name);
      return apiRequest<ResumeResponse>('/api/resumes', { method: 'POST', body: form });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: resumeKeys.mine() }),
  });
}

/** The candidate's talent-pool consent for one résumé. */
export function usePoolConsent() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { id: number; keep: boolean }) =>
      apiRequest<ResumeResponse>(`/api/resumes/${b.id}/pool`, { method: 'POST', body: { keep: b.keep } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: resumeKeys.mine() }),
  });
}

/** A job's screening queue. */
export const useScreening = (jobId: number | null) =>
  useQuery({
    queryKey: resumeKeys.screening(jobId ?? 0),
    enabled: jobId !== null,
    queryFn: ({ signal }) =>
      apiRequest<ScreeningResponse>(`/api/resumes/jobs/${jobId}/screening`, { signal }),
    refetchInterval: (q) => ((q.state.data?.pending ?? 0) > 0 ? 3000 : false),
  });

/** HR's decision on one screened résumé. */
export function useDecide(jobId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { resumeId: number; decision: ScreeningDecision; feedback?: string }) =>
      apiRequest<ScreeningDecisionResponse>(`/api/resumes/jobs/${jobId}/decisions`, {
        method: 'POST',
        body: b,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: resumeKeys.screening(jobId) }),
  });
}

/** One résumé with its parsed profile (HR). */
export const useResume = (id: number | null) =>
  useQuery({
    queryKey: [...resumeKeys.all, 'one', id ?? 0],
    enabled: id !== null,
    queryFn: ({ signal }) => apiRequest<ResumeResponse>(`/api/resumes/${id}`, { signal }),
  });

/** HR corrects one field of a parsed profile. */
export function useCorrectField() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { id: number; path: string; value: string }) =>
      apiRequest<ResumeResponse>(`/api/resumes/${b.id}/profile`, {
        method: 'PATCH',
        body: { path: b.path, value: b.value },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: resumeKeys.all }),
  });
}

/**
 * Filters of the talent pool besides text: a past job, the stage reached (at least), an outcome,
 * and tags (an entry carrying any of them matches).
 */
export interface PoolFilters {
  jobId?: number;
  stage?: PoolStage;
  outcome?: PoolOutcome;
  tags?: string[];
}

/** Entries the pool tab asks for at a time (a phone screen shows three or four). */
export const POOL_PAGE_SIZE = 20;

/**
 * The talent pool, searched by text (skills and words of the résumé) and {@link PoolFilters},
 * in pages of {@link POOL_PAGE_SIZE}: each page asks for the entries after the last one shown.
 */
export const usePool = (q: string, f: PoolFilters = {}) =>
  useInfiniteQuery({
    queryKey: [
      ...resumeKeys.all,
      'pool',
      q,
      f.jobId ?? null,
      f.stage ?? null,
      f.outcome ?? null,
      f.tags ?? [],
    ],
    initialPageParam: null as number | null,
    queryFn: ({ signal, pageParam }) => {
      const s = new URLSearchParams({ q, limit: String(POOL_PAGE_SIZE) });
      if (f.jobId) s.set('jobId', String(f.jobId));
      if (f.stage) s.set('stage', f.stage);
      if (f.outcome) s.set('outcome', f.outcome);
      for (const tag of f.tags ?? []) s.append('tag', tag);
      if (pageParam) s.set('cursor', String(pageParam));
      return apiRequest<PoolResponse>(`/api/resumes/pool?${s}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor,
  });

/** The company's tags in use, most used first (the tag picker and the filter). */
export const usePoolTagSuggestions = (enabled: boolean) =>
  useQuery({
    queryKey: [...resumeKeys.all, 'pool-tags'],
    enabled,
    queryFn: ({ signal }) => apiRequest<PoolTagSuggestionsResponse>('/api/resumes/pool/tags', { signal }),
  });

/** HR adds and removes tags on a pool entry (any of its candidate records). */
export function useSetPoolTags() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { candidateId: number; add: string[]; remove: string[] }) =>
      apiRequest<PoolTagsResponse>(`/api/resumes/pool/${b.candidateId}/tags`, {
        method: 'POST',
        body: { add: b.add, remove: b.remove },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: resumeKeys.all }),
  });
}

/** Re-invites a pooled candidate to a job. */
export function usePoolInvite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { resumeId: number; jobId: number }) =>
      apiRequest<ScreeningDecisionResponse>('/api/resumes/pool/invite', { method: 'POST', body: b }),
    onSuccess: () => qc.invalidateQueries({ queryKey: resumeKeys.all }),
  });
}

/**
 * HR uploads a résumé for a candidate (e.g. one imported from DingTalk recruitment, whose API
 * gives no résumé file), for the job chosen when there is one.
 */
export function useHrUploadResume() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { candidateId: number; file: File; jobId: number | null }) => {
      const form = new FormData();
      if (b.jobId) form.append('jobId', String(b.jobId));
      form.append('file', b.file, b.file.name);
      return apiRequest<ResumeResponse>(`/api/resumes/candidates/${b.candidateId}`, {
        method: 'POST',
        body: form,
      });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: resumeKeys.all }),
  });
}

/** Imports candidates of DingTalk recruitment (钉钉招聘) by mobile. */
export function useAtsImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (mobiles: string[]) =>
      apiRequest<AtsImportResponse>('/api/resumes/ats/import', { method: 'POST', body: { mobiles } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: resumeKeys.all }),
  });
}
