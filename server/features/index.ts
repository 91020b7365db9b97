/**
 * The product's features, in the order their declarations are assembled: routes are mounted
 * in this order, and in-transaction reactions to one event run in this order. A new feature is
 * a folder with an `index.ts` exporting its {@link Feature}, added here.
 */
import type { Feature } from '../kernel/feature';
import { accommodations } from './accommodations';
import { analytics } from './analytics';
import { auditLog } from './audit';
import { auth } from './auth';
import { booking } from './booking';
import { candidates } from './candidates';
import { directory } from './directory';
import { fairness } from './fairness';
import { followups } from './followups';
import { home } from './home';
import { interview } from './interview';
import { jobboard } from './jobboard';
import { jobs } from './jobs';
import { liveround } from './liveround';
import { messaging } from './messaging';
import { privacy } from './privacy';
import { questiongen } from './questiongen';
import { queue } from './queue';
import { resumes } from './resumes';
import { scoring } from './scoring';
import { summary } from './summary';
import { workflow } from './workflow';

/** Every feature of the product. */
export const FEATURES: readonly Feature[] = [
  auth,
  candidates,
  scoring,
  // Follow-ups after scoring, before messaging: their candidate message joins the same outbox flush.
  followups,
  liveround,
  // Messaging before workflow: a booking's reminders are written before its stage moves.
  messaging,
  workflow,
  booking,
  privacy,
  fairness,
  auditLog,
  interview,
  directory,
  jobs,
  questiongen,
  jobboard,
  accommodations,
  queue,
  resumes,
  home,
  analytics,
  summary,
];
