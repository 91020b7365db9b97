/**
 * The no-show follow-up's one-time reschedule link. After a no-show, a candidate books that
 * stage again only with the link the bot sent them (HR may always book for them): a token
 * signed with the server's secret, bound to the missed booking, valid for a limited time, and
 * used once (`RebookLinkUse`, unique per booking). A link from an older no-show is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { BookingKind } from '../../kernel/db/entities/PlanSchedule';
import { RebookLinkUse } from '../../kernel/db/entities/RebookLinkUse';
import type { Em } from '../../kernel/db/orm';
import { query } from '../../kernel/db/tx';
import { AppError, badRequest, conflict } from '../../kernel/errors';
import type { Actor } from '../../kernel/http/context';

const sign = (secret: string, bookingId: number, exp: number) =>
  createHmac('sha256', secret).update(`rebook:${bookingId}:${exp}`).digest('base64url');

/** A token for booking `bookingId`'s stage again, valid until `expiresAt`. */
export function rebookToken(secret: string, bookingId: number, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `r1.${bookingId}.${exp}.${sign(secret, bookingId, exp)}`;
}

/** Reads a token; null when it is malformed or not signed by us. */
function readToken(secret: string, token: string): { bookingId: number; expiresAt: Date } | null {
  const m = /^r1\.(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const bookingId = Number(m[1]);
  const exp = Number(m[2]);
  const want = Buffer.from(sign(secret, bookingId, exp));
  const got = Buffer.from(m[3]);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  return { bookingId, expiresAt: new Date(exp * 1000) };
}

/** Props of {@link claimRebook}. */
export interface ClaimRebookProps {
  em: Em;
  actor: Actor;
  secret: string;
  now: Date;
  applicationId: number;
  kind: BookingKind;
  token?: string;
}

/**
 * Before a booking: if the application's last booking of this stage was a no-show and the
 * actor is the candidate, checks and uses up the one-time link. Returns a release function
 * that makes the link usable again (call it when the booking then fails), or null when no
 * link was needed. Errors: 409 `rebook_link_required`, 400 `invalid_rebook_link` (forged,
 * or for another/older booking), 410 `rebook_link_expired`, 409 `rebook_link_used`.
 */
export async function claimRebook(props: ClaimRebookProps): Promise<(() => Promise<void>) | null> {
  const { actor, now } = props;
  if (actor.kind !== 'candidate') return null;
  // Only the candidate's own application (others fall through to the booking's own 404). Plain
  // SQL: every booking a candidate makes asks this first, and nothing here needs an entity.
  const [row] = await query<{ id: number; status: string }>(
    props.em,
    `select b.id, b.status from bookings b join applications a on a.id = b.application_id
      where a.id = ? and a.candidate_id = ? and b.kind = ? order by b.id desc limit 1`,
    [props.applicationId, actor.id, props.kind],
  );
  if (row?.status !== 'no_show') return null;
  const last = { id: Number(row.id) };
  const em = props.em.fork();
  if (!props.token)
    throw conflict(
      'rebook_link_required',
      'After a missed interview, use the reschedule link we sent you (or ask HR)',
    );
  const parsed = readToken(props.secret, props.token);
  if (!parsed || parsed.bookingId !== last.id)
    throw badRequest('invalid_rebook_link', 'body.rebookToken: this reschedule link is not valid');
  if (parsed.expiresAt <= now)
    throw new AppError('rebook_link_expired', 'This reschedule link has expired; please contact HR');
  try {
    await em.insert(RebookLinkUse, { booking: last.id, usedAt: now });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException)
      throw conflict('rebook_link_used', 'This reschedule link has already been used');
    throw err;
  }
  return async () => {
    await props.em.fork().nativeDelete(RebookLinkUse, { booking: last.id });
  };
}
