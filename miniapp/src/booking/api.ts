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
import { apiRequest } from '../api';
import { getSession } from '../auth/session';

/** A slot, the rules shown next to it, a booking and a bookable application: `shared/api/bookings`. */
export type {
  BookableApplication as MyApplication,
  BookingView,
  RulesView as Rules,
  ScheduleView,
  SlotView as Slot,
  WeeklyHoursView as Weekly,
} from '../../../shared/api/bookings';

/** The viewer's display zone (the device's), sent so slots are shown in it. */
export function deviceZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';
}

export const fetchSlots = (applicationId: number, kind: string, refresh = false) =>
  apiRequest<SlotsResponse>(
    `/api/bookings/slots?applicationId=${applicationId}&kind=${kind}&tz=${encodeURIComponent(deviceZone())}${refresh ? '&refresh=1' : ''}`,
  );

export const fetchMine = () => apiRequest<MyBookingsResponse>('/api/bookings/mine');

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

export const fetchAvailability = () => apiRequest<AvailabilityResponse>('/api/availability/me');
export const saveAvailability = (timeZone: string, weekly: WeeklyHoursView) =>
  apiRequest<AvailabilityResponse>('/api/availability/me', { method: 'PUT', body: { timeZone, weekly } });
export const saveOverride = (date: string, ranges: Array<{ start: string; end: string }>) =>
  apiRequest<AvailabilityResponse>(`/api/availability/me/overrides/${date}`, {
    method: 'PUT',
    body: { ranges },
  });
export const deleteOverride = (date: string) =>
  apiRequest<AvailabilityResponse>(`/api/availability/me/overrides/${date}`, { method: 'DELETE' });

export const fetchJobs = () => apiRequest<ScheduleJobsResponse>('/api/schedules/jobs');
export const fetchSchedules = (jobId: number) =>
  apiRequest<SchedulesResponse>(`/api/schedules?jobId=${jobId}`);
export const saveSchedule = (jobId: number, kind: string, body: unknown) =>
  apiRequest<ScheduleResponse>(`/api/schedules/${jobId}/${kind}`, { method: 'PUT', body });
export const fetchJobBookings = (jobId: number) =>
  apiRequest<JobBookingsResponse>(`/api/bookings?jobId=${jobId}`);

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
