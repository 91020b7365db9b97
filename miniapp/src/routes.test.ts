import fs from 'node:fs';
import { createElement, type ReactElement } from 'react';
import { matchRoutes } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import {
  type AppRouteName,
  absoluteAppUrl,
  PUBLIC_ROUTES,
  ROUTE_PATTERNS,
  type RouteName,
  routePath,
  routes,
  SIGN_IN_ROUTES,
} from '../../shared/routes';
import { findUrlCredential } from './auth/urlCredential';
import { hasMessage, LANGS, type MessageKey, translate } from './i18n';
import { ROUTE_TITLES } from './layout/routeTitles';
import { loadMessages } from './messageLoaders';
import { homeTitleKey } from './roleLabels';
import { appRouteName, appRouteTable, isPublicPath } from './routeTable';

/** A sample URL of each route, built with the same builders the bot and server use. */
const SAMPLES: Record<RouteName, string> = {
  home: routes.home(),
  me: routes.me(),
  book: routes.book(7, 'second_round', { rebook: 'tok.en-1' }),
  myBookings: routes.myBookings(),
  booking: routes.booking(3),
  application: routes.application(5, { action: 'second_round' }),
  candidate: routes.candidate(9),
  candidateProfile: routes.candidateProfile(9),
  candidates: routes.candidates(),
  candidateNew: routes.candidateNew(),
  candidateImport: routes.candidateImport(),
  queue: routes.queue(),
  myResume: routes.myResume(),
  screening: routes.screening(4),
  availability: routes.availability(),
  schedules: routes.schedules(),
  jobSchedules: routes.jobSchedules(2),
  interview: routes.interview(),
  followUps: routes.followUps(),
  liveRound: routes.liveRound(2),
  interviewPlans: routes.interviewPlans(),
  interviewPlan: routes.interviewPlan(2),
  jobs: routes.jobs(),
  jobNew: routes.jobNew(),
  job: routes.job(6),
  jobPlan: routes.jobPlan(6),
  jobRules: routes.jobRules(6),
  jobQuestions: routes.jobQuestions(6),
  questionBank: routes.questionBank(),
  inbox: routes.inbox(),
  reports: routes.reports(),
  report: routes.report(11),
  reportSummary: routes.reportSummary(11),
  feedback: routes.feedback(),
  deliveryFailures: routes.deliveryFailures(),
  quality: routes.quality(),
  pipelineJob: routes.pipelineJob(4),
  pipelineApplication: routes.pipelineApplication(5),
  offer: routes.offer(),
  organisation: routes.organisation(),
  auditLog: routes.auditLog(),
  analytics: routes.analytics(),
  authCallback: routes.authCallback(),
  invite: routes.invite('abc.def'),
  publicJob: routes.publicJob('backend', 'c12.abc'),
};

const signIn = new Set<RouteName>([...SIGN_IN_ROUTES, ...PUBLIC_ROUTES]);
const appNames = (Object.keys(ROUTE_PATTERNS) as RouteName[]).filter(
  (n): n is AppRouteName => !signIn.has(n),
);
/** The table as `App.tsx` builds it (its `SCREENS` record is typed over every app route). */
const appRoutes = () => {
  const screens = {} as Record<AppRouteName, ReactElement>;
  for (const n of appNames) screens[n] = createElement('section', { id: n });
  return appRouteTable(createElement('main'), screens);
};

describe('the route map (shared/routes.ts)', () => {
  it.each(appNames)('%s is registered in the mini-app router and reaches its own screen', (name) => {
    const path = SAMPLES[name].split('?')[0];
    const matches = matchRoutes(appRoutes(), path);
    // The catch-all route has no id; a path the router does not know lands there.
    expect(matches?.at(-1)?.route.id).toBe(name);
  });

  it('sends unknown paths to the catch-all, so the check above can fail', () => {
    expect(matchRoutes(appRoutes(), '/no-such-screen')?.at(-1)?.route.id).toBeUndefined();
  });

  it('sign-in routes are read by the sign-in bootstrap before the router', () => {
    expect(findUrlCredential(new URL(`https://app.test${SAMPLES.invite}`), false)).toMatchObject({
      kind: 'invitation',
      token: 'abc.def',
    });
    expect(
      findUrlCredential(new URL(`https://app.test${SAMPLES.authCallback}?authCode=c&state=s`), false),
    ).toMatchObject({ kind: 'oauth' });
  });

  it('public routes render before the sign-in gate; signed-in paths do not', () => {
    expect(isPublicPath(SAMPLES.publicJob.split('?')[0])).toBe(true);
    expect(SAMPLES.publicJob).toBe('/j/backend?r=c12.abc');
    for (const name of appNames) expect(isPublicPath(SAMPLES[name].split('?')[0])).toBe(false);
  });

  it('builders fill and encode params and the query', () => {
    expect(SAMPLES.book).toBe('/booking/7/second_round?rebook=tok.en-1');
    expect(SAMPLES.application).toBe('/applications/5?action=second_round');
    expect(routes.application(5)).toBe('/applications/5');
    // The token rides in the fragment, so no request line or access log ever carries it.
    expect(routes.invite('a/b')).toBe('/invite#a%2Fb');
    expect(routePath('/x/:id', { id: 1 }, { a: undefined })).toBe('/x/1');
    expect(() => routePath('/x/:id', { id: '' })).toThrow(/missing :id/);
    expect(absoluteAppUrl('https://hr.example.com/', routes.report(3))).toBe(
      'https://hr.example.com/reports/3',
    );
  });
});

