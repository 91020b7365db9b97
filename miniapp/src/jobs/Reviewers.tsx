import { Button, Card, Selector, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { useAssignReviewers, useFormOptions, useJobPool, useSaveJobPool } from './api';

/** Active interviewers of the directory, as selector options. */
function useInterviewerOptions() {
  const options = useFormOptions();
  return (options.data?.employees ?? [])
    .filter((e) => e.roles.includes('interviewer'))
    .map((e) => ({ label: e.name, value: e.id }));
}

/**
 * HR assigns reviewers to an application (on its pipeline page): named interviewers, or the
 * next turn of the job's interviewer pool. Assigned interviewers can then open the candidate's
 * profile and report.
 */
export function AssignReviewers({ applicationId }: { applicationId: number }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const people = useInterviewerOptions();
  const assign = useAssignReviewers(applicationId);
  const [chosen, setChosen] = useState<number[]>([]);
  const [names, setNames] = useState<string[] | null>(null);
  const run = async (body: { userIds: number[] } | { roundRobin: true }) => {
    try {
      const r = await assign.mutateAsync(body);
      setNames(r.reviewers.map((x) => x.name));
      setChosen([]);
      Toast.show({ content: t('jobs.saved') });
    } catch (e) {
      Toast.show({ content: errorOf(e) });
    }
  };
  return (
    <Card title={t('reviewers.title')} data-testid="assign-reviewers">
      {names ? <p data-testid="assigned-reviewers">{names.join('、')}</p> : null}
      <Selector multiple options={people} value={chosen} onChange={setChosen} />
      <Button
        size="small"
        color="primary"
        disabled={!chosen.length}
        loading={assign.isPending}
        onClick={() => void run({ userIds: chosen })}
      >
        {t('reviewers.assign')}
      </Button>{' '}
      <Button size="small" loading={assign.isPending} onClick={() => void run({ roundRobin: true })}>
        {t('reviewers.roundRobin')}
      </Button>
    </Card>
  );
}

/** HR edits a job's interviewer pool (on the job's edit form): who takes turns reviewing. */
export function JobPoolEditor({ jobId }: { jobId: number }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const people = useInterviewerOptions();
  const pool = useJobPool(jobId);
  const save = useSaveJobPool(jobId);
  const [draft, setDraft] = useState<number[] | null>(null);
  const value = draft ?? (pool.data?.interviewers ?? []).map((i) => i.id);
  return (
    <Card title={t('reviewers.pool')} data-testid="job-pool">
      <Selector multiple options={people} value={value} onChange={setDraft} />
      <Button
        size="small"
        color="primary"
        loading={save.isPending}
        onClick={async () => {
          try {
            await save.mutateAsync({ userIds: value });
            setDraft(null);
            Toast.show({ content: t('jobs.saved') });
          } catch (e) {
            Toast.show({ content: errorOf(e) });
          }
        }}
      >
        {t('reviewers.savePool')}
      </Button>
    </Card>
  );
}
