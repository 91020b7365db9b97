import { List, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { useI18n } from '../locale';
import { useLiveRounds } from './api';
import { formatAt } from './format';

// Kept apart from LiveRoundPage so the home loads only this list, not the outline and scorecard.
/** Home entry: the live rounds the employee interviews or manages (HR: all), each to its outline and scorecard. */
export function LiveRoundEntry() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const q = useLiveRounds();
  const items = q.data?.items ?? [];
  return (
    <List header={t('lr.entry')} data-testid="liveround-entry">
      {items.length === 0 ? <List.Item>{t('lr.entry.empty')}</List.Item> : null}
      {items.map((r) => (
        <List.Item
          key={r.bookingId}
          clickable
          data-testid={`liveround-item-${r.bookingId}`}
          onClick={() => navigate(routes.liveRound(r.bookingId))}
          extra={
            r.canRate ? (
              <Tag
                color={
                  r.myScorecard === 'submitted'
                    ? 'success'
                    : r.myScorecard === 'draft'
                      ? 'warning'
                      : 'default'
                }
              >
                {t(`lr.mine.${r.myScorecard}`)}
              </Tag>
            ) : (
              <Tag>{`${r.submitted}`}</Tag>
            )
          }
        >
          {t('lr.entry.item', {
            when: formatAt(r.startAt, r.timeZone, lang),
            candidate: r.candidateName,
            job: r.jobTitle,
          })}
        </List.Item>
      ))}
    </List>
  );
}
