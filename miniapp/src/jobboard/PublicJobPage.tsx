/**
 * The public page of a job (issue 19: candidates share a job): what anyone with the link reads
 * without signing in — the job, how its AI interview works, the privacy notice — and a short
 * application (name, mobile or e-mail, consent). Rendered before the sign-in gate, in its own
 * chunk: nobody else downloads it. The form cannot be sent wrong: required fields are marked,
 * and the button stays disabled with a hint saying what is missing until the form is valid;
 * server errors come from the catalogue in the reader's language.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, ErrorBlock, Result } from 'antd-mobile';
import { useEffect, useId, useState } from 'react';
import { matchPath, useLocation } from 'react-router-dom';
import { normaliseEmail, normaliseMobile } from '../../../shared/api/candidates';
import type { PublicApplyBody, PublicApplyResponse, PublicJobView } from '../../../shared/api/jobboard';
import { ROUTE_PATTERNS } from '../../../shared/routes';
import { ApiError, apiRequest } from '../api';
import { setDingTalkTitle } from '../dingtalk';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { type PjKey, pj } from './messages';
import './jobboard.css';
import { Spinner } from '../layout/Spinner';

interface Values {
  name: string;
  mobile: string;
  email: string;
  consent: boolean;
}

/** What is still missing or wrong, first problem first; empty when the form may be sent. */
export function applyProblems(v: Values): PjKey[] {
  const out: PjKey[] = [];
  if (!v.name.trim()) out.push('pj.hint.name');
  if (!v.mobile.trim() && !v.email.trim()) out.push('pj.hint.contact');
  if (v.mobile.trim() && !normaliseMobile(v.mobile)) out.push('pj.hint.mobile');
  if (v.email.trim() && !normaliseEmail(v.email)) out.push('pj.hint.email');
  if (!v.consent) out.push('pj.hint.consent');
  return out;
}

/** A label with its "required" mark in words (not only an asterisk's colour). */
function Label({
  htmlFor,
  text,
  required,
  lang,
}: {
  htmlFor: string;
  text: string;
  required?: boolean;
  lang: string;
}) {
  return (
    <label htmlFor={htmlFor} className="pj-label">
      {text}
      {required ? <span className="pj-req">{`（${pj(lang, 'pj.required')}）`}</span> : null}
    </label>
  );
}

/** The application form; `onSent` after the server took it. */
function ApplyForm({
  job,
  refToken,
  onSent,
}: {
  job: PublicJobView;
  refToken: string | null;
  onSent: () => void;
}) {
  const { lang } = useI18n();
  const errorOf = useErrorText();
  const id = useId();
  const [v, setV] = useState<Values>({ name: '', mobile: '', email: '', consent: false });
  const problems = applyProblems(v);
  const send = useMutation({
    mutationFn: (body: PublicApplyBody) =>
      apiRequest<PublicApplyResponse>(`/api/public/jobs/${encodeURIComponent(job.slug)}/applications`, {
        method: 'POST',
        body,
        auth: false,
      }),
    onSuccess: onSent,
  });
  const set = (k: keyof Values) => (value: string | boolean) => setV((old) => ({ ...old, [k]: value }));
  return (
    <form
      className="pj-form"
      aria-labelledby={`${id}-title`}
      data-testid="pj-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (problems.length || send.isPending) return;
        send.mutate({
          name: v.name.trim(),
          mobile: v.mobile.trim() || undefined,
          email: v.email.trim() || undefined,
          consent: true,
          ...(refToken ? { ref: refToken } : {}),
        });
      }}
    >
      <h2 id={`${id}-title`}>{pj(lang, 'pj.apply')}</h2>
      <Label htmlFor={`${id}-name`} text={pj(lang, 'pj.name')} required lang={lang} />
      <input
        className="pj-input"
        id={`${id}-name`}
        data-testid="pj-name"
        value={v.name}
        onChange={(e) => set('name')(e.target.value)}
        maxLength={100}
        autoComplete="name"
        aria-required="true"
      />
      <p className="pj-note" id={`${id}-contact`}>
        {pj(lang, 'pj.contactNote')}
      </p>
      <Label htmlFor={`${id}-mobile`} text={pj(lang, 'pj.mobile')} lang={lang} />
      <input
        className="pj-input"
        id={`${id}-mobile`}
        data-testid="pj-mobile"
        type="tel"
        value={v.mobile}
        onChange={(e) => set('mobile')(e.target.value)}
        autoComplete="tel"
        aria-describedby={`${id}-contact`}
        aria-invalid={problems.includes('pj.hint.mobile') || undefined}
      />
      <Label htmlFor={`${id}-email`} text={pj(lang, 'pj.email')} lang={lang} />
      <input
        className="pj-input"
        id={`${id}-email`}
        data-testid="pj-email"
        type="email"
        value={v.email}
        onChange={(e) => set('email')(e.target.value)}
        autoComplete="email"
        aria-describedby={`${id}-contact`}
        aria-invalid={problems.includes('pj.hint.email') || undefined}
      />
      <label className="pj-consent" data-testid="pj-consent">
        <input
          type="checkbox"
          checked={v.consent}
          onChange={(e) => set('consent')(e.target.checked)}
          aria-required="true"
        />
        <span>
          {pj(lang, 'pj.consent')}
          <span className="pj-req">{`（${pj(lang, 'pj.required')}）`}</span>
        </span>
      </label>
      <p className="pj-hint" id={`${id}-hint`} role="status" aria-live="polite" data-testid="pj-hint">
        {problems.length ? pj(lang, problems[0]) : ''}
      </p>
      {send.isError ? (
        <p className="pj-error" role="alert" data-testid="pj-error">
          {errorOf(send.error)}
        </p>
      ) : null}
      <Button
        block
        type="submit"
        color="primary"
        size="large"
        data-testid="pj-submit"
        disabled={problems.length > 0}
        loading={send.isPending}
        aria-describedby={`${id}-hint`}
      >
        {pj(lang, 'pj.submit')}
      </Button>
    </form>
  );
}

