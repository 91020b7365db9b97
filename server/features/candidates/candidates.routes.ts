import type { FilterQuery } from '@mikro-orm/core';
import {
  CANDIDATE_SOURCES,
  type CandidateInvitationsResponse,
  type CandidateListResponse,
  type CandidateProfileResponse,
  type CandidateSource,
  type CreateCandidateResponse,
  createCandidateBody,
  type ImportPreviewBody,
  type ImportResponse,
  importPreviewBody,
} from '../../../shared/api/candidates';
import { audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import { Booking } from '../../kernel/db/entities/Booking';
import { Candidate, type ICandidate } from '../../kernel/db/entities/Candidate';
import { CandidateImport } from '../../kernel/db/entities/CandidateImport';
import { Invitation } from '../../kernel/db/entities/Invitation';
import { notFound } from '../../kernel/errors';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import { assertCan, can } from '../../kernel/policies';
import { invitationsOfCandidate } from '../auth';
import { assignedReviewerIds } from '../jobs';
import { listCandidatesQuery } from './candidates.schema';
import { addCandidate, confirmImport, presentImport, previewImport } from './commands';
import { presentCandidate, presentListItem } from './present';
import { candidateProfile } from './profile';

const auditContext = (ctx: AppContext) => ({ ip: ctx.ip, requestId: ctx.state.requestId });

/** Candidate profiles. HR sees everyone; managers see candidates of their department's jobs. */
export function candidateRoutes() {
  const router = createRouter('/api/candidates');

  router.get(
    '/',
    requireAuth,
    validate({ query: listCandidatesQuery }),
    async (
      ctx: AppContext<{ query: { q?: string; source?: CandidateSource; limit: number; offset: number } }>,
    ) => {
      const actor = actorOf(ctx);
      assertCan(actor, 'candidate.list', undefined);
      const em = ctx.deps.orm.em;
      const where: FilterQuery<ICandidate> = {};
      const q = ctx.input.query.q;
      const showContact = can(actor, 'hr.access', undefined);
      // HR may search by mobile or e-mail too; others by name only (they see masked contacts).
      if (q) {
        const like = { $like: `%${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%` };
        (where as Record<string, unknown>).$or = showContact
          ? [{ name: like }, { mobile: like }, { email: like }]
          : [{ name: like }];
      }
      if (!can(actor, 'hr.access', undefined) && actor.kind === 'employee') {
        const invs = await em.find(
          Invitation,
          { job: { department: actor.departmentId ?? -1 } },
          { fields: ['candidate'] },
        );
        (where as Record<string, unknown>).id = { $in: [...new Set(invs.map((i) => i.candidate.id))] };
      }
      // Counts per source within the caller's scope and search (statistics by source; the
      // source filter itself is left out so the other sources' numbers stay visible).
      const bySource = {} as Record<CandidateSource, number>;
      for (const s of CANDIDATE_SOURCES) bySource[s] = await em.count(Candidate, { ...where, source: s });
      if (ctx.input.query.source) (where as Record<string, unknown>).source = ctx.input.query.source;
      const [rows, total] = await em.findAndCount(Candidate, where, {
        orderBy: { id: 'desc' },
        limit: ctx.input.query.limit,
        offset: ctx.input.query.offset,
      });
      ctx.body = {
        total,
        items: rows.map((c) => presentListItem(c, showContact)),
        bySource,
      } satisfies CandidateListResponse;
    },
  );

  // Add one candidate (or merge into the one with the same mobile/e-mail).
  router.post(
    '/',
    requireAuth,
    validate({ body: createCandidateBody }),
    async (
      ctx: AppContext<{
        body: { name: string; mobile?: string; email?: string; source: CandidateSource; referrer?: string };
      }>,
    ) => {
      const { candidate, merged } = await addCandidate({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        body: ctx.input.body,
        context: auditContext(ctx),
      });
      ctx.status = merged ? 200 : 201;
      ctx.body = { candidate: presentListItem(candidate, true), merged } satisfies CreateCandidateResponse;
    },
  );

  // Import: upload -> preview (nothing imported yet) -> confirm (all rows or none).
  router.post(
    '/imports',
    requireAuth,
    validate({ body: importPreviewBody }),
    async (ctx: AppContext<{ body: ImportPreviewBody }>) => {
      ctx.status = 201;
      ctx.body = {
        import: await previewImport({
          em: ctx.deps.orm.em,
          actor: actorOf(ctx),
          body: ctx.input.body,
          context: auditContext(ctx),
        }),
      } satisfies ImportResponse;
    },
  );

  router.get(
    '/imports/:id',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      assertCan(actorOf(ctx), 'candidate.import', undefined);
      const row = await ctx.deps.orm.em.findOne(CandidateImport, { id: ctx.input.params.id });
      if (!row) throw notFound('Import');
      ctx.body = { import: presentImport(row) } satisfies ImportResponse;
    },
  );

  router.post(
    '/imports/:id/confirm',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      ctx.body = {
        import: await confirmImport({
          em: ctx.deps.orm.em,
          actor: actorOf(ctx),
          importId: ctx.input.params.id,
          now: ctx.deps.now?.() ?? new Date(),
          context: auditContext(ctx),
        }),
      } satisfies ImportResponse;
    },
  );

  // A candidate's invitations with a fresh link to copy (HR).
  router.get(
    '/:id/invitations',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      assertCan(actorOf(ctx), 'invitation.manage', undefined);
      const em = ctx.deps.orm.em;
      const candidate = await em.findOne(Candidate, { id: ctx.input.params.id });
      if (!candidate) throw notFound('Candidate');
      ctx.body = {
        invitations: await invitationsOfCandidate(
          em,
          ctx.deps.config,
          candidate.id,
          ctx.deps.now?.() ?? new Date(),
        ),
      } satisfies CandidateInvitationsResponse;
    },
  );

  // The interviewer-facing profile: applications the caller works on, with stage, booking and
  // report. Unlike `GET /:id` a refusal is a 403 with its own code, not a 404: the screen tells
  // an interviewer who is not (or no longer) assigned why they cannot see it.
  router.get(
    '/:id/profile',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      ctx.body = {
        profile: await candidateProfile({
          em: ctx.deps.orm.em,
          actor: actorOf(ctx),
          id: ctx.input.params.id,
          now: ctx.deps.now?.() ?? new Date(),
          context: auditContext(ctx),
        }),
      } satisfies CandidateProfileResponse;
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
