import { Button, List, NoticeBar, SearchBar, Selector, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import type { BankQuestionView } from '../../../shared/api/jobs';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useBank, useCompetencies, useSaveBankQuestion } from './api';

/** The add/edit form of a bank question (`editing` null = a new question). */
function BankForm({ editing, onDone }: { editing: BankQuestionView | null; onDone: () => void }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const lib = useCompetencies();
  const save = useSaveBankQuestion();
  const [text, setText] = useState(editing?.text ?? '');
  const [comps, setComps] = useState<string[]>(editing?.competencies ?? []);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    if (!text.trim()) return setError(t('jobs.form.required', { field: t('bank.text') }));
    if (!comps.length) return setError(t('jobs.form.required', { field: t('bank.competencies') }));
    try {
      await save.mutateAsync({
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
      });
      Toast.show({ content: t('jobs.saved') });
      onDone();
    } catch (e) {
      setError(errorOf(e));
    }
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
      <Button
        color="primary"
        block
        loading={save.isPending}
        onClick={() => void submit()}
        data-testid="bank-save"
      >
        {editing ? t('bank.saveVersion') : t('bank.save')}
      </Button>
      <Button block onClick={onDone} style={{ marginTop: 8 }}>
        {t('bank.cancel')}
      </Button>
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
      <SearchBar
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
      <QueryState query={lib}>
        {(d) => (
          <List>
            {d.items.map((c) => (
              <List.Item
                key={c.id}
                extra={<Tag>{t('bank.version', { n: c.version })}</Tag>}
                description={c.indicatorsZh.join('；')}
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
