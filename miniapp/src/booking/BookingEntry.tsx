import { Button } from 'antd-mobile';
import { Link } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { useI18n } from '../locale';

// Kept apart from MyBookingsPage so the candidate's home does not load the bookings screen.
/** Home entry for candidates. */
export function BookingEntry() {
  const { t } = useI18n();
  return (
    <Link to={routes.myBookings()} data-testid="bk-open-mine">
      <Button block color="primary">
        {t('bk.open.mine')}
      </Button>
    </Link>
  );
}
