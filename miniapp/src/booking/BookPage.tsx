import { Button, ErrorBlock, Popup, Tag, Toast } from 'antd-mobile';
import { useMemo, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { routes } from '../../../shared/routes';
import { localDate, localHm } from '../../../shared/slots';
import { ApiError } from '../api';
import { useErrorText } from '../errors';
import { useScreenTitle } from '../layout/screenTitle';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { type Slot, useBookSlot, useRefreshSlots, useSlots, useTakeFreshSlots } from './api';
import './booking.css';

/**
 * The candidate's booking screen: a strip of dates, the day's slots grouped into morning and
 * afternoon (full slots shown disabled), the time zone the times are shown in, and a confirm
 * sheet. With `?reschedule=<id>` it moves that booking instead of creating one.
 */
export function BookPage() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const navigate = useNavigate();
  const params = useParams();
  const [search] = useSearchParams();
  const applicationId = Number(params.applicationId);
  const kind = params.kind === 'second_round' ? 'second_round' : 'ai_interview';
  const rescheduleId = search.get('reschedule') ? Number(search.get('reschedule')) : null;
  const query = useSlots(applicationId, kind);
  const refresh = useRefreshSlots(applicationId, kind);
  const takeFresh = useTakeFreshSlots(applicationId, kind);
  const bookSlot = useBookSlot();
  const data = query.data;
  const [chosenDay, setDay] = useState<string | null>(null);
  const [picked, setPicked] = useState<Slot | null>(null);
  const busy = bookSlot.isPending;
  // The chosen day while it still has slots (after a refresh), else the first day with room.
  const slots = data?.slots ?? [];
  const day =
    chosenDay && slots.some((s) => s.date === chosenDay)
      ? chosenDay
      : (slots.find((s) => s.remaining > 0)?.date ?? null);
  // A failed refresh keeps the slots on screen; the next booking attempt reports the problem.
  const load = () => refresh().catch(() => undefined);

  const days = useMemo(() => [...new Set((data?.slots ?? []).map((s) => s.date))], [data]);
  // Taken any time: the chosen time only sets a reminder (no seat); the screen says so.
  const reminder = kind === 'ai_interview' && data?.rules.takeMode === 'anytime';
  // The title bar says what this visit does (book, move, or only set a reminder).
  useScreenTitle(
    data ? t(reminder ? 'bk.title.remind' : rescheduleId ? 'bk.title.reschedule' : 'bk.title.book') : null,
  );
  const ofDay = slots.filter((s) => s.date === day);

  const confirm = async () => {
    if (!picked) return;
    try {
      await bookSlot.mutateAsync({
        applicationId,
        kind,
        startAt: picked.startAt,
        rescheduleId,
        // A no-show's one-time reschedule link carries ?rebook=<token>.
        rebookToken: search.get('rebook') ?? undefined,
      });
      Toast.show({ icon: 'success', content: t(rescheduleId ? 'bk.rescheduled' : 'bk.booked') });
      navigate(routes.myBookings());
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'slot_full' || e.code === 'schedule_changed')) {
        Toast.show(errorOf(e));
        // A lost seat's answer carries the fresh list; a new booking's list is the screen's own
        // (a move's excludes the booking being moved, so a move reads again).
        if (!(e.code === 'slot_full' && !rescheduleId && takeFresh(e.details))) void load();
      } else Toast.show(errorOf(e));
    } finally {
      setPicked(null);
    }
  };

  if (query.isError || !data)
    return (
      <QueryState query={query} title={t('bk.error', { message: '' })}>
        {() => null}
      </QueryState>
    );
  return (
    <div className="bk-page" data-testid="bk-book">
      {reminder ? (
        <p className="muted" data-testid="bk-reminder-note">
          {t('bk.reminder.note')}
        </p>
      ) : null}
      <p className="muted">
        {t(`bk.kind.${kind}`)} · {t('bk.duration', { minutes: data.rules.durationMinutes })} ·{' '}
        <span data-testid="bk-tz">{t('bk.timezone', { tz: data.timeZone })}</span>{' '}
        <Button size="mini" fill="none" onClick={() => void load()}>
          {t('bk.refresh')}
        </Button>
      </p>
      {data.planTimeZone !== data.timeZone ? (
        <p className="muted" data-testid="bk-plan-tz">
          {t('bk.planZone', { tz: data.planTimeZone })}
        </p>
      ) : null}
      {days.length === 0 ? <ErrorBlock status="empty" title={t('bk.noDays')} description="" /> : null}
      <div className="bk-days" role="tablist">
        {days.map((d) => {
          const weekday = new Date(`${d}T12:00:00Z`).getUTCDay();
          const open = (data.slots ?? []).some((s) => s.date === d && s.remaining > 0);
          return (
            <button
              type="button"
              key={d}
              role="tab"
              aria-selected={d === day}
              className={`bk-day${d === day ? ' active' : ''}${open ? '' : ' full'}`}
              data-testid={`bk-day-${d}`}
              onClick={() => setDay(d)}
            >
              <span>{t(`bk.day.${weekday}` as 'bk.day.0')}</span>
              <b>{d.slice(5)}</b>
            </button>
          );
        })}
      </div>
      {day && ofDay.every((s) => s.remaining === 0) ? <p className="muted">{t('bk.noSlots')}</p> : null}
      {(['am', 'pm'] as const).map((part) => {
        const list = ofDay.filter((s) => s.part === part);
        if (!list.length) return null;
        return (
          <section key={part} className="bk-part">
            <h3>{t(`bk.${part}`)}</h3>
            <div className="bk-grid">
              {list.map((s) => (
                <button
                  type="button"
                  key={s.startAt}
                  className="bk-slot"
                  disabled={s.remaining === 0}
                  data-testid={`bk-slot-${s.time}`}
                  onClick={() => setPicked(s)}
                >
                  {s.time}
                  {s.remaining === 0 ? (
                    <Tag color="default">{t('bk.full')}</Tag>
                  ) : s.capacity > 1 && !reminder ? (
                    <small>{t('bk.seats', { n: s.remaining })}</small>
                  ) : null}
                </button>
              ))}
            </div>
          </section>
        );
      })}
      <Popup visible={picked !== null} onMaskClick={() => setPicked(null)} bodyStyle={{ padding: 16 }}>
        {picked ? (
          <div data-testid="bk-confirm">
            <h3>{t(reminder ? 'bk.confirm.remindTitle' : 'bk.confirm.title')}</h3>
            <p>
              {t(`bk.kind.${kind}`)}：{picked.date} {picked.time}（{data.timeZone}）
            </p>
            {data.planTimeZone !== data.timeZone ? (
              <p className="muted" data-testid="bk-confirm-plan-tz">
                {t('bk.inPlanZone', {
                  tz: data.planTimeZone,
                  date: localDate(Date.parse(picked.startAt), data.planTimeZone),
                  time: localHm(Date.parse(picked.startAt), data.planTimeZone),
                })}
              </p>
            ) : null}
            {/* A reminder holds no seat, so the seat's cut-offs and reschedule limit do not apply
                (the server lets a reminder move or go until it is due). */}
            <p className="muted" data-testid="bk-confirm-rules">
              {reminder
                ? t('bk.confirm.remindRules')
                : t('bk.confirm.rules', {
                    r: data.rules.rescheduleCutoffHours,
                    c: data.rules.cancelCutoffHours,
                    n: data.rules.maxReschedules,
                  })}
            </p>
            <Button block color="primary" loading={busy} onClick={confirm} data-testid="bk-confirm-ok">
              {t('bk.confirm.ok')}
            </Button>
            <Button block fill="none" onClick={() => setPicked(null)}>
              {t('bk.confirm.cancel')}
            </Button>
          </div>
        ) : null}
      </Popup>
    </div>
  );
}
