import { Button, ErrorBlock, SpinLoading, Tag, TextArea, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../locale';
import { askAboutFeedback, type Feedback, fetchFeedback } from './api';
import { Section } from './ReportsPage';

const BAND_COLOR = { strong: 'success', good: 'primary', fair: 'default', developing: 'warning' } as const;

/** The candidate's released feedback: bands, reasons and suggestions; no scores, no ranking. */
export function FeedbackPage() {
  const { t } = useI18n();
  const [items, setItems] = useState<Feedback[] | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(() => {
    fetchFeedback()
      .then((r) => setItems(r.items))
      .catch(() => setFailed(true));
  }, []);
  useEffect(load, [load]);
  if (failed) return <ErrorBlock status="default" title={t('rp.loadFailed')} description="" />;
  if (!items) return <SpinLoading />;
  return (
    <div className="rp-page" data-testid="feedback">
      <h2>{t('fb.title')}</h2>
      <p className="muted">{t('fb.note')}</p>
      {items.length === 0 ? <ErrorBlock status="empty" title={t('fb.empty')} description="" /> : null}
      {items.map((f) => (
        <FeedbackCard key={f.id} f={f} onSent={load} />
      ))}
    </div>
  );
}

function FeedbackCard({ f, onSent }: { f: Feedback; onSent: () => void }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState<'explanation' | 'human_review' | null>(null);
  const [message, setMessage] = useState('');
  const send = async () => {
    if (!asking || !message.trim()) return;
    const r = await askAboutFeedback(f.id, asking, message.trim());
    Toast.show(t('fb.ask.sent', { date: new Date(r.request.dueAt).toLocaleDateString() }));
    setAsking(null);
    setMessage('');
    onSent();
  };
  return (
    <Section title={f.jobTitle} testid="feedback-card">
      {f.personOnly ? <p>{t('fb.personOnly')}</p> : null}
      {f.competencies.map((c) => (
        <div key={c.name} className="rp-comp" data-testid="feedback-competency">
          <div className="rp-comp-head">
            <b>{c.name}</b> <Tag color={BAND_COLOR[c.band]}>{t(`fb.band.${c.band}`)}</Tag>
          </div>
          {c.reasons.length ? (
            <p>
              {t('fb.reasons')}：{c.reasons.join('；')}
            </p>
          ) : null}
          {c.suggestions.length ? (
            <ul>
              {c.suggestions.map((s) => (
                <li key={s.text}>{s.suggestion}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ))}
      {f.general.length ? (
        <div className="rp-comp">
          <b>{t('fb.general')}</b>
          <ul>
            {f.general.map((s) => (
              <li key={s.text}>{s.suggestion}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {f.requests
        .filter((r) => r.status === 'open')
        .map((r) => (
          <p key={r.id} className="muted">
            {t(`fb.ask.${r.kind}` as 'fb.ask.explanation')} ·{' '}
            {t('fb.ask.open', { date: new Date(r.dueAt).toLocaleDateString() })}
          </p>
        ))}
      {asking ? (
        <div>
          <TextArea
            placeholder={t('fb.ask.placeholder')}
            value={message}
            onChange={setMessage}
            rows={3}
            maxLength={1000}
          />
          <Button color="primary" block onClick={send} data-testid="feedback-send">
            {t(`fb.ask.${asking}`)}
          </Button>
        </div>
      ) : (
        <div className="rp-actions">
          <Button size="small" onClick={() => setAsking('explanation')} data-testid="ask-explanation">
            {t('fb.ask.explanation')}
          </Button>
          <Button size="small" onClick={() => setAsking('human_review')} data-testid="ask-human-review">
            {t('fb.ask.human_review')}
          </Button>
        </div>
      )}
    </Section>
  );
}
