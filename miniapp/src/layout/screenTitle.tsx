import { createContext, useContext, useEffect } from 'react';
import { useLocation } from 'react-router-dom';

/** A title a screen set from its data, for the path it was set on. */
export interface ScreenTitle {
  pathname: string;
  title: string;
}

type SetScreenTitle = (update: (current: ScreenTitle | null) => ScreenTitle | null) => void;

const ScreenTitleContext = createContext<SetScreenTitle>(() => {});

/** Given by the frame (`MobileLayout`): where screens report a title of their own. */
export const ScreenTitleProvider = ScreenTitleContext.Provider;

/**
 * Shows `title` (e.g. the candidate's name, once loaded) in the title bar instead of the route's
 * own title (`ROUTE_TITLES`) while this screen is on the current path. Empty keeps the route's
 * title; leaving the screen or the path drops it, so the next screen never inherits it.
 */
export function useScreenTitle(title: string | null | undefined): void {
  const set = useContext(ScreenTitleContext);
  const { pathname } = useLocation();
  useEffect(() => {
    if (!title) return;
    const mine: ScreenTitle = { pathname, title };
    set(() => mine);
    return () => set((current) => (current === mine ? null : current));
  }, [set, pathname, title]);
}
