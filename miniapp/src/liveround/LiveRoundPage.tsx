import { Button, ErrorBlock, Tag, TextArea, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import type { OutlineResponse, ScorecardResponse, ScorecardView } from '../../../shared/api/liveround';
import { ApiError } from '../api';
import { useErrorText } from '../errors';
import { useScreenTitle } from '../layout/screenTitle';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useAllScorecards, useMyScorecard, useOutline, useSaveScorecard } from './api';
import { formatAt } from './format';
import './liveround.css';

const forbidden = (e: unknown) => e instanceof ApiError && e.status === 403;

/**
 * One live round on the phone (the outline card links here): the interview outline with why each
 * question is asked and what to listen for; the rater's own scorecard (1-5 per competency, notes,
 * drafts, one submit); every scorecard for HR and the job's hiring manager.
 */
export function LiveRoundPage() {
  const { t } = useI18n();
  const bookingId = Number(useParams().bookingId);
  const outline = useOutline(bookingId);
  const mine = useMyScorecard(bookingId);
  const all = useAllScorecards(bookingId);
  const candidate = outline.data?.candidateName;
  useScreenTitle(candidate ? t('lr.title', { candidate }) : null);
  return (
    <QueryState query={outline} title={t('lr.loadFailed')}>
      {(o) => (
        <div className="lr-page" data-testid="liveround">
          <OutlineSection o={o} />
          {mine.data ? <ScorecardForm bookingId={bookingId} data={mine.data} /> : null}
          {mine.isError && !forbidden(mine.error) ? <QueryState query={mine}>{() => null}</QueryState> : null}
          {all.data ? <AllScorecards cards={all.data.scorecards} /> : null}
        </div>
      )}
    </QueryState>
  );
}

