import { Button, Dialog, Input, List, NoticeBar, Selector, Stepper, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { JobStateView, JobView } from '../../../shared/api/jobs';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { SearchField } from '../layout/SearchField';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useFormOptions, useJob, useJobs, useSaveJob, useSetJobStatus } from './api';
import { JobPoolEditor } from './Reviewers';

const STATES: JobStateView[] = ['open', 'paused', 'closed'];
const STATE_COLOR: Record<JobStateView, string> = { open: 'success', paused: 'warning', closed: 'default' };

/** HR's home entry to the job set-up. */
export function JobsEntry() {
  const { t } = useI18n();
  return (
    <Link to={routes.jobs()} data-testid="jobs-open">
      <Button block>{t('jobs.open')}</Button>
    </Link>
  );
}

/** One job in the list, with its status actions. */
function JobRow({ job }: { job: JobView }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const setStatus = useSetJobStatus();
  const act = async (status: JobStateView) => {
    if (status === 'closed' && !(await Dialog.confirm({ content: t('jobs.closeConfirm') }))) return;
    try {
      await setStatus.mutateAsync({ id: job.id, status, version: job.version });
      Toast.show({ content: t('jobs.saved') });
    } catch (e) {
      Toast.show({ content: errorOf(e) });
    }
  };
  return (
    <List.Item
      data-testid={`job-${job.id}`}
      description={[job.department.name, job.location, `${job.headcount}`].filter(Boolean).join(' · ')}
      extra={
        <Tag color={STATE_COLOR[job.status]} data-testid={`job-${job.id}-status`}>
          {t(`jobs.status.${job.status}`)}
        </Tag>
      }
    >
      <div>{job.title}</div>
      <div className="jobs-actions">
        <Link to={routes.job(job.id)} data-testid={`job-${job.id}-edit`}>
          <Button size="mini">{t('jobs.edit')}</Button>
        </Link>
        <Link to={routes.jobPlan(job.id)} data-testid={`job-${job.id}-plan`}>
          <Button size="mini">{t('jobs.plan')}</Button>
        </Link>
        <Link to={routes.jobQuestions(job.id)} data-testid={`job-${job.id}-questions`}>
          <Button size="mini">{t('qgen.open')}</Button>
        </Link>
        <Link to={routes.jobRules(job.id)} data-testid={`job-${job.id}-rules`}>
          <Button size="mini">{t('jobs.rules')}</Button>
        </Link>
        {job.status === 'open' ? (
          <Button size="mini" onClick={() => void act('paused')} data-testid={`job-${job.id}-pause`}>
            {t('jobs.pause')}
          </Button>
        ) : (
          <Button size="mini" onClick={() => void act('open')} data-testid={`job-${job.id}-reopen`}>
            {t('jobs.reopen')}
          </Button>
        )}
        {job.status !== 'closed' ? (
          <Button
            size="mini"
            color="danger"
            fill="outline"
            onClick={() => void act('closed')}
            data-testid={`job-${job.id}-close`}
          >
            {t('jobs.close')}
          </Button>
        ) : null}
      </div>
    </List.Item>
  );
}

/** HR: every job, searchable by title and filtered by state, with status actions. */
export function JobsPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<JobStateView | ''>('');
  const jobs = useJobs(q, status);
  return (
    <div className="iv-page" data-testid="jobs-page">
      <h3>{t('jobs.title')}</h3>
      <Link to={routes.jobNew()} data-testid="jobs-new">
        <Button color="primary" block>
          {t('jobs.new')}
        </Button>
      </Link>
      <Link to={routes.questionBank()} data-testid="jobs-bank">
        <Button block style={{ marginTop: 8 }}>
          {t('jobs.bank')}
        </Button>
      </Link>
      <SearchField
        placeholder={t('jobs.search')}
        onSearch={setQ}
        onClear={() => setQ('')}
        style={{ marginTop: 8 }}
      />
      <Selector
        options={[
          { label: t('jobs.all'), value: '' },
          ...STATES.map((s) => ({ label: t(`jobs.status.${s}`), value: s })),
        ]}
        value={[status]}
        onChange={(v) => setStatus((v[0] ?? '') as JobStateView | '')}
      />
      <QueryState query={jobs}>
        {(d) =>
          d.items.length ? (
            <List>
              {d.items.map((j) => (
                <JobRow key={j.id} job={j} />
              ))}
            </List>
          ) : (
            <p>{t('jobs.empty')}</p>
          )
        }
      </QueryState>
    </div>
  );
}

/** The form's fields. */
interface JobDraft {
  title: string;
  departmentId: number | null;
  location: string;
  headcount: number;
  description: string;
  requirements: string;
  hiringManagerId: number | null;
  hiringGroupConversationId: string;
}

const EMPTY: JobDraft = {
  title: '',
  departmentId: null,
  location: '',
  headcount: 1,
  description: '',
  requirements: '',
  hiringManagerId: null,
  hiringGroupConversationId: '',
};

