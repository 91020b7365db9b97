import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { AuditFacets, AuditPage } from '../../../shared/api/audit';
import { ApiError, apiRequest } from '../api';
import { getSession } from '../auth/session';

/** The audit filters the screen sets (empty strings are left out). */
export interface AuditFilterValues {
  actorId: string;
  objectType: string;
  objectId: string;
  action: string;
  from: string;
  to: string;
}

/** The query string of a set of filters. */
export function filterParams(f: AuditFilterValues): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v.trim()) p.set(k, v.trim());
  return p;
}

/** Values the filter pickers offer. */
export const useAuditFacets = () =>
  useQuery({
    queryKey: ['audit', 'facets'],
    queryFn: ({ signal }) => apiRequest<AuditFacets>('/api/audit/facets', { signal }),
  });

/** Pages of entries, newest first (keyset: each page asks for entries before the last one). */
export const useAuditLog = (f: AuditFilterValues) =>
  useInfiniteQuery({
    queryKey: ['audit', 'log', f],
    initialPageParam: null as number | null,
    queryFn: ({ signal, pageParam }) => {
      const p = filterParams(f);
      p.set('limit', '30');
      if (pageParam) p.set('before', String(pageParam));
      return apiRequest<AuditPage>(`/api/audit?${p}`, { signal });
    },
    getNextPageParam: (last) => last.nextBefore,
  });

/**
 * Downloads the CSV for the filters. Fetched with the session token (a plain link would carry no
 * credential), then handed to the browser as a file.
 */
export async function downloadAuditCsv(f: AuditFilterValues): Promise<void> {
  const session = getSession();
  const res = await fetch(`/api/audit/export.csv?${filterParams(f)}`, {
    headers: session ? { Authorization: `Bearer ${session.token}` } : {},
  });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'bad_response',
      body?.error?.message ?? res.statusText,
      body?.error?.details,
    );
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `audit-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
