import type { InterviewOverview } from '../../../shared/api/interview';
import type { ErrorCode } from '../../../shared/errors';
import { routes } from '../../../shared/routes';
import type { MessageKey, MessageParams } from '../i18n';
import { formatAt } from './formatAt';
import type { NextStep } from './nextStep';

/** What the next-step card shows of the interview overview. */
export interface OverviewLite {
  jobTitle: string;
  questionCount: number;
  expectedMinutes: number;
  deadlineAt: string | null;
}

/** The card's view of an overview: the job line names the company when there is one. */
export function overviewLite(ov: InterviewOverview): OverviewLite {
  return {
    jobTitle: ov.company ? `${ov.company} · ${ov.job.title}` : ov.job.title,
    questionCount: ov.questionCount,
    expectedMinutes: ov.expectedMinutes,
    deadlineAt: ov.deadlineAt,
  };
}

/**
 * One button of the card: `primary` (the step's one main action), `secondary` (a link-like
 * second choice) or `waiting` (disabled, its reason in words); `to` is where it leads.
 */
export interface CardAction {
  kind: 'primary' | 'secondary' | 'waiting';
  testId: string;
  label: string;
  to: string | null;
}

/** Everything the card says, in words: React's `NextCard` and the start-up's early paint draw this. */
export interface NextCardContent {
  /** The job line, when there is an interview. */
  job: string | null;
  title: string;
  body: string;
  /** The deadline line (the instant in the viewer's zone and the days left), when it applies. */
  deadline: string | null;
  actions: CardAction[];
}

/** What {@link nextCardContent} reads besides the step: the translator, its language and the clock. */
export interface CardTexts {
  t: (key: MessageKey, params?: MessageParams) => string;
  lang: string;
  /** The text of a closed interview's reason (the error catalogue's). */
  reasonText: (code: ErrorCode) => string;
  now: number;
}

/** `2026/12/06 23:59（Asia/Shanghai）` in the viewer's zone: the zone is named, never implied. */
const when = (at: string, lang: string) => formatAt(at, lang, true);

/** The deadline line: the instant in the candidate's zone and how many days are left. */
export function deadlineText(at: string, { t, lang, now }: Omit<CardTexts, 'reasonText'>): string {
  const days = Math.ceil((new Date(at).getTime() - now) / 86_400_000);
  const left = days > 1 ? t('hm.deadline.left', { d: days }) : days >= 0 ? t('hm.deadline.today') : '';
  return t('hm.deadline', { when: when(at, lang) }) + left;
}

/**
 * The words and actions of the candidate's next-step card for `step`: one primary action with
 * what it means. Pure, so the card React renders and the one the start-up entry paints before
 * the app's code has run (`earlyHome.ts`) are the same text by construction.
 */
export function nextCardContent(
  step: NextStep,
  overview: OverviewLite | null,
  texts: CardTexts,
): NextCardContent {
  const { t, lang } = texts;
  const primary = (testId: string, label: string, to: string): CardAction => ({
    kind: 'primary',
    testId,
    label,
    to,
  });
  let title: string;
  let body: string;
  const actions: CardAction[] = [];
  switch (step.kind) {
    case 'none':
      title = t('hm.next.none.title');
      body = t('hm.next.none.body');
      break;
    case 'book':
      title = t('hm.next.book.title');
      body = t('hm.next.book.body');
      actions.push(
        primary('home-book', t('hm.next.book.go'), routes.book(step.applicationId, 'ai_interview')),
      );
      break;
    case 'start':
      title = t('hm.next.start.title');
      body = t('hm.next.start.body', { n: overview?.questionCount ?? 0, m: overview?.expectedMinutes ?? 0 });
      actions.push(primary('iv-open', t('hm.next.start.go'), routes.interview()));
      if (step.remindApplicationId)
        actions.push({
          kind: 'secondary',
          testId: 'home-remind',
          label: t('hm.next.remind'),
          to: routes.book(step.remindApplicationId, 'ai_interview'),
        });
      break;
    case 'wait_window':
      title = t('hm.next.wait.title');
      body = step.booking
        ? t('hm.next.wait.body', { when: when(step.booking.startAt, lang) })
        : t('hm.next.wait.bodyNoTime');
      // Disabled with its reason in words; the booking list below lets them move the time.
      actions.push({ kind: 'waiting', testId: 'home-wait', label: t('hm.next.wait.go'), to: null });
      break;
    case 'continue':
      title = t('hm.next.continue.title');
      body = t('hm.next.continue.body', { k: step.answered, n: step.total });
      actions.push(primary('iv-open', t('hm.next.continue.go'), routes.interview()));
      break;
    case 'wait_results':
      title = t('hm.next.results.title');
      body = t('hm.next.results.body');
      break;
    case 'feedback':
      title = t('hm.next.feedback.title');
      body = t('hm.next.feedback.body');
      actions.push(primary('home-feedback', t('hm.next.feedback.go'), routes.feedback()));
      break;
    case 'closed':
      title = t('hm.next.closed.title');
      body = `${texts.reasonText(step.reason)} ${t('hm.next.closed.help')}`;
      break;
  }
  const showDeadline = overview?.deadlineAt && step.kind !== 'wait_results' && step.kind !== 'feedback';
  return {
    job: overview ? overview.jobTitle : null,
    title,
    body,
    deadline: showDeadline && overview?.deadlineAt ? deadlineText(overview.deadlineAt, texts) : null,
    actions,
  };
}
