import { Button, Dialog, List, NoticeBar, Selector, Stepper, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { DraftKind, DraftStatus, QuestionDraftView } from '../../../shared/api/questionDrafts';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useCompetencies, useDraftActions, useDrafts, useJob } from './api';

type Actions = ReturnType<typeof useDraftActions>;

/** Lines of a text area as a list, blanks dropped. */
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** HR's edit of one proposed draft: kind, text, reference points (one per line), competencies. */
function DraftForm({
  draft,
  actions,
  onDone,
}: {
  draft: QuestionDraftView;
  actions: Actions;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const lib = useCompetencies();
  const [kind, setKind] = useState<DraftKind>(draft.kind);
  const [text, setText] = useState(draft.text);
  const [refs, setRefs] = useState(draft.referenceAnswers.join('\n'));
  const [comps, setComps] = useState(draft.competencies);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    if (!text.trim()) return setError(t('jobs.form.required', { field: t('qgen.text') }));
    if (!lines(refs).length) return setError(t('jobs.form.required', { field: t('qgen.referencesInput') }));
    if (!comps.length) return setError(t('qgen.pickOne'));
    try {
      await actions.edit.mutateAsync({
        id: draft.id,
        body: { kind, text: text.trim(), referenceAnswers: lines(refs), competencies: comps },
      });
      Toast.show({ content: t('jobs.saved') });
      onDone();
    } catch (e) {
      setError(errorOf(e));
    }
  };
  return (
    <div data-testid={`draft-${draft.id}-form`}>
      {error ? <NoticeBar content={error} color="alert" wrap data-testid="draft-error" /> : null}
      <p>{t('qgen.kind')}</p>
      <Selector
        options={(['behavioural', 'situational'] as const).map((k) => ({
          label: t(`qgen.kind.${k}`),
          value: k,
        }))}
        value={[kind]}
        onChange={(v) => v[0] && setKind(v[0])}
      />
      <p>{t('qgen.text')}</p>
      <TextArea
        value={text}
        onChange={setText}
        autoSize
        rows={3}
        aria-label={t('qgen.text')}
        data-testid="draft-text"
      />
      <p>{t('qgen.referencesInput')}</p>
      <TextArea
        value={refs}
        onChange={setRefs}
        autoSize
        rows={3}
        aria-label={t('qgen.referencesInput')}
        data-testid="draft-refs"
      />
      <p>{t('bank.competencies')}</p>
      <Selector
        multiple
        options={(lib.data?.items ?? []).map((c) => ({ label: c.name, value: c.name }))}
        value={comps}
        onChange={setComps}
      />
      <div className="jobs-actions">
        <Button
          color="primary"
          size="small"
          loading={actions.edit.isPending}
          onClick={() => void save()}
          data-testid="draft-save"
        >
          {t('qgen.save')}
        </Button>
        <Button size="small" onClick={onDone}>
          {t('qgen.cancel')}
        </Button>
      </div>
    </div>
  );
}

