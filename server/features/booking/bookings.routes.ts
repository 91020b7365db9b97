import { z } from 'zod';
import type {
  BookingResponse,
  JobBookingsResponse,
  MyBookingsResponse,
  SlotsResponse,
} from '../../../shared/api/bookings';
import { localDate } from '../../../shared/slots';
import type { Actor } from '../../kernel/actor';
import { Application } from '../../kernel/db/entities/Application';
import { Booking } from '../../kernel/db/entities/Booking';
import { Job } from '../../kernel/db/entities/Job';
import type { Em } from '../../kernel/db/orm';
import { conflict, notFound } from '../../kernel/errors';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { assertCan } from '../../kernel/policies';
import {
  bookBody,
  cancelBody,
  listBookingsQuery,
  noShowBody,
  rescheduleBody,
  slotsQuery,
} from './bookings.schema';
import { bookableKinds, myBookingsLean, presentBookingLean } from './bookingsLean';
import {
  type BookingCommandBase,
  bookSlot,
  cancelBooking,
  closeBooking,
  readForBooking,
  rescheduleBooking,
} from './commands';
import { scheduleView } from './engine';
import { bookingIcs, icsLinkBooking } from './ics';
import { presentBooking, presentRules, presentSlots } from './present';
import { claimRebook } from './rebook';

const POPULATE = ['application.candidate', 'application.job', 'schedule', 'interviewer'] as const;

/**
 * The body of `GET /api/bookings/mine`: a candidate's bookings with their applications and what
 * each can book now, an interviewer's bookings. Also one part of a candidate's first-screen read
 * (`GET /api/home/first`), which must answer exactly what this route does.
 */
export async function myBookings(em: Em, actor: Actor, now: Date): Promise<MyBookingsResponse> {
  return (await myBookingsLean(em, actor, now)) ?? myBookingsOrm(em, actor, now);
}

/**
 * The ORM path of {@link myBookings}: an interviewer's list (and the reference the lean read of
 * a candidate's list is tested against).
 */
export async function myBookingsOrm(em: Em, actor: Actor, now: Date): Promise<MyBookingsResponse> {
  const where =
    actor.kind === 'candidate' ? { application: { candidate: actor.id } } : { interviewer: actor.id };
  const rows = await em.find(Booking, where, { populate: POPULATE, orderBy: { startAt: 'asc' } });
  // Candidates also get their applications and which stage they can book now.
  const applications =
    actor.kind === 'candidate'
      ? (
          await em.find(Application, { candidate: actor.id }, { populate: ['job'], orderBy: { id: 'asc' } })
        ).map((a) => ({
          id: a.id,
          job: { id: a.job.id, title: a.job.title },
          stage: a.stage,
          deadlineAt: a.deadlineAt?.toISOString() ?? null,
          bookable: bookableKinds(
            a.id,
            a.stage,
            rows.map((r) => ({ applicationId: r.application.id, kind: r.kind, status: r.status })),
          ),
        }))
      : [];
  return { items: rows.map((r) => presentBooking(r, now)), applications };
}

function base(ctx: AppContext): BookingCommandBase {
  return {
    em: ctx.deps.orm.em,
    calendar: ctx.deps.dingtalk.calendar,
    actor: actorOf(ctx),
    now: ctx.deps.now?.() ?? new Date(),
    context: { ip: ctx.ip, requestId: ctx.state.requestId },
  };
}

async function present(ctx: AppContext, id: number) {
  const lean = await presentBookingLean(ctx.deps.orm.em, id, ctx.deps.now?.() ?? new Date());
  if (lean) return lean;
  const b = await ctx.deps.orm.em.fork().findOneOrFail(Booking, { id }, { populate: POPULATE });
  return presentBooking(b, ctx.deps.now?.() ?? new Date());
}

/**
 * Booking: slot listing, book, reschedule, cancel, no-show/complete, .ics, and the lists
 * (a candidate's own bookings, an interviewer's schedule, HR's overview per job).
 */
