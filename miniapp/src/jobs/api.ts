import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PlanResponse } from '../../../shared/api/interviewPlans';
import type {
  AssignReviewersBody,
  AssignReviewersResponse,
  BankListResponse,
  BankQuestionBody,
  CompetencyListResponse,
  CompetencyView,
  CreateJobBody,
  JobFormOptionsResponse,
  JobInterviewersResponse,
  JobListResponse,
  JobResponse,
  JobStateView,
  PlanFromBankBody,
} from '../../../shared/api/jobs';
import type {
  ApproveDraftResponse,
  DraftListResponse,
  DraftResponse,
  DraftStatus,
  EditDraftBody,
  GenerateDraftsBody,
  GenerateDraftsResponse,
} from '../../../shared/api/questionDrafts';
import { apiRequest } from '../api';

/** Query keys of HR's job set-up. */
export const jobKeys = {
  all: ['jobs'] as const,
  list: (q: string, status: string) => [...jobKeys.all, 'list', q, status] as const,
  one: (id: number) => [...jobKeys.all, 'one', id] as const,
  options: () => [...jobKeys.all, 'options'] as const,
  bank: (q: string) => [...jobKeys.all, 'bank', q] as const,
  competencies: () => [...jobKeys.all, 'competencies'] as const,
  plan: (jobId: number) => [...jobKeys.all, 'plan', jobId] as const,
  rules: (jobId: number) => [...jobKeys.all, 'rules', jobId] as const,
  pool: (jobId: number) => [...jobKeys.all, 'pool', jobId] as const,
  drafts: (jobId: number) => [...jobKeys.all, 'drafts', jobId] as const,
};

/** Jobs, filtered by title text and state. */
export const useJobs = (q: string, status: JobStateView | '') =>
  useQuery({
    queryKey: jobKeys.list(q, status),
    queryFn: ({ signal }) => {
      const s = new URLSearchParams({ limit: '100' });
      if (q) s.set('q', q);
      if (status) s.set('status', status);
      return apiRequest<JobListResponse>(`/api/jobs?${s}`, { signal });
    },
  });

/** One job (the edit form). */
export const useJob = (id: number | null) =>
  useQuery({
    queryKey: jobKeys.one(id ?? 0),
    enabled: id !== null,
    queryFn: ({ signal }) => apiRequest<JobResponse>(`/api/jobs/${id}`, { signal }),
  });

/** Departments and employees the forms pick from. */
export const useFormOptions = () =>
  useQuery({
    queryKey: jobKeys.options(),
    queryFn: ({ signal }) => apiRequest<JobFormOptionsResponse>('/api/jobs/form-options', { signal }),
  });

/** Creates a job (no id) or saves an edit (id + version); the lists reload. */
export function useSaveJob(id: number | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateJobBody & { version?: number }) =>
      id === null
        ? apiRequest<JobResponse>('/api/jobs', { method: 'POST', body })
        : apiRequest<JobResponse>(`/api/jobs/${id}`, { method: 'PUT', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: jobKeys.all }),
  });
}

/** Opens, pauses or closes a job (with the version shown). */
export function useSetJobStatus() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (p: { id: number; status: JobStateView; version: number }) =>
      apiRequest<JobResponse>(`/api/jobs/${p.id}/status`, {
        method: 'POST',
        body: { status: p.status, version: p.version },
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: jobKeys.all }),
  });
}

/** The bank's latest questions matching `q`. */
export const useBank = (q: string) =>
  useQuery({
    queryKey: jobKeys.bank(q),
    queryFn: ({ signal }) =>
      apiRequest<BankListResponse>(`/api/question-bank${q ? `?q=${encodeURIComponent(q)}` : ''}`, { signal }),
  });

/** The competency library (latest versions). */
export const useCompetencies = () =>
  useQuery({
    queryKey: jobKeys.competencies(),
    queryFn: ({ signal }) => apiRequest<CompetencyListResponse>('/api/competencies', { signal }),
  });

/** Saves a competency: a new one, or a new version of the one with that name (scoring reads the latest). */
export function useSaveCompetency() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      name: string;
      description: string;
      indicatorsZh: string[];
      indicatorsEn: string[];
    }) => apiRequest<{ competency: CompetencyView }>('/api/competencies', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: jobKeys.competencies() }),
  });
}

/** Adds a bank question (no id) or a new version of question `id`. */
export function useSaveBankQuestion() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (p: { id: number | null; body: Partial<BankQuestionBody> }) =>
      p.id === null
        ? apiRequest('/api/question-bank', { method: 'POST', body: p.body })
        : apiRequest(`/api/question-bank/${p.id}`, { method: 'PUT', body: p.body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...jobKeys.all, 'bank'] }),
  });
}

