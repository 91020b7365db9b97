import { Switch, Toast } from 'antd-mobile';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { usePlanFollowUps, useSetPlanFollowUps } from './api';

/** HR's per-plan switch for follow-up questions (off withdraws the ones still unanswered). */
export function PlanFollowUpSwitch({ jobId }: { jobId: number }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const q = usePlanFollowUps(jobId);
  const set = useSetPlanFollowUps(jobId);
  if (!q.data) return null;
  return (
    <div className="iv-row" data-testid="plan-followups">
      <span style={{ flex: 1 }}>
        {t('fu.plan.label')}
        <br />
        <span className="muted">{t('fu.plan.hint')}</span>
      </span>
      <Switch
        checked={q.data.enabled}
        loading={set.isPending}
        onChange={(enabled) =>
          set.mutate(enabled, {
            onSuccess: () => Toast.show(t('fu.plan.saved')),
            onError: (e) => Toast.show(errorOf(e)),
          })
        }
      />
    </div>
  );
}
