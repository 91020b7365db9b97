import { Button, Card, List, Tag } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router-dom';
import type { CandidateProfileApplication } from '../../../shared/api/candidates';
import { routes } from '../../../shared/routes';
import type { MessageKey } from '../i18n';
import { useScreenTitle } from '../layout/screenTitle';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useCandidateProfile } from './api';

/**
 * `routes.candidateProfile`: the hiring team's view of one candidate on the phone. An assigned
 * interviewer (or the job's manager, or HR) sees each application they work on: the job, the
 * stage, the booked slot, and the AI report with its score per competency, the candidate's own
 * words behind it and the answers, with a way into the report to rate it. Someone else sees the
 * server's refusal (`candidate_profile_forbidden`) in words, not an empty page.
 */
export function CandidateProfilePage() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const profile = useCandidateProfile(id);
  useScreenTitle(profile.data?.profile.name);
  return (
    <div className="iv-page" data-testid="candidate-profile">
      <QueryState query={profile} title={t('cd.profile.loadFailed')}>
        {({ profile: p }) => (
          <>
            {/* The name is the title bar's (useScreenTitle above). */}
            {p.mobile ? (
              <div className="muted" style={{ padding: '8px 12px 0' }}>
                {p.mobile}
              </div>
            ) : null}
            {p.applications.length === 0 ? (
              <p className="muted" style={{ padding: '0 12px' }} data-testid="profile-no-applications">
                {t('cd.profile.none')}
              </p>
            ) : null}
            {p.applications.map((a) => (
              <ApplicationCard key={a.applicationId} app={a} />
            ))}
          </>
        )}
      </QueryState>
    </div>
  );
}

/** Time of a slot in its own time zone (the zone is named, so nobody has to guess). */
function slotText(b: NonNullable<CandidateProfileApplication['booking']>, locale: string): string {
  const f = new Intl.DateTimeFormat(locale, {
    timeZone: b.timeZone,
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  const end = new Intl.DateTimeFormat(locale, { timeZone: b.timeZone, hour: '2-digit', minute: '2-digit' });
  return `${f.format(new Date(b.startAt))}–${end.format(new Date(b.endAt))} (${b.timeZone})`;
}

function ApplicationCard({ app: a }: { app: CandidateProfileApplication }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const r = a.report;
  return (
    <Card
      title={a.jobTitle}
      extra={<Tag color="primary">{t(`cd.profile.access.${a.access}`)}</Tag>}
      className="rp-card"
      data-testid={`profile-app-${a.applicationId}`}
    >
      <List>
        <List.Item extra={<span data-testid="profile-stage">{t(`pl.stage.${a.stage}` as MessageKey)}</span>}>
          {t('cd.profile.stage')}
        </List.Item>
        <List.Item
          description={
            a.booking?.interviewerName
              ? t('cd.profile.interviewer', { name: a.booking.interviewerName })
              : null
          }
        >
          <span data-testid="profile-booking">
            {a.booking
              ? `${t(`cd.profile.booking.${a.booking.kind}`)} · ${slotText(a.booking, lang === 'en' ? 'en-US' : 'zh-CN')}`
              : t('cd.profile.booking.none')}
          </span>
        </List.Item>
      </List>
      {r ? (
        <div data-testid="profile-report">
          <h4 data-testid="profile-overall">
            {r.overall === null ? t('cd.profile.overall.none') : t('cd.profile.overall', { n: r.overall })}
          </h4>
          <h4>{t('cd.profile.competencies')}</h4>
          {r.competencies.map((c) => (
            <div key={c.name} className="rp-comp" data-testid="profile-competency">
              <strong>
                {c.name} · {c.score}
              </strong>
              {c.evidence.length ? (
                <ul aria-label={t('cd.profile.evidence')}>
                  {c.evidence.map((e) => (
                    <li key={`${e.quote}-${e.question}`} data-testid="profile-evidence">
                      “{e.quote}”{e.question ? <span className="muted"> — {e.question}</span> : null}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ))}
          <h4>{t('cd.profile.answers')}</h4>
          {r.answers.map((x) => (
            <div key={x.position} data-testid="profile-answer">
              <div className="muted">
                {x.position}. {x.question}
              </div>
              <p>{x.transcript || t('cd.profile.noTranscript')}</p>
            </div>
          ))}
          <Button
            block
            color="primary"
            fill={r.ratedByMe ? 'outline' : 'solid'}
            data-testid="profile-review"
            onClick={() => navigate(routes.report(r.id))}
          >
            {r.ratedByMe ? t('cd.profile.reviewed') : t('cd.profile.review')}
          </Button>
        </div>
      ) : (
        <p className="muted" data-testid="profile-no-report">
          {t('cd.profile.report.none')}
        </p>
      )}
    </Card>
  );
}