/** A job's current plan (questions). */
export const useJobPlan = (jobId: number) =>
  useQuery({
    queryKey: jobKeys.plan(jobId),
    queryFn: ({ signal }) => apiRequest<PlanResponse>(`/api/interview-plans/${jobId}`, { signal }),
  });

/** Saves the plan built from the bank. */
export function useSavePlanFromBank(jobId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PlanFromBankBody) =>
      apiRequest<PlanResponse>(`/api/interview-plans/${jobId}/from-bank`, { method: 'PUT', body }),
    onSuccess: (plan) => {
      qc.setQueryData(jobKeys.plan(jobId), plan);
      // The plan editor and plan list of the interview screens read the same plan.
      return qc.invalidateQueries({ queryKey: ['interview'] });
    },
  });
}

/** The rules of a job as the editor shows them. */
export interface RulesView {
  passThreshold: number;
  rejectThreshold: number;
  approverUserIds: string[];
  approvalMode: 'AND' | 'OR';
  ccUserIds: string[];
  hiringGroupConversationId: string | null;
}

/** A job's approval rules. */
export const useJobRules = (jobId: number) =>
  useQuery({
    queryKey: jobKeys.rules(jobId),
    queryFn: ({ signal }) => apiRequest<{ rules: RulesView }>(`/api/jobs/${jobId}/rules`, { signal }),
  });

/** Saves a job's approval rules. */
export function useSaveJobRules(jobId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Omit<RulesView, 'hiringGroupConversationId'>) =>
      apiRequest<{ rules: RulesView }>(`/api/jobs/${jobId}/rules`, { method: 'PUT', body }),
    onSuccess: (r) => qc.setQueryData(jobKeys.rules(jobId), r),
  });
}

/** A job's interviewer pool (reviewer round-robin). */
export const useJobPool = (jobId: number) =>
  useQuery({
    queryKey: jobKeys.pool(jobId),
    queryFn: ({ signal }) =>
      apiRequest<JobInterviewersResponse>(`/api/jobs/${jobId}/interviewers`, { signal }),
  });

/** Replaces a job's interviewer pool. */
export function useSaveJobPool(jobId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { userIds: number[] }) =>
      apiRequest<JobInterviewersResponse>(`/api/jobs/${jobId}/interviewers`, { method: 'PUT', body }),
    onSuccess: (r) => qc.setQueryData(jobKeys.pool(jobId), r),
  });
}

/** Assigns reviewers to an application (named, or the pool's next turn). */
export function useAssignReviewers(applicationId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AssignReviewersBody) =>
      apiRequest<AssignReviewersResponse>(`/api/applications/${applicationId}/reviewers`, {
        method: 'POST',
        body,
      }),
    // Review lists (reports to rate) change for the people assigned.
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reports'] }),
  });
}

/** A job's question drafts (newest first), optionally of one status. */
export const useDrafts = (jobId: number, status: DraftStatus | '') =>
  useQuery({
    queryKey: [...jobKeys.drafts(jobId), status],
    queryFn: ({ signal }) =>
      apiRequest<DraftListResponse>(
        `/api/jobs/${jobId}/question-drafts${status ? `?status=${status}` : ''}`,
        {
          signal,
        },
      ),
  });

/**
 * Generating, editing, approving and discarding a job's drafts; each reloads the drafts, and an
 * approval the bank too (the approved question is there now).
 */
export function useDraftActions(jobId: number) {
  const qc = useQueryClient();
  const reload = () => qc.invalidateQueries({ queryKey: jobKeys.drafts(jobId) });
  return {
    generate: useMutation({
      mutationFn: (body: GenerateDraftsBody) =>
        apiRequest<GenerateDraftsResponse>(`/api/jobs/${jobId}/question-drafts`, { method: 'POST', body }),
      onSuccess: reload,
    }),
    edit: useMutation({
      mutationFn: (p: { id: number; body: EditDraftBody }) =>
        apiRequest<DraftResponse>(`/api/question-drafts/${p.id}`, { method: 'PUT', body: p.body }),
      onSuccess: reload,
    }),
    approve: useMutation({
      mutationFn: (id: number) =>
        apiRequest<ApproveDraftResponse>(`/api/question-drafts/${id}/approve`, { method: 'POST' }),
      onSettled: () => Promise.all([reload(), qc.invalidateQueries({ queryKey: [...jobKeys.all, 'bank'] })]),
    }),
    discard: useMutation({
      mutationFn: (id: number) =>
        apiRequest<DraftResponse>(`/api/question-drafts/${id}/discard`, { method: 'POST' }),
      onSettled: reload,
    }),
  };
}
