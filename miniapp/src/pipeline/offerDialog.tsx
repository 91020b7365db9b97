import { Dialog, Form, Input } from 'antd-mobile';
import type { MessageKey } from '../i18n';

/** The terms HR types when starting a 录用 approval (free text; the approval form carries them). */
export interface OfferTerms {
  salary: string;
  level: string;
  startDate: string;
}

/**
 * Asks HR for the offer's terms (salary, level, start date) in a dialog; null when cancelled.
 * Used wherever a 录用审批 starts: the application page and the summary report.
 */
export async function askOfferTerms(t: (key: MessageKey) => string): Promise<OfferTerms | null> {
  const offer: OfferTerms = { salary: '', level: '', startDate: '' };
  const ok = await Dialog.confirm({
    title: t('pl.action.request_offer'),
    content: (
      <Form layout="horizontal">
        <Form.Item label={t('pl.offer.salary')}>
          <Input data-testid="offer-salary" onChange={(v) => (offer.salary = v)} />
        </Form.Item>
        <Form.Item label={t('pl.offer.level')}>
          <Input data-testid="offer-level" onChange={(v) => (offer.level = v)} />
        </Form.Item>
        <Form.Item label={t('pl.offer.startDate')}>
          <Input type="date" data-testid="offer-start" onChange={(v) => (offer.startDate = v)} />
        </Form.Item>
      </Form>
    ),
  });
  return ok ? offer : null;
}
