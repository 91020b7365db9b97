import { FileOutline } from 'antd-mobile-icons';
import { type ComponentType, type ReactNode, Suspense, useState } from 'react';
import { useMe } from '../auth/AuthProvider';
import { DEFAULT_LANG, storedLang } from '../i18n';
import { lazyScreen, ScreenLoading } from '../lazyScreen';
import { useI18n } from '../locale';
import { CANDIDATE_HOME_MESSAGES, loadMessages } from '../messageLoaders';
import { queryClient } from '../query/client';
import { Greeting } from './Greeting';
import { loadCandidateHome } from './preload';
import { HOME_SECTIONS, type HomeSectionDef } from './sections';

// Employees' entries load with their own screens' chunks: a candidate's first load, which is
// most first loads, carries none of HR's, interviewers' or managers' code.
const AvailabilityEntry = lazyScreen(() => import('../booking/AvailabilityPage'), 'AvailabilityEntry');
const PlansEntry = lazyScreen(() => import('../booking/PlansPage'), 'PlansEntry');
const PlanEntry = lazyScreen(() => import('../interview/PlanEditor'), 'PlanEntry');
const JobsEntry = lazyScreen(() => import('../jobs/JobsPage'), 'JobsEntry');
const FailuresEntry = lazyScreen(() => import('../notifications/FailuresPage'), 'FailuresEntry');
const PipelineEntry = lazyScreen(() => import('../pipeline/PipelinePage'), 'PipelineEntry');
const QualityEntry = lazyScreen(() => import('../quality/QualityPage'), 'QualityEntry');
const ReviewEntry = lazyScreen(() => import('../reports/ReportsPage'), 'ReviewEntry');
const CandidatesEntry = lazyScreen(() => import('../candidates/CandidatesPage'), 'CandidatesEntry');
const QueueEntry = lazyScreen(() => import('../queue/QueuePage'), 'QueueEntry');
const ScreeningEntry = lazyScreen(() => import('../resumes/ScreeningPage'), 'ScreeningEntry');
const OrgEntry = lazyScreen(() => import('../org/OrgPage'), 'OrgEntry');
const AuditEntry = lazyScreen(() => import('../audit/AuditPage'), 'AuditEntry');
const AnalyticsEntry = lazyScreen(() => import('../analytics/AnalyticsEntry'), 'AnalyticsEntry');
const LiveRoundEntry = lazyScreen(() => import('../liveround/LiveRoundEntry'), 'LiveRoundEntry');
// The candidate's home is its own chunk too: the sign-in page (a candidate's first load) then
// carries only sign-in (at most 150 KB of compressed JS, miniapp/e2e/firstload.browser.test.ts).
// Its entries (résumé, feedback, offer, follow-ups) show one line each of their feature's texts.
// A returning candidate's start-up fetches it early (`preload.ts`, `prepareCandidateHome`).
type CandidateHomeModule = Awaited<ReturnType<typeof loadCandidateHome>>;

/** The home's module once its code, texts and first reads are in: it then renders at once. */
let preparedHome: CandidateHomeModule | null = null;
let preparing: Promise<CandidateHomeModule> | null = null;

/**
 * Loads the candidate's home: its chunk, its catalogues, and its first reads into the cache
 * (`loadNextStep`, in the language the UI starts in), so its first render draws the next step.
 * Started by the app's start-up for a returning candidate (`start.tsx`), so that when sign-in
 * confirms the session the home renders without a loading pass; a failure is retried by the
 * screen's own load.
 */
export function prepareCandidateHome(): Promise<CandidateHomeModule> {
  preparing ??= (async () => {
    const [home] = await Promise.all([loadCandidateHome(), loadMessages(CANDIDATE_HOME_MESSAGES)]);
    await home.loadNextStep(queryClient, storedLang() ?? DEFAULT_LANG);
    preparedHome = home;
    return home;
  })();
  preparing.catch(() => {
    preparing = null;
  });
  return preparing;
}

const CandidateHomeScreen = lazyScreen(prepareCandidateHome, 'CandidateHomeScreen', CANDIDATE_HOME_MESSAGES);

/** The candidate's home: drawn at once when prepared, else through its lazy load. */
function CandidateHomeEntry() {
  // Decided once: switching from the lazy screen to the prepared one would remount the home.
  const [prepared] = useState(() => preparedHome);
  return prepared ? <prepared.CandidateHomeScreen /> : <CandidateHomeScreen />;
}

const HrTodaySection = lazyScreen(() => import('./summary'), 'HrTodaySection');
const InterviewerTodaySection = lazyScreen(() => import('./summary'), 'InterviewerTodaySection');
const ManagerSection = lazyScreen(() => import('./summary'), 'ManagerSection');
const ToRateSection = lazyScreen(() => import('./summary'), 'ToRateSection');

