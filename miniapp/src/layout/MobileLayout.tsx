import { NavBar, TabBar } from 'antd-mobile';
import { AppOutline, UserOutline } from 'antd-mobile-icons';
import { Suspense, useEffect } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth, useMe } from '../auth/AuthProvider';
import { setDingTalkTitle } from '../dingtalk';
import { ScreenLoading } from '../lazyScreen';
import { useI18n } from '../locale';
import { homeTitleKey } from '../roleLabels';

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

  const activeKey = pathname.startsWith('/me') ? '/me' : '/';
  const title = activeKey === '/me' ? t('me.title') : t(homeTitleKey(me.home));

  useEffect(() => {
    document.title = title;
    if (inDingTalk) void setDingTalkTitle(title);
  }, [title, inDingTalk]);

  return (
    <div className="app-frame">
      {inDingTalk ? null : (
        <NavBar className="app-navbar" backIcon={false} data-testid="navbar">
          {title}
        </NavBar>
      )}
      <div className="app-body">
        {/* Screens load on first use (lazyScreen); the frame stays while one does. */}
        <Suspense fallback={<ScreenLoading />}>
          <Outlet />
        </Suspense>
      </div>
      <TabBar className="app-tabbar" activeKey={activeKey} onChange={(key) => navigate(key)} safeArea>
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
