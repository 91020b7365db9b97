import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactElement } from 'react';
import { BrowserRouter, useRoutes } from 'react-router-dom';
import type { AppRouteName } from '../../shared/routes';
import { AuthProvider } from './auth/AuthProvider';
import { SignInGate } from './auth/SignInGate';
import { AvailabilityPage } from './booking/AvailabilityPage';
import { BookPage } from './booking/BookPage';
import { MyBookingsPage } from './booking/MyBookingsPage';
import { PlansPage } from './booking/PlansPage';
import { HomePage } from './homes/HomePage';
import { InterviewPage } from './interview/InterviewPage';
import { PlanEditor, PlanList } from './interview/PlanEditor';
import { MobileLayout } from './layout/MobileLayout';
import { ApplicationLink, BookingLink, CandidateLink } from './links/DeepLinks';
import { LocaleProvider } from './locale';
import { MePage } from './me/MePage';
import { FailuresPage } from './notifications/FailuresPage';
import { InboxPage } from './notifications/InboxPage';
import { ApplicationPage } from './pipeline/ApplicationPage';
import { OfferPage } from './pipeline/OfferPage';
import { PipelinePage } from './pipeline/PipelinePage';
import { QualityPage } from './quality/QualityPage';
import { createQueryClient } from './query/client';
import { FeedbackPage } from './reports/FeedbackPage';
import { ReportPage } from './reports/ReportPage';
import { ReportsPage } from './reports/ReportsPage';
import { appRouteTable } from './routeTable';

/** The screen of each signed-in route: a record over the route map, so a new route needs one. */
const SCREENS: Record<AppRouteName, ReactElement> = {
  home: <HomePage />,
  me: <MePage />,
  book: <BookPage />,
  myBookings: <MyBookingsPage />,
  booking: <BookingLink />,
  application: <ApplicationLink />,
  candidate: <CandidateLink />,
  availability: <AvailabilityPage />,
  schedules: <PlansPage />,
  jobSchedules: <PlansPage />,
  interview: <InterviewPage />,
  interviewPlans: <PlanList />,
  interviewPlan: <PlanEditor />,
  inbox: <InboxPage />,
  reports: <ReportsPage />,
  report: <ReportPage />,
  feedback: <FeedbackPage />,
  deliveryFailures: <FailuresPage />,
  quality: <QualityPage />,
  pipelineJob: <PipelinePage />,
  pipelineApplication: <ApplicationPage />,
  offer: <OfferPage />,
};

const ROUTE_TABLE = appRouteTable(<MobileLayout />, SCREENS);

/** Screens of the signed-in app. */
function SignedInRoutes() {
  return useRoutes(ROUTE_TABLE);
}

/** The app's one query client (cache, retries, invalidation); see `query/client.ts`. */
const queryClient = createQueryClient();

/** The whole mini-app: data cache, language, router, sign-in, then the role's screens. */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <BrowserRouter>
          <AuthProvider>
            <SignInGate>
              <SignedInRoutes />
            </SignInGate>
          </AuthProvider>
        </BrowserRouter>
      </LocaleProvider>
    </QueryClientProvider>
  );
}
