import type { AppRouteName } from '../../../shared/routes';
import type { MessageKey } from '../i18n';

/**
 * The title of each signed-in route, shown in the title bar (DingTalk's included) and as the
 * document title, so the bar names the screen rather than the app. The home's title depends on
 * the reader's role (`homeTitleKey`); every other route names its own, and a route added to
 * `shared/routes.ts` does not compile until it has one (`routes.test.ts` checks that each is a
 * real text in both languages and not a home's). A screen whose title comes from its data (the
 * candidate's name) sets it with `useScreenTitle`; this one shows until the data is there.
 *
 * Candidate screens name their catalogues (`lazyScreen`), so their titles come from those
 * catalogues or the first load; the deep links that only redirect (`booking`, `application`) say
 * "opening" from the first load, so a candidate passing through one loads no staff texts.
 */
export const ROUTE_TITLES: Record<Exclude<AppRouteName, 'home'>, MessageKey> = {
  me: 'me.title',
  book: 'bk.title.book',
  myBookings: 'bk.mine.title',
  booking: 'nav.opening',
  application: 'nav.opening',
  candidate: 'cd.detail.title',
  candidateProfile: 'cd.profile.title',
  candidates: 'cd.list.title',
  candidateNew: 'cd.add',
  candidateImport: 'cd.import.title',
  queue: 'qu.title',
  myResume: 'rs.title',
  screening: 'sc.title',
  availability: 'bk.av.title',
  schedules: 'bk.plan.title',
  jobSchedules: 'bk.plan.title',
  interview: 'iv.title',
  followUps: 'fu.title',
  liveRound: 'lr.screenTitle',
  interviewPlans: 'iv.plan.title',
  interviewPlan: 'iv.plan.editTitle',
  jobs: 'jobs.title',
  jobNew: 'jobs.new.title',
  job: 'jobs.edit.title',
  jobPlan: 'plan.title',
  jobRules: 'rules.title',
  questionBank: 'bank.title',
  jobQuestions: 'qgen.title',
  inbox: 'nt.inbox.title',
  reports: 'rp.list.title',
  report: 'rp.title',
  reportSummary: 'sm.title',
  feedback: 'fb.title',
  deliveryFailures: 'nt.failures.title',
  quality: 'q.title',
  pipelineJob: 'pl.board.title',
  pipelineApplication: 'pl.app.title',
  offer: 'pl.offer.title',
  organisation: 'org.title',
  auditLog: 'audit.title',
  analytics: 'an.title',
};
