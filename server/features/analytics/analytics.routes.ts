import {
  type AiValidityResponse,
  ANALYTICS_EXPORT_MAX_ROWS,
  type AnalyticsFilters,
  type AnalyticsOptionsResponse,
  type AnalyticsTable,
  analyticsExportQuery,
  analyticsFilters,
  type FunnelResponse,
  type OutcomeSyncResponse,
  type OutcomeValidityResponse,
  type RatersResponse,
  type RemindersResponse,
  type SourcesResponse,
  type TimesResponse,
} from '../../../shared/api/analytics';
import { CANDIDATE_SOURCES } from '../../../shared/api/candidates';
import { audit } from '../../kernel/audit';
import { HireOutcomeSync } from '../../kernel/db/entities/HireOutcome';
import { placeholders } from '../../kernel/db/raw';
import type { Em } from '../../kernel/db/types';
import { forbidden, notFound } from '../../kernel/errors';
import { actorOf, requireAuth } from '../../kernel/http/auth';
import type { Actor, AppContext } from '../../kernel/http/context';
import { createRouter } from '../../kernel/http/router';
import { validate } from '../../kernel/http/validate';
import { assertCan, can } from '../../kernel/policies';
import { exportFileName, type TableData, toWorkbook } from './export';
import { outcomeValidity, syncView } from './outcomes';
import { aiValidity, candidateRows, funnel, raters, type Scope, sources, times } from './queries';
import { reminderEffects } from './reminders';

/**
 * What the caller may see with these filters: HR every department; a manager only the one
 * they manage (asking for another department is 403; a job outside it is 404, as if unknown).
 */
async function scopeFor(em: Em, actor: Actor, filters: AnalyticsFilters): Promise<Scope> {
  assertCan(actor, 'analytics.read', undefined);
  const departmentIds = can(actor, 'hr.access', undefined)
    ? null
    : actor.kind === 'employee' && actor.departmentId !== null
      ? [actor.departmentId]
      : [];
  if (departmentIds && filters.departmentId && !departmentIds.includes(filters.departmentId))
    throw forbidden('forbidden', 'You may see the analytics of your own department only');
  if (filters.jobId) {
    const [job] = await em.execute<Array<{ department_id: number }>>(
      'select department_id from jobs where id = ?',
      [filters.jobId],
    );
    if (!job || (departmentIds && !departmentIds.includes(Number(job.department_id)))) throw notFound('Job');
  }
  return { filters, departmentIds };
}

/** The figures of one table under a scope. */
async function tableData(
  em: Em,
  actor: Actor,
  table: AnalyticsTable,
  scope: Scope,
  now: Date,
  minN: number,
): Promise<TableData> {
  switch (table) {
    case 'funnel':
      return { table, data: await funnel(em, scope) };
    case 'times':
      return { table, data: await times(em, scope, now) };
    case 'sources':
      return { table, data: await sources(em, scope) };
    case 'ai_validity':
      return { table, data: await aiValidity(em, scope) };
    case 'raters':
      return { table, data: await raters(em, scope) };
    case 'reminders':
      return { table, data: await reminderEffects(em, scope) };
    case 'outcomes':
      return { table, data: await outcomesFor(em, actor, scope, minN) };
    case 'candidates':
      return {
        table,
        data: await candidateRows(em, scope, ANALYTICS_EXPORT_MAX_ROWS),
        personal: can(actor, 'analytics.personal', undefined),
      };
  }
}

/**
 * Closed-loop validity for a scope; groups by self-identification only for HR (the fairness audit
 * is HR's, and a manager's department is small enough for a group to point at a person).
 */
function outcomesFor(em: Em, actor: Actor, scope: Scope, minN: number): Promise<OutcomeValidityResponse> {
  return outcomeValidity(em, scope, { minN, groups: can(actor, 'hr.access', undefined) });
}

type Ctx = AppContext<{ query: AnalyticsFilters }>;

/**
 * Hiring analytics for HR (all departments) and managers (their own): funnel, times, sources,
 * AI validity, rater load and leniency, the filter options, and any table as .xlsx (every export audited).
 */
