import { Transform } from 'node:stream';
import {
  type AtsImportBody,
  type AtsImportResponse,
  atsImportBody,
  type CorrectFieldBody,
  correctFieldBody,
  type PoolQuery,
  type PoolTagSuggestionsResponse,
  type PoolTagsBody,
  type PoolTagsResponse,
  poolConsentBody,
  poolInviteBody,
  poolQuery,
  poolTagSuggestionsQuery,
  poolTagsBody,
  poolTagsParams,
  RESUME_MAX_BYTES,
  type ResumeListResponse,
  type ResumeResponse,
  resumeIdParams,
  type ScreeningDecision,
  type ScreeningDecisionBody,
  type ScreeningDecisionResponse,
  type ScreeningResponse,
  type ScreeningRow,
  screeningDecisionBody,
  screeningParams,
} from '../../../shared/api/resumes';
import { matchResume, requirementsOf } from '../../../shared/resumes/match';
import type { Actor } from '../../kernel/actor';
import { audit } from '../../kernel/audit';
import { Application } from '../../kernel/db/entities/Application';
import { Job } from '../../kernel/db/entities/Job';
import { type IResume, Resume, ScreeningDecisionRow } from '../../kernel/db/entities/Resume';
import type { Em } from '../../kernel/db/orm';
import { AppError, badRequest, conflict, notFound, upstreamError } from '../../kernel/errors';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { AppContext } from '../../kernel/http/context';
import { actorSubject, rateLimit } from '../../kernel/http/rateLimit';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { DingTalkError } from '../../kernel/integrations/dingtalk';
import { FormError, openFormFile } from '../../kernel/integrations/storage/formUpload';
import { TooLargeError } from '../../kernel/integrations/storage/local';
import { assertCan } from '../../kernel/policies';
import { createInvitationIn } from '../auth';
import { importFromAts } from './ats';
import { correctField, recordDecision, setPoolConsent, storeResume } from './commands';
import { checkResumeFile } from './intake';
import { poolPage } from './poolListing';
import { presentResume } from './present';
import { changePoolTags, tagSuggestions } from './tags';

type Params<P> = AppContext<{ params: P }>;

/** HR's routes check the role before reading any input: a stranger learns nothing of the schema. */
async function hrOnly(ctx: AppContext, next: () => Promise<unknown>) {
  assertCan(actorOf(ctx), 'resume.manage', undefined);
  await next();
}

const tooLarge = () =>
  new AppError('resume_too_large', `The file is larger than ${RESUME_MAX_BYTES} bytes (field "file")`, {
    field: 'file',
    maxMegabytes: RESUME_MAX_BYTES / 1024 / 1024,
  });

/**
 * Reads a multipart upload (fields first, then the file part `file`) into memory, refusing
 * more than {@link RESUME_MAX_BYTES} while it streams (a declared length over the limit is
 * refused before reading).
 */
async function readUpload(
  ctx: AppContext,
): Promise<{ fields: Map<string, string>; filename: string; bytes: Buffer }> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > RESUME_MAX_BYTES + 64 * 1024) {
    ctx.req.resume();
    throw tooLarge();
  }
  try {
    const form = await openFormFile(ctx.req, ctx.get('content-type'));
    const parts: Buffer[] = [];
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > RESUME_MAX_BYTES) cb(new TooLargeError('the file is larger than allowed'));
        else cb(null, chunk);
      },
    });
    form.stream.on('error', (e) => limit.destroy(e));
    for await (const chunk of form.stream.pipe(limit)) parts.push(chunk as Buffer);
    return { fields: form.fields, filename: form.filename ?? '', bytes: Buffer.concat(parts) };
  } catch (err) {
    ctx.req.resume();
    if (err instanceof FormError) throw badRequest('invalid_form', `${err.message} (field "file")`);
    if (err instanceof TooLargeError) throw tooLarge();
    throw err;
  }
}

function jobIdField(fields: Map<string, string>): number | null {
  const raw = fields.get('jobId');
  if (raw === undefined || raw === '') return null;
  if (!/^\d{1,9}$/.test(raw))
    throw new AppError('validation_failed', 'Invalid body.jobId: must be a job id', [
      { field: 'body.jobId', message: 'must be a job id', kind: 'invalid' },
    ]);
  return Number(raw);
}

async function loadResume(ctx: AppContext, id: number): Promise<IResume> {
  const row = await ctx.deps.orm.em.findOne(Resume, { id });
  // Unknown and someone else's look the same.
  assertCan(actorOf(ctx), 'resume.read', { candidateId: row?.candidate.id ?? -1 }, 'Résumé');
  if (!row) throw notFound('Résumé');
  return row;
}

