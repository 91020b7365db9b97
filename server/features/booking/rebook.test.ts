import { afterAll, beforeAll, expect, it } from 'vitest';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { RebookLinkUse } from '../../kernel/db/entities/RebookLinkUse';
import { employeeToken, makeApplicants, nextMonday, useBookedWindows } from '../../testing/booking';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { rebookToken } from './rebook';

const H = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

describeEachDialect("a no-show's one-time reschedule link", (dialect) => {
  let t: TestApp;
  let hr: string;
  let monday: number;
  beforeAll(async () => {
    // Booking events are stamped with the real time, not the test clock (days ahead): a 30-day
    // link keeps the test independent of the weekday it runs on.
    t = await startTestApp(dialect, { env: { REBOOK_LINK_HOURS: '720' } });
    await useBookedWindows(t);
    monday = nextMonday(new Date()).getTime();
    t.clock.now = new Date(monday);
    hr = await employeeToken(t, 'hr01');
  });
  afterAll(async () => t?.close());

  const book = (token: string, applicationId: number, startAt: number, rebookToken?: string) =>
    t.api('POST', '/api/bookings', {
      token,
      body: {
        applicationId,
        kind: 'ai_interview',
        startAt: iso(startAt),
        ...(rebookToken ? { rebookToken } : {}),
      },
    });
  /** Marks booking `id` (starting at `start`) a no-show and returns the token of the link the bot sent. */
  const noShow = async (id: number, start: number) => {
    t.clock.now = new Date(start + 10 * 60_000);
    const ns = await t.api('POST', `/api/bookings/${id}/no-show`, { token: hr, body: {} });
    expect(ns.status).toBe(200);
    t.clock.now = new Date(monday);
    const msg = await t.orm.em.fork().findOneOrFail(OutboxMessage, {
      aggregate: `booking:${id}`,
      topic: 'booking.no_show',
      channel: 'inbox',
    });
    const link = (msg.payload as { data: { rescheduleLink: string } }).data.rescheduleLink;
    expect(link).toMatch(/^\/booking\/\d+\/ai_interview\?rebook=r1\./);
    return new URL(link, 'http://x').searchParams.get('rebook') as string;
  };
  const code = (r: { status: number; body: { error?: { code: string } } }) => [r.status, r.body.error?.code];

  it('after a no-show the candidate rebooks only with the link: bound to the booking, expiring, used once', async () => {
    const [a] = await makeApplicants(t, 'backend', 1, 'invited', 'rebook');
    const first = await book(a.token, a.applicationId, monday + 3 * H);
    expect(first.status).toBe(201);
    const b1 = first.body.booking.id as number;
    const token = await noShow(b1, monday + 3 * H);

    // Without, forged, for another booking, expired: refused, nothing booked, the link still works.
    expect(code(await book(a.token, a.applicationId, monday + 4 * H))).toEqual([409, 'rebook_link_required']);
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(code(await book(a.token, a.applicationId, monday + 4 * H, forged))).toEqual([
      400,
      'invalid_rebook_link',
    ]);
    const secret = t.config.notifications.rebookSecret;
    const otherBooking = rebookToken(secret, b1 + 1000, new Date(monday + 48 * H));
    expect(code(await book(a.token, a.applicationId, monday + 4 * H, otherBooking))).toEqual([
      400,
      'invalid_rebook_link',
    ]);
    const expired = rebookToken(secret, b1, new Date(monday - 1000));
    expect(code(await book(a.token, a.applicationId, monday + 4 * H, expired))).toEqual([
      410,
      'rebook_link_expired',
    ]);
    // Another candidate cannot use it on their own application (their last booking was no no-show)
    // nor see anything of this one.
    const [b] = await makeApplicants(t, 'backend', 1, 'invited', 'rebook-other');
    expect((await book(b.token, a.applicationId, monday + 4 * H, token)).status).toBe(404);
    // A booking that fails after the link was checked gives the link back.
    expect(code(await book(a.token, a.applicationId, monday - H, token))).toEqual([400, 'slot_in_past']);
    expect(await t.orm.em.fork().count(RebookLinkUse, { booking: b1 })).toBe(0);

    // Two taps at once: exactly one booking.
    const [r1, r2] = await Promise.all([
      book(a.token, a.applicationId, monday + 4 * H, token),
      book(a.token, a.applicationId, monday + 5 * H, token),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([201, 409]);
    const loser = r1.status === 409 ? r1 : r2;
    expect(['rebook_link_used', 'already_booked']).toContain(loser.body.error.code);
    expect(await t.orm.em.fork().count(RebookLinkUse, { booking: b1 })).toBe(1);
    const b2 = (r1.status === 201 ? r1 : r2).body.booking;

    // A second no-show: a new link; the old one is bound to the older booking.
    const token2 = await noShow(b2.id, Date.parse(b2.startAt));
    expect(token2).not.toBe(token);
    expect(code(await book(a.token, a.applicationId, monday + 6 * H, token))).toEqual([
      400,
      'invalid_rebook_link',
    ]);
    // Used (e.g. by a tap in flight): refused.
    await t.orm.em.fork().insert(RebookLinkUse, { booking: b2.id, usedAt: new Date() });
    expect(code(await book(a.token, a.applicationId, monday + 6 * H, token2))).toEqual([
      409,
      'rebook_link_used',
    ]);
    await t.orm.em.fork().nativeDelete(RebookLinkUse, { booking: b2.id });
    expect((await book(a.token, a.applicationId, monday + 6 * H, token2)).status).toBe(201);
  });
});
