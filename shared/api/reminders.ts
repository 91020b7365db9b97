import { z } from 'zod';

/** Longest reminder lead time a plan may set (14 days, in minutes). */
export const MAX_REMINDER_OFFSET_MINUTES = 14 * 24 * 60;
/** Most reminders per recipient a plan may set. */
export const MAX_REMINDER_OFFSETS = 5;

const offsetList = z
  .array(z.number().int().positive().max(MAX_REMINDER_OFFSET_MINUTES))
  .max(MAX_REMINDER_OFFSETS)
  .refine((xs) => new Set(xs).size === xs.length, { message: 'offsets must be unique' });

/**
 * A plan stage's reminder timings, in minutes before the start. `candidate` replaces the
 * configured candidate reminders (including the extra live ones); `interviewer` applies to live
 * sessions only. An empty list means no reminders for that recipient.
 */
export const reminderOffsetsSchema = z.strictObject({
  candidate: offsetList,
  interviewer: offsetList,
});
/** Per-plan reminder timings. */
export type ReminderOffsets = z.infer<typeof reminderOffsetsSchema>;

/**
 * Parses an editor field like `24h, 1h, 10m` or `1440,60` (bare numbers are minutes) into
 * minutes; null when a part is not a duration. Validation of the values is the schema's job.
 */
export function parseReminderOffsets(text: string): number[] | null {
  const out: number[] = [];
  for (const part of text.split(/[,，\s]+/).filter(Boolean)) {
    const m = /^(\d+)(m|h|d)?$/i.exec(part);
    if (!m) return null;
    const unit = (m[2] ?? 'm').toLowerCase();
    out.push(Number(m[1]) * (unit === 'd' ? 1440 : unit === 'h' ? 60 : 1));
  }
  return out;
}

/** Formats minutes the way {@link parseReminderOffsets} reads them (`1440` -> `1d`, `90` -> `90m`). */
export function formatReminderOffsets(minutes: number[]): string {
  return minutes
    .map((m) => (m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`))
    .join(', ');
}

/** The configured default timings (a slice of the server's notification settings), in minutes. */
export interface ReminderDefaults {
  /** Before every booking, for the candidate. */
  candidateOffsets: number[];
  /** Extra candidate reminders before live sessions. */
  liveOffsets: number[];
  /** Before live sessions, for the interviewer. */
  interviewerOffsets: number[];
}

/**
 * The reminder timings a plan stage of `kind` falls back to when it sets none: candidate
 * reminders (plus the live ones for a live session), interviewer ones only for live sessions.
 */
export function defaultReminderOffsets(
  s: ReminderDefaults,
  kind: 'ai_interview' | 'second_round',
): ReminderOffsets {
  const live = kind === 'second_round';
  return {
    candidate: [...new Set([...s.candidateOffsets, ...(live ? s.liveOffsets : [])])],
    interviewer: live ? [...new Set(s.interviewerOffsets)] : [],
  };
}
