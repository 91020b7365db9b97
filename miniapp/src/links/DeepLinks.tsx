import { Navigate, useParams, useSearchParams } from 'react-router-dom';
import { useMe } from '../auth/AuthProvider';

/**
 * Stable deep links used in bot messages (`/applications/:id`, `/bookings/:id`). Messages are
 * written once and read later by people with different roles, so the link names the object and
 * this screen picks the page the reader may see: employees get the application page of the
 * pipeline, candidates their own home (which lists their interviews, bookings and offers).
 */
export function ApplicationLink() {
  const { id } = useParams();
  const [search] = useSearchParams();
  const me = useMe();
  if (me.kind === 'candidate') return <Navigate to="/" replace />;
  const query = search.toString();
  return <Navigate to={`/pipeline/applications/${id}${query ? `?${query}` : ''}`} replace />;
}

/** `/bookings/:id` from reminders: everyone's bookings live on "my interviews". */
export function BookingLink() {
  return <Navigate to="/bookings/mine" replace />;
}
