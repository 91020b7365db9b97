import { type QueryClient, useQuery } from '@tanstack/react-query';
import { Button, List } from 'antd-mobile';
import { type ReactNode, useEffect, useLayoutEffect, useState } from 'react';
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
import { releaseEarlyHome } from './earlyHome';
import { Greeting } from './Greeting';
import { type CardAction, nextCardContent, type OverviewLite, overviewLite } from './nextCard';
import { type NextStep, nextStep } from './nextStep';
import { CandidateTimeline, timelineQuery } from './Timeline';
import './candidate.css';
import { errorText } from '../errorCatalogue';
import { Spinner } from '../layout/Spinner';

/**
 * The one primary action for the step, with what it means; secondary links go below the card.
 * Its words come from {@link nextCardContent}, as do those of the card the start-up entry may have
 * painted before this code ran (`earlyHome.ts`), which goes when this one comes ({@link CandidateHome}).
 */
function NextCard({ step, overview }: { step: NextStep; overview: OverviewLite | null }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const content = nextCardContent(step, overview, {
    t,
    lang,
    reasonText: (code) => errorText(code, lang),
    now: Date.now(),
  });
  return (
    <section
      className="hm-next"
      data-testid="home-next"
      data-step={step.kind}
      aria-labelledby="hm-next-title"
    >
      {content.job !== null ? <p className="hm-job">{content.job}</p> : null}
      <h2 id="hm-next-title" className="hm-next-title">
        {content.title}
      </h2>
      <p className="hm-next-body">{content.body}</p>
      {content.deadline !== null ? (
        <p className="hm-deadline" data-testid="home-deadline">
          {content.deadline}
        </p>
      ) : null}
      {content.actions.length > 0 ? (
        <div className="hm-next-action">
          {content.actions.map((action) => (
            <CardButton key={action.testId} action={action} onGo={navigate} />
          ))}
        </div>
      ) : null}
    </section>
  );
}

/** One of the card's buttons (see {@link CardAction}; `earlyHome.ts` draws the same markup). */
function CardButton({ action, onGo }: { action: CardAction; onGo: (to: string) => void }) {
  const go = () => {
    if (action.to) onGo(action.to);
  };
  switch (action.kind) {
    case 'primary':
      return (
        <Button block color="primary" size="large" data-testid={action.testId} onClick={go}>
          {action.label}
        </Button>
      );
    case 'secondary':
      return (
        <Button block fill="none" color="primary" data-testid={action.testId} onClick={go}>
          {action.label}
        </Button>
      );
    case 'waiting':
      return (
        <Button block size="large" disabled data-testid={action.testId}>
          {action.label}
        </Button>
      );
  }
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
  const waiting = (overview.isPending && !noInterview) || bookings.isPending;
  // The home the start-up entry may have painted (earlyHome.ts) stays while this one would show a
  // spinner; once it shows the card (or an error), that one goes before the next paint, so the
  // two are never on screen together and the card does not move.
  useLayoutEffect(() => {
    if (!waiting) releaseEarlyHome();
  }, [waiting]);
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
  if (waiting)
    return <Spinner className="hm-loading" data-testid="home-loading" aria-label={t('app.loading')} />;
  const ov = noInterview ? null : (overview.data ?? null);
  const step = nextStep({
    overview: ov,
    bookings: bookings.data?.items ?? [],
    applications: bookings.data?.applications ?? [],
    // Feedback that failed to load hides only that step; the rest of the home still works.
    feedbackCount: feedback.data?.items.length ?? 0,
  });
  const lite = ov ? overviewLite(ov) : null;
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
