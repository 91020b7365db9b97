import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactElement, Suspense } from 'react';
import { BrowserRouter, useLocation, useRoutes } from 'react-router-dom';
import type { AppRouteName } from '../../shared/routes';
import { AuthProvider } from './auth/AuthProvider';
import { SignInGate } from './auth/SignInGate';
import { HomePage } from './homes/HomePage';
import { MobileLayout } from './layout/MobileLayout';
import { lazyScreen, ScreenLoading } from './lazyScreen';
import { ApplicationLink, BookingLink } from './links/DeepLinks';
import { LocaleProvider } from './locale';
import { queryClient } from './query/client';
import { appRouteTable, isPublicPath } from './routeTable';

// Code split by route: sign-in, the frame and the homes are in the first chunk; every other
// screen (most of them HR's, interviewers' and managers') loads when first opened. The screens a
// candidate opens name the message catalogues they need (see messageLoaders.ts); staff screens
// load every catalogue with their first screen.
const AvailabilityPage = lazyScreen(() => import('./booking/AvailabilityPage'), 'AvailabilityPage');
const BookPage = lazyScreen(() => import('./booking/BookPage'), 'BookPage', ['booking']);
const MyBookingsPage = lazyScreen(() => import('./booking/MyBookingsPage'), 'MyBookingsPage', ['booking']);
const PlansPage = lazyScreen(() => import('./booking/PlansPage'), 'PlansPage');
// `homes`: the done screen shows the timeline's next step.
const InterviewPage = lazyScreen(() => import('./interview/InterviewPage'), 'InterviewPage', [
  'interview',
  'homes',
  'errors',
]);
const FollowUpsPage = lazyScreen(() => import('./followups/FollowUpsPage'), 'FollowUpsPage', [
  'followups',
  'reports',
  'errors',
]);
const LiveRoundPage = lazyScreen(() => import('./liveround/LiveRoundPage'), 'LiveRoundPage', ['liveround']);
const SummaryPage = lazyScreen(() => import('./summary/SummaryPage'), 'SummaryPage');
const PlanEditor = lazyScreen(() => import('./interview/PlanEditor'), 'PlanEditor');
const PlanList = lazyScreen(() => import('./interview/PlanEditor'), 'PlanList');
const JobsPage = lazyScreen(() => import('./jobs/JobsPage'), 'JobsPage');
const JobFormPage = lazyScreen(() => import('./jobs/JobsPage'), 'JobFormPage');
const PlanBuilderPage = lazyScreen(() => import('./jobs/PlanBuilderPage'), 'PlanBuilderPage');
const JobRulesPage = lazyScreen(() => import('./jobs/JobRulesPage'), 'JobRulesPage');
const BankPage = lazyScreen(() => import('./jobs/BankPage'), 'BankPage');
const QuestionGenPage = lazyScreen(() => import('./jobs/QuestionGenPage'), 'QuestionGenPage');
const MePage = lazyScreen(() => import('./me/MePage'), 'MePage', ['me']);
const FailuresPage = lazyScreen(() => import('./notifications/FailuresPage'), 'FailuresPage');
const InboxPage = lazyScreen(() => import('./notifications/InboxPage'), 'InboxPage', ['notifications']);
const ApplicationPage = lazyScreen(() => import('./pipeline/ApplicationPage'), 'ApplicationPage');
const OfferPage = lazyScreen(() => import('./pipeline/OfferPage'), 'OfferPage', ['pipeline']);
const PipelinePage = lazyScreen(() => import('./pipeline/PipelinePage'), 'PipelinePage');
const QualityPage = lazyScreen(() => import('./quality/QualityPage'), 'QualityPage');
const FeedbackPage = lazyScreen(() => import('./reports/FeedbackPage'), 'FeedbackPage', ['reports']);
const ReportPage = lazyScreen(() => import('./reports/ReportPage'), 'ReportPage');
const ReportsPage = lazyScreen(() => import('./reports/ReportsPage'), 'ReportsPage');
const CandidatesPage = lazyScreen(() => import('./candidates/CandidatesPage'), 'CandidatesPage');
const CandidatePage = lazyScreen(() => import('./candidates/CandidatePage'), 'CandidatePage');
const CandidateProfilePage = lazyScreen(() => import('./candidates/ProfilePage'), 'CandidateProfilePage');
const CandidateNewPage = lazyScreen(() => import('./candidates/CandidateNewPage'), 'CandidateNewPage');
const CandidateImportPage = lazyScreen(
  () => import('./candidates/CandidateImportPage'),
  'CandidateImportPage',
);
const QueuePage = lazyScreen(() => import('./queue/QueuePage'), 'QueuePage');
const MyResumePage = lazyScreen(() => import('./resumes/MyResumePage'), 'MyResumePage', ['resumes']);
const ScreeningPage = lazyScreen(() => import('./resumes/ScreeningPage'), 'ScreeningPage');
const OrgPage = lazyScreen(() => import('./org/OrgPage'), 'OrgPage');
const AuditPage = lazyScreen(() => import('./audit/AuditPage'), 'AuditPage');
// The public job page: for visitors of a shared job link only, before any sign-in.
const PublicJobPage = lazyScreen(() => import('./jobboard/PublicJobPage'), 'PublicJobPage');
// The charts (echarts) load with this chunk only.
const AnalyticsPage = lazyScreen(() => import('./analytics/AnalyticsPage'), 'AnalyticsPage');

