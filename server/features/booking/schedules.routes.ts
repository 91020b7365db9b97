import type { z } from 'zod';
import { z as zod } from 'zod';
import {
  type ScheduleBody,
  type ScheduleJobsResponse,
  type ScheduleResponse,
  type SchedulesResponse,
  type ScheduleView,
  scheduleBody,
  scheduleParams,
} from '../../../shared/api/bookings';
import { defaultReminderOffsets } from '../../../shared/api/reminders';
import { availabilityProblems } from '../../../shared/slots';
import { audit } from '../../kernel/audit';
import type { Config } from '../../kernel/config';
import { InterviewPlan } from '../../kernel/db/entities/InterviewPlan';
import { Job } from '../../kernel/db/entities/Job';
import { type IPlanSchedule, PlanInterviewer, PlanSchedule } from '../../kernel/db/entities/PlanSchedule';
import { User } from '../../kernel/db/entities/User';
import type { Em } from '../../kernel/db/orm';
import { badRequest, notFound } from '../../kernel/errors';
import { actorOf, requireAuth, requireRole } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { presentRules } from './present';

async function presentSchedule(em: Em, s: IPlanSchedule, config: Config): Promise<ScheduleView> {
  const pool = await em.find(
    PlanInterviewer,
    { schedule: s.id },
    { populate: ['user'], orderBy: { id: 'asc' } },
  );
  return {
    id: s.id,
    ...presentRules(s),
    weeklyHours: s.weeklyHours,
    dateOverrides: s.dateOverrides,
    active: s.active,
    reminderOffsetsMinutes: s.reminderOffsetsMinutes ?? null,
    // What null means, so the editor can show the defaults in place.
    reminderDefaults: defaultReminderOffsets(config.notifications, s.kind),
    interviewers: pool.map((p) => ({ id: p.user.id, name: p.user.name, userid: p.user.dingtalkUserId })),
  };
}

/** HR's plan editor: scheduling rules per job and stage, with the live interviewer pool. */
export function scheduleRoutes() {
  const router = createRouter('/api/schedules');
  const hr = [requireAuth, requireRole('hr', 'admin')] as const;

  router.get('/jobs', ...hr, async (ctx: AppContext) => {
    const em = ctx.deps.orm.em;
    const jobs = await em.find(Job, {}, { orderBy: { id: 'asc' } });
    const schedules = await em.find(PlanSchedule, {}, { populate: ['plan'] });
    ctx.body = {
      items: jobs.map((j) => ({
        id: j.id,
        title: j.title,
        status: j.status,
        kinds: schedules.filter((s) => s.plan.job.id === j.id).map((s) => s.kind),
      })),
    } satisfies ScheduleJobsResponse;
  });

  router.get(
    '/',
    ...hr,
    validate({ query: zod.strictObject({ jobId: zod.coerce.number().int().positive() }) }),
    async (ctx: AppContext<{ query: { jobId: number } }>) => {
      const em = ctx.deps.orm.em;
      const job = await em.findOne(Job, { id: ctx.input.query.jobId });
      if (!job) throw notFound('Job');
      const rows = await em.find(PlanSchedule, { plan: { job: job.id } }, { orderBy: { kind: 'asc' } });
      const candidates = await em.find(User, { active: true }, { orderBy: { id: 'asc' } });
      ctx.body = {
        job: { id: job.id, title: job.title },
        schedules: await Promise.all(rows.map((r) => presentSchedule(em, r, ctx.deps.config))),
        eligibleInterviewers: candidates
          .filter((u) => u.roles.includes('interviewer') || u.roles.includes('manager'))
          .map((u) => ({ id: u.id, name: u.name, userid: u.dingtalkUserId })),
      } satisfies SchedulesResponse;
    },
  );

  router.put(
    '/:jobId/:kind',
    ...hr,
    validate({ params: scheduleParams, body: scheduleBody }),
    async (ctx: AppContext<{ params: z.infer<typeof scheduleParams>; body: ScheduleBody }>) => {
      const { jobId, kind } = ctx.input.params;
      const body = ctx.input.body;
      const problems = availabilityProblems({ weekly: body.weeklyHours, overrides: body.dateOverrides });
      if (problems.length) throw badRequest('invalid_hours', problems[0], problems);
      if (body.sessionType === 'live' && body.capacityPerSlot !== 1)
        throw badRequest('invalid_capacity', 'Live sessions seat exactly one candidate per interviewer');
      if (body.sessionType === 'live' && body.takeMode === 'anytime')
        throw badRequest('invalid_take_mode', 'Live sessions are always booked; takeMode must be booked', [
          { field: 'takeMode', message: 'must be booked for a live session', kind: 'invalid' },
        ]);
      if (body.sessionType === 'live' && body.interviewerIds.length === 0)
        throw badRequest('empty_pool', 'A live session needs at least one interviewer');
      const actor = actorOf(ctx);
      const saved = await ctx.deps.orm.em.fork().transactional(async (em) => {
        const job = await em.findOne(Job, { id: jobId });
        if (!job) throw notFound('Job');
        const ids = [...new Set(body.interviewerIds)];
        const users = ids.length ? await em.find(User, { id: { $in: ids }, active: true }) : [];
        const eligible = new Set(
          users
            .filter((u) => u.roles.includes('interviewer') || u.roles.includes('manager'))
            .map((u) => u.id),
        );
        const forged = ids.filter((id) => !eligible.has(id));
        if (forged.length)
          throw badRequest('unknown_interviewer', `No active interviewer with id ${forged.join(', ')}`, {
            ids: forged,
          });
        let plan = await em.findOne(InterviewPlan, { job: job.id });
        if (!plan) plan = em.create(InterviewPlan, { job: job.id, name: job.title });
        const { interviewerIds: _ids, takeMode, ...rules } = body;
        // A full replacement like the other rules: absent = back to the configured defaults.
        const reminderOffsetsMinutes = rules.reminderOffsetsMinutes ?? null;
        let row = await em.findOne(PlanSchedule, { plan, kind });
        if (row) {
          em.assign(row, {
            ...rules,
            takeMode: rules.sessionType === 'live' ? 'booked' : (takeMode ?? row.takeMode),
            stepMinutes: rules.stepMinutes ?? null,
            reminderOffsetsMinutes,
            version: row.version + 1,
          });
        } else {
          row = em.create(PlanSchedule, {
            ...rules,
            takeMode: rules.sessionType === 'live' ? 'booked' : (takeMode ?? 'anytime'),
            stepMinutes: rules.stepMinutes ?? null,
            reminderOffsetsMinutes,
            plan,
            kind,
            active: rules.active ?? true,
          });
        }
        await em.flush();
        await em.nativeDelete(PlanInterviewer, { schedule: row.id, user: { $nin: ids.length ? ids : [-1] } });
        for (const id of ids)
          if (!(await em.findOne(PlanInterviewer, { schedule: row.id, user: id })))
            em.create(PlanInterviewer, { schedule: row.id, user: id });
        audit(
          em,
          actor,
          'schedule.updated',
          { type: 'plan_schedule', id: row.id },
          { jobId, kind, ...body },
          {
            ip: ctx.ip,
            requestId: ctx.state.requestId,
          },
        );
        await em.flush();
        return row;
      });
      ctx.body = {
        schedule: await presentSchedule(ctx.deps.orm.em.fork(), saved, ctx.deps.config),
      } satisfies ScheduleResponse;
    },
  );

  return router;
}
