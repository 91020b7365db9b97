/** The employees' home summary (`GET /api/home`), a candidate's timeline and first screen in one read. */
import type { Feature } from '../../kernel/feature';
import { homeRoutes } from './routes';

export const home: Feature = {
  name: 'home',
  routes: () => [homeRoutes()],
};
