import { z } from 'zod';
import {
  type LiveRoundItem,
  type LiveRoundListResponse,
  type OutlineResponse,
  type ScorecardBody,
  type ScorecardResponse,
  type ScorecardsResponse,
  scorecardBody,
} from '../../../shared/api/liveround';
import { Application } from '../../kernel/db/entities/Application';
import { Booking } from '../../kernel/db/entities/Booking';
import { Candidate } from '../../kernel/db/entities/Candidate';
import { Job } from '../../kernel/db/entities/Job';
import { type ILiveScorecard, LiveScorecard } from '../../kernel/db/entities/LiveScorecard';
import { User } from '../../kernel/db/entities/User';
import { forbidden } from '../../kernel/errors';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { can } from '../../kernel/policies';
import { saveScorecard, submitScorecard } from './commands';
import { assertLiveRound, loadLiveRound, outlineOf, scorecardCompetencies } from './data';
import { presentScorecard } from './present';

const bookingParams = z.strictObject({ bookingId: z.coerce.number().int().positive() });
const DAY = 86_400_000;
/** How far back the list reaches: scorecards are written during or soon after the interview. */
const LIST_PAST_DAYS = 30;

function employeeOf(ctx: AppContext) {
  const actor = actorOf(ctx);
  if (actor.kind !== 'employee') throw forbidden('live_round_forbidden', 'Live rounds are for employees');
  return actor;
}

/** A request on one live round: its `:bookingId`, and for writes the body. */
type RoundContext<Body = unknown> = AppContext<{ params: { bookingId: number }; body: Body }>;

/** The signed-in employee, the request's entity manager and the live round of `:bookingId`. */
async function roundOf(ctx: RoundContext) {
  const actor = employeeOf(ctx);
  const em = ctx.deps.orm.em;
  return { actor, em, round: await loadLiveRound(em, ctx.input.params.bookingId) };
}

type Round = Awaited<ReturnType<typeof roundOf>>;

/** One rater's scorecard (`row`; null: none yet) with the competencies the round is scored on. */
async function scorecardResponse(
  { actor, em, round }: Round,
  row: ILiveScorecard | null,
): Promise<ScorecardResponse> {
  const competencies = await scorecardCompetencies(em, round);
  return {
    competencies,
    scorecard: presentScorecard(row, {
      bookingId: round.booking.id,
      raterId: actor.id,
      raterName: actor.user.name,
      competencies,
    }),
  };
}

/**
 * Live rounds (`/api/liveround`): the interview outline (面试提纲) of a second-round booking for
 * its interviewer, the job's hiring manager and HR; the raters' scorecards (draft, submit once,
 * audited edits); every scorecard for HR and the hiring manager.
 */
