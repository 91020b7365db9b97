/**
 * The route access matrix (TRUST.md "Access control"), generated from the routers the app
 * actually mounts: every route must have an entry here (a new route without one fails), and
 * for every route each persona is tried — signed out, a candidate, an interviewer, a hiring
 * manager, HR — with real object ids where the route takes one. Those the entry names must get
 * past the gate (not 401/403); everyone else must be refused (401 signed out, else 403/404,
 * or 400 where input is checked first; never a 2xx). Object-level rules in depth are the features' own tests.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appRouters } from '../../app';
import { sessionToken } from '../../testing/booking';
import { describeEachDialect, startTestApp, type TestApp } from '../../testing/harness';
import { httpEventMode } from '../../testing/variantApp';
import { Application } from '../db/entities/Application';
import { Candidate } from '../db/entities/Candidate';
import { Job } from '../db/entities/Job';
import { User } from '../db/entities/User';
import { listRoutes } from './router';

/**
 * `hr` is hr01, who also holds `admin` (DingTalk's main admin in the demo org); `hrOnly` is hr02,
 * HR without admin. `hrOnly` passes every gate `hr` passes, except entries marked `adminOnly`.
 */
type Persona = 'candidate' | 'interviewer' | 'manager' | 'hr' | 'hrOnly';
const PERSONAS: Persona[] = ['candidate', 'interviewer', 'manager', 'hr', 'hrOnly'];
const EMPLOYEES: Persona[] = ['interviewer', 'manager', 'hr'];
const EVERYONE: Persona[] = PERSONAS;

/**
 * Who may pass each route's gate. `public`: anyone (sign-in, health); `signed`: DingTalk's own
 * calls, verified by signature; `token`: a capability in the URL (upload grant, signed download).
 */
type Access = 'public' | 'signed' | 'token' | Persona[];

/** Which real object a path's `:id` names on this route (default: one that does not exist). */
type IdKind = 'candidate' | 'application' | 'job';

