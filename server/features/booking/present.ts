import type { BookingView, RulesView, SlotView } from '../../../shared/api/bookings';
import { dayPart, localDate, localHm } from '../../../shared/slots';
import type { IBooking } from '../../kernel/db/entities/Booking';
import type { IPlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import type { SlotInfo } from './engine';

interface SlotLabels {
  startAt: string;
  endAt: string;
  date: string;
  time: string;
  part: 'am' | 'pm';
}

const LABELS = new Map<string, SlotLabels>();

/**
 * The text of a slot in a zone. Cached: a booking rush presents the same few hundred slots
 * to every refused request, and formatting dominated that.
 */
function labels(start: number, end: number, timeZone: string): SlotLabels {
  const key = `${timeZone}|${start}|${end}`;
  let l = LABELS.get(key);
  if (!l) {
    const time = localHm(start, timeZone);
    l = {
      startAt: new Date(start).toISOString(),
      endAt: new Date(end).toISOString(),
      date: localDate(start, timeZone),
      time,
      part: dayPart(time),
    };
    if (LABELS.size > 20_000) LABELS.clear();
    LABELS.set(key, l);
  }
  return l;
}

/** Slots as the API shows them: UTC instants plus the local date/time in `timeZone` for grouping. */
export function presentSlots(slots: readonly SlotInfo[], timeZone: string): SlotView[] {
  return slots.map((s) => ({
    ...labels(s.start, s.end, timeZone),
    capacity: s.capacity,
    remaining: s.remaining,
  }));
}

/** The rules a candidate needs to understand their options. */
export function presentRules(s: IPlanSchedule): RulesView {
  return {
    kind: s.kind,
    sessionType: s.sessionType,
    takeMode: s.takeMode,
    durationMinutes: s.durationMinutes,
    stepMinutes: s.stepMinutes ?? null,
    capacityPerSlot: s.capacityPerSlot,
    horizonDays: s.horizonDays,
    minNoticeMinutes: s.minNoticeMinutes,
    bufferBeforeMinutes: s.bufferBeforeMinutes,
    bufferAfterMinutes: s.bufferAfterMinutes,
    dailyCapPerInterviewer: s.dailyCapPerInterviewer ?? null,
    rescheduleCutoffHours: s.rescheduleCutoffHours,
    cancelCutoffHours: s.cancelCutoffHours,
    maxReschedules: s.maxReschedules,
    timeZone: s.timeZone,
  };
}

/**
 * What {@link presentBooking} reads of a booking: a `Booking` entity with its relations
 * populated, or the plain rows of the lean reads (`bookingsLean.ts`).
 */
export type PresentableBooking = Pick<
  IBooking,
  | 'id'
  | 'kind'
  | 'startAt'
  | 'endAt'
  | 'timeZone'
  | 'status'
  | 'reminderOnly'
  | 'rescheduleCount'
  | 'cancelReason'
  | 'version'
  | 'calendarEventId'
> & {
  application: {
    id: number;
    candidate: { id: number; name: string } | null;
    job: { id: number; title: string } | null;
  };
  interviewer?: { id: number; name: string } | null;
  schedule: Pick<
    IPlanSchedule,
    'sessionType' | 'rescheduleCutoffHours' | 'cancelCutoffHours' | 'maxReschedules'
  >;
};

/**
 * A booking as its viewers see it, with what they may still do and until when (the UI
 * explains the cutoffs from these fields instead of re-deriving the rules).
 */
export function presentBooking(b: PresentableBooking, now: Date): BookingView {
  const s = b.schedule;
  const hour = 3_600_000;
  const active = b.status === 'booked';
  // A reminder holds no seat and no interviewer's time, which is what the cutoffs protect: the
  // candidate may move or drop it until it is due (see rescheduleBooking / cancelBooking).
  const rescheduleUntil = b.reminderOnly
    ? b.startAt
    : new Date(b.startAt.getTime() - s.rescheduleCutoffHours * hour);
  const cancelUntil = b.reminderOnly ? b.startAt : new Date(b.startAt.getTime() - s.cancelCutoffHours * hour);
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
    reminderOnly: b.reminderOnly,
    rescheduleCount: b.rescheduleCount,
    maxReschedules: s.maxReschedules,
    cancelReason: b.cancelReason ?? null,
    version: b.version,
    rescheduleUntil: rescheduleUntil.toISOString(),
    cancelUntil: cancelUntil.toISOString(),
    canReschedule:
      active && now < rescheduleUntil && (b.reminderOnly || b.rescheduleCount < s.maxReschedules),
    canCancel: active && now < cancelUntil,
    calendarSynced: b.calendarEventId !== null,
  };
}