/** The screen of each signed-in route: a record over the route map, so a new route needs one. */
const SCREENS: Record<AppRouteName, ReactElement> = {
  home: <HomePage />,
  me: <MePage />,
  book: <BookPage />,
  myBookings: <MyBookingsPage />,
  booking: <BookingLink />,
  application: <ApplicationLink />,
  candidate: <CandidatePage />,
  candidateProfile: <CandidateProfilePage />,
  candidates: <CandidatesPage />,
  candidateNew: <CandidateNewPage />,
  candidateImport: <CandidateImportPage />,
  queue: <QueuePage />,
  myResume: <MyResumePage />,
  screening: <ScreeningPage />,
  availability: <AvailabilityPage />,
  schedules: <PlansPage />,
  jobSchedules: <PlansPage />,
  interview: <InterviewPage />,
  followUps: <FollowUpsPage />,
  liveRound: <LiveRoundPage />,
  interviewPlans: <PlanList />,
  interviewPlan: <PlanEditor />,
  jobs: <JobsPage />,
  jobNew: <JobFormPage />,
  job: <JobFormPage />,
  jobPlan: <PlanBuilderPage />,
  jobRules: <JobRulesPage />,
  jobQuestions: <QuestionGenPage />,
  questionBank: <BankPage />,
  inbox: <InboxPage />,
  reports: <ReportsPage />,
  report: <ReportPage />,
  reportSummary: <SummaryPage />,
  feedback: <FeedbackPage />,
  deliveryFailures: <FailuresPage />,
  quality: <QualityPage />,
  pipelineJob: <PipelinePage />,
  pipelineApplication: <ApplicationPage />,
  offer: <OfferPage />,
  organisation: <OrgPage />,
  auditLog: <AuditPage />,
  analytics: <AnalyticsPage />,
};

const ROUTE_TABLE = appRouteTable(<MobileLayout />, SCREENS);

/** Screens of the signed-in app. */
function SignedInRoutes() {
  return useRoutes(ROUTE_TABLE);
}

/**
 * Public pages (a shared job) render without signing in, so a visitor without an account is
 * never sent to a sign-in screen; every other path goes through sign-in first.
 */
function Root() {
  const { pathname } = useLocation();
  if (isPublicPath(pathname))
    return (
      <Suspense fallback={<ScreenLoading />}>
        <PublicJobPage />
      </Suspense>
    );
  return (
    <AuthProvider>
      <SignInGate>
        <SignedInRoutes />
      </SignInGate>
    </AuthProvider>
  );
}

/** The whole mini-app: data cache, language, router, sign-in, then the role's screens. */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <BrowserRouter>
          <Root />
        </BrowserRouter>
      </LocaleProvider>
    </QueryClientProvider>
  );
}
