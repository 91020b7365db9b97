import type { UseQueryResult } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, List, NoticeBar, Result, Space } from 'antd-mobile';
import { useCallback, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { formatAt } from '../homes/formatAt';
import { useCandidateTimeline } from '../homes/Timeline';
import { useI18n } from '../locale';
import {
  type Answer,
  interviewApi,
  type Overview,
  useInterviewOverview,
  useInvalidateInterview,
} from './api';
import { DeviceCheck, type DeviceResult } from './DeviceCheck';
import { QuestionStep } from './QuestionStep';
import './interview.css';
import { Spinner } from '../layout/Spinner';

type Step =
  | { kind: 'loading' }
  | { kind: 'start'; o: Overview }
  | { kind: 'consent'; o: Overview }
  | { kind: 'device'; o: Overview }
  | { kind: 'question'; answer: Answer }
  | { kind: 'ready-to-submit' }
  | { kind: 'done' }
  | { kind: 'withdrawn' }
  | { kind: 'error'; message: string };

/** The step the server's overview puts the candidate on (before they move on from it). */
function stepOf(q: UseQueryResult<Overview>, errorOf: (e: unknown) => string): Step {
  if (q.isError) return { kind: 'error', message: errorOf(q.error) };
  const o = q.data;
  if (!o) return { kind: 'loading' };
  if (o.session?.status === 'submitted') return { kind: 'done' };
  if (o.session?.status === 'withdrawn' || o.consent?.action === 'withdraw') return { kind: 'withdrawn' };
  return { kind: 'start', o };
}

/**
 * One consent as a native checkbox in its label: antd-mobile's Checkbox hides its input
 * (`display: none`), so it can be neither reached with the keyboard nor read as a checkbox.
 */
function ConsentBox(props: {
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
  label: string;
}) {
  return (
    <label className={`iv-check${props.disabled ? ' iv-check-disabled' : ''}`} data-testid={props.testId}>
      <input
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <span>{props.label}</span>
    </label>
  );
}

/**
 * After submitting: what happens next and when, from the candidate's timeline (the report is
 * written within minutes, HR reviews it within the review SLA; the date the decision is
 * expected, in the candidate's zone), rather than a fixed promise.
 */
function DoneScreen() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const timeline = useCandidateTimeline();
  const tl = timeline.data;
  return (
    <div data-testid="iv-done">
      <Result status="success" title={t('iv.done.title')} description={t('iv.done.body')} />
      <div className="iv-done-next" role="status" data-testid="iv-done-next">
        {tl ? (
          <>
            {tl.current === 'interviewed' ? <p>{t('iv.done.next', { days: tl.reviewDays })}</p> : null}
            {tl.decisionExpectedBy ? (
              <p className="iv-done-by" data-testid="iv-done-by">
                {t('iv.done.by', { when: formatAt(tl.decisionExpectedBy, lang, true) })}
              </p>
            ) : null}
          </>
        ) : null}
        <p>{t('iv.done.notify')}</p>
      </div>
      <Button
        block
        color="primary"
        fill="outline"
        data-testid="iv-done-home"
        onClick={() => navigate(routes.home())}
      >
        {t('iv.done.home')}
      </Button>
    </div>
  );
}

/**
 * The candidate's AI video interview: start page, notice and consent, device check, then the
 * questions one by one as the server serves them, and the done page. The same link always
 * resumes where the server says the candidate is.
 */
