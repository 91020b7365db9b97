/**
 * The mini-app's paths, in one place. The bot's buttons, the links the server puts into DingTalk
 * messages, approvals, calendar events and .ics files, and the mini-app's own router all read
 * them from here, so a path renamed here changes every link and the router together (and a test,
 * `miniapp/src/routes.test.ts`, checks that every path below is registered in the router).
 *
 * Builders return paths relative to the app's origin (`/bookings/3`); callers that need an
 * absolute URL join it with the public URL ({@link absoluteAppUrl}).
 */

/** Names of the `:params` in a path pattern (`/a/:x/b/:y` -> `'x' | 'y'`). */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The values of a pattern's params. */
export type RouteParams<P extends string> = { [K in ParamNames<P>]: string | number };

/**
 * Every mini-app path. `signIn` paths are read by the sign-in bootstrap before the router runs
 * (`miniapp/src/auth/urlCredential.ts`); all others are screens (or deep-link redirects) of the
 * signed-in router (`miniapp/src/App.tsx`).
 */
export const ROUTE_PATTERNS = {
  home: '/',
  me: '/me',
  book: '/booking/:applicationId/:kind',
  myBookings: '/bookings/mine',
  booking: '/bookings/:id',
  application: '/applications/:id',
  candidate: '/candidates/:id',
  /** The hiring team's view of a candidate: applications, stage, booking, report evidence. */
  candidateProfile: '/candidates/:id/profile',
  candidates: '/candidates',
  candidateNew: '/candidates/new',
  candidateImport: '/candidates/import',
  queue: '/queue',
  /** The candidate's résumé: upload, status, what was read. */
  myResume: '/resume',
  /** HR's résumé screening per job, sorted by match. */
  screening: '/screening',
  availability: '/availability',
  schedules: '/schedules',
  jobSchedules: '/schedules/:jobId',
  interview: '/interview',
  /** The candidate's follow-up questions (追问) after the interview. */
  followUps: '/interview/followups',
  /** A live (second-round) interview: the interviewer's outline (面试提纲) and scorecards. */
  liveRound: '/liveround/:bookingId',
  interviewPlans: '/interview-plans',
  interviewPlan: '/interview-plans/:jobId',
  jobs: '/jobs',
  jobNew: '/jobs/new',
  job: '/jobs/:id',
  jobPlan: '/jobs/:jobId/plan',
  jobRules: '/jobs/:jobId/rules',
  jobQuestions: '/jobs/:jobId/questions',
  questionBank: '/question-bank',
  inbox: '/inbox',
  reports: '/reports',
  report: '/reports/:id',
  /** The summary report (面试总结报告) of one interview report. */
  reportSummary: '/reports/:id/summary',
  feedback: '/feedback',
  deliveryFailures: '/notifications/failures',
  quality: '/quality',
  pipelineJob: '/pipeline/jobs/:jobId',
  pipelineApplication: '/pipeline/applications/:id',
  offer: '/offer',
  /** The organisation from DingTalk and the roles admins grant. */
  organisation: '/org',
  /** The audit log (HR and admins). */
  auditLog: '/audit',
  /** Hiring analytics (HR: all departments; managers: their own). */
  analytics: '/analytics',
  authCallback: '/auth/callback',
  /** Invitation links carry the token in the fragment (`/invite#<token>`), never in the path. */
  invite: '/invite',
  /**
   * The public page of a job (anyone may open it, signed in or not): its slug in the path and,
   * optionally, the sharer's referrer token in `?r=` (not a credential: it only says who shared).
   */
  publicJob: '/j/:slug',
} as const;

/** A route's name. */
export type RouteName = keyof typeof ROUTE_PATTERNS;

/** Routes the sign-in bootstrap handles (never reach the signed-in router). */
export const SIGN_IN_ROUTES = ['authCallback', 'invite'] as const satisfies readonly RouteName[];

/** Routes anyone may open without signing in (rendered before the sign-in gate). */
export const PUBLIC_ROUTES = ['publicJob'] as const satisfies readonly RouteName[];

/** Routes of the signed-in router. */
export type AppRouteName = Exclude<
  RouteName,
  (typeof SIGN_IN_ROUTES)[number] | (typeof PUBLIC_ROUTES)[number]
>;

/** Query values; `undefined` leaves the key out. */
type Query = Record<string, string | number | undefined>;

/**
 * Fills a pattern's params (URL-encoded) and appends the query.
 * @example routePath('/reports/:id', { id: 3 }) === '/reports/3'
 */
