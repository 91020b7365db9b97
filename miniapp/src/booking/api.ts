import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AvailabilityResponse,
  BookingResponse,
  JobBookingsResponse,
  MyBookingsResponse,
  ScheduleJobsResponse,
  ScheduleResponse,
  SchedulesResponse,
  SlotsResponse,
  WeeklyHoursView,
} from '../../../shared/api/bookings';
import { freshSlotsOf } from '../../../shared/api/bookings';
import { apiRequest } from '../api';
import { getSession } from '../auth/session';
import { deviceZone } from '../deviceZone';
import { pipelineKeys } from '../pipeline/api';

/** A slot, the rules shown next to it, a booking and a bookable application: `shared/api/bookings`. */
export type {
  BookableApplication as MyApplication,
  BookingView,
  RulesView as Rules,
  ScheduleView,
  SlotView as Slot,
  WeeklyHoursView as Weekly,
} from '../../../shared/api/bookings';
/** The viewer's display zone (`deviceZone.ts`). */
export { deviceZone };

/** Query keys of the booking feature. */
export const bookingKeys = {
  all: ['bookings'] as const,
  slots: (applicationId: number, kind: string) => [...bookingKeys.all, 'slots', applicationId, kind] as const,
  mine: () => [...bookingKeys.all, 'mine'] as const,
  availability: () => [...bookingKeys.all, 'availability'] as const,
  scheduleJobs: () => [...bookingKeys.all, 'schedule-jobs'] as const,
  schedules: (jobId: number) => [...bookingKeys.all, 'schedules', jobId] as const,
  jobBookings: (jobId: number) => [...bookingKeys.all, 'job', jobId] as const,
};

export const fetchSlots = (applicationId: number, kind: string, refresh = false, signal?: AbortSignal) =>
  apiRequest<SlotsResponse>(
    `/api/bookings/slots?applicationId=${applicationId}&kind=${kind}&tz=${encodeURIComponent(deviceZone())}${refresh ? '&refresh=1' : ''}`,
    { signal },
  );

export const fetchMine = (signal?: AbortSignal) =>
  apiRequest<MyBookingsResponse>('/api/bookings/mine', { signal });

export const book = (applicationId: number, kind: string, startAt: string, rebookToken?: string) =>
  apiRequest<BookingResponse>('/api/bookings', {
    method: 'POST',
    body: { applicationId, kind, startAt, timeZone: deviceZone(), ...(rebookToken ? { rebookToken } : {}) },
  });

export const reschedule = (id: number, startAt: string) =>
  apiRequest<BookingResponse>(`/api/bookings/${id}/reschedule`, {
    method: 'POST',
    body: { startAt },
  });

export const cancel = (id: number, reason: string) =>
  apiRequest<BookingResponse>(`/api/bookings/${id}/cancel`, { method: 'POST', body: { reason } });

export const closeSession = (id: number, outcome: 'no-show' | 'complete') =>
  apiRequest<BookingResponse>(`/api/bookings/${id}/${outcome}`, { method: 'POST', body: {} });

