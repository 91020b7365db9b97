import { type QueryClient, useQuery } from '@tanstack/react-query';
import { Button, List } from 'antd-mobile';
import { type ReactNode, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { InterviewOverview } from '../../../shared/api/interview';
import { routes } from '../../../shared/routes';
import { ApiError } from '../api';
import { useMe } from '../auth/AuthProvider';
import { myBookingsQuery } from '../booking/api';
import { FollowUpsEntry } from '../followups/FollowUpsEntry';
import { overviewQuery } from '../interview/api';
import { useI18n } from '../locale';
import { InboxEntry } from '../notifications/InboxEntry';
import { OfferEntry } from '../pipeline/OfferEntry';
import { PRELOADED_FRESH_MS } from '../query/client';
import { QueryState } from '../query/QueryState';
import { CandidateAccommodations } from '../queue/AccommodationCard';
import { feedbackQuery } from '../reports/api';
import { FeedbackEntry } from '../reports/FeedbackEntry';
import { ResumeEntry } from '../resumes/ResumeEntry';
import { jobShareContent } from '../share/jobShare';
import { ShareButton } from '../share/ShareButton';
import { Greeting } from './Greeting';
import { type NextStep, nextStep } from './nextStep';
import { CandidateTimeline, formatAt, timelineQuery } from './Timeline';
import './candidate.css';
import { errorText } from '../errorCatalogue';
import { Spinner } from '../layout/Spinner';

/** `2026/12/06 23:59（Asia/Shanghai）` in the viewer's zone: the zone is named, never implied. */
const when = (at: string, lang: string) => formatAt(at, lang, true);

/** The deadline line: the instant in the candidate's zone and how many days are left. */
function Deadline({ at }: { at: string }) {
  const { t, lang } = useI18n();
  const days = Math.ceil((new Date(at).getTime() - Date.now()) / 86_400_000);
  return (
    <p className="hm-deadline" data-testid="home-deadline">
      {t('hm.deadline', { when: when(at, lang) })}
      {days > 1 ? t('hm.deadline.left', { d: days }) : days >= 0 ? t('hm.deadline.today') : null}
    </p>
  );
}

/** The one primary action for the step, with what it means; secondary links go below the card. */
function NextCard({ step, overview }: { step: NextStep; overview: OverviewLite | null }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const primary = (testId: string, label: string, to: string) => (
    <Button block color="primary" size="large" data-testid={testId} onClick={() => navigate(to)}>
      {label}
    </Button>
  );
  let title: string;
  let body: string;
  let action: ReactNode = null;
  switch (step.kind) {
    case 'none':
      title = t('hm.next.none.title');
      body = t('hm.next.none.body');
      break;
    case 'book':
      title = t('hm.next.book.title');
      body = t('hm.next.book.body');
      action = primary('home-book', t('hm.next.book.go'), routes.book(step.applicationId, 'ai_interview'));
      break;
    case 'start':
      title = t('hm.next.start.title');
      body = t('hm.next.start.body', { n: overview?.questionCount ?? 0, m: overview?.expectedMinutes ?? 0 });
      action = (
        <>
          {primary('iv-open', t('hm.next.start.go'), routes.interview())}
          {step.remindApplicationId ? (
            <Button
              block
              fill="none"
              color="primary"
              data-testid="home-remind"
              onClick={() => navigate(routes.book(step.remindApplicationId ?? 0, 'ai_interview'))}
            >
              {t('hm.next.remind')}
            </Button>
          ) : null}
        </>
      );
      break;
    case 'wait_window':
      title = t('hm.next.wait.title');
      body = step.booking
        ? t('hm.next.wait.body', { when: when(step.booking.startAt, lang) })
        : t('hm.next.wait.bodyNoTime');
      // Disabled with its reason in words; the booking list below lets them move the time.
      action = (
        <Button block size="large" disabled data-testid="home-wait">
          {t('hm.next.wait.go')}
        </Button>
      );
      break;
    case 'continue':
      title = t('hm.next.continue.title');
      body = t('hm.next.continue.body', { k: step.answered, n: step.total });
      action = primary('iv-open', t('hm.next.continue.go'), routes.interview());
      break;
    case 'wait_results':
      title = t('hm.next.results.title');
      body = t('hm.next.results.body');
      break;
    case 'feedback':
      title = t('hm.next.feedback.title');
      body = t('hm.next.feedback.body');
      action = primary('home-feedback', t('hm.next.feedback.go'), routes.feedback());
      break;
    case 'closed':
      title = t('hm.next.closed.title');
      body = `${errorText(step.reason, lang)} ${t('hm.next.closed.help')}`;
      break;
  }
  return (
    <section
      className="hm-next"
      data-testid="home-next"
      data-step={step.kind}
      aria-labelledby="hm-next-title"
    >
      {overview ? <p className="hm-job">{overview.jobTitle}</p> : null}
      <h2 id="hm-next-title" className="hm-next-title">
        {title}
      </h2>
      <p className="hm-next-body">{body}</p>
      {overview?.deadlineAt && step.kind !== 'wait_results' && step.kind !== 'feedback' ? (
        <Deadline at={overview.deadlineAt} />
      ) : null}
      {action ? <div className="hm-next-action">{action}</div> : null}
    </section>
  );
}

interface OverviewLite {
  jobTitle: string;
  questionCount: number;
  expectedMinutes: number;
  deadlineAt: string | null;
}

/**
 * False until the frame after the component's first paint, then true.
 *
 * Why: on a slow phone the home's first render, layout and paint of everything at once took
 * several hundred milliseconds at 4x CPU slowdown (`npm run bench -- frontend`, traces), and the
 * next-step card, whose deadline line is the page's largest text, waited for all of it. The rest
 * (timeline, entries) is drawn right after the card has been painted (issue 18: LCP under 1.5 s).
 * `requestAnimationFrame` runs just before that paint; the timeout inside it, just after.
 */
function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setPainted(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return painted;
}

/** Renders `children` from the frame after its own first paint (with the card it sits beside). */
function AfterFirstPaint({ children }: { children: ReactNode }) {
  return useAfterFirstPaint() ? children : null;
}

/**
 * The candidate's home: one card with the next step and its one primary action, the deadline in
 * the candidate's own zone, the progress timeline, then secondary entries (bookings and
 * reminders, messages, offer, feedback). Replaces the two cards that named the same thing twice.
 * The card paints first; the timeline and the entries follow a frame later ({@link AfterFirstPaint}).
 */
export function CandidateHome() {
  const { t, lang } = useI18n();
  // Fresh for a moment: the first render finds them loaded by loadNextStep.
  const overview = useQuery({ ...overviewQuery(lang), staleTime: PRELOADED_FRESH_MS });
  const bookings = useQuery({ ...myBookingsQuery(), staleTime: PRELOADED_FRESH_MS });
  const feedback = useQuery({ ...feedbackQuery(), staleTime: PRELOADED_FRESH_MS });
  // No interview in this session (404): an honest empty state, not an error.
  const noInterview = overview.error instanceof ApiError && overview.error.status === 404;
  if (!noInterview && overview.isError)
    return (
      <QueryState query={overview} title={t('common.loadFailed')}>
        {() => null}
      </QueryState>
    );
  if (bookings.isError)
    return (
      <QueryState query={bookings} title={t('common.loadFailed')}>
        {() => null}
      </QueryState>
    );
  if ((overview.isPending && !noInterview) || bookings.isPending)
    return <Spinner className="hm-loading" data-testid="home-loading" aria-label={t('app.loading')} />;
  const ov = noInterview ? null : (overview.data ?? null);
  const step = nextStep({
    overview: ov,
    bookings: bookings.data?.items ?? [],
    applications: bookings.data?.applications ?? [],
    // Feedback that failed to load hides only that step; the rest of the home still works.
    feedbackCount: feedback.data?.items.length ?? 0,
  });
  const lite: OverviewLite | null = ov
    ? {
        jobTitle: ov.company ? `${ov.company} · ${ov.job.title}` : ov.job.title,
        questionCount: ov.questionCount,
        expectedMinutes: ov.expectedMinutes,
        deadlineAt: ov.deadlineAt,
      }
    : null;
  const hasBookings = (bookings.data?.items.length ?? 0) > 0 || (bookings.data?.applications.length ?? 0) > 0;
  return (
    <div className="hm" data-testid="candidate-home">
      <NextCard step={step} overview={lite} />
      <AfterFirstPaint>
        <CandidateTimeline />
        <MoreSection ov={ov} hasBookings={hasBookings} />
      </AfterFirstPaint>
    </div>
  );
}

/** The home's secondary entries, below the timeline. */
function MoreSection({ ov, hasBookings }: { ov: InterviewOverview | null; hasBookings: boolean }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  return (
    <section className="hm-more" aria-label={t('hm.more')} data-testid="section-candidate-feedback">
      <h3 className="hm-subtitle">{t('hm.more')}</h3>
      {hasBookings ? (
        <List>
          <List.Item clickable data-testid="bk-open-mine" onClick={() => navigate(routes.myBookings())}>
            {t('bk.mine.title')}
          </List.Item>
        </List>
      ) : null}
      <ResumeEntry />
      <OfferEntry />
      <InboxEntry />
      <FollowUpsEntry />
      <FeedbackEntry />
      {ov ? (
        <div className="hm-share" data-testid="home-share-job">
          <ShareButton
            testId="job-share"
            label={t('hm.shareJob')}
            content={() => jobShareContent(ov.job.id, lang)}
          />
        </div>
      ) : null}
      {/* The card is small and comes with the home; its form (antd's Form) loads when opened. */}
      <CandidateAccommodations />
    </section>
  );
}

/** How long the home's first render waits for its next step's data before it shows the spinner. */
export const NEXT_STEP_WAIT_MS = 1500;

/**
 * Loads the home's first reads (those `preload.ts` sent at start-up: the overview and bookings
 * the next-step card needs, feedback, the timeline) into the cache, so the home's first render
 * draws them rather than a spinner that later renders replace: on a slow
 * phone each render is tens of milliseconds, and the card holds the screen's largest text
 * (issue 18: LCP under 1.5 s). The start-up sent these reads already (`preload.ts`), so this
 * mostly waits for their answers; it never waits longer than {@link NEXT_STEP_WAIT_MS}, and a
 * failure is left to the screen (no retry here: the screen's own query retries and shows it).
 */
export async function loadNextStep(client: QueryClient, lang: string): Promise<void> {
  const reads = Promise.all([
    client.prefetchQuery({ ...overviewQuery(lang), retry: false }),
    client.prefetchQuery({ ...myBookingsQuery(), retry: false }),
    client.prefetchQuery({ ...feedbackQuery(), retry: false }),
    client.prefetchQuery({ ...timelineQuery(), retry: false }),
  ]);
  await Promise.race([reads, new Promise((resolve) => setTimeout(resolve, NEXT_STEP_WAIT_MS))]);
}

/**
 * The candidate's whole home screen (greeting, next step, the rest), loaded as one chunk after
 * sign-in so the sign-in page stays within the first-load budget.
 */
export function CandidateHomeScreen() {
  const me = useMe();
  return (
    <div className="home" data-testid="home-candidate">
      <Greeting me={me} />
      <CandidateHome />
    </div>
  );
}
