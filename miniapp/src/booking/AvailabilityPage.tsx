import { Button, Input, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { AvailabilityResponse } from '../../../shared/api/bookings';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import {
  type BookingView,
  formatRanges,
  parseRanges,
  useAvailability,
  useAvailabilityChange,
  useCloseSession,
  useMyBookings,
  type Weekly,
} from './api';
import { fmt } from './MyBookingsPage';
import './booking.css';
import { Spinner } from '../layout/Spinner';

const DAYS = ['1', '2', '3', '4', '5', '6', '0'] as const;

/** The interviewer's weekly hours and date overrides, and their booked sessions. */
export function AvailabilityPage() {
  const { t } = useI18n();
  const availability = useAvailability();
  return (
    <QueryState query={availability} title={t('bk.error', { message: '' })}>
      {(a) => <AvailabilityForm availability={a} />}
    </QueryState>
  );
}

/** The loaded hours: the weekly fields start from the saved hours and keep unsaved edits. */
function AvailabilityForm({ availability }: { availability: AvailabilityResponse }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const tz = availability.timeZone;
  const overrides = availability.overrides;
  const [weekly, setWeekly] = useState<Record<string, string>>(() =>
    Object.fromEntries(DAYS.map((d) => [d, formatRanges(availability.weekly[d])])),
  );
  const mine = useMyBookings();
  // The session list is secondary: a failed load shows it empty.
  const sessions = mine.isError ? [] : (mine.data?.items ?? null);
  const change = useAvailabilityChange();
  const closeSession = useCloseSession();
  const [od, setOd] = useState('');
  const [or, setOr] = useState('');

  const save = async () => {
    const out: Weekly = {};
    for (const d of DAYS) {
      const r = parseRanges(weekly[d] ?? '');
      if (!r) {
        Toast.show(t('bk.av.invalid', { day: t(`bk.day.${d}` as 'bk.day.0') }));
        return;
      }
      if (r.length) out[d] = r;
    }
    try {
      await change.mutateAsync({ op: 'weekly', timeZone: tz, weekly: out });
      Toast.show(t('bk.av.saved'));
    } catch (e) {
      Toast.show(errorOf(e));
    }
  };
  const addOverride = async () => {
    const r = parseRanges(or);
    if (!r || !/^\d{4}-\d{2}-\d{2}$/.test(od)) {
      Toast.show(t('bk.av.invalid', { day: od }));
      return;
    }
    try {
      await change.mutateAsync({ op: 'override', date: od, ranges: r });
      setOd('');
      setOr('');
    } catch (e) {
      Toast.show(errorOf(e));
    }
  };
  const close = async (b: BookingView, outcome: 'no-show' | 'complete') => {
    try {
      await closeSession.mutateAsync({ id: b.id, outcome });
    } catch (e) {
      Toast.show(errorOf(e));
    }
  };

  return (
    <div className="bk-page bk-form" data-testid="bk-availability">
      <p className="muted">{t('bk.timezone', { tz })}</p>
      <p className="muted">{t('bk.av.weekly')}</p>
      {DAYS.map((d) => (
        <div key={d}>
          <label htmlFor={`bk-w-${d}`}>{t(`bk.day.${d}` as 'bk.day.0')}</label>
          <Input
            id={`bk-w-${d}`}
            data-testid={`bk-weekly-${d}`}
            value={weekly[d] ?? ''}
            onChange={(v) => setWeekly((w) => ({ ...w, [d]: v }))}
          />
        </div>
      ))}
      <Button block color="primary" style={{ marginTop: 12 }} onClick={save} data-testid="bk-av-save">
        {t('bk.av.save')}
      </Button>
      <h3>{t('bk.av.overrides')}</h3>
      {overrides.map((o) => (
        <div key={o.date} className="bk-card">
          {o.date} · {o.ranges.length ? formatRanges(o.ranges) : <Tag>{t('bk.av.dayOff')}</Tag>}{' '}
          <Button
            size="mini"
            onClick={() =>
              change.mutate({ op: 'delete', date: o.date }, { onError: (e) => Toast.show(errorOf(e)) })
            }
          >
            {t('bk.av.remove')}
          </Button>
        </div>
      ))}
      <label htmlFor="bk-od">{t('bk.av.overrideDate')}</label>
      <Input id="bk-od" value={od} onChange={setOd} placeholder="2026-12-24" />
      <label htmlFor="bk-or">{t('bk.av.overrideRanges')}</label>
      <Input id="bk-or" value={or} onChange={setOr} placeholder="14:00-18:00" />
      <Button size="small" style={{ marginTop: 8 }} onClick={addOverride}>
        {t('bk.av.addOverride')}
      </Button>
      <h3>{t('bk.av.schedule')}</h3>
      {sessions === null ? <Spinner /> : null}
      {sessions?.length === 0 ? <p className="muted">{t('bk.mine.empty')}</p> : null}
      {sessions?.map((b) => (
        <div key={b.id} className="bk-card" data-testid="bk-session">
          <b>{b.candidate?.name}</b> · {b.job?.title} <Tag>{t(`bk.status.${b.status}`)}</Tag>
          <p>{fmt(b.startAt, tz)}</p>
          {b.status === 'booked' && Date.parse(b.startAt) <= Date.now() ? (
            <div className="bk-actions">
              <Button size="small" onClick={() => close(b, 'complete')}>
                {t('bk.complete')}
              </Button>
              <Button size="small" color="warning" onClick={() => close(b, 'no-show')}>
                {t('bk.noShow')}
              </Button>
            </div>
          ) : null}
        </div>
      ))}
    </div>
  );
}

/** Home entry for interviewers and managers. */
export function AvailabilityEntry() {
  const { t } = useI18n();
  return (
    <Link to={routes.availability()} data-testid="bk-open-availability">
      <Button block>{t('bk.open.availability')}</Button>
    </Link>
  );
}
