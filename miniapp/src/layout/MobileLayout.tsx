import { TabBar } from 'antd-mobile';
import { AppOutline, LeftOutline, UserOutline } from 'antd-mobile-icons';
import { Suspense, useEffect, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth, useMe } from '../auth/AuthProvider';
import { setDingTalkTitle } from '../dingtalk';
import { ScreenLoading } from '../lazyScreen';
import { useI18n } from '../locale';
import { homeTitleKey } from '../roleLabels';
import { appRouteName } from '../routeTable';
import { ROUTE_TITLES } from './routeTitles';
import { type ScreenTitle, ScreenTitleProvider } from './screenTitle';

/** Tabs of the signed-in app, by path. */
const TABS = [
  { key: '/', icon: <AppOutline />, label: 'tab.home' },
  { key: '/me', icon: <UserOutline />, label: 'tab.me' },
] as const;

/**
 * The signed-in frame: title bar, scrolling content and the bottom tab bar. Inside DingTalk the
 * client already draws a title bar, so ours is hidden and the client's title is set instead.
 */
export function MobileLayout() {
  const me = useMe();
  const { state } = useAuth();
  const { t } = useI18n();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const inDingTalk = state.status === 'signedIn' && state.inDingTalk;

  const [fromScreen, setFromScreen] = useState<ScreenTitle | null>(null);

  const activeKey = pathname.startsWith('/me') ? '/me' : '/';
  // The screen's own title: from its data where it gave one, else its route's (the home's by role).
  const route = appRouteName(pathname);
  const title =
    fromScreen?.pathname === pathname
      ? fromScreen.title
      : t(route && route !== 'home' ? ROUTE_TITLES[route] : homeTitleKey(me.home));
  // Below a tab's root there is a way back: DingTalk draws its own back button; elsewhere ours.
  const isTabRoot = pathname === '/' || pathname === '/me';
  const back = () => (window.history.length > 1 ? navigate(-1) : navigate('/'));

  useEffect(() => {
    document.title = title;
    if (inDingTalk) void setDingTalkTitle(title);
  }, [title, inDingTalk]);

  return (
    <div className="app-frame">
      {inDingTalk ? (
        // The client draws the visible title; the screen still has its heading for screen readers.
        <h1 className="sr-only">{title}</h1>
      ) : (
        // Our own bar rather than antd's NavBar, whose left area is always a role="button" (a
        // nameless control on a tab root, and its "back" text is aria-hidden): a real button here.
        <header className="app-navbar app-header" data-testid="navbar">
          {isTabRoot ? null : (
            <button type="button" className="app-back" onClick={back} data-testid="nav-back">
              <LeftOutline aria-hidden="true" /> {t('nav.back')}
            </button>
          )}
          <h1 className="app-title">{title}</h1>
        </header>
      )}
      <div className="app-body">
        {/* Screens load on first use (lazyScreen); the frame stays while one does. */}
        <ScreenTitleProvider value={setFromScreen}>
          <Suspense fallback={<ScreenLoading />}>
            <Outlet />
          </Suspense>
        </ScreenTitleProvider>
      </div>
      {/* On a screen below a tab's root no tab is active, so pressing "首页" there goes home (antd
          calls onChange only when the active key changes). */}
      <TabBar
        className="app-tabbar"
        activeKey={isTabRoot ? activeKey : null}
        onChange={(key) => navigate(key)}
        safeArea
      >
        {TABS.map((tab) => (
          <TabBar.Item
            key={tab.key}
            icon={tab.icon}
            title={<span data-testid={`tab-${tab.key === '/' ? 'home' : 'me'}`}>{t(tab.label)}</span>}
          />
        ))}
      </TabBar>
    </div>
  );
}
