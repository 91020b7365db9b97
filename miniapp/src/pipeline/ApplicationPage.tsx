import { Button, Card, Dialog, List, Steps, Tag, TextArea, Toast } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router-dom';
import type { DecisionBody } from '../../../shared/api/workflow';
import { routes } from '../../../shared/routes';
import { useMe } from '../auth/AuthProvider';
import { useErrorText } from '../errors';
import type { MessageKey } from '../i18n';
import { AssignReviewers } from '../jobs/Reviewers';
import { useScreenTitle } from '../layout/screenTitle';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { type ApplicationScreen, useApplication, useDecision, useFileDeletionRequest } from './api';
import { askOfferTerms } from './offerDialog';
import { stageKey } from './PipelinePage';

/** Transition names HR may trigger -> the decision the button sends. */
const ACTIONS: Record<string, DecisionBody['action'][]> = {
  advance_second_round: ['request_second_round', 'advance'],
  reject: ['reject'],
  complete_second_round: ['complete_second_round'],
  request_offer: ['request_offer'],
  hire: ['hire'],
};

/** One application: stage, AI summary, approvals, stage history and the actions allowed now. */
export function ApplicationPage() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const nav = useNavigate();
  const id = Number(useParams().id);
  const me = useMe();
  const isHr = me.roles.includes('hr') || me.roles.includes('admin');
  const query = useApplication(id);
  const decision = useDecision(id);
  const fileErasure = useFileDeletionRequest();
  const busy = decision.isPending;
  useScreenTitle(query.data?.application.candidate.name);
  if (query.isError || !query.data)
    return (
      <QueryState query={query} title={t('pl.loadFailed')}>
        {() => null}
      </QueryState>
    );
  const app: ApplicationScreen = query.data.application;

  const act = async (action: DecisionBody['action']) => {
    let body: DecisionBody;
    if (action === 'reject') {
      let reason = app.review?.suggestion === 'reject' ? t('pl.action.confirmReject') : '';
      const ok = await Dialog.confirm({
        title: t('pl.action.reject'),
        content: (
          <TextArea
            defaultValue={reason}
            placeholder={t('pl.action.reason')}
            onChange={(v) => (reason = v)}
          />
        ),
      });
      if (!ok || !reason.trim()) return;
      body = { action, version: app.version, reason: reason.trim() };
    } else if (action === 'request_offer') {
      const offer = await askOfferTerms(t);
      if (!offer) return;
      body = { action, version: app.version, offer };
    } else body = { action, version: app.version } as DecisionBody;
    decision.mutate(body, {
      onSuccess: () => Toast.show({ content: t('pl.action.done') }),
      onError: (err) => Toast.show({ content: errorOf(err) }),
    });
  };

  /** HR files a deletion request for a candidate who asked outside the app (TRUST.md). */
  const erase = async () => {
    let reason = '';
    const ok = await Dialog.confirm({
      title: t('pl.erase.title'),
      content: (
        <TextArea
          data-testid="erase-reason"
          placeholder={t('pl.erase.reason')}
          onChange={(v) => (reason = v)}
        />
      ),
    });
    if (!ok || !reason.trim()) return;
    fileErasure.mutate(
      { candidateId: app.candidate.id, reason: reason.trim() },
      {
        onSuccess: (r) =>
          Toast.show({
            content: t('pl.erase.done', { due: new Date(r.request.dueBy).toLocaleDateString() }),
          }),
        onError: (err) => Toast.show({ content: errorOf(err) }),
      },
    );
  };

  const buttons = app.actions.flatMap((a) => ACTIONS[a] ?? []);
  const r = app.review;
  return (
    <div className="pl-page" data-testid="application">
      <h2>
        {app.candidate.name} <Tag color="primary">{t(stageKey(app.stage))}</Tag>
      </h2>
      <p className="muted">{app.job.title}</p>
      {isHr ? <AssignReviewers applicationId={app.id} /> : null}
      {r ? (
        <Card title={t('pl.detail.review')}>
          {r.overall !== null ? (
            <p>
              {t('pl.detail.overall')} <b>{r.overall}</b> · {t(`pl.suggestion.${r.suggestion}` as MessageKey)}
            </p>
          ) : null}
          {r.report?.strengths.map((s) => (
            <p key={s}>＋ {s}</p>
          ))}
          {r.report?.gaps.map((g) => (
            <p key={g.competency + g.text}>
              － {g.competency}：{g.text}
            </p>
          ))}
          {r.report ? (
            <Button
              size="mini"
              fill="none"
              color="primary"
              onClick={() => {
                if (r.report) nav(routes.report(r.report.reportId));
              }}
            >
              {t('pl.detail.openReport')}
            </Button>
          ) : null}
          {r.remark ? (
            <p data-testid="approval-remark">
              {t('pl.detail.remark')}：{r.remark}
            </p>
          ) : null}
        </Card>
      ) : null}
      {buttons.length ? (
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', margin: '12px 0' }}>
          {buttons.map((b) => (
            <Button
              key={b}
              size="small"
              loading={busy}
              color={b === 'reject' ? 'danger' : 'primary'}
              fill={b === 'advance' ? 'outline' : 'solid'}
              data-testid={`action-${b}`}
              onClick={() => void act(b)}
            >
              {t(`pl.action.${b}` as MessageKey)}
            </Button>
          ))}
        </div>
      ) : null}
      {app.approvals?.length ? (
        <List header={t('pl.detail.approvals')}>
          {app.approvals.map((a) => (
            <List.Item
              key={a.id}
              description={[a.approverUserIds.join('、'), a.remark, a.lastError].filter(Boolean).join(' · ')}
              extra={<Tag>{t(`pl.approval.status.${a.status}` as MessageKey)}</Tag>}
            >
              {t(`pl.approval.kind.${a.kind}` as MessageKey)}
            </List.Item>
          ))}
        </List>
      ) : null}
      {app.history?.length ? (
        <Card title={t('pl.detail.history')}>
          <Steps direction="vertical" current={app.history.length - 1}>
            {app.history.map((h) => (
              <Steps.Step
                key={h.at + h.to}
                title={h.to ? t(stageKey(h.to)) : ''}
                description={`${new Date(h.at).toLocaleString()} · ${h.by ? t(`pl.by.${h.by}` as MessageKey) : ''}${h.approver ? ` (${h.approver})` : ''} · ${h.reason}`}
              />
            ))}
          </Steps>
        </Card>
      ) : null}
      {isHr ? (
        <Button
          block
          size="small"
          color="danger"
          fill="none"
          style={{ marginTop: 12 }}
          data-testid="erase-candidate"
          onClick={() => void erase()}
        >
          {t('pl.erase.button')}
        </Button>
      ) : null}
    </div>
  );
}
