import { Button, Form, Input, Switch, Toast } from 'antd-mobile';
import { useId, useState } from 'react';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { useRequestAccommodation } from './api';

/**
 * The accommodation request form (extra time, extra retakes, audio only, a note), opened from
 * the candidate's accommodation card. Its own chunk: see `AccommodationCard`.
 */
export function AccommodationForm({ applicationId }: { applicationId: number }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const ask = useRequestAccommodation();
  // The server refuses a request that asks for nothing: the button waits, saying why.
  const [asksSomething, setAsksSomething] = useState(false);
  const hintId = useId();
  return (
    <Form
      layout="horizontal"
      initialValues={{ extraTimePercent: 0, extraRetakes: 0, audioOnly: false, note: '' }}
      onValuesChange={(_, all: { extraTimePercent: number; extraRetakes: number; audioOnly: boolean }) =>
        setAsksSomething(all.extraTimePercent > 0 || all.extraRetakes > 0 || all.audioOnly)
      }
      onFinish={(v: { extraTimePercent: number; extraRetakes: number; audioOnly: boolean; note: string }) =>
        ask.mutate(
          { applicationId, ...v },
          { onSuccess: () => Toast.show(t('acc.sent')), onError: (e) => Toast.show(errorOf(e)) },
        )
      }
      footer={
        <>
          <p className="muted" id={hintId} role="status" data-testid="accommodation-hint">
            {asksSomething ? '' : t('acc.hint')}
          </p>
          <Button
            block
            type="submit"
            color="primary"
            loading={ask.isPending}
            disabled={!asksSomething}
            aria-describedby={hintId}
            data-testid="accommodation-submit"
          >
            {t('acc.submit')}
          </Button>
        </>
      }
    >
      {/* Native selects with their own names: antd's Stepper puts ARIA value attributes on a
          plain div and leaves its input unnamed (axe: critical). */}
      <Form.Item name="extraTimePercent" label={t('acc.extraTime')}>
        <NumberChoice label={t('acc.extraTime')} options={[0, 25, 50, 100]} testId="accommodation-time" />
      </Form.Item>
      <Form.Item name="extraRetakes" label={t('acc.extraRetakes')}>
        <NumberChoice label={t('acc.extraRetakes')} options={[0, 1, 2, 3]} testId="accommodation-retakes" />
      </Form.Item>
      <Form.Item name="audioOnly" label={t('acc.audioOnly')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="note" label={t('acc.note')}>
        <Input maxLength={500} />
      </Form.Item>
    </Form>
  );
}

/** A small number picker driven by antd's Form.Item (`value` / `onChange`). */
function NumberChoice(props: {
  label: string;
  options: number[];
  testId: string;
  value?: number;
  onChange?: (v: number) => void;
}) {
  return (
    <select
      className="acc-select"
      aria-label={props.label}
      data-testid={props.testId}
      value={props.value ?? 0}
      onChange={(e) => props.onChange?.(Number(e.target.value))}
    >
      {props.options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}