function OutlineSection({ o }: { o: OutlineResponse }) {
  const { t, lang } = useI18n();
  const parts = [
    o.basis.report ? t('lr.outline.report') : null,
    o.basis.resume ? t('lr.outline.resume') : null,
    o.basis.requirements ? t('lr.outline.requirements', { n: o.basis.requirements }) : null,
  ].filter(Boolean);
  return (
    <section>
      <h2>{t('lr.title', { candidate: o.candidateName })}</h2>
      <p className="muted">
        {t('lr.subtitle', {
          job: o.jobTitle,
          when: formatAt(o.startAt, o.timeZone, lang),
          interviewer: o.interviewerName ?? '-',
        })}
      </p>
      <h3>{t('lr.outline')}</h3>
      <p className="muted">
        {t('lr.outline.basis', { parts: parts.join(lang === 'en' ? ', ' : '、') || '-' })}
      </p>
      <ol className="lr-outline" data-testid="outline">
        {o.questions.map((q) => (
          <li key={q.position} data-testid="outline-question">
            <p>
              <b>{q.question}</b>
            </p>
            <p className="muted">
              {t('lr.outline.why')}：{q.why}
            </p>
            <p className="muted">
              {t('lr.outline.listen')}：{q.listenFor.join(lang === 'en' ? '; ' : '；')}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function ScorecardForm({ bookingId, data }: { bookingId: number; data: ScorecardResponse }) {
  const { t, lang } = useI18n();
  const errorOf = useErrorText();
  const save = useSaveScorecard(bookingId);
  const card = data.scorecard;
  const [ratings, setRatings] = useState(card.ratings);
  const [notes, setNotes] = useState(card.notes);
  // A saved or submitted card comes back from the server: show what it stored.
  useEffect(() => {
    setRatings(card.ratings);
    setNotes(card.notes);
  }, [card]);
  const submitted = card.status === 'submitted';
  const setScore = (i: number, score: number) =>
    setRatings((rs) => rs.map((r, j) => (j === i ? { ...r, score } : r)));
  const setNote = (i: number, note: string) =>
    setRatings((rs) => rs.map((r, j) => (j === i ? { ...r, note } : r)));
  const send = (submit: boolean) => {
    if (submit && ratings.some((r) => r.score === null)) {
      Toast.show(t('lr.card.incomplete'));
      return;
    }
    save.mutate(
      { body: { ratings, notes }, submit },
      {
        onSuccess: () => Toast.show(t(submit ? 'lr.card.submitted' : 'lr.card.saved')),
        onError: (e) => Toast.show(errorOf(e)),
      },
    );
  };
  return (
    <section className="lr-card" data-testid="scorecard">
      <h3>
        {t('lr.card')}{' '}
        <Tag
          color={submitted ? 'success' : card.status === 'draft' ? 'warning' : 'default'}
          data-testid="scorecard-status"
        >
          {t(`lr.mine.${card.status}`)}
        </Tag>
      </h3>
      <p className="muted">{t('lr.card.hint')}</p>
      {submitted && card.submittedAt ? (
        <p className="muted">
          {t('lr.card.submittedAt', {
            when: formatAt(card.submittedAt, Intl.DateTimeFormat().resolvedOptions().timeZone, lang),
          })}
          {card.editsAfterSubmit ? ` · ${t('lr.card.edits', { n: card.editsAfterSubmit })}` : ''}
        </p>
      ) : null}
      {ratings.map((r, i) => (
        <div key={r.competency} className="lr-rating" data-testid={`rating-${i}`}>
          <div className="lr-competency">{r.competency}</div>
          <div className="lr-scores">
            {[1, 2, 3, 4, 5].map((n) => (
              <Button
                key={n}
                size="small"
                color={r.score === n ? 'primary' : 'default'}
                fill={r.score === n ? 'solid' : 'outline'}
                onClick={() => setScore(i, n)}
                data-testid={`score-${i}-${n}`}
                aria-pressed={r.score === n}
              >
                {n}
              </Button>
            ))}
          </div>
          <TextArea
            placeholder={t('lr.card.note', { competency: r.competency })}
            value={r.note}
            onChange={(v) => setNote(i, v)}
            rows={2}
            maxLength={2000}
            data-testid={`note-${i}`}
          />
        </div>
      ))}
      <TextArea
        placeholder={t('lr.card.notes')}
        value={notes}
        onChange={setNotes}
        rows={4}
        maxLength={5000}
        data-testid="scorecard-notes"
      />
      <div className="lr-actions">
        {/* Once submitted, saving is the one action left (an audited edit), so it is the primary one. */}
        <Button
          block
          color={submitted ? 'primary' : 'default'}
          loading={save.isPending}
          onClick={() => send(false)}
          data-testid="scorecard-save"
        >
          {t(submitted ? 'lr.card.saveEdit' : 'lr.card.save')}
        </Button>
        {submitted ? null : (
          <Button
            block
            color="primary"
            loading={save.isPending}
            onClick={() => send(true)}
            data-testid="scorecard-submit"
          >
            {t('lr.card.submit')}
          </Button>
        )}
      </div>
    </section>
  );
}

function AllScorecards({ cards }: { cards: ScorecardView[] }) {
  const { t } = useI18n();
  return (
    <section data-testid="all-scorecards">
      <h3>{t('lr.all')}</h3>
      {cards.length === 0 ? <ErrorBlock status="empty" title={t('lr.all.empty')} description="" /> : null}
      {cards.map((c) => (
        <div key={c.raterId} className="lr-card" data-testid={`scorecard-of-${c.raterId}`}>
          <p>
            <b>{c.raterName}</b> <Tag>{t(`lr.mine.${c.status}`)}</Tag>
          </p>
          <ul>
            {c.ratings.map((r) => (
              <li key={r.competency}>
                {r.competency}：{r.score ?? t('lr.all.unrated')}
                {r.note ? `（${r.note}）` : ''}
              </li>
            ))}
          </ul>
          {c.notes ? <p className="muted">{c.notes}</p> : null}
        </div>
      ))}
    </section>
  );
}
