import { dayPart, localDate, localHm } from '../../shared/slots';
import type { IBooking } from '../db/entities/Booking';
import type { IPlanSchedule } from '../db/entities/PlanSchedule';
import type { SlotInfo } from './engine';

/** Slots as the API shows them: UTC instants plus the local date/time in `timeZone` for grouping. */
export function presentSlots(slots: readonly SlotInfo[], timeZone: string) {
  return slots.map((s) => {
    const time = localHm(s.start, timeZone);
    return {
      startAt: new Date(s.start).toISOString(),
      endAt: new Date(s.end).toISOString(),
      date: localDate(s.start, timeZone),
      time,
      part: dayPart(time),
      capacity: s.capacity,
      remaining: s.remaining,
    };
  });
}

/** The rules a candidate needs to understand their options. */
export function presentRules(s: IPlanSchedule) {
  return {
    kind: s.kind,
    sessionType: s.sessionType,
    durationMinutes: s.durationMinutes,
    stepMinutes: s.stepMinutes,
    capacityPerSlot: s.capacityPerSlot,
    horizonDays: s.horizonDays,
    minNoticeMinutes: s.minNoticeMinutes,
    bufferBeforeMinutes: s.bufferBeforeMinutes,
    bufferAfterMinutes: s.bufferAfterMinutes,
    dailyCapPerInterviewer: s.dailyCapPerInterviewer,
    rescheduleCutoffHours: s.rescheduleCutoffHours,
    cancelCutoffHours: s.cancelCutoffHours,
    maxReschedules: s.maxReschedules,
    timeZone: s.timeZone,
  };
}

/**
 * A booking as its viewers see it, with what they may still do and until when (the UI
 * explains the cutoffs from these fields instead of re-deriving the rules).
 */
export function presentBooking(b: IBooking, now: Date) {
  const s = b.schedule;
  const hour = 3_600_000;
  const active = b.status === 'booked';
  const rescheduleUntil = new Date(b.startAt.getTime() - s.rescheduleCutoffHours * hour);
  const cancelUntil = new Date(b.startAt.getTime() - s.cancelCutoffHours * hour);
  const app = b.application;
  return {
    id: b.id,
    applicationId: app.id,
    candidate:
      app.candidate && 'name' in app.candidate ? { id: app.candidate.id, name: app.candidate.name } : null,
    job: app.job && 'title' in app.job ? { id: app.job.id, title: app.job.title } : null,
    kind: b.kind,
    sessionType: s.sessionType,
    interviewer:
      b.interviewer && 'name' in b.interviewer ? { id: b.interviewer.id, name: b.interviewer.name } : null,
    startAt: b.startAt.toISOString(),
    endAt: b.endAt.toISOString(),
    timeZone: b.timeZone,
    status: b.status,
    rescheduleCount: b.rescheduleCount,
    maxReschedules: s.maxReschedules,
    cancelReason: b.cancelReason,
    version: b.version,
    rescheduleUntil: rescheduleUntil.toISOString(),
    cancelUntil: cancelUntil.toISOString(),
    canReschedule: active && now < rescheduleUntil && b.rescheduleCount < s.maxReschedules,
    canCancel: active && now < cancelUntil,
    calendarSynced: b.calendarEventId !== null,
  };
}
