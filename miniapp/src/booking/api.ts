import { apiRequest } from '../api';
import { getSession } from '../auth/session';

/** One slot as listed by the server (instants in UTC, date/time in the display zone). */
export interface Slot {
  startAt: string;
  endAt: string;
  date: string;
  time: string;
  part: 'am' | 'pm';
  capacity: number;
  remaining: number;
}

/** The rules shown next to the slots. */
export interface Rules {
  kind: 'ai_interview' | 'second_round';
  sessionType: 'ai' | 'live';
  durationMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
  rescheduleCutoffHours: number;
  cancelCutoffHours: number;
  maxReschedules: number;
  timeZone: string;
}

/** A booking as its viewers see it. */
export interface BookingView {
  id: number;
  applicationId: number;
  candidate: { id: number; name: string } | null;
  job: { id: number; title: string } | null;
  kind: 'ai_interview' | 'second_round';
  sessionType: 'ai' | 'live';
  interviewer: { id: number; name: string } | null;
  startAt: string;
  endAt: string;
  timeZone: string;
  status: 'booked' | 'cancelled' | 'no_show' | 'completed';
  rescheduleCount: number;
  maxReschedules: number;
  cancelReason: string | null;
  rescheduleUntil: string;
  cancelUntil: string;
  canReschedule: boolean;
  canCancel: boolean;
}

/** A candidate's application and which stage they can book now. */
export interface MyApplication {
  id: number;
  job: { id: number; title: string };
  stage: string;
  bookable: Array<'ai_interview' | 'second_round'>;
}

/** The viewer's display zone (the device's), sent so slots are shown in it. */
export function deviceZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';
}

export const fetchSlots = (applicationId: number, kind: string, refresh = false) =>
  apiRequest<{ rules: Rules; timeZone: string; planTimeZone: string; slots: Slot[] }>(
    `/api/bookings/slots?applicationId=${applicationId}&kind=${kind}&tz=${encodeURIComponent(deviceZone())}${refresh ? '&refresh=1' : ''}`,
  );

export const fetchMine = () =>
  apiRequest<{ items: BookingView[]; applications: MyApplication[] }>('/api/bookings/mine');

export const book = (applicationId: number, kind: string, startAt: string, rebookToken?: string) =>
  apiRequest<{ booking: BookingView }>('/api/bookings', {
    method: 'POST',
    body: { applicationId, kind, startAt, timeZone: deviceZone(), ...(rebookToken ? { rebookToken } : {}) },
  });

export const reschedule = (id: number, startAt: string) =>
  apiRequest<{ booking: BookingView }>(`/api/bookings/${id}/reschedule`, {
    method: 'POST',
    body: { startAt },
  });

export const cancel = (id: number, reason: string) =>
  apiRequest<{ booking: BookingView }>(`/api/bookings/${id}/cancel`, { method: 'POST', body: { reason } });

export const closeSession = (id: number, outcome: 'no-show' | 'complete') =>
  apiRequest<{ booking: BookingView }>(`/api/bookings/${id}/${outcome}`, { method: 'POST', body: {} });

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

/** Weekly hours: key 0 (Sunday) .. 6 -> ranges. */
export type Weekly = Partial<Record<string, Array<{ start: string; end: string }>>>;

export const fetchAvailability = () =>
  apiRequest<{
    timeZone: string;
    weekly: Weekly;
    overrides: Array<{ date: string; ranges: Array<{ start: string; end: string }> }>;
  }>('/api/availability/me');
export const saveAvailability = (timeZone: string, weekly: Weekly) =>
  apiRequest('/api/availability/me', { method: 'PUT', body: { timeZone, weekly } });
export const saveOverride = (date: string, ranges: Array<{ start: string; end: string }>) =>
  apiRequest(`/api/availability/me/overrides/${date}`, { method: 'PUT', body: { ranges } });
export const deleteOverride = (date: string) =>
  apiRequest(`/api/availability/me/overrides/${date}`, { method: 'DELETE' });

/** HR: a job's schedules. */
export interface ScheduleView extends Rules {
  id: number;
  stepMinutes: number | null;
  capacityPerSlot: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  dailyCapPerInterviewer: number | null;
  weeklyHours: Weekly;
  dateOverrides: Array<{ date: string; ranges: Array<{ start: string; end: string }> }>;
  active: boolean;
  interviewers: Array<{ id: number; name: string }>;
  /** This stage's reminder timings (minutes before); null = the defaults below. */
  reminderOffsetsMinutes: { candidate: number[]; interviewer: number[] } | null;
  reminderDefaults: { candidate: number[]; interviewer: number[] };
}
export const fetchJobs = () =>
  apiRequest<{ items: Array<{ id: number; title: string; kinds: string[] }> }>('/api/schedules/jobs');
export const fetchSchedules = (jobId: number) =>
  apiRequest<{
    job: { id: number; title: string };
    schedules: ScheduleView[];
    eligibleInterviewers: Array<{ id: number; name: string }>;
  }>(`/api/schedules?jobId=${jobId}`);
export const saveSchedule = (jobId: number, kind: string, body: unknown) =>
  apiRequest<{ schedule: ScheduleView }>(`/api/schedules/${jobId}/${kind}`, { method: 'PUT', body });
export const fetchJobBookings = (jobId: number) =>
  apiRequest<{ items: BookingView[]; activeByDate: Record<string, number> }>(`/api/bookings?jobId=${jobId}`);

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