export function liveRoundRoutes() {
  const router = createRouter('/api/liveround');

  router.get('/', requireAuth, async (ctx: AppContext) => {
    const actor = employeeOf(ctx);
    const em = ctx.deps.orm.em;
    const now = ctx.deps.now?.() ?? new Date();
    const hr = actor.roles.includes('hr') || actor.roles.includes('admin');
    const managed = hr
      ? []
      : (await em.find(Job, { hiringManager: actor.id }, { fields: ['id'] })).map((j) => j.id);
    const apps = managed.length
      ? (await em.find(Application, { job: { $in: managed } }, { fields: ['id'] })).map((a) => a.id)
      : [];
    const scope = hr
      ? {}
      : { $or: [{ interviewer: actor.id }, ...(apps.length ? [{ application: { $in: apps } }] : [])] };
    const bookings = await em.find(
      Booking,
      {
        kind: 'second_round',
        status: { $ne: 'cancelled' },
        startAt: { $gte: new Date(now.getTime() - LIST_PAST_DAYS * DAY) },
        ...scope,
      },
      { orderBy: { startAt: 'asc' }, limit: 100 },
    );
    const appRows = bookings.length
      ? await em.find(Application, { id: { $in: bookings.map((b) => b.application.id) } })
      : [];
    const [candidates, jobs, users, cards] = await Promise.all([
      em.find(Candidate, { id: { $in: appRows.map((a) => a.candidate.id) } }),
      em.find(Job, { id: { $in: appRows.map((a) => a.job.id) } }),
      em.find(User, { id: { $in: bookings.flatMap((b) => (b.interviewer ? [b.interviewer.id] : [])) } }),
      bookings.length ? em.find(LiveScorecard, { bookingId: { $in: bookings.map((b) => b.id) } }) : [],
    ]);
    const items: LiveRoundItem[] = bookings.map((b) => {
      const app = appRows.find((a) => a.id === b.application.id);
      const job = jobs.find((j) => j.id === app?.job.id);
      const mine = cards.find((c) => c.bookingId === b.id && c.raterId === actor.id);
      return {
        bookingId: b.id,
        applicationId: b.application.id,
        candidateName: candidates.find((c) => c.id === app?.candidate.id)?.name ?? '',
        jobTitle: job?.title ?? '',
        startAt: b.startAt.toISOString(),
        timeZone: b.timeZone,
        status: b.status,
        interviewerName: users.find((u) => u.id === b.interviewer?.id)?.name ?? null,
        canRate: can(actor, 'liveround.rate', {
          interviewerId: b.interviewer?.id ?? null,
          hiringManagerId: job?.hiringManager?.id ?? null,
        }),
        myScorecard: mine?.status ?? 'none',
        submitted: cards.filter((c) => c.bookingId === b.id && c.status === 'submitted').length,
      };
    });
    ctx.body = { items } satisfies LiveRoundListResponse;
  });

  router.get(
    '/:bookingId/outline',
    requireAuth,
    validate({ params: bookingParams }),
    async (ctx: RoundContext) => {
      const { actor, em, round } = await roundOf(ctx);
      assertLiveRound(actor, 'liveround.read', round);
      ctx.body = (await outlineOf(em, round, actor.user)) satisfies OutlineResponse;
    },
  );

  router.get(
    '/:bookingId/scorecard',
    requireAuth,
    validate({ params: bookingParams }),
    async (ctx: RoundContext) => {
      const r = await roundOf(ctx);
      assertLiveRound(r.actor, 'liveround.rate', r.round);
      const row = await r.em.findOne(LiveScorecard, { bookingId: r.round.booking.id, raterId: r.actor.id });
      ctx.body = await scorecardResponse(r, row);
    },
  );

  router.put(
    '/:bookingId/scorecard',
    requireAuth,
    validate({ params: bookingParams, body: scorecardBody }),
    async (ctx: RoundContext<ScorecardBody>) => {
      const r = await roundOf(ctx);
      const row = await saveScorecard(r.em, { actor: r.actor, round: r.round, body: ctx.input.body });
      ctx.body = await scorecardResponse(r, row);
    },
  );

  router.post(
    '/:bookingId/scorecard/submit',
    requireAuth,
    validate({ params: bookingParams }),
    async (ctx: RoundContext) => {
      const r = await roundOf(ctx);
      const now = ctx.deps.now?.() ?? new Date();
      const row = await submitScorecard(r.em, { actor: r.actor, round: r.round, now });
      ctx.body = await scorecardResponse(r, row);
    },
  );

  router.get(
    '/:bookingId/scorecards',
    requireAuth,
    validate({ params: bookingParams }),
    async (ctx: RoundContext) => {
      const { actor, em, round } = await roundOf(ctx);
      if (!can(actor, 'liveround.read_all', { hiringManagerId: round.hiringManagerId }))
        throw forbidden('live_round_forbidden', 'Only HR and the hiring manager see every scorecard');
      const competencies = await scorecardCompetencies(em, round);
      const rows = await em.find(LiveScorecard, { bookingId: round.booking.id }, { orderBy: { id: 'asc' } });
      const raters = rows.length ? await em.find(User, { id: { $in: rows.map((r) => r.raterId) } }) : [];
      ctx.body = {
        bookingId: round.booking.id,
        competencies,
        scorecards: rows.map((r) =>
          presentScorecard(r, {
            bookingId: r.bookingId,
            raterId: r.raterId,
            raterName: raters.find((u) => u.id === r.raterId)?.name ?? '',
            competencies,
          }),
        ),
      } satisfies ScorecardsResponse;
    },
  );

  return router;
}
