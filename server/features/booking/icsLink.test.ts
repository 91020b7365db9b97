import { afterAll, beforeAll, expect, it } from 'vitest';
import { Application } from '../../kernel/db/entities/Application';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { OutboxMessage } from '../../kernel/db/entities/OutboxMessage';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { candidateToken } from '../../testing/interview';

/**
 * The calendar file in a booking confirmation opens wherever the message is read: a signed link
 * that needs no session, names one booking, and stops working after the interview.
 */
describeEachDialect('signed .ics links in booking confirmations', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  }, 60_000);
  afterAll(async () => t?.close());

  it('the confirmation links a signed .ics that opens without a session; altered or expired links are 404', async () => {
    const backend = await t.orm.em.fork().findOneOrFail(Job, { slug: 'backend' });
    const token = await candidateToken(t, '吴十', backend.id);
    const c = await t.orm.em.fork().findOneOrFail(Candidate, { name: '吴十' });
    const app = await t.orm.em.fork().findOneOrFail(Application, { candidate: c.id, job: backend.id });
    const slots = await t.api('GET', `/api/bookings/slots?applicationId=${app.id}&kind=ai_interview`, {
      token,
    });
    const booked = await t.api('POST', '/api/bookings', {
      token,
      body: { applicationId: app.id, kind: 'ai_interview', startAt: slots.body.slots[0].startAt },
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const rows = await t.orm.em.fork().find(OutboxMessage, { topic: 'booking.confirmation' });
    const link = rows
      .map((r) => JSON.stringify(r.payload).match(/\/api\/bookings\/ics\/[A-Za-z0-9_.-]+/)?.[0])
      .find(Boolean) as string;
    expect(link).toBeTruthy();
    // The bare API path needs the session; the signed link does not.
    expect((await t.api('GET', `/api/bookings/${booked.body.booking.id}/ics`)).status).toBe(401);
    const res = await fetch(`${t.url}${link}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const ics = await res.text();
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain(backend.title);
    // One changed character in the signature, or a token for another purpose: nothing.
    const at = link.length - 5;
    const altered = `${link.slice(0, at)}${link[at] === 'A' ? 'B' : 'A'}${link.slice(at + 1)}`;
    expect((await fetch(`${t.url}${altered}`)).status).toBe(404);
    expect((await fetch(`${t.url}/api/bookings/ics/not-a-token-at-all`)).status).toBe(404);
    // A day after the interview started the link has expired.
    t.clock.now = new Date(new Date(booked.body.booking.startAt).getTime() + 86_400_000 + 60_000);
    try {
      expect((await fetch(`${t.url}${link}`)).status).toBe(404);
    } finally {
      t.clock.now = null;
    }
  });
});