const MATRIX: Record<string, { who: Access; id?: IdKind; adminOnly?: true }> = {
  'GET /healthz': { who: 'public' },
  'GET /readyz': { who: 'public' },
  'POST /api/dingtalk/events': { who: 'signed' },
  'GET /api/auth/config': { who: 'public' },
  'POST /api/auth/dingtalk': { who: 'public' },
  'GET /api/auth/oauth/start': { who: 'public' },
  'POST /api/auth/oauth/exchange': { who: 'public' },
  'POST /api/auth/invitation': { who: 'public' },
  'GET /api/me': { who: EVERYONE },
  'POST /api/invitations': { who: ['hr'] },
  'GET /api/candidates': { who: ['manager', 'hr'] },
  // The candidate may read their own record (here: 张三 reading 张三); int01 is assigned to review
  // 张三's application (demo seed), so the interviewer may read it too.
  'GET /api/candidates/:id': { who: ['candidate', 'interviewer', 'manager', 'hr'], id: 'candidate' },
  'POST /api/candidates': { who: ['hr'] },
  'POST /api/candidates/imports': { who: ['hr'] },
  'GET /api/candidates/imports/:id': { who: ['hr'] },
  'POST /api/candidates/imports/:id/confirm': { who: ['hr'] },
  'GET /api/candidates/:id/invitations': { who: ['hr'], id: 'candidate' },
  // 张三's profile: int01 is assigned to review his application, mgr01 manages its job; 张三
  // himself is refused (the profile is the people working on him, not his own record).
  'GET /api/candidates/:id/profile': { who: ['interviewer', 'manager', 'hr'], id: 'candidate' },
  'POST /api/invitations/bulk': { who: ['hr'] },
  'POST /api/invitations/:id/resend': { who: ['hr'] },
  'POST /api/invitations/:id/revoke': { who: ['hr'] },
  'GET /api/queue': { who: ['hr'] },
  'POST /api/queue/close': { who: ['hr'] },
  'POST /api/my/accommodation-requests': { who: ['candidate'] },
  'GET /api/my/accommodation-requests': { who: ['candidate'] },
  'POST /api/accommodation-requests/:id/decision': { who: ['hr'] },
  'POST /api/accommodation-requests/:id/approval': { who: ['hr'] },
  'GET /api/reports': { who: EMPLOYEES },
  'GET /api/reports/:id': { who: EMPLOYEES },
  'GET /api/reports/:id/media/:answerId': { who: EMPLOYEES },
  'PUT /api/reports/:id/ratings': { who: EMPLOYEES },
  'POST /api/reports/:id/release': { who: ['hr'] },
  'POST /api/reports/:id/assignments': { who: ['hr'] },
  'GET /api/review-tasks': { who: ['hr'] },
  'GET /api/feedback': { who: ['candidate'] },
  'GET /api/feedback/:id': { who: ['candidate'] },
  'POST /api/feedback/:id/requests': { who: ['candidate'] },
  'GET /api/scoring/agreement': { who: ['hr'] },
  'GET /api/scoring/calibration': { who: ['hr'] },
  'POST /api/scoring/calibration': { who: ['hr'] },
  'GET /api/notifications/failures': { who: ['hr'] },
  'POST /api/notifications/failures/:id/retry': { who: ['hr'] },
  'GET /api/inbox': { who: ['candidate'] },
  'POST /api/inbox/:id/read': { who: ['candidate'] },
  'POST /api/dingtalk/robot': { who: 'signed' },
  'GET /api/pipeline/jobs': { who: ['manager', 'hr'] },
  'GET /api/pipeline/jobs/:id': { who: ['manager', 'hr'], id: 'job' },
  'GET /api/applications/:id': { who: ['candidate', 'manager', 'hr'], id: 'application' },
  'POST /api/applications/:id/decisions': { who: ['hr'], id: 'application' },
  'POST /api/applications/:id/offer-answer': { who: ['candidate'], id: 'application' },
  'GET /api/my/applications': { who: ['candidate'] },
  'GET /api/jobs/:id/rules': { who: ['hr'], id: 'job' },
  'PUT /api/jobs/:id/rules': { who: ['hr'], id: 'job' },
  'POST /api/workflow/templates': { who: ['hr'] },
  'GET /api/bookings/slots': { who: EVERYONE },
  'POST /api/bookings': { who: EVERYONE },
  'GET /api/bookings/mine': { who: EVERYONE },
  'GET /api/bookings': { who: ['manager', 'hr'] },
  'GET /api/bookings/:id': { who: EVERYONE },
  'GET /api/bookings/:id/ics': { who: EVERYONE },
  'GET /api/bookings/ics/:token': { who: 'signed' },
  'POST /api/bookings/:id/reschedule': { who: EVERYONE },
  'POST /api/bookings/:id/cancel': { who: EVERYONE },
  'POST /api/bookings/:id/no-show': { who: EMPLOYEES },
  'POST /api/bookings/:id/complete': { who: EMPLOYEES },
  'GET /api/availability/me': { who: EMPLOYEES },
  'PUT /api/availability/me': { who: EMPLOYEES },
  'PUT /api/availability/me/overrides/:date': { who: EMPLOYEES },
  'DELETE /api/availability/me/overrides/:date': { who: EMPLOYEES },
  'GET /api/schedules/jobs': { who: ['hr'] },
  'GET /api/schedules': { who: ['hr'] },
  'PUT /api/schedules/:jobId/:kind': { who: ['hr'] },
  'GET /api/me/demographics': { who: ['candidate'] },
  'PUT /api/me/demographics': { who: ['candidate'] },
  'DELETE /api/me/demographics': { who: ['candidate'] },
  'GET /api/me/deletion-request': { who: ['candidate'] },
  'POST /api/me/deletion-request': { who: ['candidate'] },
  'POST /api/candidates/:id/deletion-request': { who: ['hr'], id: 'candidate' },
  'GET /api/privacy/deletion-requests': { who: ['hr'] },
  'GET /api/fairness/audit': { who: ['hr'] },
  'GET /api/audit': { who: ['hr'] },
  'GET /api/interview': { who: ['candidate'] },
  'GET /api/followups': { who: ['candidate'] },
  'POST /api/followups/:id/answer': { who: ['candidate'] },
  'POST /api/followups/:id/recording': { who: ['candidate'] },
  'POST /api/followups/:id/recording/multipart': { who: ['candidate'] },
  'POST /api/followups/:id/recording/complete': { who: ['candidate'] },
  'GET /api/followups/:id/recording': { who: ['candidate'] },
  'GET /api/followups/reports/:reportId': { who: EMPLOYEES },
  'GET /api/followups/plans/:jobId': { who: ['hr'], id: 'job' },
  'PUT /api/followups/plans/:jobId': { who: ['hr'], id: 'job' },
  // Live rounds: employees only (object-level rules: interviewer, hiring manager, HR, in liveround.test.ts).
  'GET /api/liveround': { who: EMPLOYEES },
  'GET /api/liveround/:bookingId/outline': { who: EMPLOYEES },
  'GET /api/liveround/:bookingId/scorecard': { who: EMPLOYEES },
  'PUT /api/liveround/:bookingId/scorecard': { who: EMPLOYEES },
  'POST /api/liveround/:bookingId/scorecard/submit': { who: EMPLOYEES },
  'GET /api/liveround/:bookingId/scorecards': { who: EMPLOYEES },
  'GET /api/summary/reports/:reportId': { who: EMPLOYEES },
  'GET /api/summary/jobs/:jobId/rules': { who: ['hr'], id: 'job' },
  'PUT /api/summary/jobs/:jobId/rules': { who: ['hr'], id: 'job' },
  'POST /api/interview/consent': { who: ['candidate'] },
  'POST /api/interview/consent/withdraw': { who: ['candidate'] },
  'POST /api/interview/start': { who: ['candidate'] },
  'POST /api/interview/next': { who: ['candidate'] },
  'POST /api/interview/answers/:answerId/start': { who: ['candidate'] },
  'POST /api/interview/answers/:answerId/grant': { who: ['candidate'] },
  'POST /api/interview/answers/:answerId/complete': { who: ['candidate'] },
  // The verdict of the candidate's own attempt (polled while the worker checks it).
  'GET /api/interview/answers/:answerId/attempts/:attempt': { who: ['candidate'] },
  'POST /api/interview/answers/:answerId/multipart': { who: ['candidate'] },
  'POST /api/interview/answers/:answerId/retake': { who: ['candidate'] },
  'POST /api/interview/answers/:answerId/accept': { who: ['candidate'] },
  'POST /api/interview/answers/:answerId/text': { who: ['candidate'] },
  // Bandwidth probe of the device check: counts bytes, reads and writes nothing.
  'POST /api/interview/probe': { who: EVERYONE },
  'POST /api/interview/submit': { who: ['candidate'] },
  'HEAD /api/uploads/:token': { who: 'token' },
  'PUT /api/uploads/:token': { who: 'token' },
  'POST /api/uploads/:token': { who: 'token' },
  'GET /api/objects/*key': { who: 'token' },
  'GET /api/interview-plans': { who: ['hr'] },
  'GET /api/interview-plans/:jobId': { who: ['hr'] },
  'PUT /api/interview-plans/:jobId/questions': { who: ['hr'] },
  'PUT /api/interview-plans/accommodations/:applicationId': { who: ['hr'] },
  'GET /api/jobs/form-options': { who: ['hr'] },
  'GET /api/jobs': { who: ['manager', 'hr'] },
  'POST /api/jobs': { who: ['hr'] },
  // mgr01 manages the backend job's department (研发中心).
  'GET /api/jobs/:id': { who: ['manager', 'hr'], id: 'job' },
  'PUT /api/jobs/:id': { who: ['hr'], id: 'job' },
  'POST /api/jobs/:id/status': { who: ['hr'], id: 'job' },
  'GET /api/jobs/:id/interviewers': { who: ['hr'], id: 'job' },
  'PUT /api/jobs/:id/interviewers': { who: ['hr'], id: 'job' },
  'POST /api/applications/:id/reviewers': { who: ['hr'], id: 'application' },
  'GET /api/question-bank': { who: ['hr'] },
  'POST /api/question-bank': { who: ['hr'] },
  'PUT /api/question-bank/:id': { who: ['hr'] },
  'GET /api/question-bank/:id/versions': { who: ['hr'] },
  'GET /api/competencies': { who: ['hr'] },
  'POST /api/competencies': { who: ['hr'] },
  'PUT /api/interview-plans/:jobId/from-bank': { who: ['hr'] },
  'POST /api/jobs/:id/question-drafts': { who: ['hr'], id: 'job' },
  'GET /api/jobs/:id/question-drafts': { who: ['hr'], id: 'job' },
  'PUT /api/question-drafts/:id': { who: ['hr'] },
  'POST /api/question-drafts/:id/approve': { who: ['hr'] },
  'POST /api/question-drafts/:id/discard': { who: ['hr'] },
  'GET /api/audit/facets': { who: ['hr'] },
  'GET /api/audit/export.csv': { who: ['hr'] },
  'GET /api/org/status': { who: ['hr'] },
  'GET /api/org/members': { who: ['hr'] },
  'GET /api/org/departments': { who: ['hr'] },
  'POST /api/org/sync': { who: ['hr'], adminOnly: true },
  'POST /api/org/members/:id/roles': { who: ['hr'], adminOnly: true },
  'DELETE /api/org/members/:id/roles/:role': { who: ['hr'], adminOnly: true },
  'GET /api/home': { who: EMPLOYEES },
  'GET /api/home/timeline': { who: ['candidate'] },
  'GET /api/home/first': { who: ['candidate'] },
  // Résumés: the candidate's own upload and list; HR uploads for anyone, screens and decides.
  // An unknown résumé id is 404 for everyone (the gate is the résumé's owner).
  'POST /api/resumes': { who: ['candidate'] },
  'GET /api/resumes/mine': { who: ['candidate'] },
  'POST /api/resumes/candidates/:id': { who: ['hr'], id: 'candidate' },
  'GET /api/resumes/candidates/:id': { who: ['candidate', 'hr'], id: 'candidate' },
  'GET /api/resumes/jobs/:jobId/screening': { who: ['hr'] },
  'POST /api/resumes/jobs/:jobId/decisions': { who: ['hr'] },
  'GET /api/resumes/pool': { who: ['hr'] },
  'POST /api/resumes/ats/import': { who: ['hr'] },
  'POST /api/resumes/pool/invite': { who: ['hr'] },
  'GET /api/resumes/pool/tags': { who: ['hr'] },
  'POST /api/resumes/pool/:id/tags': { who: ['hr'], id: 'candidate' },
  'GET /api/resumes/:id': { who: ['candidate', 'hr'] },
  'PATCH /api/resumes/:id/profile': { who: ['hr'] },
  'POST /api/resumes/:id/pool': { who: ['candidate'] },
  // mgr01 sees the analytics of 研发中心; HR every department.
  'GET /api/analytics/options': { who: ['manager', 'hr'] },
  'GET /api/analytics/funnel': { who: ['manager', 'hr'] },
  'GET /api/analytics/times': { who: ['manager', 'hr'] },
  'GET /api/analytics/sources': { who: ['manager', 'hr'] },
  'GET /api/analytics/ai-validity': { who: ['manager', 'hr'] },
  'GET /api/analytics/raters': { who: ['manager', 'hr'] },
  'GET /api/analytics/export.xlsx': { who: ['manager', 'hr'] },
  'GET /api/analytics/reminders': { who: ['manager', 'hr'] },
  'GET /api/analytics/outcomes': { who: ['manager', 'hr'] },
  // Syncing hire outcomes from DingTalk's HR records is HR's alone.
  'POST /api/analytics/outcomes/sync': { who: ['hr'] },
  // The public job page: anyone reads a job and applies (rate-limited per address); the share
  // link (with one's referrer token) is for employees and a candidate who applied to the job.
  'GET /api/public/jobs/:slug': { who: 'public' },
  'POST /api/public/jobs/:slug/applications': { who: 'public' },
  'GET /api/jobs/:id/share': { who: EVERYONE, id: 'job' },
};

