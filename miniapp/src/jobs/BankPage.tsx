import { Button, Input, List, NoticeBar, Selector, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import type { BankQuestionView, CompetencyView } from '../../../shared/api/jobs';
import { useErrorText } from '../errors';
import { SearchField } from '../layout/SearchField';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useBank, useCompetencies, useSaveBankQuestion, useSaveCompetency } from './api';

/**
 * A library form's error line and its save: "saved" and close on success, the server's refusal
 * in words on failure (a missing field is set with `setError` before saving).
 */
function useFormSave(onDone: () => void) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const run = async (save: () => Promise<unknown>) => {
    setError(null);
    try {
      await save();
      Toast.show({ content: t('jobs.saved') });
      onDone();
    } catch (e) {
      setError(errorOf(e));
    }
  };
  return { error, setError, run };
}

/** Save (a new version when `editing`) and cancel, under a library form; `testId` names save. */
function FormActions(props: {
  editing: boolean;
  saving: boolean;
  testId: string;
  onSave: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <Button color="primary" block loading={props.saving} onClick={props.onSave} data-testid={props.testId}>
        {props.editing ? t('bank.saveVersion') : t('bank.save')}
      </Button>
      <Button block onClick={props.onCancel} style={{ marginTop: 8 }}>
        {t('bank.cancel')}
      </Button>
    </>
  );
}

/** A text area labelled by its placeholder (one behaviour indicator per line). */
function LinesField(props: { label: string; value: string; onChange: (v: string) => void; testId: string }) {
  return (
    <TextArea
      value={props.value}
      onChange={props.onChange}
      placeholder={props.label}
      aria-label={props.label}
      autoSize
      rows={3}
      data-testid={props.testId}
    />
  );
}

/** The add/edit form of a bank question (`editing` null = a new question). */
function BankForm({ editing, onDone }: { editing: BankQuestionView | null; onDone: () => void }) {
  const { t } = useI18n();
  const lib = useCompetencies();
  const save = useSaveBankQuestion();
  const [text, setText] = useState(editing?.text ?? '');
  const [comps, setComps] = useState<string[]>(editing?.competencies ?? []);
  const { error, setError, run } = useFormSave(onDone);
  const submit = async () => {
    if (!text.trim()) return setError(t('jobs.form.required', { field: t('bank.text') }));
    if (!comps.length) return setError(t('jobs.form.required', { field: t('bank.competencies') }));
    await run(() =>
      save.mutateAsync({
        id: editing?.id ?? null,
        body: editing
          ? {
              text: text.trim(),
              competencies: comps,
              answerType: editing.answerType,
              thinkSeconds: editing.thinkSeconds,
              answerSeconds: editing.answerSeconds,
              retakes: editing.retakes,
              referenceAnswers: editing.referenceAnswers,
            }
          : { text: text.trim(), competencies: comps },
      }),
    );
  };
  return (
    <div className="iv-card" data-testid="bank-form">
      {editing ? <p>{t('bank.editing')}</p> : null}
      {error ? <NoticeBar content={error} color="alert" wrap data-testid="bank-error" /> : null}
      <TextArea
        value={text}
        onChange={setText}
        placeholder={t('bank.text')}
        autoSize
        rows={2}
        data-testid="bank-text"
      />
      <p>{t('bank.competencies')}</p>
      <Selector
        multiple
        data-testid="bank-competencies"
        options={(lib.data?.items ?? []).map((c) => ({ label: c.name, value: c.name }))}
        value={comps}
        onChange={setComps}
      />
      <FormActions
        editing={editing !== null}
        saving={save.isPending}
        testId="bank-save"
        onSave={() => void submit()}
        onCancel={onDone}
      />
    </div>
  );
}

/** Lines of a text area as a list, blanks dropped. */
const linesOf = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Adds a competency to the library or saves a new version of one (`editing`): the name stays,
 * the description and behaviour indicators (Chinese and English, one per line) change. Scoring
 * reads the latest version; reports already scored keep the version they used.
 */
