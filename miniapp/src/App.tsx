import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
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
import { ApplicationLink, BookingLink } from './links/DeepLinks';
import { LocaleProvider } from './locale';
import { MePage } from './me/MePage';
import { FailuresPage } from './notifications/FailuresPage';
import { InboxPage } from './notifications/InboxPage';
import { ApplicationPage } from './pipeline/ApplicationPage';
import { OfferPage } from './pipeline/OfferPage';
import { PipelinePage } from './pipeline/PipelinePage';
import { QualityPage } from './quality/QualityPage';
import { FeedbackPage } from './reports/FeedbackPage';
import { ReportPage } from './reports/ReportPage';
import { ReportsPage } from './reports/ReportsPage';

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
