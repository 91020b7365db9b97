import type { z } from 'zod';
import {
  type AvailabilityResponse,
  availabilityBody,
  dateParams,
  overrideBody,
} from '../../../shared/api/bookings';
import { availabilityProblems } from '../../../shared/slots';
import { audit } from '../../kernel/audit';
import { AvailabilityOverride, InterviewerSchedule } from '../../kernel/db/entities/InterviewerSchedule';
import { badRequest } from '../../kernel/errors';
import { actorOf, requireAuth, requireRole } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';

async function presentMine(ctx: AppContext): Promise<AvailabilityResponse> {
  const actor = actorOf(ctx);
  const em = ctx.deps.orm.em;
  const row = await em.findOne(InterviewerSchedule, { user: actor.id });
  const overrides = await em.find(AvailabilityOverride, { user: actor.id }, { orderBy: { date: 'asc' } });
  return {
    timeZone: row?.timeZone ?? 'Asia/Shanghai',
    weekly: row?.weeklyHours ?? {},
    overrides: overrides.map((o) => ({ date: o.date, ranges: o.ranges })),
    configured: !!row,
  };
}

/**
 * An interviewer's own working hours (weekly + date overrides). Only the interviewer edits
 * their own; the URL has no user id to forge. Every change bumps the interviewer's schedule
 * version, so a booking computed against the old hours cannot commit.
 */
export function availabilityRoutes() {
  const router = createRouter('/api/availability');
  const guard = [requireAuth, requireRole('interviewer', 'manager', 'hr', 'admin')] as const;

  router.get('/me', ...guard, async (ctx: AppContext) => {
    ctx.body = await presentMine(ctx);
  });

  router.put(
    '/me',
    ...guard,
    validate({ body: availabilityBody }),
    async (ctx: AppContext<{ body: z.infer<typeof availabilityBody> }>) => {
      const problems = availabilityProblems({ weekly: ctx.input.body.weekly });
      if (problems.length) throw badRequest('invalid_hours', problems[0], problems);
      const actor = actorOf(ctx);
      await ctx.deps.orm.em.fork().transactional(async (em) => {
        const row = await em.findOne(InterviewerSchedule, { user: actor.id });
        if (row) {
          row.timeZone = ctx.input.body.timeZone;
          row.weeklyHours = ctx.input.body.weekly;
          row.version += 1;
        } else
          em.create(InterviewerSchedule, {
            user: actor.id,
            timeZone: ctx.input.body.timeZone,
            weeklyHours: ctx.input.body.weekly,
          });
        audit(em, actor, 'availability.updated', { type: 'user', id: actor.id }, ctx.input.body, {
          ip: ctx.ip,
          requestId: ctx.state.requestId,
        });
      });
      ctx.body = await presentMine(ctx);
    },
  );

  router.put(
    '/me/overrides/:date',
    ...guard,
    validate({ params: dateParams, body: overrideBody }),
    async (ctx: AppContext<{ params: { date: string }; body: z.infer<typeof overrideBody> }>) => {
      const { date } = ctx.input.params;
      const problems = availabilityProblems({
        weekly: {},
        overrides: [{ date, ranges: ctx.input.body.ranges }],
      });
      if (problems.length) throw badRequest('invalid_hours', problems[0], problems);
      const actor = actorOf(ctx);
      await ctx.deps.orm.em.fork().transactional(async (em) => {
        const row = await em.findOne(AvailabilityOverride, { user: actor.id, date });
        if (row) row.ranges = ctx.input.body.ranges;
        else em.create(AvailabilityOverride, { user: actor.id, date, ranges: ctx.input.body.ranges });
        await em.execute(
          'update interviewer_schedules set version = version + 1 where user_id = ?',
          [actor.id],
          'run',
        );
      });
      ctx.body = await presentMine(ctx);
    },
  );

  router.delete(
    '/me/overrides/:date',
    ...guard,
    validate({ params: dateParams }),
    async (ctx: AppContext<{ params: { date: string } }>) => {
      const userId = actorOf(ctx).id;
      // Like every hours edit, bump the schedule row so an in-flight booking notices (see
      // claimInterviewer in commands/bookings.ts).
      await ctx.deps.orm.em.fork().transactional(async (em) => {
        await em.nativeDelete(AvailabilityOverride, { user: userId, date: ctx.input.params.date });
        await em.execute(
          'update interviewer_schedules set version = version + 1 where user_id = ?',
          [userId],
          'run',
        );
      });
      ctx.body = await presentMine(ctx);
    },
  );

  return router;
}