export function analyticsRoutes() {
  const router = createRouter('/api/analytics');
  const now = (ctx: AppContext) => ctx.deps.now?.() ?? new Date();

  router.get('/options', requireAuth, async (ctx: AppContext) => {
    const actor = actorOf(ctx);
    const em = ctx.deps.orm.em;
    const scope = await scopeFor(em, actor, {});
    const ids = scope.departmentIds;
    if (ids && !ids.length) {
      ctx.body = { jobs: [], departments: [], sources: [...CANDIDATE_SOURCES] };
      return;
    }
    const where = ids ? `where department_id in (${placeholders(ids.length)})` : '';
    const jobs = await em.execute<Array<{ id: number; title: string; department_id: number }>>(
      `select id, title, department_id from jobs ${where} order by id`,
      ids ?? [],
    );
    const departments = await em.execute<Array<{ id: number; name: string }>>(
      `select id, name from departments ${ids ? `where id in (${placeholders(ids.length)})` : ''} order by id`,
      ids ?? [],
    );
    ctx.body = {
      jobs: jobs.map((j) => ({ id: Number(j.id), title: j.title, departmentId: Number(j.department_id) })),
      departments: departments.map((d) => ({ id: Number(d.id), name: d.name })),
      sources: [...CANDIDATE_SOURCES],
    } satisfies AnalyticsOptionsResponse;
  });

  /** A figure's route: the request's filters, narrowed to the departments the reader may see. */
  const figure = (path: string, compute: (em: Em, scope: Scope, ctx: Ctx) => Promise<unknown>) =>
    router.get(path, requireAuth, validate({ query: analyticsFilters }), async (ctx: Ctx) => {
      const em = ctx.deps.orm.em;
      ctx.body = await compute(em, await scopeFor(em, actorOf(ctx), ctx.input.query), ctx);
    });

  figure('/funnel', (em, scope): Promise<FunnelResponse> => funnel(em, scope));
  figure('/times', (em, scope, ctx): Promise<TimesResponse> => times(em, scope, now(ctx)));
  figure('/sources', (em, scope): Promise<SourcesResponse> => sources(em, scope));
  figure('/ai-validity', (em, scope): Promise<AiValidityResponse> => aiValidity(em, scope));
  figure('/raters', (em, scope): Promise<RatersResponse> => raters(em, scope));
  figure('/reminders', (em, scope): Promise<RemindersResponse> => reminderEffects(em, scope));

  router.get('/outcomes', requireAuth, validate({ query: analyticsFilters }), async (ctx: Ctx) => {
    const em = ctx.deps.orm.em.fork();
    const actor = actorOf(ctx);
    const scope = await scopeFor(em, actor, ctx.input.query);
    ctx.body = (await outcomesFor(
      em,
      actor,
      scope,
      ctx.deps.config.analytics.outcomeMinN,
    )) satisfies OutcomeValidityResponse;
  });

  /**
   * HR's "sync now": records a requested run for the worker (DingTalk's HR calls are rate limited
   * and counted against a monthly quota, so they stay out of web requests). A run already
   * requested or running is returned instead of a second one.
   */
  router.post('/outcomes/sync', requireAuth, async (ctx: AppContext) => {
    const actor = actorOf(ctx);
    assertCan(actor, 'analytics.read', undefined);
    if (!can(actor, 'hr.access', undefined)) throw forbidden('forbidden', 'Only HR may sync hire outcomes');
    const em = ctx.deps.orm.em.fork();
    const pending = await em.findOne(
      HireOutcomeSync,
      { status: { $in: ['requested', 'running'] } },
      { orderBy: { id: 'desc' } },
    );
    if (pending) {
      ctx.status = 202;
      ctx.body = { sync: syncView(pending), created: false } satisfies OutcomeSyncResponse;
      return;
    }
    const run = em.create(HireOutcomeSync, {
      status: 'requested',
      requestedAt: now(ctx),
      requestedBy: actor.kind === 'employee' ? actor.user.id : null,
    });
    audit(
      em,
      actor,
      'analytics.outcomes_sync_requested',
      { type: 'analytics', id: 'outcomes' },
      {},
      { ip: ctx.ip, requestId: ctx.state.requestId },
    );
    await em.flush();
    ctx.status = 202;
    ctx.body = { sync: syncView(run), created: true } satisfies OutcomeSyncResponse;
  });

  router.get(
    '/export.xlsx',
    requireAuth,
    validate({ query: analyticsExportQuery }),
    async (ctx: AppContext<{ query: AnalyticsFilters & { table: AnalyticsTable } }>) => {
      const actor = actorOf(ctx);
      const em = ctx.deps.orm.em.fork();
      const { table, ...filters } = ctx.input.query;
      const scope = await scopeFor(em, actor, filters);
      const data = await tableData(em, actor, table, scope, now(ctx), ctx.deps.config.analytics.outcomeMinN);
      const locale = actor.kind === 'employee' ? actor.user.locale : 'zh-CN';
      const book = await toWorkbook(data, locale);
      // Every export is audited (TRUST.md): who exported which table, with which filters, and
      // whether personal columns were in it.
      audit(
        em,
        actor,
        'analytics.exported',
        { type: 'analytics', id: table },
        {
          table,
          filters,
          rows: book.rows,
          personal: data.table === 'candidates' && data.personal,
          departments: scope.departmentIds,
        },
        { ip: ctx.ip, requestId: ctx.state.requestId },
      );
      await em.flush();
      ctx.set('content-disposition', `attachment; filename="${exportFileName(table, now(ctx))}"`);
      ctx.set('cache-control', 'no-store');
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.body = book.buffer;
    },
  );

  return router;
}
