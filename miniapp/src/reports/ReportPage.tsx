import { Button, Rate, Tag, TextArea, Toast } from 'antd-mobile';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { ScoreBasis } from '../../../shared/api/reports';
import { routes } from '../../../shared/routes';
import { useMe } from '../auth/AuthProvider';
import { useErrorText } from '../errors';
import { ReportFollowUps } from '../followups/ReportFollowUps';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { fetchMedia, type ReportDetail, useReleaseReport, useReport, useSaveRatings } from './api';
import { Section } from './ReportsPage';

/** Splits a transcript into plain and highlighted pieces (evidence spans, by offsets). */
export function highlightPieces(
  text: string,
  spans: Array<{ start: number; end: number; competency: string }>,
) {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: Array<{ text: string; mark: string | null }> = [];
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue; // overlapping evidence: the first span wins
    if (s.start > at) out.push({ text: text.slice(at, s.start), mark: null });
    out.push({ text: text.slice(s.start, s.end), mark: s.competency });
    at = s.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: null });
  return out;
}

/** The interview report for HR, managers and assigned interviewers; rating form at the end. */
export function ReportPage() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const report = useReport(id);
  return (
    <QueryState query={report} title={t('rp.loadFailed')}>
      {(r) => <ReportView report={r.report} />}
    </QueryState>
  );
}