export function routePath<P extends string>(pattern: P, params: RouteParams<P>, query?: Query): string {
  const values = params as Record<string, string | number>;
  const path = pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') throw new Error(`route ${pattern}: missing :${name}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) search.set(k, String(v));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

const P = ROUTE_PATTERNS;

/** Builders of every mini-app path, with typed params: `routes.booking(3)` -> `/bookings/3`. */
export const routes = {
  home: () => P.home,
  me: () => P.me,
  /**
   * The booking screen of one stage; `reschedule` moves that booking instead of making one,
   * `rebook` is a no-show's one-time reschedule token.
   */
  book: (
    applicationId: number,
    kind: 'ai_interview' | 'second_round',
    opts: { reschedule?: number; rebook?: string } = {},
  ) => routePath(P.book, { applicationId, kind }, { reschedule: opts.reschedule, rebook: opts.rebook }),
  myBookings: () => P.myBookings,
  /** A stable link to one booking (reminders); the app shows it where the reader may see it. */
  booking: (id: number) => routePath(P.booking, { id }),
  /**
   * A stable link to one application (messages to people with different roles): employees get
   * the pipeline's application page (`action` preselects a decision), candidates their home.
   */
  application: (id: number, opts: { action?: string } = {}) =>
    routePath(P.application, { id }, { action: opts.action }),
  /** A stable link to a candidate (calendar events, the bot's "候选人" answer). */
  candidate: (id: number) => routePath(P.candidate, { id }),
  /** The profile interviewers, managers and HR open (reviewers: the applications they review). */
  candidateProfile: (id: number) => routePath(P.candidateProfile, { id }),
  /** HR's candidate list (search, source filter). */
  candidates: () => P.candidates,
  candidateNew: () => P.candidateNew,
  /** Import from .xlsx/.csv: upload, preview, confirm, invite the batch. */
  candidateImport: () => P.candidateImport,
  /** HR's work queue (待办). */
  queue: () => P.queue,
  /** The candidate's résumé. */
  myResume: () => P.myResume,
  /** HR's résumé screening (a job chosen on the screen, or given). */
  screening: (jobId?: number) => (jobId ? `${P.screening}?jobId=${jobId}` : P.screening),
  availability: () => P.availability,
  schedules: () => P.schedules,
  jobSchedules: (jobId: number) => routePath(P.jobSchedules, { jobId }),
  interview: () => P.interview,
  followUps: () => P.followUps,
  liveRound: (bookingId: number) => routePath(P.liveRound, { bookingId }),
  interviewPlans: () => P.interviewPlans,
  interviewPlan: (jobId: number) => routePath(P.interviewPlan, { jobId }),
  jobs: () => P.jobs,
  jobNew: () => P.jobNew,
  job: (id: number) => routePath(P.job, { id }),
  jobPlan: (jobId: number) => routePath(P.jobPlan, { jobId }),
  jobRules: (jobId: number) => routePath(P.jobRules, { jobId }),
  jobQuestions: (jobId: number) => routePath(P.jobQuestions, { jobId }),
  questionBank: () => P.questionBank,
  inbox: () => P.inbox,
  reports: () => P.reports,
  report: (id: number) => routePath(P.report, { id }),
  reportSummary: (id: number) => routePath(P.reportSummary, { id }),
  feedback: () => P.feedback,
  deliveryFailures: () => P.deliveryFailures,
  quality: () => P.quality,
  pipelineJob: (jobId: number) => routePath(P.pipelineJob, { jobId }),
  /** The pipeline's application page (HR, managers); `action` preselects a decision. */
  pipelineApplication: (id: number, opts: { action?: string } = {}) =>
    routePath(P.pipelineApplication, { id }, { action: opts.action }),
  offer: () => P.offer,
  organisation: () => P.organisation,
  auditLog: () => P.auditLog,
  /** Hiring analytics (HR and managers). */
  analytics: () => P.analytics,
  authCallback: () => P.authCallback,
  invite: (token: string) => `${P.invite}#${encodeURIComponent(token)}`,
  /** The public job page; `ref` is the sharer's referrer token. */
  publicJob: (slug: string, ref?: string) => routePath(P.publicJob, { slug }, { r: ref }),
} satisfies Record<RouteName, (...args: never[]) => string>;

/** `path` (from {@link routes}) as an absolute URL of the app at `publicUrl`. */
export function absoluteAppUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** The DingTalk organisation and micro-app a deep link opens. */
export interface DingTalkApp {
  corpId: string;
  agentId: number;
}

/**
 * A DingTalk deep link that opens `url` (an absolute URL of the app) inside the H5 micro-app of
 * `app`, signed in by DingTalk's 免登 like a tap on the workbench icon:
 * `dingtalk://dingtalkclient/action/openapp?corpid=…&container_type=work_platform&app_id=0_<agentId>
 * &redirect_type=jump&redirect_url=<encoded url>` (DingTalk's "统一跳转协议" for micro-apps).
 * Links in bot and work-notification cards use it so a tap opens the app in DingTalk rather
 * than a bare browser page without the session.
 */
export function dingtalkAppLink(app: DingTalkApp, url: string): string {
  const q = new URLSearchParams({
    corpid: app.corpId,
    container_type: 'work_platform',
    app_id: `0_${app.agentId}`,
    redirect_type: 'jump',
    redirect_url: url,
  });
  return `dingtalk://dingtalkclient/action/openapp?${q.toString()}`;
}

/** The page a {@link dingtalkAppLink} opens, or null when `link` is not one. */
export function parseDingtalkAppLink(link: string): { corpId: string; agentId: number; url: string } | null {
  const prefix = 'dingtalk://dingtalkclient/action/openapp?';
  if (!link.startsWith(prefix)) return null;
  const q = new URLSearchParams(link.slice(prefix.length));
  const appId = /^0_(\d+)$/.exec(q.get('app_id') ?? '');
  const url = q.get('redirect_url');
  const corpId = q.get('corpid');
  if (!appId || !url || !corpId || q.get('redirect_type') !== 'jump') return null;
  return { corpId, agentId: Number(appId[1]), url };
}
