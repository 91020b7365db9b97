import { Button, Card, Dialog, ErrorBlock, List, Toast } from 'antd-mobile';
import { Link, Navigate, useParams } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { useMe } from '../auth/AuthProvider';
import { useErrorText } from '../errors';
import { useScreenTitle } from '../layout/screenTitle';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useCandidate, useInvitationAction, useInvitations } from './api';
import { InvitationRow, InvitePanel } from './InvitePanel';

/**
 * `routes.candidate`: HR sees the candidate with their invitations (copy the link text, resend,
 * revoke) and can invite them to a job; the rest of the hiring team (an assigned interviewer, the
 * job's manager) gets the candidate's profile, which the server allows or refuses per application.
 */
export function CandidatePage() {
  const me = useMe();
  const id = Number(useParams().id);
  if (!me.roles.includes('hr') && !me.roles.includes('admin'))
    return <Navigate to={routes.candidateProfile(id)} replace />;
  return <CandidateDetail />;
}

function CandidateDetail() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const id = Number(useParams().id);
  const candidate = useCandidate(id);
  useScreenTitle(candidate.data?.candidate.name);
  const invitations = useInvitations(id);
  const act = useInvitationAction(id);
  const run = (a: Parameters<typeof act.mutate>[0], done: string) =>
    act.mutate(a, { onSuccess: () => Toast.show(done), onError: (e) => Toast.show(errorOf(e)) });
  return (
    <div data-testid="candidate-detail">
      <QueryState query={candidate} title={t('cd.loadFailed')}>
        {({ candidate: c }) => (
          <Card
            title={c.name}
            extra={
              <Link to={routes.candidateProfile(c.id)} data-testid="candidate-profile-open">
                {t('cd.profile.open')}
              </Link>
            }
          >
            <div>{c.mobile}</div>
            <div>{c.email}</div>
          </Card>
        )}
      </QueryState>
      <h3>{t('cd.detail.invitations')}</h3>
      <QueryState query={invitations} title={t('cd.loadFailed')}>
        {({ invitations: rows }) =>
          rows.length === 0 ? (
            <ErrorBlock status="empty" title={t('cd.invite.none')} description="" />
          ) : (
            <List>
              {rows.map((i) => (
                <InvitationRow
                  key={i.id}
                  invitation={i}
                  extra={
                    i.status === 'active' ? (
                      <>
                        <Button
                          size="mini"
                          data-testid="invitation-resend"
                          onClick={() =>
                            run(
                              { id: i.id, action: 'resend', channel: 'dingtalk' },
                              t('cd.invite.sent', { n: 1 }),
                            )
                          }
                        >
                          {t('cd.invite.resendDingTalk')}
                        </Button>
                        <Button
                          size="mini"
                          color="danger"
                          data-testid="invitation-revoke"
                          onClick={async () => {
                            if (await Dialog.confirm({ content: t('cd.invite.revokeConfirm') }))
                              run({ id: i.id, action: 'revoke' }, t('cd.invite.revoked'));
                          }}
                        >
                          {t('cd.invite.revoke')}
                        </Button>
                      </>
                    ) : null
                  }
                />
              ))}
            </List>
          )
        }
      </QueryState>
      <InvitePanel candidateIds={[id]} onDone={() => void invitations.refetch()} />
    </div>
  );
}