/** The loaded report; the rating form starts from the reader's own saved ratings. */
function ReportView({ report }: { report: ReportDetail }) {
  const { t } = useI18n();
  const me = useMe();
  const errorOf = useErrorText();
  const [video, setVideo] = useState<{ answerId: number; url: string } | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const [scores, setScores] = useState<Record<string, number>>(() =>
    Object.fromEntries(report.ratings.filter((x) => x.mine).map((x) => [x.competency, x.score])),
  );
  const [comment, setComment] = useState('');
  const rate = useSaveRatings(report.id);
  const release = useReleaseReport(report.id);

  // Signed URLs live minutes: fetch one on demand, then seek to the evidence.
  const play = async (answerId: number, atMs?: number | null) => {
    const m = await fetchMedia(report.id, answerId).catch((e: unknown) => {
      Toast.show(errorOf(e));
      return null;
    });
    if (!m) return;
    setVideo({ answerId, url: m.url });
    setTimeout(() => {
      if (videoRef.current) {
        videoRef.current.currentTime = (atMs ?? 0) / 1000;
        void videoRef.current.play().catch(() => {});
      }
    }, 50);
  };
  const submit = async () => {
    const ratings = Object.entries(scores).map(([competency, score]) => ({ competency, score }));
    if (!ratings.length) return;
    rate.mutate(
      { ratings, comment: comment || undefined },
      { onSuccess: () => Toast.show(t('rp.rate.saved')), onError: (e) => Toast.show(errorOf(e)) },
    );
  };
  const isHr = me.roles.includes('hr') || me.roles.includes('admin');

  return (
    <div className="rp-page" data-testid="report">
      <h2>
        {/* The name opens the candidate's profile (their other applications, stage, booking). */}
        <Link to={routes.candidateProfile(report.candidateId)} data-testid="report-candidate">
          {report.candidateName}
        </Link>{' '}
        <span className="muted">{report.jobTitle}</span>
      </h2>
      <div className="rp-head">
        {report.overall !== null ? (
          <div className="rp-big" data-testid="report-overall">
            <b>{report.overall}</b>
            <span>{t('rp.overall')}</span>
          </div>
        ) : null}
        {report.resumeMatch ? (
          <div className="rp-big" data-testid="report-resume-match">
            <b>{report.resumeMatch.score}</b>
            <span>{t('rp.resumeMatch')}</span>
          </div>
        ) : null}
        {report.jobMatch !== null ? (
          <div className="rp-big">
            <b>{report.jobMatch}</b>
            <span>{t('rp.jobMatch')}</span>
          </div>
        ) : null}
        <div>
          <Tag color={report.status === 'ready' ? 'primary' : 'warning'}>
            {t(`rp.status.${report.status}`)}
          </Tag>
          <p className="muted">
            {t('rp.recommendation')}: {t(`rp.rec.${report.recommendation}` as 'rp.rec.consider')}
          </p>
        </div>
      </div>
      {report.resumeMatch ? (
        <Section title={t('rp.resumeMatch.title')}>
          <p className="muted">
            {t('rp.resumeMatch.years', {
              relevant: report.resumeMatch.relevantYears,
              total: report.resumeMatch.totalYears,
            })}
          </p>
          {report.resumeMatch.lines.map((l) => (
            <div key={l.requirement} data-testid="report-match-line" style={{ margin: '6px 0' }}>
              <Tag color={l.status === 'met' ? 'success' : l.status === 'partly' ? 'warning' : 'default'}>
                {t(`rp.req.${l.status}`)}
              </Tag>{' '}
              {l.requirement}
              {l.quote ? <blockquote className="muted">“{l.quote}”</blockquote> : null}
            </div>
          ))}
        </Section>
      ) : null}
      {report.flags.length ? (
        <Section title={t('rp.flags')}>
          {report.flags.map((f) => (
            <Tag key={f} color="warning" style={{ marginRight: 4 }}>
              {f}
            </Tag>
          ))}
        </Section>
      ) : null}
      <Section title={t('rp.competencies')} testid="report-competencies">
        {report.competencies.map((c) => (
          <div key={c.name} className="rp-comp">
            <div className="rp-comp-head">
              <b>{c.name}</b> <span className="rp-score">{c.score}</span>
            </div>
            <div className="rp-bar">
              <i style={{ width: `${c.score}%` }} />
            </div>
            {c.evidence.map((e) => (
              <blockquote key={`${e.answerId}-${e.quote}`} className="rp-quote">
                “{e.quote}” <span className="muted">— {e.indicator}</span>
              </blockquote>
            ))}
          </div>
        ))}
      </Section>
      {report.strengths.length ? (
        <Section title={t('rp.strengths')}>
          <ul>
            {report.strengths.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </Section>
      ) : null}
      {report.gaps.length ? (
        <Section title={t('rp.gaps')}>
          <ul>
            {report.gaps.map((g) => (
              <li key={g.text}>
                <b>{g.competency}</b>：{g.text}
                <br />
                <span className="muted">{g.suggestion}</span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section title={t('rp.answers')} testid="report-answers">
        {report.answers.map((a) => (
          <div key={a.answerId} className="rp-answer">
            <p>
              <b>Q{a.position}</b> {a.question}
            </p>
            {a.basis ? <BasisLine basis={a.basis} /> : null}
            {a.hasMedia ? (
              <Button size="mini" onClick={() => play(a.answerId)} data-testid={`play-${a.answerId}`}>
                {t('rp.play')}
              </Button>
            ) : null}
            {video?.answerId === a.answerId ? (
              // biome-ignore lint/a11y/useMediaCaption: interview recordings have no caption track; the transcript is shown below
              <video ref={videoRef} src={video.url} controls playsInline className="rp-video" />
            ) : null}
            <p className="rp-transcript">
              {highlightPieces(a.transcript, a.highlights).map((p, i) =>
                p.mark ? (
                  // biome-ignore lint/suspicious/noArrayIndexKey: pieces are positional
                  <mark key={i} title={p.mark}>
                    {p.text}
                  </mark>
                ) : (
                  // biome-ignore lint/suspicious/noArrayIndexKey: pieces are positional
                  <span key={i}>{p.text}</span>
                ),
              )}
            </p>
            {a.hasMedia
              ? a.highlights
                  .filter((h) => h.atMs !== null)
                  .map((h) => (
                    <Button
                      key={`${h.start}`}
                      size="mini"
                      fill="none"
                      onClick={() => play(a.answerId, h.atMs)}
                    >
                      ▶ {t('rp.jump')} {Math.round((h.atMs ?? 0) / 1000)}s · {h.indicator}
                    </Button>
                  ))
              : null}
          </div>
        ))}
      </Section>
      <ReportFollowUps reportId={report.id} />
      <p>
        <Link to={routes.reportSummary(report.id)} data-testid="report-summary-open">
          {t('sm.open')}
        </Link>
      </p>
      {report.competencies.length ? (
        <Section title={t('rp.rate.title')} testid="rating-form">
          {report.competencies.map((c) => (
            <div key={c.name} className="rp-rate">
              <span>{c.name}</span>
              <Rate
                count={5}
                value={scores[c.name] ?? 0}
                onChange={(v) => setScores((s) => ({ ...s, [c.name]: v }))}
              />
            </div>
          ))}
          <TextArea
            placeholder={t('rp.rate.comment')}
            value={comment}
            onChange={setComment}
            rows={2}
            maxLength={2000}
          />
          <Button block color="primary" onClick={submit} data-testid="rating-submit" style={{ marginTop: 8 }}>
            {t('rp.rate.submit')}
          </Button>
        </Section>
      ) : null}
      {isHr ? (
        <Button
          block
          disabled={report.released}
          onClick={() => release.mutate(undefined, { onError: (e) => Toast.show(errorOf(e)) })}
          data-testid="report-release"
        >
          {report.released ? t('rp.released') : t('rp.release')}
        </Button>
      ) : null}
      <p className="muted">
        {t('rp.scorer')}: {report.scorerVersion ?? '—'}
      </p>
    </div>
  );
}

/** What an answer's score rests on: rated neighbours (ratings only), reference overlap, evidence. */
function BasisLine({ basis }: { basis: ScoreBasis }) {
  const { t } = useI18n();
  const yes = (b: boolean) => t(b ? 'rp.basis.yes' : 'rp.basis.no');
  const ratings = basis.neighbours?.nearestRatings ?? [];
  return (
    <ul className="muted" data-testid="score-basis">
      <li>
        {basis.neighbours && ratings.length
          ? t('rp.basis.neighbours', {
              ratings: `${Math.min(...ratings)}-${Math.max(...ratings)}`,
              n: String(basis.neighbours.ratedAnswers),
            })
          : t('rp.basis.uncalibrated')}
      </li>
      <li>{t('rp.basis.reference', { n: String(basis.referenceOverlap) })}</li>
      <li>
        {t('rp.basis.evidence', {
          example: yes(basis.evidence.example),
          action: yes(basis.evidence.ownAction),
          result: yes(basis.evidence.result),
        })}
      </li>
    </ul>
  );
}
