import { absoluteAppUrl, routes } from '../../../shared/routes';
import type { IBooking } from '../../kernel/db/entities/Booking';
import { deriveKey, signToken, verifyToken } from '../../kernel/integrations/storage/signing';

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Escapes TEXT values (RFC 5545 §3.3.11). */
function text(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds lines longer than 75 octets (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = new TextEncoder().encode(line);
  if (bytes.length <= 75) return line;
  const out: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const n = new TextEncoder().encode(ch).length;
    if (size + n > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** Calendar entry titles by booking kind. */
const ICS_TITLES: Record<IBooking['kind'], string> = {
  ai_interview: 'AI 视频面试',
  second_round: '复试面谈',
};

/**
 * An iCalendar file for a booking, so candidates can add it to any calendar. The UID stays the
 * same across reschedules and SEQUENCE grows, so importing again updates the entry; a cancelled
 * booking is exported with STATUS:CANCELLED.
 */
export function bookingIcs(b: IBooking, opts: { publicUrl: string; now: Date }): string {
  const job = b.application.job;
  const title = `${ICS_TITLES[b.kind]} · ${job.title}`;
  const host = new URL(opts.publicUrl).hostname || 'localhost';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//ai-interviews//booking//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:booking-${b.id}@${host}`,
    `SEQUENCE:${b.version - 1}`,
    `DTSTAMP:${stamp(opts.now)}`,
    `DTSTART:${stamp(b.startAt)}`,
    `DTEND:${stamp(b.endAt)}`,
    `SUMMARY:${text(title)}`,
    `DESCRIPTION:${text(`${title}\n${absoluteAppUrl(opts.publicUrl, routes.myBookings())}`)}`,
    `URL:${absoluteAppUrl(opts.publicUrl, routes.myBookings())}`,
    `STATUS:${b.status === 'booked' ? 'CONFIRMED' : 'CANCELLED'}`,
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'TRIGGER:-PT30M',
    `DESCRIPTION:${text(title)}`,
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

const ICS_LINK_USE = 'booking-ics';

/**
 * A link to a booking's `.ics` that works wherever it is opened (a chat message, a mail app, the
 * phone's calendar), without the app's session: `/api/bookings/ics/<token>`, where the token is
 * signed with the session secret and names the booking. It expires a day after the interview
 * starts and never later than 14 days from now (a link in an old message stops working); it
 * gives nothing but that booking's calendar entry.
 */
export function icsLink(secret: string, bookingId: number, startAt: Date, now: Date): string {
  const exp = Math.min(startAt.getTime() + 86_400_000, now.getTime() + 14 * 86_400_000);
  const token = signToken(deriveKey(secret, ICS_LINK_USE), {
    use: ICS_LINK_USE,
    exp: Math.floor(exp / 1000),
    b: bookingId,
  });
  return `/api/bookings/ics/${token}`;
}

/** The booking id an {@link icsLink} token names, or null when it is forged, altered or expired. */
export function icsLinkBooking(secret: string, token: string, now: Date): number | null {
  const r = verifyToken<{ use: string; exp: number; b: number }>(
    deriveKey(secret, ICS_LINK_USE),
    token,
    ICS_LINK_USE,
    now.getTime(),
  );
  return r.ok && Number.isInteger(r.payload.b) ? r.payload.b : null;
}
