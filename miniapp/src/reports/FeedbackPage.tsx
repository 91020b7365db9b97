import { Button, ErrorBlock, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { type Feedback, useAskAboutFeedback, useFeedback } from './api';
import { Section } from './ReportsPage';

const BAND_COLOR = { strong: 'success', good: 'primary', fair: 'default', developing: 'warning' } as const;

/**
 * The candidate's released feedback: per competency a band, what it looks at in plain words, the
 * candidate's own quoted words and suggestions; no scores, no ranking, no rubric phrases.
 */
export function FeedbackPage() {
  const { t } = useI18n();
  const feedback = useFeedback();
  return (
    <QueryState query={feedback} title={t('rp.loadFailed')}>
      {({ items }) => (
        <div className="rp-page" data-testid="feedback">
          <p className="muted">{t('fb.note')}</p>
          {items.length === 0 ? <ErrorBlock status="empty" title={t('fb.empty')} description="" /> : null}
          {items.map((f) => (
            <FeedbackCard key={f.id} f={f} />
          ))}
        </div>
      )}
    </QueryState>
  );
}

function FeedbackCard({ f }: { f: Feedback }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const ask = useAskAboutFeedback(f.id);
  const [asking, setAsking] = useState<'explanation' | 'human_review' | null>(null);
  const [message, setMessage] = useState('');
  const send = async () => {
    if (!asking || !message.trim()) return;
    ask.mutate(
      { kind: asking, message: message.trim() },
      {
        onSuccess: (r) => {
          Toast.show(t('fb.ask.sent', { date: new Date(r.request.dueAt).toLocaleDateString() }));
          setAsking(null);
          setMessage('');
        },
        onError: (e) => Toast.show(errorOf(e)),
      },
    );
  };
  return (
    <Section title={f.jobTitle} testid="feedback-card">
      {f.personOnly ? <p>{t('fb.personOnly')}</p> : null}
      {f.competencies.map((c) => (
        <div key={c.name} className="rp-comp" data-testid="feedback-competency">
          <div className="rp-comp-head">
            <b>{c.name}</b> <Tag color={BAND_COLOR[c.band]}>{t(`fb.band.${c.band}`)}</Tag>
          </div>
          <p data-testid="feedback-explanation">{c.explanation}</p>
          {c.quotes.length ? (
            <p>
              {t('fb.reasons')}：{c.quotes.map((q) => `“${q}”`).join(' ')}
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
      {f.requests.map((r) =>
        r.status === 'open' ? (
          <p key={r.id} className="muted">
            {t(`fb.ask.${r.kind}` as 'fb.ask.explanation')} ·{' '}
            {t('fb.ask.open', { date: new Date(r.dueAt).toLocaleDateString() })}
          </p>
        ) : (
          // An answered request stays on the screen with HR's words: the candidate asked here,
          // so here is where they look for the answer (the inbox message carries it too).
          <div key={r.id} className="rp-answer" data-testid="feedback-answer">
            <div className="muted">
              {t(`fb.ask.${r.kind}` as 'fb.ask.explanation')} ·{' '}
              {r.answer ? t('fb.ask.answered') : t('fb.ask.closed')}
            </div>
            {r.answer ? <p>{r.answer}</p> : null}
          </div>
        ),
      )}
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
