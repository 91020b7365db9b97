import { List } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../locale';
import { fetchMyApplications, type MyApplication } from './api';

// Kept apart from OfferPage so the candidate's home does not load the offer screen (dialogs,
// result pages) before an offer is opened.
/** Candidate home entry: shows up once an offer was sent. */
export function OfferEntry() {
  const { t } = useI18n();
  const nav = useNavigate();
  const [apps, setApps] = useState<MyApplication[] | null>(null);
  useEffect(() => {
    fetchMyApplications()
      .then((r) => setApps(r.items))
      .catch(() => setApps([]));
  }, []);
  const offers = (apps ?? []).filter((a) => a.offer);
  if (!offers.length) return null;
  return (
    <List>
      <List.Item clickable data-testid="offer-entry" onClick={() => nav('/offer')}>
        {t('pl.offer.entry')}
      </List.Item>
    </List>
  );
}