function CompetencyForm({ editing, onDone }: { editing: CompetencyView | null; onDone: () => void }) {
  const { t } = useI18n();
  const save = useSaveCompetency();
  const [name, setName] = useState(editing?.name ?? '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [zh, setZh] = useState((editing?.indicatorsZh ?? []).join('\n'));
  const [en, setEn] = useState((editing?.indicatorsEn ?? []).join('\n'));
  const { error, setError, run } = useFormSave(onDone);
  const submit = async () => {
    const missing = !name.trim()
      ? 'bank.libraryName'
      : !linesOf(zh).length
        ? 'bank.indicatorsZh'
        : !linesOf(en).length
          ? 'bank.indicatorsEn'
          : null;
    if (missing) return setError(t('jobs.form.required', { field: t(missing) }));
    await run(() =>
      save.mutateAsync({
        name: name.trim(),
        description: description.trim(),
        indicatorsZh: linesOf(zh),
        indicatorsEn: linesOf(en),
        // The version being edited: a newer one saved meanwhile is reported (409), not overwritten.
        ...(editing ? { version: editing.version } : {}),
      }),
    );
  };
  return (
    <div className="iv-card" data-testid="competency-form">
      {editing ? <p>{t('bank.libraryEditing', { name: editing.name })}</p> : null}
      {error ? <NoticeBar content={error} color="alert" wrap data-testid="competency-error" /> : null}
      {editing ? null : (
        <Input
          value={name}
          onChange={setName}
          placeholder={t('bank.libraryName')}
          aria-label={t('bank.libraryName')}
          maxLength={50}
          data-testid="competency-name"
        />
      )}
      <TextArea
        value={description}
        onChange={setDescription}
        placeholder={t('bank.libraryDesc')}
        aria-label={t('bank.libraryDesc')}
        autoSize
        maxLength={500}
        data-testid="competency-description"
      />
      <LinesField label={t('bank.indicatorsZh')} value={zh} onChange={setZh} testId="competency-zh" />
      <LinesField label={t('bank.indicatorsEn')} value={en} onChange={setEn} testId="competency-en" />
      <FormActions
        editing={editing !== null}
        saving={save.isPending}
        testId="competency-save"
        onSave={() => void submit()}
        onCancel={onDone}
      />
    </div>
  );
}

/** HR: the company's question bank (latest versions, searchable); add a question or a new version. */
export function BankPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const bank = useBank(q);
  const lib = useCompetencies();
  const [editing, setEditing] = useState<BankQuestionView | null | 'new'>(null);
  const [competency, setCompetency] = useState<CompetencyView | null | 'new'>(null);
  // The search finds competencies too (name or indicator), like the questions.
  const matches = (c: CompetencyView) =>
    !q || [c.name, c.description, ...c.indicatorsZh, ...c.indicatorsEn].some((x) => x.includes(q));
  return (
    <div className="iv-page" data-testid="bank-page">
      <h3>{t('bank.title')}</h3>
      {editing === null ? (
        <Button color="primary" block onClick={() => setEditing('new')} data-testid="bank-add">
          {t('bank.add')}
        </Button>
      ) : (
        <BankForm editing={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
      )}
      <SearchField
        placeholder={t('bank.search')}
        onSearch={setQ}
        onClear={() => setQ('')}
        style={{ marginTop: 8 }}
      />
      <QueryState query={bank}>
        {(d) => (
          <List>
            {d.items.map((b) => (
              <List.Item
                key={b.id}
                data-testid={`bank-q-${b.id}`}
                description={`${b.competencies.join('、')} · ${t('bank.version', { n: b.version })}`}
                onClick={() => setEditing(b)}
              >
                {b.text}
              </List.Item>
            ))}
          </List>
        )}
      </QueryState>
      <h3>{t('bank.library')}</h3>
      {competency === null ? (
        <Button block onClick={() => setCompetency('new')} data-testid="competency-add">
          {t('bank.libraryAdd')}
        </Button>
      ) : (
        <CompetencyForm
          key={competency === 'new' ? 'new' : competency.id}
          editing={competency === 'new' ? null : competency}
          onDone={() => setCompetency(null)}
        />
      )}
      <QueryState query={lib}>
        {(d) => (
          <List data-testid="competency-list">
            {d.items.filter(matches).map((c) => (
              <List.Item
                key={c.id}
                data-testid={`competency-${c.name}`}
                extra={<Tag>{t('bank.version', { n: c.version })}</Tag>}
                description={c.indicatorsZh.join('；')}
                onClick={() => setCompetency(c)}
              >
                {c.name}
              </List.Item>
            ))}
          </List>
        )}
      </QueryState>
    </div>
  );
}