/** The page at `/j/:slug` (`?r=` the sharer's referrer token). */
export function PublicJobPage() {
  const { lang, setLang } = useI18n();
  const location = useLocation();
  const slug = matchPath(ROUTE_PATTERNS.publicJob, location.pathname)?.params.slug ?? '';
  const refToken = new URLSearchParams(location.search).get('r');
  const [sent, setSent] = useState(false);
  const q = useQuery({
    queryKey: ['public-job', slug, lang, refToken],
    queryFn: ({ signal }) => {
      const qs = new URLSearchParams({ lang, ...(refToken ? { r: refToken } : {}) });
      return apiRequest<PublicJobView>(`/api/public/jobs/${encodeURIComponent(slug)}?${qs}`, {
        signal,
        auth: false,
      });
    },
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
  const job = q.data;
  useEffect(() => {
    if (!job) return;
    document.title = job.title;
    void setDingTalkTitle(job.title);
  }, [job]);

  const langSwitch = (
    <Button
      size="mini"
      fill="none"
      className="pj-lang"
      onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}
      data-testid="pj-lang"
    >
      <span lang={lang === 'en' ? 'zh-CN' : 'en'}>{pj(lang, 'pj.lang')}</span>
    </Button>
  );
  if (q.isPending)
    return (
      <main className="pj center-screen" aria-busy="true">
        <Spinner color="primary" aria-label={pj(lang, 'pj.loading')} />
      </main>
    );
  if (!job) {
    const missing = q.error instanceof ApiError && q.error.status === 404;
    return (
      <main className="pj" data-testid="pj-missing">
        {langSwitch}
        <ErrorBlock
          status={missing ? 'empty' : 'default'}
          title={missing ? pj(lang, 'pj.notFound') : pj(lang, 'pj.loadFailed')}
          description=""
        >
          {missing ? null : <Button onClick={() => void q.refetch()}>{pj(lang, 'pj.retry')}</Button>}
        </ErrorBlock>
      </main>
    );
  }
  const days = job.interview?.deadlineDays ?? 7;
  return (
    <main className="pj" data-testid="public-job">
      {langSwitch}
      <header className="pj-head">
        {job.company ? <p className="pj-company">{job.company}</p> : null}
        <h1 data-testid="pj-title">{job.title}</h1>
        <p className="pj-meta">{[job.department, job.location].filter(Boolean).join(' · ')}</p>
        {job.referrer ? (
          <p className="pj-referrer" data-testid="pj-referrer">
            {pj(lang, 'pj.referred', { name: job.referrer })}
          </p>
        ) : null}
      </header>
      {job.state !== 'open' ? (
        <p className="pj-state" role="status" data-testid="pj-state" data-state={job.state}>
          {pj(lang, job.state === 'paused' ? 'pj.state.paused' : 'pj.state.closed')}
        </p>
      ) : null}
      {job.description ? (
        <section aria-labelledby="pj-desc">
          <h2 id="pj-desc">{pj(lang, 'pj.description')}</h2>
          <p className="pj-text">{job.description}</p>
        </section>
      ) : null}
      {job.requirements ? (
        <section aria-labelledby="pj-reqs">
          <h2 id="pj-reqs">{pj(lang, 'pj.requirements')}</h2>
          <p className="pj-text">{job.requirements}</p>
        </section>
      ) : null}
      <section aria-labelledby="pj-how" data-testid="pj-how">
        <h2 id="pj-how">{pj(lang, 'pj.how')}</h2>
        {job.interview ? (
          <ul>
            <li>
              {pj(lang, 'pj.how.questions', {
                n: job.interview.questionCount,
                m: job.interview.expectedMinutes,
              })}
            </li>
            {job.interview.hasPractice ? <li>{pj(lang, 'pj.how.practice')}</li> : null}
            <li>
              {pj(lang, job.interview.takeMode === 'booked' ? 'pj.how.booked' : 'pj.how.anytime', {
                d: days,
              })}
            </li>
            <li>{pj(lang, 'pj.how.ai')}</li>
          </ul>
        ) : (
          <p>{pj(lang, 'pj.how.none')}</p>
        )}
      </section>
      <section aria-labelledby="pj-privacy" data-testid="pj-privacy">
        <h2 id="pj-privacy">{pj(lang, 'pj.privacy')}</h2>
        {job.notice.sections.map((s) => (
          <div key={s.id} className="pj-notice">
            <h3>{s.title}</h3>
            <p>{s.body}</p>
          </div>
        ))}
      </section>
      {sent ? (
        <div role="status">
          <Result
            status="success"
            title={pj(lang, 'pj.done.title')}
            description={pj(lang, 'pj.done.body', { d: days })}
            data-testid="pj-done"
          />
        </div>
      ) : job.state === 'open' ? (
        <ApplyForm job={job} refToken={refToken} onSent={() => setSent(true)} />
      ) : null}
    </main>
  );
}
