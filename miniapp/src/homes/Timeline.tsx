/**
 * The candidate's progress timeline on their home (issue 16 item 7), as the server computes it
 * from the rows (`GET /api/home/timeline`): each step with the date it was reached, the current
 * one marked for screen readers (`aria-current="step"`), and the next step with when to expect it.
 * States are words as well as marks: colour is never the only signal.
 */
import { useQuery } from '@tanstack/react-query';
import { Button } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import type { CandidateTimelineResponse, TimelineNext } from '../../../shared/api/home';
import { ApiError, apiRequest } from '../api';
import { useI18n } from '../locale';
import { PRELOADED_FRESH_MS } from '../query/client';
import { formatAt } from './formatAt';

/** The timeline's query (key and read; null when they have no application, 404). */
export const timelineQuery = () => ({
  queryKey: ['home', 'timeline'],
  queryFn: async ({ signal }: { signal?: AbortSignal }) => {
    try {
      return await apiRequest<CandidateTimelineResponse>('/api/home/timeline', { signal });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  },
  refetchOnWindowFocus: true,
});

/** The signed-in candidate's timeline; null when they have no application (404). */
export const useCandidateTimeline = (staleTime = 0) => useQuery({ ...timelineQuery(), staleTime });

/** Actions the home's next-step card does not already offer get their own link here. */
const OWN_LINK: ReadonlySet<TimelineNext['action']> = new Set([
  'book_second_round',
  'second_round',
  'answer_offer',
]);

/** The timeline section; renders nothing until loaded or when there is no application. */
export function CandidateTimeline() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const q = useCandidateTimeline(PRELOADED_FRESH_MS);
  const data = q.data;
  if (!data) return null;
  const nextIndex = data.next.step ? data.steps.findIndex((s) => s.key === data.next.step) : -1;
  const nextText = t(`hm.tl.next.${data.next.action}`);
  return (
    <section className="hm-timeline" aria-labelledby="hm-timeline-title" data-testid="home-timeline">
      <h3 id="hm-timeline-title" className="hm-subtitle">
        {t('hm.timeline')}
      </h3>
      <ol>
        {data.steps.map((s, i) => {
          const isNext = i === nextIndex;
          return (
            <li
              key={s.key}
              className={`hm-step hm-step-${s.state}${isNext ? ' hm-step-next' : ''}`}
              aria-current={s.state === 'current' ? 'step' : undefined}
              data-testid={`home-step-${s.key}`}
              data-state={s.state}
            >
              <span className="hm-step-mark" aria-hidden="true">
                {s.state === 'done' ? '✓' : s.state === 'skipped' ? '–' : i + 1}
              </span>
              <span className="hm-step-name">
                {t(`hm.step.${s.key}`)}
                {s.key === 'decision' && data.decision
                  ? `${lang === 'en' ? ': ' : '：'}${t(`hm.decision.${data.decision}`)}`
                  : null}
              </span>
              <span className="hm-step-state">
                {isNext ? t('hm.step.nextMark') : t(`hm.step.${s.state}`)}
                {s.at ? ` · ${formatAt(s.at, lang, false)}` : null}
              </span>
            </li>
          );
        })}
      </ol>
      {nextText ? (
        <div className="hm-timeline-next" data-testid="home-timeline-next" data-action={data.next.action}>
          <p>{nextText}</p>
          {data.next.expectedBy && data.next.basis ? (
            <p className="hm-deadline" data-testid="home-timeline-expected">
              {t(`hm.tl.by.${data.next.basis}`, { when: formatAt(data.next.expectedBy, lang, true) })}
            </p>
          ) : null}
          {data.next.link && OWN_LINK.has(data.next.action) ? (
            <Button
              size="small"
              color="primary"
              fill="outline"
              data-testid="home-timeline-go"
              onClick={() => navigate(data.next.link ?? '/')}
            >
              {t('hm.tl.open')}
            </Button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
