import { Button, Dialog, List, Selector, Toast } from 'antd-mobile';
import { useState } from 'react';
import { DEMOGRAPHIC_DIMENSIONS, type DemographicDimension } from '../../../shared/api/demographics';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import {
  useClearDemographics,
  useDemographics,
  useMyDeletionRequest,
  useRequestDeletion,
  useSaveDemographics,
} from './api';

type Answers = Partial<Record<DemographicDimension, string | null>>;

const DIMENSIONS = Object.keys(DEMOGRAPHIC_DIMENSIONS) as DemographicDimension[];

/**
 * The candidate's privacy card on "我的": optional self-identification for bias audits (set,
 * change, delete in one tap) and the request to delete all their data (TRUST.md).
 */
export function PrivacyCard() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const stored = useDemographics();
  const requestQ = useMyDeletionRequest();
  const saveM = useSaveDemographics();
  const clearM = useClearDemographics();
  const eraseM = useRequestDeletion();
  // The selectors' unsaved choices; null = show what is stored. A failed load shows none.
  const [edited, setEdited] = useState<Answers | null>(null);
  const answers: Answers = edited ?? stored.data?.demographics ?? {};
  const setAnswers = (f: (a: Answers) => Answers) => setEdited(f(answers));
  const request = requestQ.data?.request ?? null;
  const fail = (e: unknown) => Toast.show(errorOf(e));

  const save = () =>
    saveM.mutate(Object.fromEntries(DIMENSIONS.map((d) => [d, answers[d] ?? null])), {
      onSuccess: () => {
        setEdited(null);
        Toast.show(t('pv.self.saved'));
      },
      onError: fail,
    });
  const clear = () =>
    clearM.mutate(undefined, {
      onSuccess: () => {
        setEdited(null);
        Toast.show(t('pv.self.cleared'));
      },
      onError: fail,
    });
  const erase = async () => {
    const ok = await Dialog.confirm({
      title: t('pv.erase.title'),
      // antd's dialog is named by `aria-label` only, not by its title (axe: aria-dialog-name).
      'aria-label': t('pv.erase.title'),
      content: t('pv.erase.confirm'),
      confirmText: t('pv.erase.ok'),
      cancelText: t('pv.erase.cancel'),
    });
    if (!ok) return;
    eraseM.mutate(undefined, { onError: fail });
  };

  return (
    <List mode="card" header={t('pv.title')} data-testid="privacy">
      {/* Once deletion is asked for, nothing new is collected. */}
      {request ? null : (
        <>
          <List.Item description={t('pv.self.note')}>{t('pv.self.title')}</List.Item>
          {DIMENSIONS.map((d) => (
            <List.Item key={d} title={t(`pv.self.${d}`)}>
              <Selector
                data-testid={`pv-${d}`}
                columns={3}
                value={[answers[d] ?? '']}
                onChange={(v) => setAnswers((a) => ({ ...a, [d]: v[0] || null }))}
                options={[
                  ...DEMOGRAPHIC_DIMENSIONS[d].map((value) => ({
                    value,
                    label: t(`pv.self.${d}.${value}` as 'pv.self.sex.female'),
                  })),
                  { value: '', label: t('pv.self.none') },
                ]}
              />
            </List.Item>
          ))}
          <List.Item>
            <Button size="small" color="primary" data-testid="pv-save" onClick={save}>
              {t('pv.self.save')}
            </Button>{' '}
            <Button size="small" fill="outline" data-testid="pv-clear" onClick={clear}>
              {t('pv.self.clear')}
            </Button>
          </List.Item>
        </>
      )}
      <List.Item description={t('pv.erase.note')}>{t('pv.erase.title')}</List.Item>
      <List.Item data-testid="pv-erase-status">
        {request?.status === 'done' ? (
          t('pv.erase.done', { at: new Date(request.completedAt ?? request.dueBy).toLocaleDateString() })
        ) : request?.status === 'pending' ? (
          t('pv.erase.pending', { due: new Date(request.dueBy).toLocaleDateString() })
        ) : (
          <Button block color="danger" fill="outline" data-testid="pv-erase" onClick={erase}>
            {t('pv.erase.button')}
          </Button>
        )}
      </List.Item>
    </List>
  );
}
