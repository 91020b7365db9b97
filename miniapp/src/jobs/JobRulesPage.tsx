import { Button, List, NoticeBar, Selector, Stepper, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { type RulesView, useFormOptions, useJobRules, useSaveJobRules } from './api';

type Draft = Omit<RulesView, 'hiringGroupConversationId'>;

/**
 * HR edits a job's approval rules (`/jobs/:jobId/rules`): pass and reject thresholds, approvers
 * (all must agree, or any one), and people copied. Approvers and cc are picked from the
 * directory (DingTalk user ids). Checked here (pass above reject, one approver at least) and on
 * the server.
 */
export function JobRulesPage() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const jobId = Number(useParams().jobId);
  const rules = useJobRules(jobId);
  const options = useFormOptions();
  const save = useSaveJobRules(jobId);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const r = rules.data?.rules;
  const d: Draft | null =
    draft ??
    (r
      ? {
          passThreshold: r.passThreshold,
          rejectThreshold: r.rejectThreshold,
          approverUserIds: r.approverUserIds,
          approvalMode: r.approvalMode,
          ccUserIds: r.ccUserIds,
        }
      : null);
  if (!d) return null;
  const set = (patch: Partial<Draft>) => setDraft({ ...d, ...patch });
  const people = (options.data?.employees ?? []).map((e) => ({ label: e.name, value: e.dingtalkUserId }));
  const submit = async () => {
    setError(null);
    if (d.passThreshold <= d.rejectThreshold || !d.approverUserIds.length)
      return setError(t('rules.invalid'));
    try {
      await save.mutateAsync(d);
      setDraft(null);
      Toast.show({ content: t('jobs.saved') });
    } catch (e) {
      setError(errorOf(e));
    }
  };
  return (
    <div className="iv-page" data-testid="job-rules">
      <h3>{t('rules.title')}</h3>
      {error ? <NoticeBar content={error} color="alert" wrap data-testid="rules-error" /> : null}
      <List>
        <List.Item title={t('rules.pass')}>
          <Stepper
            min={0}
            max={100}
            value={d.passThreshold}
            onChange={(v) => set({ passThreshold: v })}
            data-testid="rules-pass"
          />
        </List.Item>
        <List.Item title={t('rules.reject')}>
          <Stepper
            min={0}
            max={100}
            value={d.rejectThreshold}
            onChange={(v) => set({ rejectThreshold: v })}
            data-testid="rules-reject"
          />
        </List.Item>
        <List.Item title={t('rules.approvers')}>
          <Selector
            multiple
            options={people}
            value={d.approverUserIds}
            onChange={(v) => set({ approverUserIds: v })}
            data-testid="rules-approvers"
          />
        </List.Item>
        <List.Item title={t('rules.mode')}>
          <Selector
            options={(['AND', 'OR'] as const).map((m) => ({ label: t(`rules.mode.${m}`), value: m }))}
            value={[d.approvalMode]}
            onChange={(v) => v[0] && set({ approvalMode: v[0] })}
            data-testid="rules-mode"
          />
        </List.Item>
        <List.Item title={t('rules.cc')}>
          <Selector
            multiple
            options={people}
            value={d.ccUserIds}
            onChange={(v) => set({ ccUserIds: v })}
            data-testid="rules-cc"
          />
        </List.Item>
      </List>
      <Button
        color="primary"
        block
        loading={save.isPending}
        onClick={() => void submit()}
        data-testid="rules-save"
      >
        {t('rules.save')}
      </Button>
    </div>
  );
}
