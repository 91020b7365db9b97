export {
  bookBody,
  cancelBody,
  listBookingsQuery,
  noShowBody,
  rescheduleBody,
  slotsQuery,
} from '../../../shared/api/bookings';
