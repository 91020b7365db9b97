import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startSignInRequests } from './auth/bootstrap';
import { getSession, isSessionValid, sessionKind } from './auth/session';
import { preloadCandidateHome } from './homes/HomePage';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// Before the first render: sign-in's first round trips overlap React's start-up.
startSignInRequests();
// A returning candidate's home starts downloading now, alongside `/api/me`.
const stored = getSession();
if (isSessionValid(stored) && sessionKind(stored) === 'candidate') preloadCandidateHome();

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