/** One draft: its kind, source, text, what a good answer shows, and HR's actions while proposed. */
function DraftCard({ draft, actions }: { draft: QuestionDraftView; actions: Actions }) {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const [editing, setEditing] = useState(false);
  const approve = async () => {
    try {
      const r = await actions.approve.mutateAsync(draft.id);
      Toast.show({ content: t('qgen.approved', { n: r.question.version }) });
    } catch (e) {
      Toast.show({ content: errorOf(e) });
    }
  };
  const discard = async () => {
    if (!(await Dialog.confirm({ content: t('qgen.discardConfirm') }))) return;
    try {
      await actions.discard.mutateAsync(draft.id);
      Toast.show({ content: t('qgen.discarded') });
    } catch (e) {
      Toast.show({ content: errorOf(e) });
    }
  };
  return (
    <div className="iv-card" data-testid={`draft-${draft.id}`}>
      <div className="iv-row" style={{ flexWrap: 'wrap', gap: 4 }}>
        <Tag color={draft.kind === 'behavioural' ? 'primary' : 'success'}>{t(`qgen.kind.${draft.kind}`)}</Tag>
        <Tag color={draft.source === 'llm' ? 'warning' : 'default'} data-testid={`draft-${draft.id}-source`}>
          {t(`qgen.source.${draft.source}`)}
        </Tag>
        {draft.competencies.map((c) => (
          <Tag key={c} fill="outline">
            {c}
          </Tag>
        ))}
        {draft.edited ? <Tag fill="outline">{t('qgen.edited')}</Tag> : null}
        <Tag
          color={draft.status === 'approved' ? 'success' : 'default'}
          data-testid={`draft-${draft.id}-status`}
        >
          {draft.bankQuestion
            ? t('qgen.inBank', { n: draft.bankQuestion.version })
            : t(`qgen.status.${draft.status}`)}
        </Tag>
      </div>
      {editing ? (
        <DraftForm draft={draft} actions={actions} onDone={() => setEditing(false)} />
      ) : (
        <>
          <p data-testid={`draft-${draft.id}-text`}>{draft.text}</p>
          <div className="muted">{t('qgen.references')}</div>
          <ul data-testid={`draft-${draft.id}-refs`}>
            {draft.referenceAnswers.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          {draft.indicators.length ? (
            <div className="muted">
              {t('qgen.targets')}：{draft.indicators.join('；')}
            </div>
          ) : null}
          {draft.llm?.discarded ? (
            <div className="muted">{t('qgen.llmDiscarded', { reason: draft.llm.discarded })}</div>
          ) : null}
          {draft.status === 'proposed' ? (
            <div className="jobs-actions">
              <Button size="small" onClick={() => setEditing(true)} data-testid={`draft-${draft.id}-edit`}>
                {t('qgen.edit')}
              </Button>
              <Button
                size="small"
                color="primary"
                loading={actions.approve.isPending && actions.approve.variables === draft.id}
                onClick={() => void approve()}
                data-testid={`draft-${draft.id}-approve`}
              >
                {t('qgen.approve')}
              </Button>
              <Button
                size="small"
                color="danger"
                fill="outline"
                onClick={() => void discard()}
                data-testid={`draft-${draft.id}-discard`}
              >
                {t('qgen.discard')}
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}

/**
 * HR proposes interview questions from a job (`/jobs/:jobId/questions`): choose competencies of
 * the library, generate behavioural and situational drafts from the job's description (rules, or
 * the LLM when configured), then edit, approve into the bank or discard each. Nothing is asked
 * of a candidate until a question is in the bank and HR puts it into the job's plan.
 */
export function QuestionGenPage() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const jobId = Number(useParams().jobId);
  const job = useJob(jobId);
  const lib = useCompetencies();
  const [comps, setComps] = useState<string[]>([]);
  const [perKind, setPerKind] = useState(1);
  const [status, setStatus] = useState<DraftStatus | ''>('proposed');
  const drafts = useDrafts(jobId, status);
  const actions = useDraftActions(jobId);
  const [notice, setNotice] = useState<{ text: string; alert: boolean } | null>(null);

  const generate = async () => {
    setNotice(null);
    if (!comps.length) return setNotice({ text: t('qgen.pickOne'), alert: true });
    try {
      const r = await actions.generate.mutateAsync({ competencies: comps, perKind });
      setStatus('proposed');
      setNotice(
        r.fallbackReason
          ? { text: t('qgen.fallback', { reason: r.fallbackReason }), alert: true }
          : { text: t('qgen.generated', { n: r.items.length }), alert: false },
      );
    } catch (e) {
      setNotice({ text: errorOf(e), alert: true });
    }
  };

  return (
    <div className="iv-page" data-testid="qgen-page">
      <h3>
        {t('qgen.title')} · {job.data?.job.title ?? ''}
      </h3>
      <p className="muted">{t('qgen.intro')}</p>
      <h4>{t('qgen.competencies')}</h4>
      <QueryState query={lib}>
        {(d) => (
          <Selector
            multiple
            data-testid="qgen-competencies"
            options={d.items.map((c) => ({ label: c.name, value: c.name }))}
            value={comps}
            onChange={setComps}
          />
        )}
      </QueryState>
      <List>
        <List.Item title={t('qgen.perKind')}>
          <Stepper min={1} max={3} value={perKind} onChange={setPerKind} data-testid="qgen-per-kind" />
        </List.Item>
      </List>
      {notice ? (
        <NoticeBar
          content={notice.text}
          color={notice.alert ? 'alert' : 'info'}
          wrap
          data-testid="qgen-notice"
        />
      ) : null}
      <Button
        color="primary"
        block
        loading={actions.generate.isPending}
        onClick={() => void generate()}
        data-testid="qgen-generate"
      >
        {t('qgen.generate')}
      </Button>
      <Selector
        style={{ marginTop: 12 }}
        data-testid="qgen-status"
        options={(['proposed', 'approved', 'discarded', ''] as const).map((s) => ({
          label: t(`qgen.status.${s || 'all'}`),
          value: s,
        }))}
        value={[status]}
        onChange={(v) => setStatus(v[0] ?? '')}
      />
      <QueryState query={drafts}>
        {(d) =>
          d.items.length ? (
            d.items.map((x) => <DraftCard key={x.id} draft={x} actions={actions} />)
          ) : (
            <p data-testid="qgen-empty">{t('qgen.empty')}</p>
          )
        }
      </QueryState>
      <div className="jobs-actions">
        <Link to={routes.questionBank()} data-testid="qgen-to-bank">
          <Button size="small">{t('qgen.toBank')}</Button>
        </Link>
        <Link to={routes.jobPlan(jobId)}>
          <Button size="small">{t('qgen.toPlan')}</Button>
        </Link>
      </div>
    </div>
  );
}
