import { Button, Input, List, NoticeBar, Selector, Stepper, Switch, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { PlanResponse, QuestionInput } from '../../../shared/api/interviewPlans';
import { routes } from '../../../shared/routes';
import { useErrorText } from '../errors';
import { PlanFollowUpSwitch } from '../followups/PlanFollowUpSwitch';
import { useI18n } from '../locale';
import { usePlan, usePlanList, useSaveQuestions } from './api';
import './entry.css';

type Editable = QuestionInput & { key: string };

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

let seq = 0;
const blank = (): Editable => ({
  key: `new-${++seq}`,
  text: '',
  answerType: 'video',
  thinkSeconds: 30,
  answerSeconds: 120,
  retakes: 1,
  competencies: [],
  indicators: {},
  referenceAnswers: [],
  weight: 1,
  practice: false,
  maxChars: 2000,
});

/** HR: the jobs whose interview content can be edited. */
export function PlanList() {
  const { t } = useI18n();
  // A failed load shows an empty list, as the list is only a way into the editor.
  const items = usePlanList().data?.items ?? [];
  return (
    <List header={t('iv.plan.title')} data-testid="iv-plans">
      {items.map((j) => (
        <List.Item key={j.jobId} extra={t('iv.plan.count', { n: j.questions })}>
          <Link to={routes.interviewPlan(j.jobId)} data-testid={`iv-plan-${j.jobId}`}>
            {j.title}
          </Link>
        </List.Item>
      ))}
    </List>
  );
}

/**
 * HR edits a job's interview questions: text, answer type, timing, retakes, competencies with
 * behavioural indicators (one per line) and reference answers, weight and the practice flag.
 */
export function PlanEditor() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const jobId = Number(useParams().jobId);
  const plan = usePlan(jobId);
  const saveQuestions = useSaveQuestions(jobId);
  const title = plan.data?.job.title ?? '';
  // The questions being edited: null until the plan loads, then the editor's own copy.
  const [edited, setEdited] = useState<Editable[] | null>(null);
  const fromPlan = (questions: PlanResponse['questions'] = []) =>
    questions.map((q): Editable => ({ ...q, key: String(q.id) }));
  const qs = edited ?? fromPlan(plan.data?.questions);
  const setQs = (f: (all: Editable[]) => Editable[]) =>
    setEdited((cur) => f(cur ?? fromPlan(plan.data?.questions)));
  const [saveError, setError] = useState<string | null>(null);
  const error = saveError ?? (plan.isError ? errorOf(plan.error) : null);
  const saving = saveQuestions.isPending;

  const update = (i: number, patch: Partial<Editable>) =>
    setQs((all) => all.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  const move = (i: number, d: -1 | 1) =>
    setQs((all) => {
      const next = [...all];
      const [q] = next.splice(i, 1);
      next.splice(Math.max(0, Math.min(next.length, i + d)), 0, q);
      return next;
    });

  const save = async () => {
    setError(null);
    try {
      const body = {
        // `position` comes from the server; the list order is the position.
        questions: qs.map(({ key: _k, position: _p, ...q }: Editable & { position?: number }) => ({
          ...q,
          promptMediaKind: q.promptMediaUrl ? (q.promptMediaKind ?? 'image') : null,
          promptMediaUrl: q.promptMediaUrl || null,
        })),
      };
      const r = await saveQuestions.mutateAsync(body);
      setEdited(fromPlan(r.questions));
      Toast.show({ content: t('iv.plan.saved') });
    } catch (e) {
      setError(errorOf(e));
    }
  };

  return (
    <div className="iv-page" data-testid="iv-plan-editor">
      <h3>{title}</h3>
      <PlanFollowUpSwitch jobId={jobId} />
      {error ? <NoticeBar content={error} color="alert" wrap data-testid="iv-plan-error" /> : null}
      {qs.map((q, i) => (
        <div className="iv-card" key={q.key} data-testid={`iv-plan-q-${i}`}>
          <div className="iv-row">
            <strong>{q.practice ? t('iv.q.practice') : `#${i + 1}`}</strong>
            <span style={{ flex: 1 }} />
            <Button size="mini" onClick={() => move(i, -1)}>
              ↑
            </Button>
            <Button size="mini" onClick={() => move(i, 1)}>
              ↓
            </Button>
            <Button
              size="mini"
              color="danger"
              fill="outline"
              onClick={() => setQs((all) => all.filter((_, j) => j !== i))}
            >
              {t('iv.plan.remove')}
            </Button>
          </div>
          <TextArea
            value={q.text}
            onChange={(v) => update(i, { text: v })}
            placeholder={t('iv.plan.text')}
            autoSize
            rows={2}
          />
          <Selector
            options={(['video', 'audio', 'text'] as const).map((v) => ({
              label: t(`iv.plan.type.${v}`),
              value: v,
            }))}
            value={[q.answerType]}
            onChange={(v) => v[0] && update(i, { answerType: v[0] })}
          />
          <div className="iv-row">
            {t('iv.plan.think')}
            <Stepper
              min={0}
              max={600}
              step={5}
              value={q.thinkSeconds}
              onChange={(v) => update(i, { thinkSeconds: v })}
            />
          </div>
          <div className="iv-row">
            {t('iv.plan.answer')}
            <Stepper
              min={10}
              max={900}
              step={10}
              value={q.answerSeconds}
              onChange={(v) => update(i, { answerSeconds: v })}
            />
          </div>
          <div className="iv-row">
            {t('iv.plan.retakes')}
            <Stepper min={0} max={5} value={q.retakes} onChange={(v) => update(i, { retakes: v })} />
            {t('iv.plan.weight')}
            <Stepper
              min={0}
              max={10}
              step={0.5}
              digits={1}
              value={q.weight}
              onChange={(v) => update(i, { weight: v })}
            />
          </div>
          <div className="iv-row">
            {t('iv.plan.practice')}
            <Switch checked={q.practice} onChange={(v) => update(i, { practice: v })} />
          </div>
          <Input
            value={q.promptMediaUrl ?? ''}
            onChange={(v) => update(i, { promptMediaUrl: v })}
            placeholder={t('iv.plan.prompt')}
            clearable
          />
          <Input
            value={q.competencies.join('，')}
            onChange={(v) =>
              update(i, {
                competencies: v
                  .split(/[,，]/)
                  .map((s) => s.trim())
                  .filter(Boolean),
              })
            }
            placeholder={t('iv.plan.competencies')}
          />
          {q.competencies.map((c) => (
            <TextArea
              key={c}
              value={(q.indicators[c] ?? []).join('\n')}
              onChange={(v) => update(i, { indicators: { ...q.indicators, [c]: lines(v) } })}
              placeholder={t('iv.plan.indicators', { c })}
              autoSize
            />
          ))}
          <TextArea
            value={q.referenceAnswers.join('\n')}
            onChange={(v) => update(i, { referenceAnswers: lines(v) })}
            placeholder={t('iv.plan.reference')}
            autoSize
          />
        </div>
      ))}
      <Button block onClick={() => setQs((all) => [...all, blank()])} data-testid="iv-plan-add">
        {t('iv.plan.add')}
      </Button>
      <Button block color="primary" loading={saving} onClick={save} data-testid="iv-plan-save">
        {t('iv.plan.save')}
      </Button>
    </div>
  );
}

/** HR home entry to the editor. */
export function PlanEntry() {
  const { t } = useI18n();
  return (
    <Link to={routes.interviewPlans()} className="iv-open" data-testid="iv-plans-open">
      <Button block>{t('iv.plan.title')}</Button>
    </Link>
  );
}
