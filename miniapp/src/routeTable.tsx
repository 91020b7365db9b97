import type { ReactElement } from 'react';
import { matchPath, matchRoutes, Navigate, type RouteObject } from 'react-router-dom';
import {
  type AppRouteName,
  PUBLIC_ROUTES,
  ROUTE_PATTERNS,
  type RouteName,
  routes,
  SIGN_IN_ROUTES,
} from '../../shared/routes';

/**
 * The signed-in router's table, built from `shared/routes.ts` (the paths the bot and the server
 * link to) and one screen per route name: `screens` is a record over every route of the map, so
 * a route added there does not compile until the app gives it a screen. Each route's `id` is its
 * name; unknown paths go home. Kept apart from the screens so a unit test can check the table
 * without loading the UI library.
 */
export function appRouteTable(
  layout: ReactElement,
  screens: Record<AppRouteName, ReactElement>,
): RouteObject[] {
  return [
    {
      element: layout,
      children: (Object.keys(ROUTE_PATTERNS) as Array<keyof typeof ROUTE_PATTERNS>)
        .filter((name): name is AppRouteName => name in screens)
        .map((name) =>
          name === 'home'
            ? { id: name, index: true, element: screens[name] }
            : { id: name, path: ROUTE_PATTERNS[name], element: screens[name] },
        ),
    },
    { path: '*', element: <Navigate to={routes.home()} replace /> },
  ];
}

/** Whether `pathname` is a page anyone may open without signing in (the public job page). */
export function isPublicPath(pathname: string): boolean {
  return matchPath(ROUTE_PATTERNS.publicJob, pathname) !== null;
}

const outsideRouter = new Set<RouteName>([...SIGN_IN_ROUTES, ...PUBLIC_ROUTES]);

/** Each signed-in route's pattern, by name, ranked by the router's own rules when matched. */
const APP_PATTERNS: RouteObject[] = (Object.keys(ROUTE_PATTERNS) as RouteName[])
  .filter((name) => !outsideRouter.has(name))
  .map((name) => ({ id: name, path: ROUTE_PATTERNS[name] }));

/**
 * The signed-in route `pathname` is on (the same match the router makes), or null for a path the
 * router sends home. The frame reads it to title the screen.
 */
export function appRouteName(pathname: string): AppRouteName | null {
  const id = matchRoutes(APP_PATTERNS, pathname)?.at(-1)?.route.id;
  return (id as AppRouteName | undefined) ?? null;
}