/**
 * 403s that are about the object's state, not about who asks: the persona got past the gate and
 * the route then refused the action (张三, signed in with DingTalk, has not consented yet).
 */
const STATE_REFUSALS = new Set(['consent_required']);

describeEachDialect('route access matrix', (dialect) => {
  let t: TestApp;
  const tokens = {} as Record<Persona, string>;
  const ids = {} as Record<IdKind, number> & { answer: number };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const em = t.orm.em.fork();
    // 张三 applies to the backend job of 研发中心, whose manager is mgr01.
    const candidate = await em.findOneOrFail(Candidate, { name: '张三' });
    const job = await em.findOneOrFail(Job, { slug: 'backend' });
    const app = await em.findOneOrFail(Application, { candidate, job });
    Object.assign(ids, { candidate: candidate.id, application: app.id, job: job.id });
    const user = async (userid: string) => (await em.findOneOrFail(User, { dingtalkUserId: userid })).id;
    tokens.candidate = await sessionToken(t, 'candidate', candidate.id);
    tokens.interviewer = await sessionToken(t, 'employee', await user('int01'));
    tokens.manager = await sessionToken(t, 'employee', await user('mgr01'));
    tokens.hr = await sessionToken(t, 'employee', await user('hr01'));
    tokens.hrOnly = await sessionToken(t, 'employee', await user('hr02'));
  }, 30_000);
  afterAll(async () => t?.close());

  /** Every route of every event mode (the HTTP callback exists only in HTTP mode). */
  const mounted = () => {
    const all = [
      ...listRoutes(appRouters(t.deps)),
      ...listRoutes(appRouters({ ...t.deps, config: httpEventMode(t.config) })),
    ];
    return [...new Set(all.map((r) => `${r.method} ${r.path}`))].sort();
  };

  it('every mounted route has an entry, and every entry is a mounted route', () => {
    const routes = mounted();
    expect(
      routes.filter((r) => !MATRIX[r]),
      'routes without a matrix entry',
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((k) => !routes.includes(k)),
      'entries without a route',
    ).toEqual([]);
  });

  it('each persona passes exactly the gates its entry names; the signed-out get 401', async () => {
    const failures: string[] = [];
    for (const route of mounted()) {
      const entry = MATRIX[route];
      if (!entry) continue;
      const [method, pattern] = route.split(' ');
      const url = pattern
        .replace(':id', String(entry.id ? ids[entry.id] : 999_999))
        .replace(':answerId', '999999')
        .replace(':jobId', String(ids.job))
        .replace(':kind', 'ai_interview')
        .replace(':applicationId', String(ids.application))
        .replace(':date', '2030-01-07')
        .replace(':role', 'interviewer')
        .replace(':token', 'not-a-grant')
        .replace('*key', 'interviews/x.webm');
      const call = (token?: string) =>
        t.api(method, url, { token, ...(['POST', 'PUT'].includes(method) ? { body: {} } : {}) });
      const anon = await call();
      if (anon.status >= 500) failures.push(`${route} signed out: ${anon.status}`);
      if (Array.isArray(entry.who)) {
        if (anon.status !== 401) failures.push(`${route} signed out: ${anon.status}, want 401`);
        for (const p of PERSONAS) {
          const res = await call(tokens[p]);
          const allowed =
            entry.who.includes(p) || (p === 'hrOnly' && entry.who.includes('hr') && !entry.adminOnly);
          if (res.status >= 500) failures.push(`${route} ${p}: ${res.status}`);
          else if (
            allowed &&
            (res.status === 401 || (res.status === 403 && !STATE_REFUSALS.has(res.body?.error?.code)))
          )
            failures.push(`${route} ${p}: ${res.status} ${res.body?.error?.code}, want past the gate`);
          // Refused: 403/404 (unknown and forbidden look alike), or 400 where the input is
          // checked before the object (it reveals the schema, nothing about anyone's data).
          else if (!allowed && ![400, 403, 404].includes(res.status))
            failures.push(`${route} ${p}: ${res.status}, want 400/403/404`);
        }
      } else if (entry.who === 'public') {
        if (anon.status === 401 || anon.status === 403) failures.push(`${route} signed out: ${anon.status}`);
      } else if (anon.status < 400) failures.push(`${route} without signature/token: ${anon.status}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