/** The screening queue of a job: its candidates' latest parsed résumés with their match, best first. */
export async function screeningQueue(em: Em, jobId: number): Promise<ScreeningResponse> {
  const job = await em.findOne(Job, { id: jobId });
  if (!job) throw notFound('Job');
  const requirements = requirementsOf(job);
  const applicants = (await em.find(Application, { job: jobId }, { fields: ['candidate'] })).map(
    (a) => a.candidate.id,
  );
  const resumes = await em.find(
    Resume,
    { $or: [{ job: jobId }, ...(applicants.length ? [{ candidate: { $in: applicants } }] : [])] },
    { populate: ['candidate'], orderBy: { id: 'desc' } },
  );
  const latest = new Map<number, IResume>();
  let pending = 0;
  for (const r of resumes) {
    if (r.status === 'pending' && r.job?.id === jobId) pending++;
    if (r.status === 'parsed' && r.profile && r.text && !latest.has(r.candidate.id))
      latest.set(r.candidate.id, r);
  }
  const decisions = new Map(
    (await em.find(ScreeningDecisionRow, { job: jobId })).map((d) => [d.candidate.id, d] as const),
  );
  const rows: ScreeningRow[] = [...latest.values()].map((r) => {
    const d = decisions.get(r.candidate.id);
    return {
      resumeId: r.id,
      candidateId: r.candidate.id,
      candidateName: r.candidate.name,
      match: matchResume(
        r.text ?? '',
        r.profile as NonNullable<IResume['profile']>,
        requirements,
        r.createdAt,
      ),
      decision: d
        ? {
            decision: d.decision,
            feedback: d.feedback ?? null,
            decidedAt: d.createdAt.toISOString(),
            decidedBy: d.decidedBy.id,
          }
        : null,
    };
  });
  rows.sort((a, b) => b.match.score - a.match.score || a.resumeId - b.resumeId);
  return { job: { id: job.id, title: job.title, requirements }, rows, pending };
}

/**
 * Records HR's screening decision on a résumé for `jobId`. An invitation (`invite`) and its
 * decision commit together: a refused invitation records nothing. Returns the invitation's URL.
 */
async function decideScreening(
  ctx: AppContext,
  actor: Actor,
  jobId: number,
  now: Date,
  d: { resume: IResume; candidateId: number; decision: ScreeningDecision; feedback: string; score: number },
): Promise<string | null> {
  const context = { ip: ctx.ip, requestId: ctx.state.requestId };
  let invitationUrl: string | null = null;
  await ctx.deps.orm.em.transactional(async (tx) => {
    if (d.decision === 'invite') {
      const inv = await createInvitationIn(tx, {
        config: ctx.deps.config,
        actor,
        candidateId: d.candidateId,
        jobId,
        now,
        context,
      });
      invitationUrl = inv.url;
    }
    const { resume, decision, feedback, score } = d;
    await recordDecision({ em: tx, actor, jobId, resume, decision, feedback, score, context });
  });
  return invitationUrl;
}

/**
 * Résumés (`/api/resumes`): upload (the candidate's own, or HR's for a candidate), reading
 * the file and its parsed profile, HR's corrections, the talent-pool consent, and the
 * screening queue per job with HR's decisions. Extraction happens in the worker, never here.
 */
