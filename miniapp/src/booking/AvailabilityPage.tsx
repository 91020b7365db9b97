import { Button, ErrorBlock, Input, SpinLoading, Tag, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import {
  type BookingView,
  closeSession,
  deleteOverride,
  fetchAvailability,
  fetchMine,
  formatRanges,
  parseRanges,
  saveAvailability,
  saveOverride,
  type Weekly,
} from './api';
import { fmt } from './MyBookingsPage';
import './booking.css';

const DAYS = ['1', '2', '3', '4', '5', '6', '0'] as const;

/** The interviewer's weekly hours and date overrides, and their booked sessions. */
export function AvailabilityPage() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const [tz, setTz] = useState('Asia/Shanghai');
  const [weekly, setWeekly] = useState<Record<string, string>>({});
  const [overrides, setOverrides] = useState<
    Array<{ date: string; ranges: Array<{ start: string; end: string }> }>
  >([]);
  const [sessions, setSessions] = useState<BookingView[] | null>(null);
  const [od, setOd] = useState('');
  const [or, setOr] = useState('');
  const [failed, setFailed] = useState(false);
  const load = useCallback(() => {
    fetchAvailability()
      .then((a) => {
        setTz(a.timeZone);
        setWeekly(Object.fromEntries(DAYS.map((d) => [d, formatRanges(a.weekly[d])])));
        setOverrides(a.overrides);
      })
      .catch(() => setFailed(true));
    fetchMine()
      .then((m) => setSessions(m.items))
      .catch(() => setSessions([]));
  }, []);
  useEffect(load, [load]);
  if (failed) return <ErrorBlock status="default" title={t('bk.error', { message: '' })} description="" />;

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
      await saveAvailability(tz, out);
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
      await saveOverride(od, r);
      setOd('');
      setOr('');
      load();
    } catch (e) {
      Toast.show(errorOf(e));
    }
  };
  const close = async (b: BookingView, outcome: 'no-show' | 'complete') => {
    try {
      await closeSession(b.id, outcome);
      load();
    } catch (e) {
      Toast.show(errorOf(e));
    }
  };

  return (
    <div className="bk-page bk-form" data-testid="bk-availability">
      <h2>{t('bk.av.title')}</h2>
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
          <Button size="mini" onClick={() => deleteOverride(o.date).then(load)}>
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
      {sessions === null ? <SpinLoading /> : null}
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
    <Link to="/availability" data-testid="bk-open-availability">
      <Button block>{t('bk.open.availability')}</Button>
    </Link>
  );
}