export function InterviewPage() {
  const { t, lang } = useI18n();
  const errorOf = useErrorText();
  const overview = useInterviewOverview(lang);
  const invalidate = useInvalidateInterview();
  const queryClient = useQueryClient();
  // Where the flow went after the start page; null = where the server's overview says.
  const [flow, setStep] = useState<Step | null>(null);
  const [device, setDevice] = useState<DeviceResult | null>(null);
  const [consent, setConsent] = useState({ video: false, ai: false, personOnly: false });
  const step: Step = flow ?? stepOf(overview, errorOf);

  const fail = useCallback((err: unknown) => setStep({ kind: 'error', message: errorOf(err) }), [errorOf]);

  /** Reads the overview again and starts over from what it says (the retry button). */
  const load = async () => {
    await overview.refetch();
    setStep(null);
  };

  const next = useCallback(async () => {
    try {
      const r = await interviewApi.next();
      invalidate();
      setStep(r.done ? { kind: 'ready-to-submit' } : { kind: 'question', answer: r.answer });
    } catch (err) {
      fail(err);
    }
  }, [fail, invalidate]);

  const onDevice = async (d: DeviceResult) => {
    setDevice(d);
    try {
      await interviewApi.start({ audioOnly: d.audioOnly, ...(d.mime ? { recorderMime: d.mime } : {}) });
      invalidate();
      await next();
    } catch (err) {
      fail(err);
    }
  };

  const withdraw = async () => {
    if (!(await Dialog.confirm({ content: t('iv.consent.withdraw') }))) return;
    try {
      await interviewApi.withdraw();
      invalidate();
      for (const tr of device?.stream?.getTracks() ?? []) tr.stop();
      setStep({ kind: 'withdrawn' });
    } catch (err) {
      fail(err);
    }
  };

  const body = (() => {
    switch (step.kind) {
      case 'loading':
        return <Spinner />;
      case 'error':
        return (
          <Result
            status="error"
            title={t('iv.error', { msg: step.message })}
            description={
              <Button onClick={() => void load()} data-testid="iv-reload">
                {t('iv.device.retry')}
              </Button>
            }
          />
        );
      case 'start': {
        const o = step.o;
        const consented = o.consent?.action === 'grant' && o.consent.noticeHash === o.notice.hash;
        return (
          <div data-testid="iv-start">
            <List header={t('iv.title')}>
              <List.Item extra={o.company ?? '—'}>{t('iv.start.company')}</List.Item>
              <List.Item extra={o.job.title}>{t('iv.start.job')}</List.Item>
              <List.Item extra={<span data-testid="iv-count">{o.questionCount}</span>}>
                {t('iv.start.questions')}
              </List.Item>
              <List.Item extra={t('iv.start.minutes', { n: o.expectedMinutes })}>
                {t('iv.start.duration')}
              </List.Item>
              <List.Item extra={o.deadlineAt ? new Date(o.deadlineAt).toLocaleString(lang) : '—'}>
                {t('iv.start.deadline')}
              </List.Item>
            </List>
            {o.hasPractice ? <NoticeBar content={t('iv.start.practiceNote')} color="info" wrap /> : null}
            <Button
              block
              color="primary"
              size="large"
              data-testid="iv-go"
              onClick={() => setStep({ kind: consented ? 'device' : 'consent', o })}
            >
              {o.session
                ? t('iv.start.resume', { k: o.session.answered, n: o.questionCount })
                : t('iv.start.go')}
            </Button>
          </div>
        );
      }
      case 'consent': {
        const o = step.o;
        return (
          <div data-testid="iv-consent" className="iv-card">
            <h3>{t('iv.consent.title')}</h3>
            {o.notice.sections.map((s) => (
              <section key={s.id} className="iv-notice" data-testid={`iv-notice-${s.id}`}>
                <h4>{s.title}</h4>
                <p>{s.body}</p>
              </section>
            ))}
            <Space direction="vertical" block>
              <ConsentBox
                checked={consent.video}
                onChange={(v) => setConsent((c) => ({ ...c, video: v }))}
                testId="iv-consent-video"
                label={t('iv.consent.video')}
              />
              <ConsentBox
                checked={consent.ai}
                disabled={consent.personOnly}
                onChange={(v) => setConsent((c) => ({ ...c, ai: v }))}
                testId="iv-consent-ai"
                label={t('iv.consent.ai')}
              />
              <ConsentBox
                checked={consent.personOnly}
                onChange={(v) => setConsent((c) => ({ ...c, personOnly: v, ai: v ? false : c.ai }))}
                testId="iv-consent-person"
                label={t('iv.consent.personOnly')}
              />
              <span className="muted" id="iv-consent-hint" aria-live="polite">
                {consent.video ? '' : t('iv.consent.needVideo')}
              </span>
              <Button
                block
                color="primary"
                disabled={!consent.video}
                aria-describedby="iv-consent-hint"
                data-testid="iv-consent-submit"
                onClick={async () => {
                  try {
                    await interviewApi.consent({
                      noticeHash: o.notice.hash,
                      locale: o.notice.locale,
                      videoProcessing: consent.video,
                      aiEvaluation: consent.ai,
                      personOnly: consent.personOnly,
                    });
                    invalidate();
                    setStep({ kind: 'device', o });
                  } catch (err) {
                    fail(err);
                  }
                }}
              >
                {t('iv.consent.submit')}
              </Button>
            </Space>
          </div>
        );
      }
      case 'device':
        return (
          <DeviceCheck
            initialAudioOnly={step.o.session?.audioOnly ?? false}
            onReady={(d) => void onDevice(d)}
          />
        );
      case 'question':
        return device ? (
          <QuestionStep
            key={step.answer.id}
            answer={step.answer}
            device={device}
            onDone={() => void next()}
          />
        ) : null;
      case 'ready-to-submit':
        return (
          <Button
            block
            color="primary"
            size="large"
            data-testid="iv-submit"
            onClick={async () => {
              try {
                await interviewApi.submit();
                invalidate();
                // The done screen reads what happens next from the timeline, as it is now.
                void queryClient.invalidateQueries({ queryKey: ['home', 'timeline'] });
                for (const tr of device?.stream?.getTracks() ?? []) tr.stop();
                setStep({ kind: 'done' });
              } catch (err) {
                fail(err);
              }
            }}
          >
            {t('iv.submit')}
          </Button>
        );
      case 'done':
        return <DoneScreen />;
      case 'withdrawn':
        return <Result status="info" title={t('iv.consent.withdrawn')} data-testid="iv-withdrawn" />;
    }
  })();

  const canWithdraw = step.kind === 'device' || step.kind === 'question' || step.kind === 'ready-to-submit';
  return (
    <div className="iv-page" data-testid="iv-page">
      {body}
      {canWithdraw ? (
        <Button
          block
          fill="none"
          size="small"
          className="iv-withdraw"
          onClick={() => void withdraw()}
          data-testid="iv-withdraw"
        >
          {t('iv.consent.withdraw')}
        </Button>
      ) : null}
    </div>
  );
}
