import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider } from './auth/AuthProvider';
import { SignInGate } from './auth/SignInGate';
import { HomePage } from './homes/HomePage';
import { MobileLayout } from './layout/MobileLayout';
import { lazyScreen } from './lazyScreen';
import { ApplicationLink, BookingLink } from './links/DeepLinks';
import { LocaleProvider } from './locale';

// Code split by route: sign-in, the frame and the homes are in the first chunk; every other
// screen (most of them HR's, interviewers' and managers') loads when first opened.
const AvailabilityPage = lazyScreen(() => import('./booking/AvailabilityPage'), 'AvailabilityPage');
const BookPage = lazyScreen(() => import('./booking/BookPage'), 'BookPage');
const MyBookingsPage = lazyScreen(() => import('./booking/MyBookingsPage'), 'MyBookingsPage');
const PlansPage = lazyScreen(() => import('./booking/PlansPage'), 'PlansPage');
const InterviewPage = lazyScreen(() => import('./interview/InterviewPage'), 'InterviewPage');
const PlanEditor = lazyScreen(() => import('./interview/PlanEditor'), 'PlanEditor');
const PlanList = lazyScreen(() => import('./interview/PlanEditor'), 'PlanList');
const MePage = lazyScreen(() => import('./me/MePage'), 'MePage');
const FailuresPage = lazyScreen(() => import('./notifications/FailuresPage'), 'FailuresPage');
const InboxPage = lazyScreen(() => import('./notifications/InboxPage'), 'InboxPage');
const ApplicationPage = lazyScreen(() => import('./pipeline/ApplicationPage'), 'ApplicationPage');
const OfferPage = lazyScreen(() => import('./pipeline/OfferPage'), 'OfferPage');
const PipelinePage = lazyScreen(() => import('./pipeline/PipelinePage'), 'PipelinePage');
const QualityPage = lazyScreen(() => import('./quality/QualityPage'), 'QualityPage');
const FeedbackPage = lazyScreen(() => import('./reports/FeedbackPage'), 'FeedbackPage');
const ReportPage = lazyScreen(() => import('./reports/ReportPage'), 'ReportPage');
const ReportsPage = lazyScreen(() => import('./reports/ReportsPage'), 'ReportsPage');

/** Screens of the signed-in app. Sign-in URLs (`/auth/callback`, `/invite/…`) never get here. */
function SignedInRoutes() {
  return (
    <Routes>
      <Route element={<MobileLayout />}>
        <Route index element={<HomePage />} />
        <Route path="me" element={<MePage />} />
        <Route path="booking/:applicationId/:kind" element={<BookPage />} />
        <Route path="bookings/mine" element={<MyBookingsPage />} />
        <Route path="bookings/:id" element={<BookingLink />} />
        <Route path="applications/:id" element={<ApplicationLink />} />
        <Route path="availability" element={<AvailabilityPage />} />
        <Route path="schedules" element={<PlansPage />} />
        <Route path="schedules/:jobId" element={<PlansPage />} />
        <Route path="interview" element={<InterviewPage />} />
        <Route path="interview-plans" element={<PlanList />} />
        <Route path="interview-plans/:jobId" element={<PlanEditor />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="reports" element={<ReportsPage />} />
        <Route path="reports/:id" element={<ReportPage />} />
        <Route path="feedback" element={<FeedbackPage />} />
        <Route path="notifications/failures" element={<FailuresPage />} />
        <Route path="quality" element={<QualityPage />} />
        <Route path="pipeline/jobs/:jobId" element={<PipelinePage />} />
        <Route path="pipeline/applications/:id" element={<ApplicationPage />} />
        <Route path="offer" element={<OfferPage />} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

/** The whole mini-app: language, router, sign-in, then the role's screens. */
export function App() {
  return (
    <LocaleProvider>
      <BrowserRouter>
        <AuthProvider>
          <SignInGate>
            <SignedInRoutes />
          </SignInGate>
        </AuthProvider>
      </BrowserRouter>
    </LocaleProvider>
  );
}
