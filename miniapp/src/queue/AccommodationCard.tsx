import { Button, Card, List, Tag } from 'antd-mobile';
import { lazy, Suspense, useState } from 'react';
import { Spinner } from '../layout/Spinner';
import { useI18n } from '../locale';
import { useMyApplications } from '../pipeline/api';
import { useMyAccommodations } from './api';

// The form (antd's Form, Switch and Input: about 45 KB of compressed JS) loads when the candidate
// opens it: most never do, and the home is the candidate's first load on a slow phone.
const AccommodationForm = lazy(async () => ({
  default: (await import('./AccommodationForm')).AccommodationForm,
}));

/**
 * The candidate asks for an accommodation on the application they are signed in for (extra
 * time, extra retakes, audio only, with a note) and sees what became of earlier requests.
 */
export function AccommodationCard({ applicationId }: { applicationId: number }) {
  const { t } = useI18n();
  const mine = useMyAccommodations();
  const own = (mine.data?.requests ?? []).filter((r) => r.applicationId === applicationId);
  const pending = own.some((r) => r.status === 'pending');
  // A secondary action: the form opens on request, so the home leads with the next step.
  const [asking, setAsking] = useState(false);
  return (
    <Card title={t('acc.title')} data-testid="accommodation-card" style={{ marginTop: 12 }}>
      <p className="muted">{t('acc.desc')}</p>
      {own.length ? (
        <List>
          {own.map((r) => (
            <List.Item
              key={r.id}
              extra={<Tag>{t(`acc.status.${r.status}`)}</Tag>}
              description={r.decisionNote ?? r.note}
            >
              {[
                r.extraTimePercent ? `+${r.extraTimePercent}%` : '',
                r.extraRetakes ? `+${r.extraRetakes}` : '',
                r.audioOnly ? '🎙' : '',
              ]
                .filter(Boolean)
                .join(' · ')}
            </List.Item>
          ))}
        </List>
      ) : null}
      {pending ? null : !asking ? (
        <Button block fill="outline" onClick={() => setAsking(true)} data-testid="accommodation-open">
          {t('acc.open')}
        </Button>
      ) : (
        <Suspense fallback={<Spinner />}>
          <AccommodationForm applicationId={applicationId} />
        </Suspense>
      )}
    </Card>
  );
}

/** The candidate's home: an accommodation card for each application not yet interviewed. */
export function CandidateAccommodations() {
  const apps = useMyApplications();
  const open = (apps.data?.items ?? []).filter((a) => a.stage === 'invited' || a.stage === 'booked');
  return (
    <>
      {open.map((a) => (
        <AccommodationCard key={a.id} applicationId={a.id} />
      ))}
    </>
  );
}
