import { Button, Tag, Toast } from 'antd-mobile';
import { useParams } from 'react-router-dom';
import type { SummaryReportResponse } from '../../../shared/api/summary';
import { useErrorText } from '../errors';
import type { MessageKey } from '../i18n';
import { useI18n } from '../locale';
import { askOfferTerms } from '../pipeline/offerDialog';
import { QueryState } from '../query/QueryState';
import { Section } from '../reports/ReportsPage';
import { useRequestOffer, useSummaryReport } from './api';
import './summary.css';

const SUGGESTION_COLOR = { hire: 'success', second_round: 'warning', reject: 'danger' } as const;

/**
 * The 面试总结报告 of one interview for HR, managers and assigned interviewers: AI scores with
 * evidence, raters (all, or only one's own), the combined score and its rule, disagreement,
 * the suggestion with reasons, and what to follow up. It decides nothing.
 */
export function SummaryPage() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const q = useSummaryReport(id);
  return (
    <QueryState query={q} title={t('rp.loadFailed')}>
      {(s) => <SummaryView s={s} />}
    </QueryState>
  );
}

/** The rule with its numbers in the reader's language (the server's `formula` is the zh-CN record). */
function formulaText(s: SummaryReportResponse, t: ReturnType<typeof useI18n>['t']): string {
  const c = s.combined;
  const w = { wa: c.aiWeight, wp: 100 - c.aiWeight };
  if (c.score === null) return '—';
  if (!s.allRaters) return t('sm.formula.rule', w);
  if (c.ai !== null && c.people !== null)
    return t('sm.formula.both', { ...w, ai: c.ai, people: c.people, score: c.score });
  if (c.ai !== null) return t('sm.formula.ai', { ai: c.ai, score: c.score });
  return t('sm.formula.people', { people: c.people ?? 0, score: c.score });
}

/** How many assessments the people's part averages, and how a 1-5 rating becomes 0-100. */
function peopleRule(s: SummaryReportResponse, t: ReturnType<typeof useI18n>['t']): string | null {
  const src = s.combined.sources;
  if (!src) return null;
  return t('sm.people.rule', {
    n: src.reportRatings + src.liveScorecards,
    r: src.reportRatings,
    l: src.liveScorecards,
  });
}

/** HR starts the 录用 approval from here; the server fills the DingTalk form from this summary. */
function OfferApproval({ s }: { s: SummaryReportResponse }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const request = useRequestOffer(s.reportId, s.applicationId);
  if (!s.canRequestOffer && !s.offerApproval) return null;
  const start = async () => {
    const offer = await askOfferTerms(t);
    if (!offer) return;
    request.mutate(
      { version: s.application.version, offer },
      {
        onSuccess: () => Toast.show({ content: t('pl.action.done') }),
        onError: (err) => Toast.show({ content: errorOf(err) }),
      },
    );
  };
  return (
    <Section title={t('sm.offer')} testid="summary-offer">
      {s.offerApproval ? (
        <p data-testid="summary-offer-status">
          {t('sm.offer.status', {
            status: t(`pl.approval.status.${s.offerApproval.status}` as MessageKey),
          })}
        </p>
      ) : null}
      {s.canRequestOffer ? (
        <Button color="primary" loading={request.isPending} onClick={start} data-testid="summary-offer-start">
          {t('pl.action.request_offer')}
        </Button>
      ) : null}
    </Section>
  );
}

function SummaryView({ s }: { s: SummaryReportResponse }) {
  const { t } = useI18n();
  const rule = peopleRule(s, t);
  return (
    <div className="sm-page" data-testid="summary">
      <p className="muted">
        {s.candidateName} · {s.jobTitle}
      </p>

      <Section title={t('sm.suggestion')} testid="summary-suggestion">
        <Tag color={SUGGESTION_COLOR[s.suggestion.value]} data-testid="summary-suggestion-value">
          {t(`sm.s.${s.suggestion.value}` as MessageKey)}
        </Tag>
        <ul>
          {s.suggestion.reasons.map((r) => (
            <li key={r.key}>{t(`sm.r.${r.key}` as MessageKey, r.params)}</li>
          ))}
        </ul>
      </Section>

      <Section title={t('sm.combined')} testid="summary-combined">
        <p className="sm-big" data-testid="summary-combined-score">
          {s.combined.score ?? '—'}
        </p>
        <p>
          {t('sm.combined.rule')}：<span data-testid="summary-formula">{formulaText(s, t)}</span>{' '}
          <span className="muted">{t(s.combined.custom ? 'sm.combined.custom' : 'sm.combined.default')}</span>
        </p>
        {rule ? (
          <p className="muted" data-testid="summary-people-rule">
            {rule}
          </p>
        ) : null}
      </Section>

      <Section title={t('sm.disagreement')} testid="summary-disagreement">
        <p data-testid="summary-disagreement-flag" className={s.disagreement.flagged ? 'sm-warn' : undefined}>
          {t(s.disagreement.flagged ? 'sm.disagreement.flagged' : 'sm.disagreement.none', {
            n: s.disagreement.threshold,
          })}
        </p>
        <ul>
          {s.disagreement.items.map((d) => (
            <li key={`${d.kind}-${d.competency}`}>
              {d.kind === 'raters'
                ? t('sm.disagreement.raters', {
                    c: d.competency ?? '',
                    low: d.low,
                    high: d.high,
                    spread: d.spread,
                  })
                : t('sm.disagreement.ai', { low: d.low, high: d.high, spread: d.spread })}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('sm.raters')} testid="summary-raters">
        {s.allRaters ? null : <p className="muted">{t('sm.raters.own', { n: s.raterCount })}</p>}
        {s.raters.length === 0 ? <p className="muted">{t('sm.raters.none')}</p> : null}
        {s.raters.map((r) => (
          <div key={r.key} className="sm-rater" data-testid="summary-rater">
            <p>
              <b>{r.name}</b> <Tag fill="outline">{t(`sm.source.${r.source}` as MessageKey)}</Tag> ·{' '}
              {t('sm.rater.score', { score: r.score })}
            </p>
            <p className="muted">{r.ratings.map((x) => `${x.competency} ${x.score}/5`).join(' · ')}</p>
            {r.comment ? <p>“{r.comment}”</p> : null}
          </div>
        ))}
      </Section>

      <OfferApproval s={s} />

      <Section title={t('sm.ai')} testid="summary-ai">
        {s.ai.overall === null ? <p className="muted">{t('sm.ai.none')}</p> : null}
        {s.ai.competencies.map((c) => (
          <div key={c.name} className="sm-comp">
            <p>
              <b>{c.name}</b> {c.score}
            </p>
            {c.evidence.map((e) => (
              <p key={e.quote} className="muted">
                “{e.quote}” · {e.indicator}
              </p>
            ))}
          </div>
        ))}
      </Section>

      <Section title={t('sm.followups')} testid="summary-followups">
        {s.followUps.length === 0 ? <p className="muted">{t('sm.followups.none')}</p> : null}
        <ul>
          {s.followUps.map((f) => (
            <li key={`${f.kind}-${f.text ?? ''}-${f.detail ?? ''}`}>
              {t(`sm.f.${f.kind}` as MessageKey)}
              {f.text ? `：${f.text}` : ''}
              {f.detail ? `（${t(`sm.f.${f.detail}` as MessageKey)}）` : ''}
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
