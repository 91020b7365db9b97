import { Button, Dialog, ErrorBlock, Tag, TextArea, Toast } from 'antd-mobile';
import { useId, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { cancelBody } from '../../../shared/api/bookings';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { type BookingView, downloadIcs, useCancelBooking, useMyBookings } from './api';
import './booking.css';

const STATUS_COLOR = {
  booked: 'primary',
  cancelled: 'default',
  no_show: 'warning',
  completed: 'success',
} as const;

/** Formats an instant in a zone as `MM-DD HH:mm`. */
export function fmt(at: string, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));
}

/** "我的面试": the candidate's bookings with reschedule/cancel (cutoffs explained) and .ics. */
export function MyBookingsPage() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const navigate = useNavigate();
  const query = useMyBookings();
  const cancelBooking = useCancelBooking();
  const [cancelling, setCancelling] = useState<BookingView | null>(null);
  if (query.isError || !query.data)
    return (
      <QueryState query={query} title={t('bk.error', { message: '' })}>
        {() => null}
      </QueryState>
    );
  const data = query.data;

  const askCancel = (b: BookingView) => setCancelling(b);
  const doCancel = async (b: BookingView, reason: string) => {
    try {
      await cancelBooking.mutateAsync({ id: b.id, reason });
      setCancelling(null);
      Toast.show(t('bk.cancelled'));
    } catch (e) {
      // The server's refusal in the reader's language (catalogue text), never its raw message.
      Toast.show(errorOf(e));
    }
  };

  return (
    <div className="bk-page" data-testid="bk-mine">
      <CancelDialog
        booking={cancelling}
        busy={cancelBooking.isPending}
        onClose={() => setCancelling(null)}
        onConfirm={doCancel}
      />
      {data.applications.flatMap((a) =>
        a.bookable.map((kind) => (
          <Button
            key={`${a.id}-${kind}`}
            block
            color="primary"
            style={{ marginBottom: 8 }}
            data-testid={`bk-book-${a.id}-${kind}`}
            onClick={() => navigate(routes.book(a.id, kind))}
          >
            {t('bk.mine.bookNow', { kind: t(`bk.kind.${kind}`) })} · {a.job.title}
          </Button>
        )),
      )}
      {data.items.length === 0 ? (
        <ErrorBlock status="empty" title={t('bk.mine.empty')} description="" />
      ) : null}
      {data.items.map((b) => (
        <div key={b.id} className="bk-card" data-testid="bk-booking">
          <h3>
            {t(`bk.kind.${b.kind}`)} · {b.job?.title}{' '}
            <Tag color={STATUS_COLOR[b.status]} data-testid="bk-status">
              {t(`bk.status.${b.status}`)}
            </Tag>
            {b.reminderOnly ? (
              <Tag color="default" fill="outline" data-testid="bk-reminder">
                {t('bk.reminder')}
              </Tag>
            ) : null}
          </h3>
          {b.reminderOnly && b.status === 'booked' ? <p className="muted">{t('bk.reminder.note')}</p> : null}
          <p data-testid="bk-when">
            {fmt(b.startAt, b.timeZone)}–{fmt(b.endAt, b.timeZone).slice(-5)}（{b.timeZone}）
          </p>
          {b.interviewer ? (
            <p className="muted">{t('bk.interviewer', { name: b.interviewer.name })}</p>
          ) : null}
          {b.status === 'booked' ? (
            <>
              <p className="muted">
                {b.canReschedule
                  ? t('bk.cutoff.reschedule', {
                      time: fmt(b.rescheduleUntil, b.timeZone),
                      n: b.maxReschedules - b.rescheduleCount,
                    })
                  : null}
                {b.canReschedule && b.canCancel ? '；' : null}
                {b.canCancel ? t('bk.cutoff.cancel', { time: fmt(b.cancelUntil, b.timeZone) }) : null}
                {!b.canReschedule && !b.canCancel ? t('bk.cutoff.passed') : null}
              </p>
              <div className="bk-actions">
                {b.canReschedule ? (
                  <Link
                    to={routes.book(b.applicationId, b.kind, { reschedule: b.id })}
                    data-testid="bk-reschedule"
                  >
                    <Button size="small">{t('bk.reschedule')}</Button>
                  </Link>
                ) : null}
                {b.canCancel ? (
                  <Button
                    size="small"
                    color="danger"
                    fill="outline"
                    data-testid="bk-cancel"
                    onClick={() => askCancel(b)}
                  >
                    {t('bk.cancel')}
                  </Button>
                ) : null}
                <Button size="small" fill="outline" data-testid="bk-ics" onClick={() => downloadIcs(b.id)}>
                  {t('bk.addToCalendar')}
                </Button>
              </div>
            </>
          ) : b.cancelReason ? (
            <p className="muted">{b.cancelReason}</p>
          ) : null}
        </div>
      ))}
    </div>
  );
}

/**
 * Cancel with a reason: the reason is marked required, and "confirm" stays disabled with a hint
 * until it passes the same rule the server applies (`cancelBody`), so the form cannot be sent wrong.
 */
function CancelDialog(props: {
  booking: BookingView | null;
  busy: boolean;
  onClose: () => void;
  onConfirm: (b: BookingView, reason: string) => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const id = useId();
  const valid = cancelBody.shape.reason.safeParse(reason).success;
  const { booking } = props;
  return (
    <Dialog
      visible={booking !== null}
      title={t('bk.cancel')}
      aria-label={t('bk.cancel')}
      onClose={props.onClose}
      afterClose={() => setReason('')}
      content={
        <div className="bk-form">
          <label htmlFor={id} className="bk-label">
            {t('bk.cancel.reason')}
            <span className="bk-required" aria-hidden="true">
              {' '}
              *
            </span>
            <span className="bk-required-text">{t('bk.form.required')}</span>
          </label>
          <TextArea
            id={id}
            data-testid="bk-cancel-reason"
            placeholder={t('bk.cancel.placeholder')}
            value={reason}
            onChange={setReason}
            maxLength={500}
          />
          <p id={`${id}-hint`} className="bk-hint" data-testid="bk-cancel-hint" aria-live="polite">
            {valid ? '' : t('bk.cancel.hint')}
          </p>
        </div>
      }
      actions={[
        [
          { key: 'back', text: t('bk.confirm.cancel'), onClick: props.onClose },
          {
            key: 'ok',
            text: t('bk.confirm.ok'),
            bold: true,
            danger: true,
            disabled: !valid || props.busy,
            onClick: () => {
              if (booking && valid) props.onConfirm(booking, reason.trim());
            },
          },
        ],
      ]}
    />
  );
}
