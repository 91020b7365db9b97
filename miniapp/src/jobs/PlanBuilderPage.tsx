import { Button, List, NoticeBar, Stepper, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import type { BankQuestionView } from '../../../shared/api/jobs';
import { useErrorText } from '../errors';
import { SearchField } from '../layout/SearchField';
import { useI18n } from '../locale';
import { QueryState } from '../query/QueryState';
import { useBank, useJobPlan, useSavePlanFromBank } from './api';

/** A chosen bank question with the plan's time limits. */
interface Chosen {
  question: Pick<BankQuestionView, 'id' | 'text' | 'competencies'>;
  thinkSeconds: number;
  answerSeconds: number;
  retakes: number;
}

/**
 * HR builds a job's interview plan from the question bank (`/jobs/:jobId/plan`): pick
 * questions, order them, set think/answer time and retakes, save. The plan keeps the bank
 * version it was built from; the plan editor stays for custom questions.
 */
export function PlanBuilderPage() {
  const { t } = useI18n();
  const errorOf = useErrorText();
  const jobId = Number(useParams().jobId);
  const [q, setQ] = useState('');
  const bank = useBank(q);
  const plan = useJobPlan(jobId);
  const save = useSavePlanFromBank(jobId);
  const [picked, setPicked] = useState<Chosen[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Until HR changes something, the chosen list is the plan's bank questions.
  const current: Chosen[] =
    picked ??
    (plan.data?.questions ?? [])
      .filter((x) => x.bankQuestionId !== null && !x.practice)
      .map((x) => ({
        question: { id: x.bankQuestionId as number, text: x.text, competencies: x.competencies },
        thinkSeconds: x.thinkSeconds,
        answerSeconds: x.answerSeconds,
        retakes: x.retakes,
      }));
  const update = (f: (all: Chosen[]) => Chosen[]) => setPicked(f(current));
  const move = (i: number, d: -1 | 1) =>
    update((all) => {
      const next = [...all];
      const [x] = next.splice(i, 1);
      next.splice(Math.max(0, Math.min(next.length, i + d)), 0, x);
      return next;
    });

  const submit = async () => {
    setError(null);
    if (!current.length) return setError(t('plan.none'));
    try {
      await save.mutateAsync({
        items: current.map((p) => ({
          bankQuestionId: p.question.id,
          thinkSeconds: p.thinkSeconds,
          answerSeconds: p.answerSeconds,
          retakes: p.retakes,
        })),
      });
      setPicked(null);
      Toast.show({ content: t('plan.saved') });
    } catch (e) {
      setError(errorOf(e));
    }
  };

  return (
    <div className="iv-page" data-testid="plan-builder">
      <h3>
        {t('plan.title')} · {plan.data?.job.title ?? ''}
      </h3>
      {error ? <NoticeBar content={error} color="alert" wrap data-testid="plan-error" /> : null}
      <h4>{t('plan.picked')}</h4>
      {current.length ? null : <p>{t('plan.none')}</p>}
      {current.map((p, i) => (
        <div className="iv-card" key={p.question.id} data-testid={`plan-pick-${i}`}>
          <div className="iv-row">
            <strong>#{i + 1}</strong>
            <span style={{ flex: 1 }}>{p.question.text}</span>
          </div>
          <div className="iv-row">
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
              onClick={() => update((all) => all.filter((_, j) => j !== i))}
            >
              {t('plan.remove')}
            </Button>
          </div>
          <List>
            <List.Item title={t('plan.answerSeconds')}>
              <Stepper
                min={5}
                max={900}
                step={15}
                value={p.answerSeconds}
                data-testid={`plan-pick-${i}-answer`}
                onChange={(v) =>
                  update((all) => all.map((x, j) => (j === i ? { ...x, answerSeconds: v } : x)))
                }
              />
            </List.Item>
            <List.Item title={t('plan.thinkSeconds')}>
              <Stepper
                min={0}
                max={600}
                step={10}
                value={p.thinkSeconds}
                onChange={(v) =>
                  update((all) => all.map((x, j) => (j === i ? { ...x, thinkSeconds: v } : x)))
                }
              />
            </List.Item>
            <List.Item title={t('plan.retakes')}>
              <Stepper
                min={0}
                max={5}
                value={p.retakes}
                onChange={(v) => update((all) => all.map((x, j) => (j === i ? { ...x, retakes: v } : x)))}
              />
            </List.Item>
          </List>
        </div>
      ))}
      <Button
        color="primary"
        block
        loading={save.isPending}
        onClick={() => void submit()}
        data-testid="plan-save"
      >
        {t('plan.save')}
      </Button>
      <h4>{t('plan.pick')}</h4>
      <SearchField placeholder={t('bank.search')} onSearch={setQ} onClear={() => setQ('')} />
      <QueryState query={bank}>
        {(d) => (
          <List>
            {d.items
              .filter((b) => !current.some((p) => p.question.id === b.id))
              .map((b) => (
                <List.Item
                  key={b.id}
                  data-testid={`plan-bank-${b.id}`}
                  description={`${b.competencies.join('、')} · ${t('bank.seconds', {
                    a: b.answerSeconds,
                    t: b.thinkSeconds,
                    r: b.retakes,
                  })}`}
                  extra={
                    <Button
                      size="mini"
                      data-testid={`plan-add-${b.id}`}
                      onClick={() =>
                        update((all) => [
                          ...all,
                          {
                            question: b,
                            thinkSeconds: b.thinkSeconds,
                            answerSeconds: b.answerSeconds,
                            retakes: b.retakes,
                          },
                        ])
                      }
                    >
                      {t('plan.add')}
                    </Button>
                  }
                >
                  {b.text}
                </List.Item>
              ))}
          </List>
        )}
      </QueryState>
    </div>
  );
}
