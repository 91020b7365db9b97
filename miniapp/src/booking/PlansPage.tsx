import { Button, Checkbox, Input, Selector, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { BOOKING_KIND_VALUES, type BookingKind, type TakeMode } from '../../../shared/api/bookings';
import { formatReminderOffsets, parseReminderOffsets } from '../../../shared/api/reminders';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import {
  type BookingView,
  formatRanges,
  parseRanges,
  type ScheduleView,
  useJobBookings,
  useSaveSchedule,
  useScheduleJobs,
  useSchedules,
  type Weekly,
} from './api';
import { fmt } from './MyBookingsPage';
import './booking.css';
import { Spinner } from '../layout/Spinner';

const NUMBER_FIELDS = [
  ['durationMinutes', 'bk.plan.duration'],
  ['capacityPerSlot', 'bk.plan.capacity'],
  ['horizonDays', 'bk.plan.horizon'],
  ['minNoticeMinutes', 'bk.plan.notice'],
  ['bufferBeforeMinutes', 'bk.plan.bufferBefore'],
  ['bufferAfterMinutes', 'bk.plan.bufferAfter'],
  ['dailyCapPerInterviewer', 'bk.plan.dailyCap'],
  ['rescheduleCutoffHours', 'bk.plan.rescheduleCutoff'],
  ['cancelCutoffHours', 'bk.plan.cancelCutoff'],
  ['maxReschedules', 'bk.plan.maxReschedules'],
] as const;

/** Weekdays in the order of a Chinese week (Monday first); keys of {@link Weekly}. */
const DAYS = ['1', '2', '3', '4', '5', '6', '0'] as const;

/**
 * A stage the job does not have yet, as the editor's starting point: an AI interview taken any
 * time (issue 19's default), a second round booked one-to-one. Saving it creates the stage.
 */
function draftSchedule(kind: BookingKind): ScheduleView {
  const ai = kind === 'ai_interview';
  return {
    id: 0,
    kind,
    sessionType: ai ? 'ai' : 'live',
    takeMode: ai ? 'anytime' : 'booked',
    durationMinutes: ai ? 30 : 45,
    stepMinutes: null,
    capacityPerSlot: ai ? 5 : 1,
    horizonDays: 14,
    minNoticeMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: ai ? 0 : 10,
    dailyCapPerInterviewer: ai ? null : 4,
    rescheduleCutoffHours: 2,
    cancelCutoffHours: 2,
    maxReschedules: 2,
    timeZone: 'Asia/Shanghai',
    weeklyHours: {},
    dateOverrides: [],
    active: true,
    reminderOffsetsMinutes: null,
    reminderDefaults: { candidate: [], interviewer: [] },
    interviewers: [],
  };
}

/** HR: pick a job; edit its booking rules and pool; see its bookings. */
export function PlansPage() {
  const { t } = useI18n();
  const { jobId } = useParams();
  const jobsQ = useScheduleJobs();
  // The job list is a picker: a failed load shows no jobs (as an empty list).
  const jobs = jobsQ.isError ? [] : (jobsQ.data?.items ?? null);
  return (
    <div className="bk-page" data-testid="bk-plans">
      <p className="muted">{t('bk.plan.jobs')}</p>
      <div className="bk-actions">
        {jobs === null ? <Spinner /> : null}
        {jobs?.map((j) => (
          <Link key={j.id} to={routes.jobSchedules(j.id)}>
            <Button size="small" color={String(j.id) === jobId ? 'primary' : 'default'}>
              {j.title}
            </Button>
          </Link>
        ))}
      </div>
      {jobId ? <JobPlan key={jobId} jobId={Number(jobId)} /> : null}
    </div>
  );
}

function JobPlan({ jobId }: { jobId: number }) {
  const { t } = useI18n();
  const schedules = useSchedules(jobId);
  const jobBookings = useJobBookings(jobId);
  const bookings: BookingView[] | null = jobBookings.isError ? [] : (jobBookings.data?.items ?? null);
  if (schedules.isError || !schedules.data)
    return (
      <QueryState query={schedules} title={t('bk.error', { message: '' })}>
        {() => null}
      </QueryState>
    );
  const data = schedules.data;
  const missing = BOOKING_KIND_VALUES.filter((k) => !data.schedules.some((s) => s.kind === k));
  return (
    <>
      {data.schedules.map((s) => (
        <ScheduleForm key={s.id} jobId={jobId} schedule={s} eligible={data.eligibleInterviewers} />
      ))}
      {missing.map((k) => (
        <NewStage key={k} kind={k} jobId={jobId} eligible={data.eligibleInterviewers} />
      ))}
      <h3>{t('bk.plan.overview')}</h3>
      {bookings?.length === 0 ? <p className="muted">{t('bk.plan.none')}</p> : null}
      {bookings?.map((b) => (
        <div key={b.id} className="bk-card" data-testid="bk-overview-row">
          <b>{b.candidate?.name}</b> · {t(`bk.kind.${b.kind}`)} · {fmt(b.startAt, b.timeZone)}{' '}
          <Tag>{t(`bk.status.${b.status}`)}</Tag>
          {b.interviewer ? <span className="muted"> {b.interviewer.name}</span> : null}
        </div>
      ))}
    </>
  );
}

/** A stage the job has no rules for: a button, then the editor from {@link draftSchedule}. */
function NewStage(props: {
  kind: BookingKind;
  jobId: number;
  eligible: Array<{ id: number; name: string }>;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (open)
    return (
      <ScheduleForm jobId={props.jobId} schedule={draftSchedule(props.kind)} eligible={props.eligible} />
    );
  return (
    <Button
      block
      style={{ marginTop: 12 }}
      data-testid={`bk-plan-add-${props.kind}`}
      onClick={() => setOpen(true)}
    >
      {t('bk.plan.add', { kind: t(`bk.kind.${props.kind}`) })}
    </Button>
  );
}

function ScheduleForm(props: {
  jobId: number;
  schedule: ScheduleView;
  eligible: Array<{ id: number; name: string }>;
}) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const saveSchedule = useSaveSchedule(props.jobId);
  const s = props.schedule;
  const [values, setValues] = useState<Record<string, string>>(
    Object.fromEntries(NUMBER_FIELDS.map(([k]) => [k, s[k] === null ? '' : String(s[k])])),
  );
  const [pool, setPool] = useState<number[]>(s.interviewers.map((i) => i.id));
  const own = s.reminderOffsetsMinutes;
  const [remind, setRemind] = useState({
    candidate: own ? formatReminderOffsets(own.candidate) : '',
    interviewer: own ? formatReminderOffsets(own.interviewer) : '',
  });
  const [takeMode, setTakeMode] = useState<TakeMode>(s.takeMode);
  const [weekly, setWeekly] = useState<Record<string, string>>(() =>
    Object.fromEntries(DAYS.map((d) => [d, formatRanges(s.weeklyHours[d])])),
  );
  const live = s.sessionType === 'live';
  const save = async () => {
    const weeklyHours: Weekly = {};
    for (const d of DAYS) {
      const r = parseRanges(weekly[d] ?? '');
      if (!r) {
        Toast.show(t('bk.av.invalid', { day: t(`bk.day.${d}` as 'bk.day.0') }));
        return;
      }
      if (r.length) weeklyHours[d] = r;
    }
    const num = (k: string) => (values[k] === '' ? null : Number(values[k]));
    // Both empty: the configured defaults; one empty: that recipient keeps the default timings.
    let reminderOffsetsMinutes: { candidate: number[]; interviewer: number[] } | null = null;
    if (remind.candidate.trim() || (live && remind.interviewer.trim())) {
      const field = (k: 'candidate' | 'interviewer') =>
        remind[k].trim() ? parseReminderOffsets(remind[k]) : s.reminderDefaults[k];
      const candidate = field('candidate');
      const interviewer = live ? field('interviewer') : [];
      if (!candidate || !interviewer) {
        const bad = !candidate ? 'bk.plan.remindCandidate' : 'bk.plan.remindInterviewer';
        Toast.show(t('bk.plan.remindInvalid', { field: t(bad) }));
        return;
      }
      reminderOffsetsMinutes = { candidate, interviewer };
    }
    try {
      await saveSchedule.mutateAsync({
        kind: s.kind,
        body: {
          sessionType: s.sessionType,
          takeMode: live ? 'booked' : takeMode,
          stepMinutes: s.stepMinutes,
          timeZone: s.timeZone,
          weeklyHours,
          dateOverrides: s.dateOverrides,
          interviewerIds: s.sessionType === 'live' ? pool : [],
          reminderOffsetsMinutes,
          ...Object.fromEntries(NUMBER_FIELDS.map(([k]) => [k, num(k)])),
        },
      });
      Toast.show(t('bk.plan.saved'));
    } catch (e) {
      Toast.show(errorOf(e));
    }
  };
  return (
    <div className="bk-card bk-form" data-testid={`bk-plan-${s.kind}`}>
      <h3>{t(`bk.kind.${s.kind}`)}</h3>
      {live ? null : (
        <>
          <p className="muted">{t('bk.plan.mode')}</p>
          <Selector
            data-testid={`bk-plan-${s.kind}-mode`}
            value={[takeMode]}
            onChange={(v) => v[0] && setTakeMode(v[0])}
            options={(['anytime', 'booked'] as const).map((m) => ({
              label: t(`bk.plan.mode.${m}`),
              value: m,
            }))}
          />
        </>
      )}
      <p className="muted">{t('bk.plan.window')}</p>
      {DAYS.map((d) => (
        <div key={d}>
          <label htmlFor={`${s.kind}-w-${d}`}>{t(`bk.day.${d}` as 'bk.day.0')}</label>
          <Input
            id={`${s.kind}-w-${d}`}
            data-testid={`bk-plan-${s.kind}-weekly-${d}`}
            value={weekly[d] ?? ''}
            onChange={(v) => setWeekly((w) => ({ ...w, [d]: v }))}
          />
        </div>
      ))}
      {/* An AI interview has no interviewer, so no per-interviewer cap (kept as saved). */}
      {NUMBER_FIELDS.filter(([k]) => live || k !== 'dailyCapPerInterviewer').map(([k, label]) => (
        <div key={k}>
          <label htmlFor={`${s.kind}-${k}`}>{t(label)}</label>
          <Input
            id={`${s.kind}-${k}`}
            type="number"
            value={values[k]}
            onChange={(v) => setValues((x) => ({ ...x, [k]: v }))}
          />
        </div>
      ))}
      <p className="muted">{t('bk.plan.reminders')}</p>
      {(live ? (['candidate', 'interviewer'] as const) : (['candidate'] as const)).map((k) => (
        <div key={k}>
          <label htmlFor={`${s.kind}-remind-${k}`}>
            {t(k === 'candidate' ? 'bk.plan.remindCandidate' : 'bk.plan.remindInterviewer')}
          </label>
          <Input
            id={`${s.kind}-remind-${k}`}
            data-testid={`bk-plan-${s.kind}-remind-${k}`}
            value={remind[k]}
            placeholder={t('bk.plan.remindDefault', { value: formatReminderOffsets(s.reminderDefaults[k]) })}
            onChange={(v) => setRemind((x) => ({ ...x, [k]: v }))}
          />
        </div>
      ))}
      {s.sessionType === 'live' ? (
        <>
          <label htmlFor={`${s.kind}-pool`}>{t('bk.plan.pool')}</label>
          <Checkbox.Group value={pool} onChange={(v) => setPool(v as number[])}>
            {props.eligible.map((u) => (
              <Checkbox key={u.id} value={u.id} style={{ marginRight: 12 }}>
                {u.name}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </>
      ) : null}
      <Button
        block
        color="primary"
        style={{ marginTop: 12 }}
        onClick={save}
        data-testid={`bk-plan-${s.kind}-save`}
      >
        {t('bk.plan.save')}
      </Button>
    </div>
  );
}

/** Home entry for HR. */
export function PlansEntry() {
  const { t } = useI18n();
  return (
    <Link to={routes.schedules()} data-testid="bk-open-plans">
      <Button block>{t('bk.open.plans')}</Button>
    </Link>
  );
}