// The sections' titles come from several features' catalogues: the home waits for them (all
// catalogues, with no code to fetch) rather than drawing blank titles first.
const StaffHomeScreen = lazyScreen(async () => ({ StaffHome }), 'StaffHome');

/** A home section whose feature is not built yet: title, what will appear, and "暂无内容". */
export function EmptySection({ section }: { section: HomeSectionDef }) {
  const { t } = useI18n();
  return (
    <section className="home-section" data-testid={`section-${section.id}`}>
      <header className="home-section-header">
        <h3 className="home-section-title">{t(section.title)}</h3>
        <p className="home-section-desc">{t(section.description)}</p>
      </header>
      <div className="home-section-empty" data-testid="empty">
        <FileOutline aria-hidden="true" />
        <span>{t('home.empty')}</span>
      </div>
    </section>
  );
}

/** HR's jobs: the hiring pipeline and the interview questions of each job. */
function HrJobs() {
  return (
    <>
      <JobsEntry />
      <PipelineEntry />
      <PlanEntry />
    </>
  );
}

/** HR's and admins' ways into the organisation and the audit log. */
function OrgAndAudit() {
  return (
    <>
      <OrgEntry />
      <AuditEntry />
    </>
  );
}

/** HR's candidates: the pool (add, import, invite), résumé screening and the work queue (待办). */
function HrCandidates() {
  return (
    <>
      <QueueEntry />
      <ScreeningEntry />
      <CandidatesEntry />
    </>
  );
}

/** An interviewer's reports waiting for their rating, then every report they may review. */
function InterviewerPending() {
  return (
    <>
      <ToRateSection />
      <ReviewEntry />
    </>
  );
}

/** An interviewer's day, then their live rounds with the outline and scorecard of each. */
function InterviewerToday() {
  return (
    <>
      <InterviewerTodaySection />
      <LiveRoundEntry />
    </>
  );
}

/** HR's bookings: the interview plans' schedules, then every live round with its scorecards. */
function HrBookings() {
  return (
    <>
      <PlansEntry />
      <LiveRoundEntry />
    </>
  );
}

/** HR's numbers: hiring analytics, then fairness and AI quality. */
function HrQuality() {
  return (
    <>
      <AnalyticsEntry />
      <QualityEntry />
    </>
  );
}

/** A manager's department: its pipeline per job, then its hiring analytics. */
function ManagerHiring() {
  return (
    <>
      <ManagerSection />
      <LiveRoundEntry />
      <AnalyticsEntry />
    </>
  );
}

/** Sections whose feature exists, by section id (features add one line each). */
const SECTION_CONTENT: Partial<Record<string, ComponentType>> = {
  'interviewer-schedule': AvailabilityEntry,
  'hr-bookings': HrBookings,
  'interviewer-pending': InterviewerPending,
  'interviewer-today': InterviewerToday,
  'hr-today': HrTodaySection,
  'hr-org': OrgAndAudit,
  'manager-candidates': ReviewEntry,
  'hr-reviews': ReviewEntry,
  'hr-delivery': FailuresEntry,
  'hr-quality': HrQuality,
  'hr-jobs': HrJobs,
  'hr-candidates': HrCandidates,
  'manager-approvals': ManagerHiring,
};

/** A home section with its feature's content. */
export function FilledSection({ section, content }: { section: HomeSectionDef; content: ReactNode }) {
  const { t } = useI18n();
  return (
    <section className="home-section" data-testid={`section-${section.id}`}>
      <header className="home-section-header">
        <h3 className="home-section-title">{t(section.title)}</h3>
        <p className="home-section-desc">{t(section.description)}</p>
      </header>
      {content}
    </section>
  );
}

/** The signed-in user's home, chosen by `me.home`. */
export function HomePage() {
  const me = useMe();
  // Candidates get one next step rather than a list of sections (see CandidateHome).
  return (
    <Suspense fallback={<ScreenLoading />}>
      {me.home === 'candidate' ? <CandidateHomeEntry /> : <StaffHomeScreen />}
    </Suspense>
  );
}

/** An employee's home: their role's sections, each with its feature's entries. */
function StaffHome() {
  const me = useMe();
  if (me.home === 'candidate') return null;
  return (
    <div className="home" data-testid={`home-${me.home}`}>
      <Greeting me={me} />
      {HOME_SECTIONS[me.home].map((section) => {
        const Content = SECTION_CONTENT[section.id];
        return Content ? (
          <FilledSection
            key={section.id}
            section={section}
            content={
              <Suspense fallback={<ScreenLoading />}>
                <Content />
              </Suspense>
            }
          />
        ) : (
          <EmptySection key={section.id} section={section} />
        );
      })}
    </div>
  );
}