export function resumesRoutes() {
  const router = createRouter('/api/resumes');
  const uploads = rateLimit({ name: 'resume_upload', limit: 20, windowMs: 60_000 }, actorSubject);

  const created = async (ctx: AppContext, candidateId: number, consentRequired: boolean) => {
    const { fields, filename, bytes } = await readUpload(ctx);
    if (consentRequired && fields.get('consent') !== 'true')
      throw new AppError('resume_consent_required', 'Agree to the processing notice first (field "consent")');
    const checked = await checkResumeFile(bytes);
    const row = await storeResume({
      em: ctx.deps.orm.em,
      storage: ctx.deps.storage,
      actor: actorOf(ctx),
      candidateId,
      jobId: jobIdField(fields),
      fileName: filename,
      bytes,
      checked,
      now: ctx.deps.now?.() ?? new Date(),
      context: { ip: ctx.ip, requestId: ctx.state.requestId },
    });
    ctx.status = 201;
    ctx.body = { resume: presentResume(row), fileUrl: null } satisfies ResumeResponse;
  };

  router.post('/', requireAuth, uploads, async (ctx: AppContext) => {
    const actor = actorOf(ctx);
    assertCan(actor, 'resume.own', { candidateId: actor.kind === 'candidate' ? actor.id : -1 });
    await created(ctx, actor.id, true);
  });

  router.post('/candidates/:id', requireAuth, uploads, async (ctx: AppContext) => {
    assertCan(actorOf(ctx), 'resume.manage', undefined);
    const p = resumeIdParams.safeParse((ctx as unknown as { params: unknown }).params);
    if (!p.success)
      throw new AppError('validation_failed', 'Invalid params.id: must be a candidate id', [
        { field: 'params.id', message: 'must be a candidate id', kind: 'invalid' },
      ]);
    await created(ctx, p.data.id, false);
  });

  router.get('/mine', requireAuth, async (ctx: AppContext) => {
    const actor = actorOf(ctx);
    assertCan(actor, 'resume.own', { candidateId: actor.kind === 'candidate' ? actor.id : -1 });
    const rows = await ctx.deps.orm.em.find(Resume, { candidate: actor.id }, { orderBy: { id: 'desc' } });
    ctx.body = { resumes: rows.map(presentResume) } satisfies ResumeListResponse;
  });

  router.get(
    '/candidates/:id',
    requireAuth,
    validate({ params: resumeIdParams }),
    async (ctx: AppContext<{ params: { id: number } }>) => {
      const actor = actorOf(ctx);
      const candidateId = ctx.input.params.id;
      assertCan(actor, 'resume.read', { candidateId }, 'Candidate');
      const rows = await ctx.deps.orm.em.find(
        Resume,
        { candidate: candidateId },
        { orderBy: { id: 'desc' } },
      );
      if (actor.kind === 'employee' && rows.length) {
        const context = { ip: ctx.ip, requestId: ctx.state.requestId };
        audit(ctx.deps.orm.em, actor, 'resume.viewed', { type: 'candidate', id: candidateId }, null, context);
        await ctx.deps.orm.em.flush();
      }
      ctx.body = { resumes: rows.map(presentResume) } satisfies ResumeListResponse;
    },
  );

  router.get(
    '/jobs/:jobId/screening',
    requireAuth,
    hrOnly,
    validate({ params: screeningParams }),
    async (ctx: Params<{ jobId: number }>) => {
      assertCan(actorOf(ctx), 'resume.manage', undefined);
      ctx.body = await screeningQueue(ctx.deps.orm.em, ctx.input.params.jobId);
    },
  );

  // DingTalk recruitment (钉钉招聘): bring its candidates in by mobile (see ats.ts). Candidates only:
  // the documented ATS API returns no résumé file or text, so HR uploads it afterwards through
  // POST /candidates/:id (the import screen offers it on each imported row).
  router.post(
    '/ats/import',
    requireAuth,
    hrOnly,
    validate({ body: atsImportBody }),
    async (ctx: AppContext<{ body: AtsImportBody }>) => {
      const actor = actorOf(ctx);
      assertCan(actor, 'resume.manage', undefined);
      const rows = await importFromAts({
        em: ctx.deps.orm.em,
        dingtalk: ctx.deps.dingtalk,
        actor,
        mobiles: ctx.input.body.mobiles,
        context: { ip: ctx.ip, requestId: ctx.state.requestId },
      }).catch((err: unknown) => {
        if (!(err instanceof DingTalkError)) throw err;
        // Unreachable or throttled beyond the retries: try later. Refused (permission, quota): say so.
        if (err.kind === 'unavailable' || err.kind === 'throttle')
          throw upstreamError('dingtalk_unavailable', 'DingTalk recruitment cannot be reached; retry later');
        throw upstreamError('resume_ats_refused', `DingTalk recruitment refused the lookup (${err.code})`, {
          code: err.code,
        });
      });
      ctx.body = { rows } satisfies AtsImportResponse;
    },
  );

  router.post(
    '/jobs/:jobId/decisions',
    requireAuth,
    hrOnly,
    validate({ params: screeningParams, body: screeningDecisionBody }),
    async (ctx: AppContext<{ params: { jobId: number }; body: ScreeningDecisionBody }>) => {
      const actor = actorOf(ctx);
      assertCan(actor, 'resume.manage', undefined);
      const { jobId } = ctx.input.params;
      const { resumeId, decision, feedback } = ctx.input.body;
      const queue = await screeningQueue(ctx.deps.orm.em, jobId);
      const row = queue.rows.find((r) => r.resumeId === resumeId);
      if (!row) throw notFound('Résumé');
      if (row.decision)
        throw conflict('screening_decided', 'This candidate was already decided for this job');
      const resume = await ctx.deps.orm.em.findOneOrFail(Resume, { id: resumeId });
      const now = ctx.deps.now?.() ?? new Date();
      const decided = { resume, candidateId: row.candidateId, decision, feedback, score: row.match.score };
      const invitationUrl = await decideScreening(ctx, actor, jobId, now, decided);
      ctx.status = 201;
      ctx.body = { decision, invitationUrl } satisfies ScreeningDecisionResponse;
    },
  );

  // The talent pool: candidates who consented to be kept, searchable by text, skill, past job,
  // stage reached, outcome and tags, one page at a time (poolListing.ts).
  router.get(
    '/pool',
    requireAuth,
    hrOnly,
    validate({ query: poolQuery }),
    async (ctx: AppContext<{ query: PoolQuery }>) => {
      ctx.body = await poolPage(ctx.deps.orm.em, ctx.input.query, ctx.deps.now?.() ?? new Date());
    },
  );

  // The company's tags for the picker, most used first.
  router.get(
    '/pool/tags',
    requireAuth,
    hrOnly,
    validate({ query: poolTagSuggestionsQuery }),
    async (ctx: AppContext<{ query: { q: string; limit: number } }>) => {
      const { q, limit } = ctx.input.query;
      ctx.body = {
        tags: await tagSuggestions(ctx.deps.orm.em, q, limit),
      } satisfies PoolTagSuggestionsResponse;
    },
  );

  // HR adds and removes tags on a pool entry (`:id`: any candidate record of the entry).
  router.post(
    '/pool/:id/tags',
    requireAuth,
    hrOnly,
    validate({ params: poolTagsParams, body: poolTagsBody }),
    async (ctx: AppContext<{ params: { id: number }; body: PoolTagsBody }>) => {
      const tags = await changePoolTags({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        candidateId: ctx.input.params.id,
        body: ctx.input.body,
        now: ctx.deps.now?.() ?? new Date(),
        context: { ip: ctx.ip, requestId: ctx.state.requestId },
      });
      ctx.body = { candidateId: ctx.input.params.id, tags } satisfies PoolTagsResponse;
    },
  );

  // One step re-invites a pooled candidate to another job (the invitation and its decision together).
  router.post(
    '/pool/invite',
    requireAuth,
    hrOnly,
    validate({ body: poolInviteBody }),
    async (ctx: AppContext<{ body: { resumeId: number; jobId: number } }>) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em;
      const now = ctx.deps.now?.() ?? new Date();
      const { resumeId, jobId } = ctx.input.body;
      const resume = await em.findOne(Resume, { id: resumeId, status: 'parsed', poolUntil: { $gt: now } });
      // Only a candidate who consented to the pool is re-invited from it.
      if (!resume) throw notFound('Résumé in the talent pool');
      const job = await em.findOne(Job, { id: jobId });
      if (!job) throw notFound('Job');
      const score = matchResume(
        resume.text ?? '',
        resume.profile as NonNullable<IResume['profile']>,
        requirementsOf(job),
        resume.createdAt,
      ).score;
      const decided = {
        resume,
        candidateId: resume.candidate.id,
        decision: 'invite' as const,
        feedback: '',
        score,
      };
      const invitationUrl = await decideScreening(ctx, actor, jobId, now, decided);
      ctx.status = 201;
      ctx.body = { decision: 'invite', invitationUrl } satisfies ScreeningDecisionResponse;
    },
  );

  router.get(
    '/:id',
    requireAuth,
    validate({ params: resumeIdParams }),
    async (ctx: Params<{ id: number }>) => {
      const row = await loadResume(ctx, ctx.input.params.id);
      const fileUrl = row.objectKey ? await ctx.deps.storage.signedGetUrl(row.objectKey, 300) : null;
      const actor = actorOf(ctx);
      if (actor.kind === 'employee') {
        audit(ctx.deps.orm.em, actor, 'resume.viewed', { type: 'resume', id: row.id }, null, {
          ip: ctx.ip,
          requestId: ctx.state.requestId,
        });
        await ctx.deps.orm.em.flush();
      }
      ctx.body = { resume: presentResume(row), fileUrl } satisfies ResumeResponse;
    },
  );

  router.patch(
    '/:id/profile',
    requireAuth,
    hrOnly,
    validate({ params: resumeIdParams, body: correctFieldBody }),
    async (ctx: AppContext<{ params: { id: number }; body: CorrectFieldBody }>) => {
      assertCan(actorOf(ctx), 'resume.manage', undefined);
      const row = await correctField({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        resumeId: ctx.input.params.id,
        body: ctx.input.body,
        context: { ip: ctx.ip, requestId: ctx.state.requestId },
      });
      ctx.body = { resume: presentResume(row), fileUrl: null } satisfies ResumeResponse;
    },
  );

  router.post(
    '/:id/pool',
    requireAuth,
    validate({ params: resumeIdParams, body: poolConsentBody }),
    async (ctx: AppContext<{ params: { id: number }; body: { keep: boolean } }>) => {
      const row = await loadResume(ctx, ctx.input.params.id);
      assertCan(actorOf(ctx), 'resume.own', { candidateId: row.candidate.id });
      const out = await setPoolConsent({
        em: ctx.deps.orm.em,
        actor: actorOf(ctx),
        resumeId: row.id,
        keep: ctx.input.body.keep,
        now: ctx.deps.now?.() ?? new Date(),
        context: { ip: ctx.ip, requestId: ctx.state.requestId },
      });
      ctx.body = { resume: presentResume(out), fileUrl: null } satisfies ResumeResponse;
    },
  );

  return router;
}
