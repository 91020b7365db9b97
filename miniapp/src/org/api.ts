import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DepartmentsResponse,
  MembersResponse,
  OrgStatusResponse,
  RoleChangeResponse,
  SyncResult,
} from '../../../shared/api/organisation';
import type { EmployeeRole } from '../../../shared/roles';
import { apiRequest } from '../api';

/** Query keys of the organisation screen. */
export const orgKeys = {
  all: ['org'] as const,
  status: () => [...orgKeys.all, 'status'] as const,
  departments: () => [...orgKeys.all, 'departments'] as const,
  members: (q: string, role: string) => [...orgKeys.all, 'members', q, role] as const,
};

/** Last sync, counts and admins. */
export const useOrgStatus = () =>
  useQuery({
    queryKey: orgKeys.status(),
    queryFn: ({ signal }) => apiRequest<OrgStatusResponse>('/api/org/status', { signal }),
  });

/** Departments (for the manager's department picker). */
export const useDepartments = () =>
  useQuery({
    queryKey: orgKeys.departments(),
    queryFn: ({ signal }) => apiRequest<DepartmentsResponse>('/api/org/departments', { signal }),
  });

/** Members matching a search and a role filter ('' = all, 'none' = without a role). */
export const useMembers = (q: string, role: string) =>
  useQuery({
    queryKey: orgKeys.members(q, role),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ limit: '200' });
      if (q.trim()) params.set('q', q.trim());
      if (role) params.set('role', role);
      return apiRequest<MembersResponse>(`/api/org/members?${params}`, { signal });
    },
  });

/** "Sync now": everything on the screen is re-read afterwards. */
export function useSyncOrg() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<SyncResult>('/api/org/sync', { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.all }),
  });
}

/** Grants one role (for a manager, with the department they hire for). */
export function useGrantRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; role: EmployeeRole; departmentId?: number }) =>
      apiRequest<RoleChangeResponse>(`/api/org/members/${v.id}/roles`, {
        method: 'POST',
        body: v.departmentId ? { role: v.role, departmentId: v.departmentId } : { role: v.role },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.all }),
  });
}

/** Revokes one role. */
export function useRevokeRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; role: EmployeeRole }) =>
      apiRequest<RoleChangeResponse>(`/api/org/members/${v.id}/roles/${v.role}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.all }),
  });
}
