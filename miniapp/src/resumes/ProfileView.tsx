import { Button, Dialog, Input, List, Space, Tag, Toast } from 'antd-mobile';
import type { ProfileField, ResumeProfile } from '../../../shared/api/resumes';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { useCorrectField } from './api';

/** A value, with HR's correct button (when `onFix` is given), the corrected mark, and the mark of a value the LLM filled in. */
function FieldValue({
  f,
  path,
  onFix,
}: {
  f: ProfileField | null;
  path: string;
  onFix?: (path: string, current: string) => void;
}) {
  const { t } = useI18n();
  return (
    <span data-testid={`rs-field-${path}`}>
      {f?.value ?? '—'}
      {f?.corrected ? (
        <Tag color="warning" style={{ marginLeft: 4 }}>
          {t('rs.corrected')}
        </Tag>
      ) : null}
      {f?.source === 'llm' && !f.corrected ? (
        <Tag color="primary" fill="outline" style={{ marginLeft: 4 }} data-testid={`rs-llm-${path}`}>
          {t('rs.llm')}
        </Tag>
      ) : null}
      {onFix ? (
        <Button size="mini" fill="none" onClick={() => onFix(path, f?.value ?? '')}>
          {t('sc.fix')}
        </Button>
      ) : null}
    </span>
  );
}

/** A parsed profile, read-only for the candidate; HR may correct any field (`resumeId` given). */
export function ProfileView({ profile, resumeId }: { profile: ResumeProfile; resumeId?: number }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const correct = useCorrectField();
  const date = (f: ProfileField | null) => (f?.value === 'present' ? t('rs.present') : (f?.value ?? '?'));

  const fix = async (path: string, current: string) => {
    let value = current;
    const ok = await Dialog.confirm({
      title: t('sc.fix'),
      content: <Input data-testid="rs-fix-input" defaultValue={current} onChange={(v) => (value = v)} />,
      confirmText: t('sc.send'),
      cancelText: t('sc.cancel'),
    });
    if (!ok || resumeId === undefined) return;
    correct.mutate(
      { id: resumeId, path, value },
      { onSuccess: () => Toast.show(t('sc.fixed')), onError: (e) => Toast.show(errorOf(e)) },
    );
  };

  const onFix =
    resumeId === undefined ? undefined : (path: string, current: string) => void fix(path, current);

  return (
    <div data-testid="rs-profile">
      <List header={t('rs.education')}>
        {profile.education.map((e, i) => (
          <List.Item key={`e${e.span.start}`} description={`${date(e.start)} – ${date(e.end)}`}>
            <Space wrap>
              <FieldValue f={e.school} path={`education.${i}.school`} onFix={onFix} />
              <FieldValue f={e.degree} path={`education.${i}.degree`} onFix={onFix} />
              <FieldValue f={e.major} path={`education.${i}.major`} onFix={onFix} />
            </Space>
          </List.Item>
        ))}
      </List>
      <List header={t('rs.experience')}>
        {profile.experience.map((e, i) => (
          <List.Item
            key={`x${e.span.start}`}
            description={<div style={{ whiteSpace: 'pre-wrap' }}>{e.description?.value ?? ''}</div>}
          >
            <Space wrap>
              <FieldValue f={e.employer} path={`experience.${i}.employer`} onFix={onFix} />
              <FieldValue f={e.title} path={`experience.${i}.title`} onFix={onFix} />
              <span className="muted">
                {date(e.start)} – {date(e.end)}
              </span>
            </Space>
          </List.Item>
        ))}
      </List>
      {(['skills', 'certificates', 'languages'] as const).map((k) => (
        <List key={k} header={t(`rs.${k}`)}>
          <List.Item>
            <Space wrap>
              {profile[k].map((f, i) => (
                <Tag
                  key={`${k}${f.span?.start ?? i}`}
                  data-testid={`rs-${k}`}
                  data-source={f.source ?? 'parser'}
                  fill={f.source === 'llm' ? 'outline' : 'solid'}
                >
                  {f.value}
                  {f.source === 'llm' ? ` · ${t('rs.llm')}` : ''}
                </Tag>
              ))}
            </Space>
          </List.Item>
        </List>
      ))}
    </div>
  );
}
