import { Button, Card, Form, Input, List, Stepper, Switch, Tag, Toast } from 'antd-mobile';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { useMyApplications } from '../pipeline/api';
import { useMyAccommodations, useRequestAccommodation } from './api';

/**
 * The candidate asks for an accommodation on the application they are signed in for (extra
 * time, extra retakes, audio only, with a note) and sees what became of earlier requests.
 */
export function AccommodationCard({ applicationId }: { applicationId: number }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const mine = useMyAccommodations();
  const ask = useRequestAccommodation();
  const own = (mine.data?.requests ?? []).filter((r) => r.applicationId === applicationId);
  const pending = own.some((r) => r.status === 'pending');
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
      {pending ? null : (
        <Form
          layout="horizontal"
          initialValues={{ extraTimePercent: 0, extraRetakes: 0, audioOnly: false, note: '' }}
          onFinish={(v: {
            extraTimePercent: number;
            extraRetakes: number;
            audioOnly: boolean;
            note: string;
          }) =>
            ask.mutate(
              { applicationId, ...v },
              { onSuccess: () => Toast.show(t('acc.sent')), onError: (e) => Toast.show(errorOf(e)) },
            )
          }
          footer={
            <Button
              block
              type="submit"
              color="primary"
              loading={ask.isPending}
              data-testid="accommodation-submit"
            >
              {t('acc.submit')}
            </Button>
          }
        >
          <Form.Item name="extraTimePercent" label={t('acc.extraTime')}>
            <Stepper min={0} max={100} step={25} />
          </Form.Item>
          <Form.Item name="extraRetakes" label={t('acc.extraRetakes')}>
            <Stepper min={0} max={3} />
          </Form.Item>
          <Form.Item name="audioOnly" label={t('acc.audioOnly')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="note" label={t('acc.note')}>
            <Input maxLength={500} />
          </Form.Item>
        </Form>
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
