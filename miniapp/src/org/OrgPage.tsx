import { Button, Card, Dialog, ErrorBlock, List, Popup, Selector, Space, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { MemberItem } from '../../../shared/api/organisation';
import { EMPLOYEE_ROLES, type EmployeeRole } from '../../../shared/roles';
import { routes } from '../../../shared/routes';
import { useMe } from '../auth/AuthProvider';
import { useErrorText } from '../errors';
import { SearchField } from '../layout/SearchField';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useDepartments, useGrantRole, useMembers, useOrgStatus, useRevokeRole, useSyncOrg } from './api';

/** Sync status, counts, admins, and (for admins) "sync now". */
function StatusCard({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const status = useOrgStatus();
  const sync = useSyncOrg();
  return (
    <QueryState query={status} title={t('org.loadFailed')}>
      {(s) => (
        <Card data-testid="org-status" style={{ marginBottom: 12 }}>
          <div data-testid="org-counts">
            {t('org.counts', { departments: s.departments, members: s.members, withoutRole: s.withoutRole })}
          </div>
          <div className="muted" data-testid="org-last-sync">
            {s.lastSync
              ? t('org.lastSync', {
                  at: new Date(s.lastSync.at).toLocaleString(),
                  by: s.lastSync.byName ?? t('org.lastSync.system'),
                })
              : t('org.neverSynced')}
          </div>
          {s.admins.length ? (
            <div className="muted">{t('org.admins', { names: s.admins.map((a) => a.name).join('、') })}</div>
          ) : null}
          {isAdmin ? (
            <Button
              block
              color="primary"
              style={{ marginTop: 12 }}
              data-testid="org-sync"
              loading={sync.isPending}
              onClick={() =>
                sync.mutate(undefined, {
                  onSuccess: (r) =>
                    Toast.show({
                      content: t('org.synced', {
                        created: r.membersCreated,
                        updated: r.membersUpdated,
                        deactivated: r.membersDeactivated,
                        dc: r.departmentsCreated,
                        dr: r.departmentsRemoved,
                      }),
                      duration: 3000,
                    }),
                  onError: (e) => Toast.show(errorOf(e)),
                })
              }
            >
              {t('org.sync')}
            </Button>
          ) : (
            <div className="muted" style={{ marginTop: 8 }}>
              {t('org.readOnly')}
            </div>
          )}
        </Card>
      )}
    </QueryState>
  );
}

/** The grant dialog: pick a role; for a manager also the department they hire for. */
function GrantPopup({ member, onClose }: { member: MemberItem | null; onClose: () => void }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const grant = useGrantRole();
  const departments = useDepartments();
  const [role, setRole] = useState<EmployeeRole | null>(null);
  const [dept, setDept] = useState<number | null>(null);
  const close = () => {
    setRole(null);
    setDept(null);
    onClose();
  };
  const options = EMPLOYEE_ROLES.filter((r) => r === 'manager' || !member?.roles.includes(r)).map((r) => ({
    label: t(`role.${r}`),
    value: r,
  }));
  const deptOptions = (departments.data?.items ?? [])
    .filter((d) => !d.removedAt)
    .map((d) => ({ label: d.name, value: d.id }));
  return (
    <Popup
      visible={member !== null}
      onMaskClick={close}
      bodyStyle={{ padding: 16, maxHeight: '80vh', overflow: 'auto' }}
    >
      {member ? (
        <div data-testid="grant-popup">
          <h3>
            {t('org.grant')} · {member.name}
          </h3>
          <p className="muted">{t('org.pickRole')}</p>
          <div data-testid="grant-role">
            <Selector
              options={options}
              value={role ? [role] : []}
              onChange={(v) => {
                setRole((v[0] as EmployeeRole | undefined) ?? null);
                setDept(member.managedDepartment?.id ?? member.department?.id ?? null);
              }}
            />
          </div>
          {role === 'manager' ? (
            <>
              <p className="muted">{t('org.pickDept')}</p>
              <div data-testid="grant-dept">
                <Selector
                  options={deptOptions}
                  value={dept ? [dept] : []}
                  onChange={(v) => setDept((v[0] as number | undefined) ?? null)}
                />
              </div>
            </>
          ) : null}
          <Space block style={{ marginTop: 16 }} justify="end">
            <Button onClick={close}>{t('org.cancel')}</Button>
            <Button
              color="primary"
              data-testid="grant-confirm"
              disabled={!role || (role === 'manager' && !dept)}
              loading={grant.isPending}
              onClick={() => {
                if (!role) return;
                grant.mutate(
                  { id: member.id, role, ...(role === 'manager' && dept ? { departmentId: dept } : {}) },
                  {
                    onSuccess: (r) => {
                      Toast.show(
                        r.changed
                          ? t('org.granted', { name: member.name, role: t(`role.${role}`) })
                          : t('org.unchanged'),
                      );
                      close();
                    },
                    onError: (e) => Toast.show(errorOf(e)),
                  },
                );
              }}
            >
              {t('org.confirm')}
            </Button>
          </Space>
        </div>
      ) : null}
    </Popup>
  );
}

/** One member: department, role tags (removable by admins), "grant role". */
function MemberRow({ m, isAdmin, onGrant }: { m: MemberItem; isAdmin: boolean; onGrant: () => void }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const revoke = useRevokeRole();
  const remove = async (role: EmployeeRole) => {
    const ok = await Dialog.confirm({
      content: t('org.revokeConfirm', { name: m.name, role: t(`role.${role}`) }),
      confirmText: t('org.revoke'),
      cancelText: t('org.cancel'),
    });
    if (!ok) return;
    revoke.mutate(
      { id: m.id, role },
      {
        onSuccess: () => Toast.show(t('org.revoked', { name: m.name, role: t(`role.${role}`) })),
        onError: (e) => Toast.show(errorOf(e)),
      },
    );
  };
  return (
    <List.Item
      data-testid={`member-${m.userid}`}
      description={
        <>
          <div>{[m.title, m.department?.name].filter(Boolean).join(' · ')}</div>
          {m.managedDepartment ? <div>{t('org.manages', { dept: m.managedDepartment.name })}</div> : null}
          <Space wrap style={{ marginTop: 4 }}>
            {!m.active ? <Tag color="default">{t('org.inactive')}</Tag> : null}
            {m.roles.length === 0 ? <Tag fill="outline">{t('org.noRole')}</Tag> : null}
            {m.roles.map((r) => (
              <Tag key={r} color="primary" fill="outline" data-testid={`role-tag-${r}`}>
                {t(`role.${r}`)}
                {isAdmin && m.active ? (
                  <button
                    type="button"
                    className="org-tag-remove"
                    aria-label={`${t('org.revoke')} ${t(`role.${r}`)}`}
                    data-testid={`revoke-${r}`}
                    onClick={() => void remove(r)}
                  >
                    ×
                  </button>
                ) : null}
              </Tag>
            ))}
          </Space>
        </>
      }
      extra={
        isAdmin && m.active ? (
          <Button
            size="mini"
            color="primary"
            fill="outline"
            data-testid={`grant-${m.userid}`}
            onClick={onGrant}
          >
            {t('org.grant')}
          </Button>
        ) : null
      }
    >
      {m.name}
    </List.Item>
  );
}

/** Admins and HR: the organisation from DingTalk and the roles people hold in the product. */
export function OrgPage() {
  const { t } = useI18n();
  const me = useMe();
  const isAdmin = me.roles.includes('admin');
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [granting, setGranting] = useState<MemberItem | null>(null);
  const members = useMembers(q, role);
  const filters = [
    { label: t('org.filter.all'), value: '' },
    { label: t('org.filter.none'), value: 'none' },
    ...EMPLOYEE_ROLES.map((r) => ({ label: t(`role.${r}`), value: r })),
  ];
  return (
    <div data-testid="org-page">
      <StatusCard isAdmin={isAdmin} />
      <SearchField
        placeholder={t('org.search')}
        onSearch={setQ}
        onClear={() => setQ('')}
        data-testid="org-search"
      />
      <Selector
        style={{ margin: '8px 0', '--padding': '4px 10px' }}
        options={filters}
        value={[role]}
        onChange={(v) => setRole(v[0] ?? '')}
      />
      <QueryState query={members} title={t('org.loadFailed')}>
        {({ items }) =>
          items.length === 0 ? (
            <ErrorBlock status="empty" title={t('org.noMembers')} description="" />
          ) : (
            <List data-testid="org-members">
              {items.map((m) => (
                <MemberRow key={m.id} m={m} isAdmin={isAdmin} onGrant={() => setGranting(m)} />
              ))}
            </List>
          )
        }
      </QueryState>
      <GrantPopup member={granting} onClose={() => setGranting(null)} />
    </div>
  );
}

/** Home entry for HR and admins. */
export function OrgEntry() {
  const { t } = useI18n();
  const nav = useNavigate();
  return (
    <List>
      <List.Item
        data-testid="org-open"
        clickable
        description={t('org.openDesc')}
        onClick={() => nav(routes.organisation())}
      >
        {t('org.open')}
      </List.Item>
    </List>
  );
}