/** Downloads the booking's .ics (the request needs the session header, so no plain link). */
export async function downloadIcs(id: number): Promise<void> {
  const token = getSession()?.token;
  const res = await fetch(`/api/bookings/${id}/ics`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) throw new Error(`ics ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `interview-${id}.ics`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const fetchAvailability = (signal?: AbortSignal) =>
  apiRequest<AvailabilityResponse>('/api/availability/me', { signal });
export const saveAvailability = (timeZone: string, weekly: WeeklyHoursView) =>
  apiRequest<AvailabilityResponse>('/api/availability/me', { method: 'PUT', body: { timeZone, weekly } });
export const saveOverride = (date: string, ranges: Array<{ start: string; end: string }>) =>
  apiRequest<AvailabilityResponse>(`/api/availability/me/overrides/${date}`, {
    method: 'PUT',
    body: { ranges },
  });
export const deleteOverride = (date: string) =>
  apiRequest<AvailabilityResponse>(`/api/availability/me/overrides/${date}`, { method: 'DELETE' });

export const fetchJobs = (signal?: AbortSignal) =>
  apiRequest<ScheduleJobsResponse>('/api/schedules/jobs', { signal });
export const fetchSchedules = (jobId: number, signal?: AbortSignal) =>
  apiRequest<SchedulesResponse>(`/api/schedules?jobId=${jobId}`, { signal });
export const saveSchedule = (jobId: number, kind: string, body: unknown) =>
  apiRequest<ScheduleResponse>(`/api/schedules/${jobId}/${kind}`, { method: 'PUT', body });
export const fetchJobBookings = (jobId: number, signal?: AbortSignal) =>
  apiRequest<JobBookingsResponse>(`/api/bookings?jobId=${jobId}`, { signal });

/** Parses "09:00-12:00, 14:00-18:00" into ranges (empty string = none). */
export function parseRanges(text: string): Array<{ start: string; end: string }> | null {
  const parts = text.split(/[,，;；\s]+/).filter(Boolean);
  const out: Array<{ start: string; end: string }> = [];
  for (const p of parts) {
    const m = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(p);
    if (!m) return null;
    out.push({ start: m[1], end: m[2] });
  }
  return out;
}

/** Ranges -> "09:00-12:00, 14:00-18:00". */
export function formatRanges(r: Array<{ start: string; end: string }> | undefined): string {
  return (r ?? []).map((x) => `${x.start}-${x.end}`).join(', ');
}

/** The slots of one stage of an application. */
export const useSlots = (applicationId: number, kind: string) =>
  useQuery({
    queryKey: bookingKeys.slots(applicationId, kind),
    queryFn: ({ signal }) => fetchSlots(applicationId, kind, false, signal),
  });

/** Re-reads the slots with fresh interviewer calendars (`refresh=1`) into the same query. */
export function useRefreshSlots(applicationId: number, kind: string) {
  const qc = useQueryClient();
  return () =>
    qc.fetchQuery({
      queryKey: bookingKeys.slots(applicationId, kind),
      queryFn: ({ signal }) => fetchSlots(applicationId, kind, true, signal),
    });
}

/**
 * Puts the fresh list a lost seat's 409 carried into the slot query, when it can stand in for a
 * re-read (`freshSlotsOf`); returns false when the screen must read the list again.
 */
export function useTakeFreshSlots(applicationId: number, kind: string) {
  const qc = useQueryClient();
  return (details: unknown): boolean => {
    const key = bookingKeys.slots(applicationId, kind);
    const screen = qc.getQueryData<SlotsResponse>(key);
    const fresh = screen ? freshSlotsOf(details, screen) : null;
    if (!screen || !fresh) return false;
    qc.setQueryData<SlotsResponse>(key, { ...screen, slots: fresh });
    return true;
  };
}

/**
 * After any booking change: bookings, slots and the pipeline (a booking moves the application's
 * stage) reload.
 */
function useInvalidateBookings() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: bookingKeys.all }),
      qc.invalidateQueries({ queryKey: pipelineKeys.all }),
    ]);
}

/** Books a slot, or moves booking `rescheduleId` to it. */
export function useBookSlot() {
  const invalidate = useInvalidateBookings();
  return useMutation({
    mutationFn: (v: {
      applicationId: number;
      kind: string;
      startAt: string;
      rescheduleId: number | null;
      rebookToken?: string;
    }) =>
      v.rescheduleId
        ? reschedule(v.rescheduleId, v.startAt)
        : book(v.applicationId, v.kind, v.startAt, v.rebookToken),
    onSuccess: invalidate,
  });
}

/** Cancels a booking. */
export function useCancelBooking() {
  const invalidate = useInvalidateBookings();
  return useMutation({
    mutationFn: (v: { id: number; reason: string }) => cancel(v.id, v.reason),
    onSuccess: invalidate,
  });
}

/** The interviewer closes a session (no-show or completed). */
export function useCloseSession() {
  const invalidate = useInvalidateBookings();
  return useMutation({
    mutationFn: (v: { id: number; outcome: 'no-show' | 'complete' }) => closeSession(v.id, v.outcome),
    onSettled: invalidate,
  });
}

/** The own bookings' query (key and read), for the hook and for loading it before a screen renders. */
export const myBookingsQuery = () => ({
  queryKey: bookingKeys.mine(),
  queryFn: ({ signal }: { signal?: AbortSignal }) => fetchMine(signal),
});

/** The reader's own bookings (and, for candidates, what they can book). */
export const useMyBookings = () => useQuery(myBookingsQuery());

/** The interviewer's own hours. */
export const useAvailability = () =>
  useQuery({ queryKey: bookingKeys.availability(), queryFn: ({ signal }) => fetchAvailability(signal) });

/** Saves weekly hours, sets or deletes a date override; the hours (and slots) reload. */
export function useAvailabilityChange() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (
      v:
        | { op: 'weekly'; timeZone: string; weekly: WeeklyHoursView }
        | { op: 'override'; date: string; ranges: Array<{ start: string; end: string }> }
        | { op: 'delete'; date: string },
    ) =>
      v.op === 'weekly'
        ? saveAvailability(v.timeZone, v.weekly)
        : v.op === 'override'
          ? saveOverride(v.date, v.ranges)
          : deleteOverride(v.date),
    onSuccess: () => qc.invalidateQueries({ queryKey: bookingKeys.all }),
  });
}

/** HR: jobs with their scheduled stages. */
export const useScheduleJobs = () =>
  useQuery({ queryKey: bookingKeys.scheduleJobs(), queryFn: ({ signal }) => fetchJobs(signal) });

/** HR: a job's plan stages and the eligible interviewers. */
export const useSchedules = (jobId: number) =>
  useQuery({
    queryKey: bookingKeys.schedules(jobId),
    queryFn: ({ signal }) => fetchSchedules(jobId, signal),
  });

/** HR: a job's bookings. */
export const useJobBookings = (jobId: number) =>
  useQuery({
    queryKey: bookingKeys.jobBookings(jobId),
    queryFn: ({ signal }) => fetchJobBookings(jobId, signal),
  });

/** HR saves a plan stage; the job's plan, the job list and slots reload. */
export function useSaveSchedule(jobId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { kind: string; body: unknown }) => saveSchedule(jobId, v.kind, v.body),
    onSuccess: () => qc.invalidateQueries({ queryKey: bookingKeys.all }),
  });
}
