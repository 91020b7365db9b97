import { Button, Card, List, Result, Space, Tag, Toast } from 'antd-mobile';
import { useRef, useState } from 'react';
import type { ImportView } from '../../../shared/api/candidates';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { useConfirmImport, usePreviewImport } from './api';
import { InvitePanel } from './InvitePanel';

/** HR imports candidates: upload -> preview (per-row problems, merges) -> confirm -> invite the batch. */
export function CandidateImportPage() {
  const { t, lang } = useI18n();
  const errorOf = useErrorText();
  const fileInput = useRef<HTMLInputElement>(null);
  const preview = usePreviewImport();
  const confirm = useConfirmImport();
  const [batch, setBatch] = useState<ImportView | null>(null);
  const pick = (file: File | undefined) => {
    if (!file) return;
    preview.mutate(file, {
      onSuccess: (r) => setBatch(r.import),
      onError: (e) => Toast.show({ content: errorOf(e), duration: 4000 }),
    });
  };
  return (
    <div className="iv-page" data-testid="candidate-import">
      <p className="muted">{t('cd.import.hint')}</p>
      {!batch || batch.status === 'previewed' ? (
        <Space>
          <input
            ref={fileInput}
            data-testid="import-file"
            type="file"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            style={{ display: 'none' }}
            onChange={(e) => {
              pick(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
          <Button
            color="primary"
            fill="outline"
            loading={preview.isPending}
            onClick={() => fileInput.current?.click()}
          >
            {batch ? t('cd.import.again') : t('cd.import.pick')}
          </Button>
        </Space>
      ) : null}
      {batch ? (
        <Card
          title={`${t('cd.import.preview')} · ${batch.fileName}`}
          style={{ marginTop: 12 }}
          data-testid="import-preview"
        >
          <div data-testid="import-valid">{t('cd.import.valid', { n: batch.rows.length })}</div>
          {batch.errors.length ? (
            <>
              <div data-testid="import-error-count" style={{ color: 'var(--adm-color-danger)' }}>
                {t('cd.import.errors', { n: batch.errors.length })}
              </div>
              <List>
                {batch.errors.map((e) => (
                  <List.Item key={`${e.row}-${e.field}`} data-testid="import-error">
                    {t('cd.import.row', { row: e.row })} · {lang === 'en' ? e.message.en : e.message.zh}
                  </List.Item>
                ))}
              </List>
            </>
          ) : null}
          <List>
            {batch.rows
              .filter((r) => r.sameAsRow !== null || r.existingCandidateId !== null)
              .map((r) => (
                <List.Item key={r.row} extra={<Tag>{t('cd.import.row', { row: r.row })}</Tag>}>
                  {r.name} ·{' '}
                  {r.sameAsRow !== null ? t('cd.import.same', { row: r.sameAsRow }) : t('cd.import.existing')}
                </List.Item>
              ))}
          </List>
          {batch.status === 'previewed' ? (
            <Button
              block
              color="primary"
              style={{ marginTop: 12 }}
              data-testid="import-confirm"
              disabled={batch.rows.length === 0}
              loading={confirm.isPending}
              onClick={() =>
                confirm.mutate(batch.id, {
                  onSuccess: (r) => setBatch(r.import),
                  onError: (e) => Toast.show({ content: errorOf(e), duration: 4000 }),
                })
              }
            >
              {t('cd.import.confirm', { n: batch.rows.length })}
            </Button>
          ) : (
            <Result
              status="success"
              data-testid="import-done"
              title={t('cd.import.done', { created: batch.created ?? 0, merged: batch.merged ?? 0 })}
            />
          )}
        </Card>
      ) : null}
      {batch?.status === 'confirmed' ? <InvitePanel importId={batch.id} /> : null}
    </div>
  );
}
