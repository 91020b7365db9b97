/**
 * The homes' live content from `GET /api/home` (one request for every section of a home): HR's
 * numbers for today, a manager's pipelines and approvals, an interviewer's interviews and reports
 * to rate. An empty part says what will appear there and why, never just "nothing".
 */
import { useQuery } from '@tanstack/react-query';
import { Grid, List, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import type { HomeInterview, HomeSummaryResponse, HrToday } from '../../../shared/api/home';
import type { Stage } from '../../../shared/stages';
import { apiRequest } from '../api';
import type { MessageKey } from '../i18n';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';

/** The signed-in employee's home summary (refetched when they come back to the app). */
export const useHomeSummary = () =>
  useQuery({
    queryKey: ['home', 'summary'],
    queryFn: ({ signal }) => apiRequest<HomeSummaryResponse>('/api/home', { signal }),
    refetchOnWindowFocus: true,
  });

function Hint({ text, testId }: { text: string; testId?: string }) {
  return (
    <p className="home-hint muted" data-testid={testId ?? 'home-hint'}>
      {text}
    </p>
  );
}

const HR_NUMBERS: Array<[keyof HrToday, MessageKey]> = [
  ['newCandidates', 'hs.hr.newCandidates'],
  ['interviewsToday', 'hs.hr.interviewsToday'],
  ['reportsToReview', 'hs.hr.reportsToReview'],
  ['queueDue', 'hs.hr.queueDue'],
  ['approvalsPending', 'hs.hr.approvalsPending'],
];

/** HR: today's five numbers, each opening where the work is. */
export function HrTodaySection() {
  const { t } = useI18n();
  const nav = useNavigate();
  const summary = useHomeSummary();
  return (
    <QueryState query={summary} title={t('hs.loadFailed')}>
      {({ hr }) =>
        hr ? (
          <>
            <Grid columns={3} gap={8} data-testid="hr-today">
              {HR_NUMBERS.map(([key, label]) => (
                <Grid.Item key={key}>
                  <button
                    type="button"
                    className="home-number"
                    data-testid={`hr-${key}`}
                    onClick={() => nav(hr[key].link)}
                  >
                    <span className="home-number-value">{hr[key].count}</span>
                    <span className="home-number-label">{t(label)}</span>
                  </button>
                </Grid.Item>
              ))}
            </Grid>
            {HR_NUMBERS.every(([k]) => hr[k].count === 0) ? <Hint text={t('hs.hr.allClear')} /> : null}
          </>
        ) : null
      }
    </QueryState>
  );
}

/** Manager: each job of their department with its count per stage, then approvals in progress. */
export function ManagerSection() {
  const { t } = useI18n();
  const nav = useNavigate();
  const summary = useHomeSummary();
  return (
    <QueryState query={summary} title={t('hs.loadFailed')}>
      {({ manager }) =>
        manager ? (
          <div data-testid="manager-summary">
            {manager.jobs.length === 0 ? (
              <Hint text={t('hs.mgr.noJobs')} />
            ) : (
              <List>
                {manager.jobs.map((j) => (
                  <List.Item
                    key={j.id}
                    clickable
                    onClick={() => nav(j.link)}
                    description={(Object.entries(j.counts) as Array<[Stage, number]>)
                      .map(([stage, n]) => t('hs.mgr.stage', { stage: t(`pl.stage.${stage}`), n }))
                      .join(' · ')}
                  >
                    {j.title}
                  </List.Item>
                ))}
              </List>
            )}
            <h4 className="home-subtitle">{t('hs.mgr.approvals')}</h4>
            {manager.approvals.length === 0 ? (
              <Hint text={t('hs.mgr.noApprovals')} />
            ) : (
              <List>
                {manager.approvals.map((a) => (
                  <List.Item
                    key={a.id}
                    clickable
                    onClick={() => nav(a.link)}
                    description={`${a.jobTitle} · ${new Date(a.startedAt).toLocaleString()}`}
                    extra={
                      <Tag color="warning">
                        {t(`hs.approval.${a.kind as 'offer' | 'second_round' | 'accommodation'}`)}
                      </Tag>
                    }
                  >
                    {a.candidateName}
                  </List.Item>
                ))}
              </List>
            )}
          </div>
        ) : null
      }
    </QueryState>
  );
}

function InterviewList({ items, empty, testId }: { items: HomeInterview[]; empty: string; testId: string }) {
  const { t } = useI18n();
  const nav = useNavigate();
  if (items.length === 0) return <Hint text={empty} testId={`${testId}-empty`} />;
  return (
    <List data-testid={testId}>
      {items.map((b) => (
        <List.Item
          key={b.bookingId}
          clickable
          onClick={() => nav(b.link)}
          description={`${b.jobTitle} · ${t(`hs.kind.${b.kind}`)}`}
          extra={new Date(b.startAt).toLocaleString([], {
            month: 'numeric',
            day: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
          })}
        >
          {b.candidateName}
        </List.Item>
      ))}
    </List>
  );
}

/** Interviewer: today's and the coming week's interviews. */
export function InterviewerTodaySection() {
  const { t } = useI18n();
  const summary = useHomeSummary();
  return (
    <QueryState query={summary} title={t('hs.loadFailed')}>
      {({ interviewer }) =>
        interviewer ? (
          <>
            <h4 className="home-subtitle">{t('hs.int.today')}</h4>
            <InterviewList items={interviewer.today} empty={t('hs.int.noToday')} testId="int-today" />
            <h4 className="home-subtitle">{t('hs.int.upcoming')}</h4>
            <InterviewList
              items={interviewer.upcoming}
              empty={t('hs.int.noUpcoming')}
              testId="int-upcoming"
            />
          </>
        ) : null
      }
    </QueryState>
  );
}

/** Interviewer: reports of their candidates still waiting for their rating. */
export function ToRateSection() {
  const { t } = useI18n();
  const nav = useNavigate();
  const summary = useHomeSummary();
  return (
    <QueryState query={summary} title={t('hs.loadFailed')}>
      {({ interviewer }) =>
        interviewer ? (
          interviewer.toRate.length === 0 ? (
            <Hint text={t('hs.int.noToRate')} testId="int-to-rate-empty" />
          ) : (
            <List data-testid="int-to-rate">
              {interviewer.toRate.map((r) => (
                <List.Item key={r.reportId} clickable onClick={() => nav(r.link)} description={r.jobTitle}>
                  {r.candidateName}
                </List.Item>
              ))}
            </List>
          )
        ) : null
      }
    </QueryState>
  );
}
