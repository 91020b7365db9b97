import { Button, Dialog, List, Tag } from 'antd-mobile';
import { useAuth, useMe } from '../auth/AuthProvider';
import { LANGS } from '../i18n';
import { useI18n } from '../locale';
import { roleLabelKeys } from '../roleLabels';
import { PrivacyCard } from './PrivacyCard';

/** The "me" tab: who is signed in, the language switch, and sign-out. */
export function MePage() {
  const me = useMe();
  const { signOut } = useAuth();
  const { t, lang, setLang } = useI18n();

  const confirmSignOut = async () => {
    const confirmed = await Dialog.confirm({
      content: t('me.signOutConfirm'),
      confirmText: t('me.signOut'),
      cancelText: t('me.cancel'),
    });
    if (confirmed) signOut();
  };

  return (
    <div className="me" data-testid="me-page">
      <List mode="card">
        <List.Item extra={<span data-testid="me-name">{me.name}</span>}>{t('me.name')}</List.Item>
        <List.Item extra={t(`kind.${me.kind}`)}>{t('me.kind')}</List.Item>
        <List.Item
          extra={
            <span className="me-roles">
              {roleLabelKeys(me).map((key) => (
                <Tag key={key} color="primary" fill="outline" round>
                  {t(key)}
                </Tag>
              ))}
            </span>
          }
        >
          {t('me.roles')}
        </List.Item>
        <List.Item extra={me.department ?? t('me.noDepartment')}>{t('me.department')}</List.Item>
      </List>
      <List mode="card">
        <List.Item
          extra={
            // Two buttons with their pressed state, not antd's Segmented: it claims the listbox
            // role without option children, which screen readers cannot use (axe: critical).
            <fieldset
              aria-label={t('me.language')}
              data-testid="lang-toggle"
              style={{ display: 'flex', gap: 8, border: 0, margin: 0, padding: 0 }}
            >
              {LANGS.map((value) => (
                <Button
                  key={value}
                  size="mini"
                  color={lang === value ? 'primary' : 'default'}
                  aria-pressed={lang === value}
                  onClick={() => setLang(value)}
                >
                  {t(`lang.${value}`)}
                </Button>
              ))}
            </fieldset>
          }
        >
          {t('me.language')}
        </List.Item>
      </List>
      {me.kind === 'candidate' ? <PrivacyCard /> : null}
      <div className="me-actions">
        <Button
          block
          color="danger"
          fill="outline"
          size="large"
          data-testid="sign-out"
          onClick={confirmSignOut}
        >
          {t('me.signOut')}
        </Button>
      </div>
    </div>
  );
}
