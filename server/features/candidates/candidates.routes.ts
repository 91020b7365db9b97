import type { FilterQuery } from '@mikro-orm/core';
import { audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import { Booking } from '../../kernel/db/entities/Booking';
import { Candidate, type ICandidate } from '../../kernel/db/entities/Candidate';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { assertCan, can } from '../../kernel/policies';
import { assignedReviewerIds } from '../jobs';
import { listCandidatesQuery } from './candidates.schema';
import { presentCandidate } from './present';

/** Candidate profiles. HR sees everyone; managers see candidates of their department's jobs. */
export function candidateRoutes() {
  const router = createRouter('/api/candidates');

  router.get(
    '/',
    requireAuth,
    validate({ query: listCandidatesQuery }),
    async (ctx: AppContext<{ query: { q?: string; limit: number; offset: number } }>) => {
      const actor = actorOf(ctx);
      assertCan(actor, 'candidate.list', undefined);
      const em = ctx.deps.orm.em;
      const where: FilterQuery<ICandidate> = {};
      if (ctx.input.query.q) (where as Record<string, unknown>).name = { $like: `%${ctx.input.query.q}%` };
      if (!can(actor, 'hr.access', undefined) && actor.kind === 'employee') {
        const invs = await em.find(
          Invitation,
          { job: { department: actor.departmentId ?? -1 } },
          { fields: ['candidate'] },
        );
        (where as Record<string, unknown>).id = { $in: [...new Set(invs.map((i) => i.candidate.id))] };
      }
      const [rows, total] = await em.findAndCount(Candidate, where, {
        orderBy: { id: 'asc' },
        limit: ctx.input.query.limit,
        offset: ctx.input.query.offset,
      });
      const showContact = can(actor, 'hr.access', undefined);
      ctx.body = { total, items: rows.map((c) => presentCandidate(c, { showContact })) };
    },
  );

  router.get(
    '/:id',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em;
      const candidate = await em.findOne(Candidate, { id: ctx.input.params.id });
      const invitations = candidate
        ? await em.find(Invitation, { candidate }, { populate: ['job'], orderBy: { id: 'asc' } })
        : [];
      // Interviewers assigned to any of the candidate's applications: reviewers HR named (or
      // the pool chose) and the interviewers of their live bookings.
      const applicationIds = candidate
        ? (await em.find(Application, { candidate }, { fields: ['id'] })).map((a) => a.id)
        : [];
      const bookings = applicationIds.length
        ? await em.find(Booking, {
            application: { $in: applicationIds },
            interviewer: { $ne: null },
            status: { $ne: 'cancelled' },
          })
        : [];
      const assignedInterviewerIds = [
        ...(await assignedReviewerIds(em, applicationIds)),
        ...bookings.map((b) => (b.interviewer as { id: number }).id),
      ];
      // Unknown and forbidden ids look the same (404) so nobody can probe which candidates exist.
      assertCan(
        actor,
        'candidate.read',
        {
          candidateId: candidate?.id ?? -1,
          departmentIds: invitations.map((i) => i.job.department.id),
          assignedInterviewerIds,
        },
        'Candidate',
      );
      if (!candidate) return;
      if (actor.kind === 'employee') {
        audit(em, actor, 'candidate.viewed', { type: 'candidate', id: candidate.id }, null, {
          ip: ctx.ip,
          requestId: ctx.state.requestId,
        });
        await em.flush();
      }
      const showContact = actor.kind === 'candidate' || can(actor, 'hr.access', undefined);
      ctx.body = { candidate: presentCandidate(candidate, { showContact, invitations }) };
    },
  );

  return router;
}
