/** The employees' home summary (`GET /api/home`): today's numbers, pipelines, interviews. */
import type { Feature } from '../../kernel/feature';
import { homeRoutes } from './routes';

export const home: Feature = {
  name: 'home',
  routes: () => [homeRoutes()],
};
