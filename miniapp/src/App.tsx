import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider } from './auth/AuthProvider';
import { SignInGate } from './auth/SignInGate';
import { HomePage } from './homes/HomePage';
import { MobileLayout } from './layout/MobileLayout';
import { LocaleProvider } from './locale';
import { MePage } from './me/MePage';

/** Screens of the signed-in app. Sign-in URLs (`/auth/callback`, `/invite/…`) never get here. */
function SignedInRoutes() {
  return (
    <Routes>
      <Route element={<MobileLayout />}>
        <Route index element={<HomePage />} />
        <Route path="me" element={<MePage />} />
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