export function bookingRoutes() {
  const router = createRouter('/api/bookings');

  router.get(
    '/slots',
    requireAuth,
    validate({ query: slotsQuery }),
    async (ctx: AppContext<{ query: z.infer<typeof slotsQuery> }>) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em;
      const q = ctx.input.query;
      // The booking command's own coalesced read (one plain statement for a rush of listings,
      // the schedule row shared per state) instead of two ORM reads per request.
      const row = await readForBooking(em, q.kind, q.applicationId);
      assertCan(
        actor,
        'booking.manage',
        { candidateId: row?.application.candidateId ?? -1, interviewerId: null },
        'Application',
      );
      if (!row) return;
      const { application, schedule } = row;
      if (!schedule) throw conflict('not_bookable', `This job has no ${q.kind} scheduling set up`);
      const view = await scheduleView(em, schedule, {
        now: ctx.deps.now?.() ?? new Date(),
        calendar: ctx.deps.dingtalk.calendar,
        refresh: q.refresh === '1',
        // Taken any time: a booking only sets a reminder, so seats limit nothing.
        withSeats: !(schedule.sessionType === 'ai' && schedule.takeMode === 'anytime'),
      });
      const tz = q.tz ?? schedule.timeZone;
      const deadline =
        q.kind === 'ai_interview' && application.deadlineAt !== null
          ? new Date(application.deadlineAt)
          : null;
      const slots = deadline ? view.slots.filter((s) => s.end <= deadline.getTime()) : view.slots;
      ctx.body = {
        rules: presentRules(schedule),
        timeZone: tz,
        planTimeZone: schedule.timeZone,
        deadlineAt: deadline?.toISOString() ?? null,
        slots: presentSlots(slots, tz),
      } satisfies SlotsResponse;
    },
  );

  router.post(
    '/',
    requireAuth,
    validate({ body: bookBody }),
    async (ctx: AppContext<{ body: z.infer<typeof bookBody> }>) => {
      const { rebookToken, ...body } = ctx.input.body;
      const props = { ...base(ctx), ...body };
      // After a no-show the candidate needs the one-time link; a failed booking gives it back.
      const release = await claimRebook({
        ...props,
        secret: ctx.deps.config.notifications.rebookSecret,
        token: rebookToken,
      });
      const b = await bookSlot(props).catch(async (err) => {
        await release?.();
        throw err;
      });
      ctx.status = 201;
      ctx.body = { booking: await present(ctx, b.id) } satisfies BookingResponse;
    },
  );

  router.get('/mine', requireAuth, async (ctx: AppContext) => {
    ctx.body = await myBookings(ctx.deps.orm.em, actorOf(ctx), ctx.deps.now?.() ?? new Date());
  });

  router.get(
    '/',
    requireAuth,
    validate({ query: listBookingsQuery }),
    async (ctx: AppContext<{ query: z.infer<typeof listBookingsQuery> }>) => {
      assertCan(actorOf(ctx), 'hr.access', undefined);
      const em = ctx.deps.orm.em;
      const job = await em.findOne(Job, { id: ctx.input.query.jobId });
      if (!job) throw notFound('Job');
      const rows = await em.find(
        Booking,
        {
          application: { job: job.id },
          ...(ctx.input.query.status ? { status: ctx.input.query.status } : {}),
        },
        { populate: POPULATE, orderBy: { startAt: 'asc' } },
      );
      const now = ctx.deps.now?.() ?? new Date();
      const items = rows.map((r) => presentBooking(r, now));
      const tz = rows[0]?.schedule.timeZone ?? 'Asia/Shanghai';
      const byDate: Record<string, number> = {};
      for (const r of rows)
        if (r.status === 'booked')
          byDate[localDate(r.startAt.getTime(), tz)] = (byDate[localDate(r.startAt.getTime(), tz)] ?? 0) + 1;
      ctx.body = {
        job: { id: job.id, title: job.title },
        items,
        activeByDate: byDate,
      } satisfies JobBookingsResponse;
    },
  );

  const readable = async (ctx: AppContext<{ params: { id: number } }>) => {
    const b = await ctx.deps.orm.em.findOne(Booking, { id: ctx.input.params.id }, { populate: POPULATE });
    assertCan(
      actorOf(ctx),
      'booking.read',
      { candidateId: b?.application.candidate.id ?? -1, interviewerId: b?.interviewer?.id ?? null },
      'Booking',
    );
    if (!b) throw notFound('Booking');
    return b;
  };

  router.get(
    '/:id',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      ctx.body = {
        booking: presentBooking(await readable(ctx), ctx.deps.now?.() ?? new Date()),
      } satisfies BookingResponse;
    },
  );

  // The .ics behind a signed link from a message (no session: the link is the credential, and
  // it names one booking; a forged, altered or expired one is a plain 404).
  router.get(
    '/ics/:token',
    validate({ params: z.strictObject({ token: z.string().min(10).max(400) }) }),
    async (ctx: AppContext<{ params: { token: string } }>) => {
      const now = ctx.deps.now?.() ?? new Date();
      const id = icsLinkBooking(ctx.deps.config.session.secret, ctx.input.params.token, now);
      const b = id ? await ctx.deps.orm.em.findOne(Booking, { id }, { populate: POPULATE }) : null;
      if (!b) throw notFound('Booking');
      ctx.type = 'text/calendar; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="interview-${b.id}.ics"`);
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = bookingIcs(b, { publicUrl: ctx.deps.config.publicUrl, now });
    },
  );

  router.get(
    '/:id/ics',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const b = await readable(ctx);
      ctx.type = 'text/calendar; charset=utf-8';
      ctx.set('Content-Disposition', `attachment; filename="interview-${b.id}.ics"`);
      ctx.body = bookingIcs(b, { publicUrl: ctx.deps.config.publicUrl, now: ctx.deps.now?.() ?? new Date() });
    },
  );

  router.post(
    '/:id/reschedule',
    requireAuth,
    validate({ params: idParams, body: rescheduleBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof rescheduleBody> }>) => {
      const b = await rescheduleBooking({
        ...base(ctx),
        bookingId: ctx.input.params.id,
        startAt: ctx.input.body.startAt,
      });
      ctx.body = { booking: await present(ctx, b.id) } satisfies BookingResponse;
    },
  );

  router.post(
    '/:id/cancel',
    requireAuth,
    validate({ params: idParams, body: cancelBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof cancelBody> }>) => {
      const b = await cancelBooking({
        ...base(ctx),
        bookingId: ctx.input.params.id,
        reason: ctx.input.body.reason,
      });
      ctx.body = { booking: await present(ctx, b.id) } satisfies BookingResponse;
    },
  );

  for (const [path, outcome] of [
    ['/:id/no-show', 'no_show'],
    ['/:id/complete', 'completed'],
  ] as const) {
    router.post(
      path,
      requireAuth,
      validate({ params: idParams, body: noShowBody }),
      async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof noShowBody> }>) => {
        const b = await closeBooking({
          ...base(ctx),
          bookingId: ctx.input.params.id,
          outcome,
          reason: ctx.input.body.reason,
        });
        ctx.body = { booking: await present(ctx, b.id) } satisfies BookingResponse;
      },
    );
  }

  return router;
}