/** The homes' titles (招聘工作台 …): the generic title no other screen may show. */
const HOME_TITLES = (['candidate', 'hr', 'manager', 'interviewer'] as const).map(homeTitleKey);

/**
 * Routes that share a title on purpose: the same screen (every job's plans, or one job's), and
 * the deep links that only redirect to another screen.
 */
const SHARED_TITLES: ReadonlyArray<readonly AppRouteName[]> = [
  ['schedules', 'jobSchedules'],
  ['booking', 'application'],
];

/** Feature catalogues named by each `lazyScreen` constant of App.tsx (none named: every one). */
function screenCatalogues(): Map<string, string[] | null> {
  const src = fs.readFileSync(new URL('./App.tsx', import.meta.url), 'utf8');
  const out = new Map<string, string[] | null>();
  for (const m of src.matchAll(
    /const (\w+) = lazyScreen\(\s*\(\) => import\('[^']+'\),\s*'\w+',?\s*(\[[^\]]*\])?/g,
  ))
    out.set(m[1], m[2] ? [...m[2].matchAll(/'(\w+)'/g)].map((x) => x[1]) : null);
  return out;
}

/** The component App.tsx's `SCREENS` record gives each route (`name: <Component />`). */
function screenOfRoute(): Map<string, string> {
  const src = fs.readFileSync(new URL('./App.tsx', import.meta.url), 'utf8');
  const record = src.slice(src.indexOf('const SCREENS'), src.indexOf('};', src.indexOf('const SCREENS')));
  return new Map([...record.matchAll(/^\s+(\w+): <(\w+) \/>,/gm)].map((m) => [m[1], m[2]]));
}

/** The feature folder whose `messages.ts` defines `key` (null: the first load, `i18n.ts`). */
function catalogueOf(key: MessageKey): string | null {
  const dir = new URL('.', import.meta.url);
  for (const d of fs.readdirSync(dir)) {
    const file = new URL(`./${d}/messages.ts`, dir);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(`'${key}':`)) return d;
  }
  return null;
}

describe('screen titles (layout/routeTitles.ts)', () => {
  it.each(appNames)('%s is found from its path, as the router finds it', (name) => {
    expect(appRouteName(SAMPLES[name].split('?')[0])).toBe(name);
  });

  it('finds no route for a path the router sends home', () => {
    expect(appRouteName('/no-such-screen')).toBeNull();
  });

  it.each(appNames.filter((n) => n !== 'home'))(
    '%s has a title of its own in zh-CN and English, not a home’s',
    async (name) => {
      await loadMessages();
      const key = ROUTE_TITLES[name as Exclude<AppRouteName, 'home'>];
      expect(key, `${name} has no title`).toBeTruthy();
      expect(HOME_TITLES).not.toContain(key);
      for (const lang of LANGS) {
        expect(hasMessage(lang, key), `${lang} ${key}`).toBe(true);
        const text = translate(lang, key);
        expect(text.trim()).not.toBe('');
        expect(HOME_TITLES.map((k) => translate(lang, k))).not.toContain(text);
      }
    },
  );

  it('gives no two routes the same title, but for the routes that share one on purpose', () => {
    const byKey = new Map<MessageKey, string[]>();
    for (const [name, key] of Object.entries(ROUTE_TITLES)) byKey.set(key, [...(byKey.get(key) ?? []), name]);
    const groups = (all: ReadonlyArray<readonly string[]>) =>
      all.map((names) => [...names].sort().join()).sort();
    expect(groups([...byKey.values()].filter((names) => names.length > 1))).toEqual(groups(SHARED_TITLES));
  });

  it('titles a screen that names its catalogues from one of them or the first load', () => {
    const catalogues = screenCatalogues();
    const screens = screenOfRoute();
    expect(screens.size).toBe(appNames.length);
    let checked = 0;
    for (const [name, screen] of screens) {
      if (name === 'home') continue;
      const key = ROUTE_TITLES[name as Exclude<AppRouteName, 'home'>];
      const owner = catalogueOf(key);
      const needs = catalogues.get(screen);
      // A screen that is not lazy (the deep links) has only the first load to draw on.
      if (needs === undefined) expect({ name, owner }).toEqual({ name, owner: null });
      else if (needs !== null && owner !== null) {
        expect({ name, needs }).toEqual({ name, needs: expect.arrayContaining([owner]) });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});
