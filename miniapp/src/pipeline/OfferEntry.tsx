import { List } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { useI18n } from '../locale';
import { useMyApplications } from './api';

// Kept apart from OfferPage so the candidate's home does not load the offer screen (dialogs,
// result pages) before an offer is opened.
/** Candidate home entry: shows up once an offer was sent. */
export function OfferEntry() {
  const { t } = useI18n();
  const nav = useNavigate();
  // Shown only once an offer exists; a failed load shows nothing.
  const offers = (useMyApplications().data?.items ?? []).filter((a) => a.offer);
  if (!offers.length) return null;
  return (
    <List>
      <List.Item clickable data-testid="offer-entry" onClick={() => nav(routes.offer())}>
        {t('pl.offer.entry')}
      </List.Item>
    </List>
  );
}
