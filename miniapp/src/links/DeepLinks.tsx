import { Navigate, useParams, useSearchParams } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { useMe } from '../auth/AuthProvider';

/**
 * Stable deep links used in bot messages (`routes.application`, `routes.booking`,
 * `routes.candidate` in `shared/routes.ts`). Messages are written once and read later by people
 * with different roles, so the link names the object and this screen picks the page the reader
 * may see: employees get the application page of the pipeline, candidates their own home
 * (which lists their interviews, bookings and offers).
 */
export function ApplicationLink() {
  const { id } = useParams();
  const [search] = useSearchParams();
  const me = useMe();
  if (me.kind === 'candidate') return <Navigate to={routes.home()} replace />;
  const query = search.toString();
  return <Navigate to={`${routes.pipelineApplication(Number(id))}${query ? `?${query}` : ''}`} replace />;
}

/** `routes.booking` from reminders: everyone's bookings live on "my interviews". */
export function BookingLink() {
  return <Navigate to={routes.myBookings()} replace />;
}

/**
 * `routes.candidate` from calendar events and the bot's candidate search. The mini-app has no
 * candidate screen yet, so it opens the home (where these links always ended up).
 */
export function CandidateLink() {
  return <Navigate to={routes.home()} replace />;
}
