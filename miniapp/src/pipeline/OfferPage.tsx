import { Button, Card, Dialog, ErrorBlock, List, Result } from 'antd-mobile';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { type MyApplication, useAnswerOffer, useMyApplications } from './api';

/** The candidate's offer: terms, accept or decline. */
export function OfferPage() {
  const { t } = useI18n();
  const query = useMyApplications();
  const answerOffer = useAnswerOffer();
  if (query.isError || !query.data)
    return (
      <QueryState query={query} title={t('pl.loadFailed')}>
        {() => null}
      </QueryState>
    );
  const offers = query.data.items.filter((a) => a.offer);
  if (!offers.length) return <ErrorBlock status="empty" title={t('pl.offer.none')} description="" />;
  const answer = async (a: MyApplication, ans: 'accept' | 'decline') => {
    // A dialog needs a name for screen readers (axe: aria-dialog-name): antd's dialog takes it from
    // `aria-label` only, not from its title.
    if (
      !(await Dialog.confirm({
        title: t('pl.offer.title'),
        'aria-label': t('pl.offer.title'),
        content: t(ans === 'accept' ? 'pl.offer.accept' : 'pl.offer.decline'),
      }))
    )
      return;
    // A refused answer (the offer moved meanwhile) shows the reloaded state, as before.
    answerOffer.mutate({ id: a.id, answer: ans, version: a.version });
  };
  return (
    <div className="pl-page" data-testid="offer">
      {offers.map((a) => (
        <Card key={a.id} title={`${t('pl.offer.title')} · ${a.jobTitle}`}>
          <List>
            <List.Item extra={a.offer?.level}>{t('pl.offer.level')}</List.Item>
            <List.Item extra={a.offer?.salary}>{t('pl.offer.salary')}</List.Item>
            <List.Item extra={a.offer?.startDate}>{t('pl.offer.startDate')}</List.Item>
          </List>
          {a.stage === 'offer_sent' ? (
            <div style={{ display: 'flex', gap: 8, marginTop: 12 }}>
              <Button
                block
                color="primary"
                data-testid="offer-accept"
                onClick={() => void answer(a, 'accept')}
              >
                {t('pl.offer.accept')}
              </Button>
              <Button block data-testid="offer-decline" onClick={() => void answer(a, 'decline')}>
                {t('pl.offer.decline')}
              </Button>
            </div>
          ) : (
            <Result
              status={a.stage === 'withdrawn' ? 'info' : 'success'}
              title={t(a.stage === 'withdrawn' ? 'pl.offer.declined' : 'pl.offer.accepted')}
            />
          )}
        </Card>
      ))}
    </div>
  );
}
