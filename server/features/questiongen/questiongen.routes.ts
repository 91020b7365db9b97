import type { z } from 'zod';
import {
  type ApproveDraftResponse,
  type DraftListResponse,
  type DraftResponse,
  draftListQuery,
  editDraftBody,
  type GenerateDraftsResponse,
  generateDraftsBody,
} from '../../../shared/api/questionDrafts';
import type { Config } from '../../kernel/config';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { idParams, validate } from '../../kernel/http/validate';
import type { ChatEndpoint } from '../../kernel/integrations/llm/chat';
import { presentBankQuestion } from '../jobs';
import { approveDraft, discardDraft, editDraft, generateDrafts, listDrafts } from './commands';
import { presentDraft } from './present';

const ctxOf = (ctx: AppContext) => ({ ip: ctx.ip, requestId: ctx.state.requestId });

/** The LLM endpoint when one is configured and switched on, else null (rules only). */
export function llmEndpoint(config: Config): ChatEndpoint | null {
  const l = config.llm;
  return l.enabled && l.url ? { url: l.url, apiKey: l.apiKey, model: l.model, timeoutMs: l.timeoutMs } : null;
}

/**
 * Questions from the job (HR, `job.manage`): generate drafts for a job, list them, edit a
 * proposed one, approve it into the bank or discard it.
 */
export function questionGenRoutes() {
  const router = createRouter('/api');

  router.post(
    '/jobs/:id/question-drafts',
    requireAuth,
    validate({ params: idParams, body: generateDraftsBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof generateDraftsBody> }>) => {
      const out = await generateDrafts({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        jobId: ctx.input.params.id,
        body: ctx.input.body,
        llm: llmEndpoint(ctx.deps.config),
        context: ctxOf(ctx),
      });
      ctx.status = 201;
      ctx.body = {
        source: out.source,
        language: out.language,
        fallbackReason: out.fallbackReason,
        items: out.drafts.map(presentDraft),
      } satisfies GenerateDraftsResponse;
    },
  );

  router.get(
    '/jobs/:id/question-drafts',
    requireAuth,
    validate({ params: idParams, query: draftListQuery }),
    async (ctx: AppContext<{ params: { id: number }; query: z.infer<typeof draftListQuery> }>) => {
      const rows = await listDrafts(
        ctx.deps.orm.em,
        actorOf(ctx),
        ctx.input.params.id,
        ctx.input.query.status,
      );
      ctx.body = { items: rows.map(presentDraft) } satisfies DraftListResponse;
    },
  );

  router.put(
    '/question-drafts/:id',
    requireAuth,
    validate({ params: idParams, body: editDraftBody }),
    async (ctx: AppContext<{ params: { id: number }; body: z.infer<typeof editDraftBody> }>) => {
      const row = await editDraft({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        id: ctx.input.params.id,
        body: ctx.input.body,
        context: ctxOf(ctx),
      });
      ctx.body = { draft: presentDraft(row) } satisfies DraftResponse;
    },
  );

  router.post(
    '/question-drafts/:id/approve',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const out = await approveDraft({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        id: ctx.input.params.id,
        context: ctxOf(ctx),
      });
      ctx.body = {
        draft: presentDraft(out.draft),
        question: presentBankQuestion(out.question),
      } satisfies ApproveDraftResponse;
    },
  );

  router.post(
    '/question-drafts/:id/discard',
    requireAuth,
    validate({ params: idParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const row = await discardDraft({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        id: ctx.input.params.id,
        context: ctxOf(ctx),
      });
      ctx.body = { draft: presentDraft(row) } satisfies DraftResponse;
    },
  );

  return router;
}