/**
 * HR creates a job or edits one (`/jobs/new`, `/jobs/:id`). Required fields are checked here
 * before sending, and again by the server; an edit sends the version it loaded, so a change
 * someone saved meanwhile is reported (409) instead of overwritten.
 */
export function JobFormPage() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const navigate = useNavigate();
  const param = useParams().id;
  const id = param && param !== 'new' ? Number(param) : null;
  const loaded = useJob(id);
  const options = useFormOptions();
  const save = useSaveJob(id);
  const [draft, setDraft] = useState<JobDraft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = loaded.data?.job;
  const d: JobDraft =
    draft ??
    (job
      ? {
          title: job.title,
          departmentId: job.department.id,
          location: job.location,
          headcount: job.headcount,
          description: job.description,
          requirements: job.requirements,
          hiringManagerId: job.hiringManager?.id ?? null,
          hiringGroupConversationId: job.hiringGroupConversationId ?? '',
        }
      : EMPTY);
  const set = (patch: Partial<JobDraft>) => setDraft({ ...d, ...patch });
  const managers = (options.data?.employees ?? []).filter((e) => e.roles.includes('manager'));

  const submit = async () => {
    setError(null);
    const missing = (
      [
        ['title', 'jobs.form.title'],
        ['departmentId', 'jobs.form.department'],
        ['location', 'jobs.form.location'],
        ['description', 'jobs.form.description'],
      ] as const
    ).find(([k]) => d[k] === null || String(d[k]).trim() === '');
    if (missing) {
      setError(t('jobs.form.required', { field: t(missing[1]) }));
      return;
    }
    try {
      const r = await save.mutateAsync({
        title: d.title.trim(),
        departmentId: d.departmentId as number,
        location: d.location.trim(),
        headcount: d.headcount,
        description: d.description.trim(),
        requirements: d.requirements.trim(),
        hiringManagerId: d.hiringManagerId,
        hiringGroupConversationId: d.hiringGroupConversationId.trim() || null,
        ...(job ? { version: job.version } : {}),
      });
      Toast.show({ content: t('jobs.saved') });
      setDraft(null);
      navigate(id === null ? routes.jobPlan(r.job.id) : routes.jobs());
    } catch (e) {
      setError(errorOf(e));
    }
  };

  return (
    <div className="iv-page" data-testid="job-form">
      <h3>{id === null ? t('jobs.new') : t('jobs.edit')}</h3>
      {error ? <NoticeBar content={error} color="alert" wrap data-testid="job-form-error" /> : null}
      <List>
        <List.Item title={t('jobs.form.title')}>
          <Input value={d.title} onChange={(v) => set({ title: v })} data-testid="job-title" />
        </List.Item>
        <List.Item title={t('jobs.form.department')}>
          <Selector
            data-testid="job-department"
            options={(options.data?.departments ?? []).map((x) => ({ label: x.name, value: x.id }))}
            value={d.departmentId === null ? [] : [d.departmentId]}
            onChange={(v) => set({ departmentId: v[0] ?? null })}
          />
        </List.Item>
        <List.Item title={t('jobs.form.location')}>
          <Input value={d.location} onChange={(v) => set({ location: v })} data-testid="job-location" />
        </List.Item>
        <List.Item title={t('jobs.form.headcount')}>
          <Stepper min={1} max={1000} value={d.headcount} onChange={(v) => set({ headcount: v })} />
        </List.Item>
        <List.Item title={t('jobs.form.description')}>
          <TextArea
            value={d.description}
            onChange={(v) => set({ description: v })}
            autoSize
            rows={4}
            data-testid="job-description"
          />
        </List.Item>
        <List.Item title={t('jobs.form.requirements')}>
          <TextArea
            value={d.requirements}
            onChange={(v) => set({ requirements: v })}
            autoSize
            rows={3}
            data-testid="job-requirements"
          />
        </List.Item>
        <List.Item title={t('jobs.form.manager')}>
          <Selector
            data-testid="job-manager"
            options={[
              { label: t('jobs.form.none'), value: 0 },
              ...managers.map((m) => ({ label: m.name, value: m.id })),
            ]}
            value={[d.hiringManagerId ?? 0]}
            onChange={(v) => set({ hiringManagerId: v[0] ? v[0] : null })}
          />
        </List.Item>
        <List.Item title={t('jobs.form.group')}>
          <Input
            value={d.hiringGroupConversationId}
            onChange={(v) => set({ hiringGroupConversationId: v })}
            data-testid="job-group"
          />
        </List.Item>
      </List>
      <Button
        color="primary"
        block
        loading={save.isPending}
        onClick={() => void submit()}
        data-testid="job-save"
      >
        {t('jobs.form.save')}
      </Button>
      {id !== null ? <JobPoolEditor jobId={id} /> : null}
    </div>
  );
}
